"""supermodel.stagebounds: stage KLs, form dispatch, union split, rates and the risk model."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from supermodel import gaussian, pacbayes, stagebounds
from supermodel.twostage import make_two_stage


@pytest.fixture
def ts():
    return make_two_stage(3, 1, lr_s=0.2, batch_s=8, lr_t=0.1, batch_t=4, shift=0.2, rotation=0.4)


def test_stage_kls_are_the_right_pairs(ts):
    ms, ss = ts.source.stationary()
    mt, st_ = ts.target.stationary()
    m0, v0 = ts.prior()
    assert stagebounds.pretrain_kl(ts) == pytest.approx(gaussian.kl_divergence(ms, ss, m0, v0 * np.eye(3)))
    assert stagebounds.finetune_kl(ts) == pytest.approx(gaussian.kl_divergence(mt, st_, ms, ss))
    assert stagebounds.scratch_kl(ts) == pytest.approx(gaussian.kl_divergence(mt, st_, m0, v0 * np.eye(3)))
    assert stagebounds.finetune_kl(ts, 0.0) == pytest.approx(0.0, abs=1e-9)
    assert stagebounds.finetune_kl(ts, 1e4) == pytest.approx(stagebounds.finetune_kl(ts), rel=1e-9)


def test_form_dispatch():
    assert stagebounds.bound("maurer", 0.1, 2.0, 100, 0.05) == pacbayes.maurer_bound(0.1, 2.0, 100, 0.05)
    assert stagebounds.bound("catoni", 0.1, 2.0, 100, 0.05, 3.0) == pacbayes.catoni_bound(0.1, 2.0, 100, 0.05, 3.0)
    assert stagebounds.gap("mcallester", 0.1, 2.0, 100, 0.05) == pytest.approx(
        pacbayes.mcallester_bound(0.1, 2.0, 100, 0.05) - 0.1)
    with pytest.raises(ValueError, match="form must be one of"):
        stagebounds.bound("hoeffding", 0.1, 2.0, 100, 0.05)


def test_union_deltas():
    assert stagebounds.union_deltas(0.1) == pytest.approx((0.05, 0.05))
    assert sum(stagebounds.union_deltas(0.1, 0.3)) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="delta must lie"):
        stagebounds.union_deltas(1.2)


def test_loglog_slope_recovers_a_power():
    n = np.geomspace(10, 1e6, 20)
    assert stagebounds.loglog_slope(n, 3.0 * n**-0.5) == pytest.approx(-0.5, abs=1e-12)
    with pytest.raises(ValueError, match="values must be > 0"):
        stagebounds.loglog_slope(n, -n)


def test_expected_excess_loss_against_sampling(rng):
    h = np.array([[2.0, 0.4], [0.4, 1.0]])
    m, star = np.array([0.3, -0.2]), np.array([0.1, 0.1])
    cov = np.array([[0.5, 0.1], [0.1, 0.3]])
    x = gaussian.sample(m, cov, 200000, seed=4)
    losses = 0.5 * np.einsum("ni,ij,nj->n", x - star, h, x - star)
    value = stagebounds.expected_excess_loss(h, star, m, cov)
    assert abs(value - losses.mean()) < 5 * losses.std() / np.sqrt(losses.size)


@given(st.floats(0, 100), st.floats(0, 0.5), st.floats(1e-3, 10))
def test_risk_model_bounded_and_monotone(excess, floor, scale):
    r = stagebounds.risk_from_excess(excess, floor, scale)
    assert floor - 1e-15 <= r <= 1
    assert stagebounds.risk_from_excess(excess + 1.0, floor, scale) >= r
    assert stagebounds.risk_from_excess(0.0, floor, scale) == pytest.approx(floor)
