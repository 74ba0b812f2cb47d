"""supermodel.pacbayes: bounds, their monotonicity, and a kl inverse that never undershoots."""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supermodel import pacbayes

risks = st.floats(0.0, 1.0)
kls = st.floats(0.0, 1e4)
sizes = st.integers(1, 10**7)
deltas = st.floats(1e-6, 0.999)


def true_root(q, eps):
    """A lower end of a 2**-200-wide bracket around the root of kl(q||p) = eps on [q, 1], in 60-digit arithmetic."""
    mpmath.mp.dps = 60
    q, eps = mpmath.mpf(q), mpmath.mpf(eps)

    def kl(p):
        a = q * mpmath.log(q / p) if q > 0 else 0
        b = (1 - q) * mpmath.log((1 - q) / (1 - p)) if p < 1 else mpmath.inf
        return a + b

    lo, hi = q, mpmath.mpf(1)
    for _ in range(200):
        mid = (lo + hi) / 2
        if kl(mid) > eps:
            hi = mid
        else:
            lo = mid
    return lo


@settings(max_examples=300)
@given(st.floats(0.0, 0.99), st.floats(1e-12, 5.0))
def test_kl_inverse_is_an_upper_bound(q, eps):
    p = pacbayes.kl_inverse(q, eps)
    assert q <= p <= 1
    assert mpmath.mpf(p) >= true_root(q, eps)
    if p < 1:
        assert pacbayes.binary_kl(q, p) >= eps  # the upper end of the final bracket


def test_kl_inverse_known_values():
    # kl(0 || p) = -ln(1 - p): p = 1 - exp(-eps)
    assert pacbayes.kl_inverse(0.0, 0.5) == pytest.approx(1 - np.exp(-0.5), rel=1e-14)
    assert pacbayes.kl_inverse(1.0, 0.3) == 1.0
    assert pacbayes.kl_inverse(0.3, 0.0) == pytest.approx(0.3, abs=1e-14)
    np.testing.assert_allclose(pacbayes.kl_inverse([0.0, 0.0], [0.5, 1.0]), 1 - np.exp(-np.array([0.5, 1.0])))


@given(risks, kls, sizes, deltas, st.floats(0.1, 10))
def test_bounds_exceed_empirical_risk(emp, kl, n, delta, c):
    assert pacbayes.mcallester_bound(emp, kl, n, delta) >= emp
    maurer = pacbayes.maurer_bound(emp, kl, n, delta)
    assert emp <= maurer <= 1
    assert pacbayes.catoni_bound(emp, kl, n, delta, c) >= emp * (1 - 1e-12)


@given(risks, kls, deltas)
def test_bounds_decrease_in_n(emp, kl, delta):
    n = np.array([100, 1000, 10_000, 100_000, 1_000_000])
    for values in (pacbayes.mcallester_bound(emp, kl, n, delta), pacbayes.maurer_bound(emp, kl, n, delta)):
        assert np.all(np.diff(values) <= 1e-12)
    assert np.all(np.diff(pacbayes.catoni_bound(emp, kl, n, delta, 1.0)) <= 1e-12)


def test_closed_forms():
    emp, kl, n, delta = 0.1, 3.0, 1000, 0.05
    assert pacbayes.mcallester_bound(emp, kl, n, delta) == pytest.approx(
        emp + np.sqrt((kl + np.log(1 / delta) + np.log(n) + 2) / (2 * n - 1)), rel=1e-14)
    eps = (kl + np.log(2 * np.sqrt(n) / delta)) / n  # ln(2 sqrt(N) / delta), not ln(2 sqrt N) / delta
    assert pacbayes.maurer_epsilon(kl, n, delta) == pytest.approx(eps, rel=1e-14)
    assert pacbayes.binary_kl(emp, pacbayes.maurer_bound(emp, kl, n, delta)) == pytest.approx(eps, rel=1e-9)
    c = 2.0
    assert pacbayes.catoni_bound(emp, kl, n, delta, c) == pytest.approx(
        (1 - np.exp(-c * emp - (kl + np.log(1 / delta)) / n)) / (1 - np.exp(-c)), rel=1e-14)


def test_broadcasting_a_curve_in_one_call():
    n = np.logspace(1, 6, 30)
    out = pacbayes.maurer_bound(0.05, 10.0, n, 0.05)
    assert out.shape == (30,)
    assert pacbayes.mcallester_bound(np.array([0.1, 0.2]), 1.0, 100, 0.1).shape == (2,)


def test_monte_carlo_risk_bound():
    b = pacbayes.monte_carlo_risk_bound(0.2, 1000, 0.01)
    assert b > 0.2
    assert pacbayes.binary_kl(0.2, b) == pytest.approx(np.log(2 / 0.01) / 1000, rel=1e-9)


def test_maurer_tighter_than_mcallester_for_small_risk():
    assert pacbayes.maurer_bound(0.01, 5.0, 10_000, 0.05) < pacbayes.mcallester_bound(0.01, 5.0, 10_000, 0.05)
