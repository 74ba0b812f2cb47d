"""supermodel.discrepancy: D = D_cov + D_shift = KL(Q_t || Q_s)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from supermodel import gaussian
from supermodel.discrepancy import domain_discrepancy
from conftest import random_spd, spd_matrices


@given(spd_matrices(), st.integers(0, 2**32 - 1))
def test_total_is_kl_and_parts_non_negative(cov_s, seed):
    rng = np.random.default_rng(seed)
    d = cov_s.shape[0]
    cov_t = random_spd(rng, d, 20)
    ms, mt = rng.standard_normal(d), rng.standard_normal(d)
    dd = domain_discrepancy(ms, cov_s, mt, cov_t)
    assert dd.covariance >= 0 and dd.shift >= 0
    assert dd.total == pytest.approx(gaussian.kl_divergence(mt, cov_t, ms, cov_s), rel=1e-12)


def test_parts_by_eigenvalues(rng):
    d = 4
    cov_s, cov_t = random_spd(rng, d, 10), random_spd(rng, d, 10)
    shift = rng.standard_normal(d)
    lam = np.linalg.eigvals(np.linalg.solve(cov_s, cov_t)).real
    dd = domain_discrepancy(np.zeros(d), cov_s, shift, cov_t)
    assert dd.covariance == pytest.approx(0.5 * np.sum(lam - 1 - np.log(lam)), rel=1e-10)
    assert dd.shift == pytest.approx(0.5 * shift @ np.linalg.solve(cov_s, shift), rel=1e-12)


def test_zero_iff_same_law(rng):
    cov = random_spd(rng, 3, 4)
    m = rng.standard_normal(3)
    assert domain_discrepancy(m, cov, m, cov).total == pytest.approx(0.0, abs=1e-12)
    assert domain_discrepancy(m, cov, m, 1.01 * cov).covariance > 0
    assert domain_discrepancy(m, cov, m + 0.01, cov).shift > 0
    assert domain_discrepancy(m, cov, m + 0.01, cov).covariance == pytest.approx(0.0, abs=1e-12)
