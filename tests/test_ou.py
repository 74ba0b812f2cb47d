"""supermodel.ou against closed forms, scipy's Lyapunov solver and simulation."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.linalg import expm, solve_continuous_lyapunov

from supermodel import ou
from conftest import random_psd, random_spd, spd_matrices


def test_scalar_closed_form():
    # Sigma = eta c / (2 h B)
    assert ou.stationary_covariance(2.0, 3.0, 0.1, 4)[0, 0] == pytest.approx(0.1 * 3 / (2 * 2 * 4), rel=1e-14)


def test_commuting_case(rng):
    q, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    h = (q * [1.0, 2.0, 5.0, 9.0]) @ q.T
    c = (q * [0.5, 3.0, 1.0, 2.0]) @ q.T
    expected = (0.05 / (2 * 8)) * c @ np.linalg.solve(h, np.eye(4))
    np.testing.assert_allclose(ou.stationary_covariance(h, c, 0.05, 8), expected, atol=1e-14)


def test_matches_scipy_lyapunov(rng):
    h, c = random_spd(rng, 30, 1e3), random_psd(rng, 30)
    got = ou.stationary_covariance(h, c, 0.02, 16)
    np.testing.assert_allclose(got, solve_continuous_lyapunov(h, (0.02 / 16) * c), rtol=1e-8, atol=1e-14)


@given(spd_matrices(), st.integers(0, 2**32 - 1), st.floats(1e-3, 1.0), st.integers(1, 512))
def test_trace_identity(h, seed, lr, b):
    # tr Sigma = (eta / 2B) tr(C H^{-1}) for every H > 0 and C, commuting or not
    c = random_psd(np.random.default_rng(seed), h.shape[0])
    sigma = ou.stationary_covariance(h, c, lr, b)
    expected = lr / (2 * b) * np.trace(np.linalg.solve(h, c))
    assert np.trace(sigma) == pytest.approx(expected, rel=1e-8)
    residual = h @ sigma + sigma @ h - (lr / b) * c
    assert np.max(np.abs(residual)) <= 1e-9 * max(np.max(np.abs(lr / b * c)), 1e-300)


def test_moments_against_matrix_exponential(rng):
    d = 3
    h, c = random_spd(rng, d, 20), random_psd(rng, d)
    lr, b, t = 0.1, 2, 7.5
    m0, s0, star = rng.standard_normal(d), random_psd(rng, d), rng.standard_normal(d)
    mean, cov = ou.moments(t, m0, s0, h, c, lr, b, star)
    e = expm(-lr * h * t)
    s_inf = ou.stationary_covariance(h, c, lr, b)
    np.testing.assert_allclose(mean, star + e @ (m0 - star), atol=1e-12)
    np.testing.assert_allclose(cov, s_inf + e @ (s0 - s_inf) @ e, atol=1e-12)


def test_moments_solve_the_covariance_ode(rng):
    # dSigma/dt = -eta (H Sigma + Sigma H) + eta^2/B C, checked by a central difference
    h, c = random_spd(rng, 3, 5), random_psd(rng, 3)
    lr, b, t, eps = 0.2, 4, 3.0, 1e-5
    args = (np.zeros(3), np.eye(3), h, c, lr, b, np.zeros(3))
    _, cov = ou.moments(t, *args)
    _, plus = ou.moments(t + eps, *args)
    _, minus = ou.moments(t - eps, *args)
    rhs = -lr * (h @ cov + cov @ h) + lr**2 / b * c
    np.testing.assert_allclose((plus - minus) / (2 * eps), rhs, atol=1e-8)


def test_moments_vectorised_over_time(rng):
    h, c = random_spd(rng, 2, 3), random_psd(rng, 2)
    times = np.array([0.0, 1.0, 10.0])
    mean, cov = ou.moments(times, np.ones(2), np.eye(2), h, c, 0.1, 1, np.zeros(2))
    assert mean.shape == (3, 2) and cov.shape == (3, 2, 2)
    for k, t in enumerate(times):
        m1, c1 = ou.moments(t, np.ones(2), np.eye(2), h, c, 0.1, 1, np.zeros(2))
        np.testing.assert_allclose(mean[k], m1)
        np.testing.assert_allclose(cov[k], c1)


def test_exact_sampler_matches_moments():
    d, n = 2, 40000
    h = np.array([[2.0, 0.5], [0.5, 1.0]])
    c = np.array([[1.0, 0.3], [0.3, 0.5]])
    times = np.array([0.0, 5.0, 20.0, 200.0])
    paths = ou.sample(times, n, np.array([3.0, -2.0]), 0.1 * np.eye(d), h, c, 0.1, 1, np.zeros(d), seed=1)
    mean, cov = ou.moments(times, np.array([3.0, -2.0]), 0.1 * np.eye(d), h, c, 0.1, 1, np.zeros(d))
    for k in range(times.size):
        emp_cov = np.cov(paths[k], rowvar=False)
        se = np.sqrt(np.diag(cov[k]) / n)
        assert np.all(np.abs(paths[k].mean(0) - mean[k]) < 5 * se)
        # sampling error of a variance is about sqrt(2/n) relative
        np.testing.assert_allclose(np.diag(emp_cov), np.diag(cov[k]), rtol=5 * np.sqrt(2 / n))


def test_sampler_is_seeded():
    args = (np.array([0.0, 1.0]), 10, [1.0], 0.0, 1.0, 1.0, 0.1, 1, [0.0])
    np.testing.assert_array_equal(ou.sample(*args, seed=5), ou.sample(*args, seed=5))
    assert not np.array_equal(ou.sample(*args, seed=5), ou.sample(*args, seed=6))


def test_euler_maruyama_converges_to_stationary():
    n = 20000
    paths = ou.euler_maruyama(np.array([300.0]), n, [2.0], 0.0, 1.0, 1.0, 0.1, 2, [0.0], seed=3, substeps=300)
    var = ou.stationary_covariance(1.0, 1.0, 0.1, 2)[0, 0]
    assert np.var(paths[0]) == pytest.approx(var, rel=5 * np.sqrt(2 / n) + 0.01)
