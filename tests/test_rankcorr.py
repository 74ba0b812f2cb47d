"""supermodel.rankcorr against scipy, resample by resample."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats

from supermodel.rankcorr import spearman_interval


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 5), st.floats(-1e3, 1e3)), min_size=3, max_size=30), st.integers(0, 99))
def test_rho_and_interval_match_a_scipy_loop(pairs, seed):
    x, y = np.array(pairs, dtype=float).T
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        with pytest.raises(ValueError, match="constant"):
            spearman_interval(x, y, 50, seed)
        return
    rho, lo, hi = spearman_interval(x, y, 50, seed)
    assert rho == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)
    idx = np.random.default_rng(seed).integers(0, x.size, (50, x.size))
    boots = [stats.spearmanr(x[i], y[i]).statistic for i in idx if np.ptp(x[i]) > 0 and np.ptp(y[i]) > 0]
    assert (lo, hi) == pytest.approx(tuple(np.percentile(boots, [2.5, 97.5])), abs=1e-12)
    assert lo <= hi


def test_bad_input():
    with pytest.raises(ValueError, match="equal length >= 3"):
        spearman_interval([1, 2, 3], [1, 2], 10)
    with pytest.raises(ValueError, match="n_boot must be an integer >= 1"):
        spearman_interval([1, 2, 3], [3, 1, 2], 0)
    with pytest.raises(ValueError, match=r"level must be in the open interval \(0, 1\)"):
        spearman_interval([1, 2, 3], [3, 1, 2], 10, level=1.0)
    with pytest.raises(ValueError, match="x must be finite"):
        spearman_interval([1, np.nan, 3], [3, 1, 2], 10)
