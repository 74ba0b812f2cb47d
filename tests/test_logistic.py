"""supermodel.logistic, domains and transfer: estimators on problems with known answers."""

import numpy as np
import pytest

from supermodel import domains, logistic, transfer


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    x = logistic.with_bias(rng.standard_normal((300, 3)))
    y = rng.integers(0, 4, 300)
    return x, y, rng.standard_normal(logistic.dimension(4, 4)) * 0.5


def test_gradient_matches_finite_differences(data):
    x, y, theta = data
    g = logistic.gradient(theta, x, y, 4, 0.1)
    eps = 1e-6
    fd = np.array([(logistic.loss(theta + eps * e, x, y, 4, 0.1) - logistic.loss(theta - eps * e, x, y, 4, 0.1))
                   / (2 * eps) for e in np.eye(theta.size)])
    np.testing.assert_allclose(g, fd, atol=1e-8)


def test_hessian_matches_finite_differences(data):
    x, y, theta = data
    h = logistic.hessian(theta, x, 4, 0.1)
    eps = 1e-6
    fd = np.array([(logistic.gradient(theta + eps * e, x, y, 4, 0.1) - logistic.gradient(theta - eps * e, x, y, 4, 0.1))
                   / (2 * eps) for e in np.eye(theta.size)])
    np.testing.assert_allclose(h, fd, atol=1e-7)
    assert np.linalg.eigvalsh(h)[0] > 0


def test_gradient_covariance_known_answer():
    # binary, theta = 0: p = 1/2, so g_i = s_i x_i / 2 with s = +1 for y = 1 and -1 for y = 0, and
    # C = (E[x x^T] - E[s x] E[s x]^T) / 4 with the mixture moments known in closed form
    n, sep, spread = 400_000, 1.0, np.array([1.0, 0.3])
    x, y = domains.gaussian_classes(n, 0.0, 5, separation=sep, spread=tuple(spread))
    xb = logistic.with_bias(x)
    c = logistic.gradient_covariance(np.zeros(3), xb, y, 2)
    exx = np.diag([sep**2 + spread[0] ** 2, spread[1] ** 2, 1.0])
    esx = np.array([sep, 0.0, 0.0])
    expected = (exx - np.outer(esx, esx)) / 4
    np.testing.assert_allclose(c, expected, atol=5 * 0.5 / np.sqrt(n))


def test_gibbs_risk_of_a_point_mass_is_the_error_rate(data):
    x, y, theta = data
    risk, se = logistic.gibbs_risk(theta, 1e-14 * np.eye(theta.size), x, y, 4, 50, seed=1)
    assert risk == pytest.approx(logistic.error_rate(theta, x, y, 4)) and se == pytest.approx(0.0, abs=1e-12)


def test_sgd_reaches_the_minimum_and_is_seeded():
    x, y = domains.gaussian_classes(2000, 30.0, 1)
    x = logistic.with_bias(x)
    it = logistic.sgd(x, y, 2, np.zeros(3), 0.05, 32, 4000, 0.01, seed=2, record_every=10)
    mean = it[200:].mean(axis=0)
    assert np.linalg.norm(logistic.gradient(mean, x, y, 2, 0.01)) < 0.02
    np.testing.assert_array_equal(it, logistic.sgd(x, y, 2, np.zeros(3), 0.05, 32, 4000, 0.01, seed=2, record_every=10))


def test_input_checks(data):
    x, y, theta = data
    with pytest.raises(ValueError, match=r"y must hold integer labels in \[0, 3\]"):
        logistic.loss(theta, x, y + 1, 4, 0.1)
    with pytest.raises(ValueError, match="theta must have length 12"):
        logistic.loss(theta[:-1], x, y, 4, 0.1)
    with pytest.raises(ValueError, match="lr must be > 0"):
        logistic.sgd(x, y, 4, theta, -1.0, 8, 10, 0.1)


def test_fit_law_refuses_too_few_iterates(data):
    x, y, theta = data
    with pytest.raises(ValueError, match="raise the number of steps or lower record_every"):
        transfer.fit_law(np.tile(theta, (10, 1)), x, y, 4, 0.1, 8, 0.1)


def test_domains():
    x, y = domains.digits(0.0)
    assert x.shape == (1797, 16) and y.shape == (1797,) and x.min() >= 0 and x.max() <= 1
    xr, yr = domains.digits(30.0)
    np.testing.assert_array_equal(y, yr)
    assert not np.allclose(x, xr)
    a, b = domains.split(100, (30, 20), seed=0)
    assert len(set(a) | set(b)) == 50
    with pytest.raises(ValueError, match="add up to more than"):
        domains.split(10, (8, 5), seed=0)
    x0, _ = domains.gaussian_classes(5, 0.0, 1)
    x90, _ = domains.gaussian_classes(5, 90.0, 1)
    np.testing.assert_allclose(x90, x0 @ np.array([[0.0, 1.0], [-1.0, 0.0]]), atol=1e-12)


def test_sgd_steps_follow_the_minibatch_gradient(data):
    """The inner loop's fused gradient equals ``gradient`` on the same minibatch, step after step."""
    x, y, theta = data
    lr, batch, l2 = 0.3, 8, 0.1
    it = logistic.sgd(x, y, 4, theta, lr, batch, 3, l2, seed=5)
    indices = np.random.default_rng(5).integers(0, len(y), (3, batch))  # one block of 3 steps
    expected = theta.copy()
    for k, idx in enumerate(indices):
        expected = expected - lr * logistic.gradient(expected, x[idx], y[idx], 4, l2)
        np.testing.assert_allclose(it[k], expected, rtol=1e-12, atol=1e-14)
