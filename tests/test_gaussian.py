"""supermodel.gaussian: KL divergence in all three covariance forms."""

import numpy as np
import scipy.linalg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from supermodel import gaussian
from conftest import random_spd, spd_matrices


def kl_1d(mq, vq, mp, vp):
    return 0.5 * (vq / vp + (mq - mp) ** 2 / vp - 1 + np.log(vp / vq))


@given(st.floats(-5, 5), st.floats(1e-3, 1e3), st.floats(-5, 5), st.floats(1e-3, 1e3))
def test_one_dimensional_closed_form(mq, vq, mp, vp):
    expected = kl_1d(mq, vq, mp, vp)
    for cq, cp in [(vq, vp), ([vq], [vp]), ([[vq]], [[vp]]), (vq, [[vp]])]:
        assert gaussian.kl_divergence([mq], cq, [mp], cp) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(spd_matrices(), st.integers(0, 2**32 - 1))
def test_non_negative_and_zero_for_equal(cov, seed):
    d = cov.shape[0]
    rng = np.random.default_rng(seed)
    mean = rng.standard_normal(d)
    assert gaussian.kl_divergence(mean, cov, mean, cov) == pytest.approx(0.0, abs=1e-9)
    other = random_spd(rng, d, 5.0)
    assert gaussian.kl_divergence(mean, cov, rng.standard_normal(d), other) >= 0.0


def test_against_textbook_formula(rng):
    d = 6
    sq, sp = random_spd(rng, d, 30), random_spd(rng, d, 30)
    mq, mp = rng.standard_normal(d), rng.standard_normal(d)
    diff = mp - mq
    expected = 0.5 * (np.trace(np.linalg.solve(sp, sq)) + diff @ np.linalg.solve(sp, diff) - d
                      + np.linalg.slogdet(sp)[1] - np.linalg.slogdet(sq)[1])
    assert gaussian.kl_divergence(mq, sq, mp, sp) == pytest.approx(expected, rel=1e-10)


def test_against_monte_carlo(rng):
    d = 3
    sq, sp = random_spd(rng, d, 4), random_spd(rng, d, 4)
    mq, mp = rng.standard_normal(d), rng.standard_normal(d)
    est, se = gaussian.monte_carlo_kl(mq, sq, mp, sp, 200000, seed=11)
    assert abs(est - gaussian.kl_divergence(mq, sq, mp, sp)) < 5 * se


def test_diagonal_and_isotropic_paths_agree_with_dense(rng):
    d = 5
    vq, vp = rng.uniform(0.5, 2, d), rng.uniform(0.5, 2, d)
    mq, mp = rng.standard_normal(d), rng.standard_normal(d)
    dense = gaussian.kl_divergence(mq, np.diag(vq), mp, np.diag(vp))
    assert gaussian.kl_divergence(mq, vq, mp, vp) == pytest.approx(dense, rel=1e-12)
    assert gaussian.kl_divergence(mq, 1.7, mp, 0.6) == pytest.approx(
        gaussian.kl_divergence(mq, 1.7 * np.eye(d), mp, 0.6 * np.eye(d)), rel=1e-12)
    assert gaussian.kl_divergence(mq, vq, mp, 0.6) == pytest.approx(
        gaussian.kl_divergence(mq, np.diag(vq), mp, 0.6 * np.eye(d)), rel=1e-12)


def test_ill_conditioned_dense_is_finite_and_correct(rng):
    # a raw-determinant formula overflows or returns NaN here; the Cholesky path does not
    d = 400
    sp = random_spd(rng, d, 1e8) * 1e-6
    sq = random_spd(rng, d, 1e8) * 1e-6
    got = gaussian.kl_divergence(np.zeros(d), sq, np.ones(d), sp)
    with np.errstate(all="ignore"):
        naive = np.linalg.det(sp)
    assert naive == 0.0 or not np.isfinite(np.log(naive))  # the trap is real at this size
    lam = scipy.linalg.eigh(sq, sp, eigvals_only=True)  # generalised symmetric eigenproblem
    expected = 0.5 * (np.sum(lam - 1 - np.log(lam)) + np.ones(d) @ np.linalg.solve(sp, np.ones(d)))
    assert np.isfinite(got)
    assert got == pytest.approx(expected, rel=1e-5)


def test_large_diagonal():
    d = 10**6
    got = gaussian.kl_divergence(np.zeros(d), np.full(d, 2.0), np.zeros(d), np.ones(d))
    assert got == pytest.approx(0.5 * d * (2 - 1 - np.log(2)), rel=1e-10)


def test_log_density_and_sampling(rng):
    from scipy.stats import multivariate_normal
    cov = random_spd(rng, 3, 10)
    mean = rng.standard_normal(3)
    x = rng.standard_normal((5, 3))
    np.testing.assert_allclose(gaussian.log_density(x, mean, cov), multivariate_normal(mean, cov).logpdf(x))
    draws = gaussian.sample(mean, cov, 50000, seed=2)
    np.testing.assert_allclose(np.cov(draws, rowvar=False), cov, atol=0.05 * np.max(np.abs(cov)))
    np.testing.assert_array_equal(draws, gaussian.sample(mean, cov, 50000, seed=2))
