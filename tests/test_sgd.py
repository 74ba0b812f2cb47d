"""supermodel.sgd: the discrete Lyapunov solution and the SGD simulator."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.linalg import solve_discrete_lyapunov

from supermodel import ou, sgd
from conftest import random_psd, random_spd, spd_matrices


def test_scalar_closed_form():
    lr, c, b, h = 0.3, 2.0, 4, 1.5
    assert sgd.stationary_covariance(h, c, lr, b)[0, 0] == pytest.approx(lr * c / (b * h * (2 - lr * h)), rel=1e-13)


@given(spd_matrices(max_cond=50.0), st.integers(0, 2**32 - 1), st.floats(0.01, 0.99), st.integers(1, 64))
def test_matches_scipy_discrete_lyapunov(h, seed, frac, b):
    lr = frac * 2 / np.linalg.eigvalsh(h)[-1]
    c = random_psd(np.random.default_rng(seed), h.shape[0])
    a = np.eye(h.shape[0]) - lr * h
    expected = solve_discrete_lyapunov(a, lr**2 / b * c)
    np.testing.assert_allclose(sgd.stationary_covariance(h, c, lr, b), expected,
                               rtol=1e-7, atol=1e-10 * np.max(np.abs(expected)))


def test_continuous_limit(rng):
    h, c = random_spd(rng, 4, 10), random_psd(rng, 4)
    disc = sgd.stationary_covariance(h, c, 1e-6, 2)
    cont = ou.stationary_covariance(h, c, 1e-6, 2)
    np.testing.assert_allclose(disc, cont, rtol=0, atol=1e-4 * np.max(np.abs(cont)))


def test_unstable_learning_rate_is_refused():
    with pytest.raises(ValueError, match=r"lr .*< 2"):
        sgd.stationary_covariance(np.diag([1.0, 4.0]), np.eye(2), 0.5, 1)
    with pytest.raises(ValueError, match="lr"):
        sgd.simulate_quadratic(np.diag([1.0, 4.0]), np.eye(2), 0.6, 1, np.zeros(2), np.zeros(2), 10, 2)


def test_simulation_matches_discrete_lyapunov():
    h = np.array([[3.0, 1.0], [1.0, 2.0]])
    c = np.array([[2.0, -0.5], [-0.5, 1.0]])
    lr, b = 0.2, 2
    it = sgd.simulate_quadratic(h, c, lr, b, np.ones(2), np.ones(2), 400, 4000, seed=7, record_every=50)
    emp = sgd.iterate_covariance(it, burn_in=2)
    pred = sgd.stationary_covariance(h, c, lr, b)
    np.testing.assert_allclose(emp, pred, atol=0.06 * np.max(np.abs(pred)))
    # ... and the discrete prediction differs from the continuous one at this lr by more than the noise
    assert np.max(np.abs(pred - ou.stationary_covariance(h, c, lr, b))) > 0.1 * np.max(np.abs(pred))


def test_simulation_shapes_and_seed():
    args = (np.eye(2), np.eye(2), 0.1, 1, np.zeros(2), np.ones(2), 20, 3)
    out = sgd.simulate_quadratic(*args, seed=1, record_every=5)
    assert out.shape == (4, 3, 2)
    np.testing.assert_array_equal(out, sgd.simulate_quadratic(*args, seed=1, record_every=5))
