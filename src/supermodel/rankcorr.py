"""Spearman rank correlation with a percentile bootstrap interval (chapter real_sgd, section (d))."""

from __future__ import annotations

import numpy as np
from scipy import stats

from . import _validate as v


def _pearson_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of ``a`` with the same row of ``b``."""
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    return np.sum(a * b, axis=1) / np.sqrt(np.sum(a * a, axis=1) * np.sum(b * b, axis=1))


def spearman_interval(x, y, n_boot: int, seed=0, level: float = 0.95) -> tuple[float, float, float]:
    r"""Spearman's :math:`\rho` of paired samples and its percentile bootstrap interval.

    :math:`\rho` is the Pearson correlation of the mid-ranks. The interval resamples the
    pairs ``n_boot`` times with replacement (all resamples drawn at once from the seeded
    generator, ranked row by row) and drops resamples in which ``x`` or ``y`` is constant,
    where :math:`\rho` is undefined. Returns ``(rho, lower, upper)``.
    """
    x = v.finite_array(x, "x").ravel()
    y = v.finite_array(y, "y").ravel()
    if x.size != y.size or x.size < 3:
        raise ValueError(f"x and y must be paired samples of equal length >= 3, got {x.size} and {y.size}")
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise ValueError("x and y must not be constant: Spearman's rho is undefined")
    n_boot = v.count(n_boot, "n_boot")
    if not 0 < level < 1:
        raise ValueError(f"level must be in the open interval (0, 1), got {level!r}")
    rho = float(_pearson_rows(stats.rankdata(x)[None], stats.rankdata(y)[None])[0])
    idx = v.generator(seed).integers(0, x.size, (n_boot, x.size))
    xs, ys = x[idx], y[idx]
    ok = (np.ptp(xs, axis=1) > 0) & (np.ptp(ys, axis=1) > 0)
    if not ok.any():
        raise ValueError("every bootstrap resample was constant; use more pairs or more resamples")
    boots = _pearson_rows(stats.rankdata(xs[ok], axis=1), stats.rankdata(ys[ok], axis=1))
    tail = 50.0 * (1.0 - level)
    lo, hi = np.percentile(boots, [tail, 100.0 - tail])
    return rho, float(lo), float(hi)
