"""Every symbolic derivation simplifies to zero and agrees with the package at random parameter values."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from supermodel import derivations as dv
from supermodel import gaussian, ou, sgd
from supermodel.twostage import Stage

pos = st.floats(0.05, 5.0)


@pytest.mark.parametrize("func", dv.ALL, ids=lambda f: f.__name__)
def test_derivation_simplifies_to_zero(func):
    assert func().verified()


def test_a_wrong_result_is_caught():
    wrong = dv.Derivation("x", "wrong factor", "sgd_as_ou", dv.h, dv.h,
                          dv.stationary_scalar().residual + dv.stationary_variance_continuous())
    assert not wrong.verified()
    with pytest.raises(AssertionError, match="does not simplify"):
        wrong.check()


def test_catalogue_labels_unique_and_latex():
    cat = dv.latex_catalogue()
    labels = [row["label"] for row in cat]
    assert len(labels) == len(set(labels)) == len(dv.ALL)
    assert all(row["latex"] and row["chapter"] for row in cat)


@given(pos, pos, pos, st.integers(1, 256))
def test_stationary_formulas_against_package(lr_scale, c, h, b):
    lr = min(lr_scale, 1.9) / h  # keeps lr * h < 2
    cont = sp.lambdify((dv.eta, dv.c, dv.h, dv.B), dv.stationary_variance_continuous())(lr, c, h, b)
    disc = sp.lambdify((dv.eta, dv.c, dv.h, dv.B), dv.stationary_variance_discrete())(lr, c, h, b)
    assert ou.stationary_covariance(h, c, lr, b)[0, 0] == pytest.approx(cont, rel=1e-12)
    assert sgd.stationary_covariance(h, c, lr, b)[0, 0] == pytest.approx(disc, rel=1e-10)
    ratio = sp.lambdify((dv.eta, dv.h), dv.discrete_to_continuous_ratio().rhs)(lr, h)
    assert disc / cont == pytest.approx(ratio, rel=1e-10)


@given(pos, pos, pos, st.integers(1, 64), st.floats(0.0, 50.0), st.floats(-2, 2), st.floats(-2, 2), pos)
def test_finetune_transient_against_package(lr, h, c, b, tau, th_s, th_t, var_s):
    f_mean, f_var = (sp.lambdify(dv.FINETUNE_SYMBOLS, e) for e in dv.finetune_moments_scalar())
    mean, cov = Stage(np.array([[h]]), np.array([[c]]), lr, b, np.array([th_t])).law(tau, [th_s], [[var_s]])
    args = (lr, h, c, b, th_s, th_t, var_s, tau)
    assert mean[0] == pytest.approx(f_mean(*args), rel=1e-10, abs=1e-12)
    assert cov[0, 0] == pytest.approx(f_var(*args), rel=1e-10)


@given(st.floats(0.01, 0.5), st.integers(1, 32))
def test_current_matrix_against_package(lr, b):
    h = np.array(dv.NONCOMMUTING_H, dtype=float)
    c = np.array(dv.NONCOMMUTING_C, dtype=float)
    sym = sp.lambdify((dv.eta, dv.B), dv.current_matrix(dv.NONCOMMUTING_H, dv.NONCOMMUTING_C))(lr, b)
    np.testing.assert_allclose(ou.current_matrix(h, c, lr, b), sym, atol=1e-12 * np.abs(sym).max())
    assert np.abs(sym).max() > 0  # no detailed balance for this pair


def test_current_vanishes_when_commuting():
    h = np.array([[2.0, 0.5], [0.5, 1.0]])
    assert np.abs(ou.current_matrix(h, 0.2 * np.eye(2) + 0.5 * h, 0.1, 4)).max() < 1e-14


@given(st.floats(-3, 3), pos, st.floats(-3, 3), pos)
def test_gaussian_kl_1d_against_package(mq, sq, mp, sp_):
    closed = dv.gaussian_kl_1d().rhs
    syms = sorted(closed.free_symbols, key=lambda s: s.name)  # mu_p, mu_q, sigma_p, sigma_q
    value = sp.lambdify(syms, closed)(mp, mq, sp_, sq)
    assert gaussian.kl_divergence([mq], sq**2, [mp], sp_**2) == pytest.approx(value, rel=1e-10, abs=1e-12)


@given(pos, pos, st.integers(1, 64))
def test_temperature_against_package(lr, c, b):
    t = sp.lambdify((dv.eta, dv.c, dv.B), dv.temperature())(lr, c, b)
    h = np.array([[2.0, 0.3], [0.3, 1.0]])
    np.testing.assert_allclose(ou.stationary_covariance(h, c * np.eye(2), lr, b), t * np.linalg.inv(h), rtol=1e-10)


def test_export_latex(tmp_path):
    import re

    from supermodel.cli import main

    out = tmp_path / "derivations.tex"
    assert main(["export-latex", str(out)]) == 0
    text = out.read_text()
    labels = re.findall(r"\\label\{([^}]+)\}", text)
    assert labels == [row["label"] for row in dv.latex_catalogue()]
    assert text.count(r"\begin{equation}") == text.count(r"\end{equation}") == len(dv.ALL)
