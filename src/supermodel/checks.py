"""Executed checks: a derivation's numbers against the package or a simulation.

Each check raises ``AssertionError`` (failing the cell, and so the book build)
when the agreement is worse than its stated tolerance, and returns the measured
error so the chapter can report it.
"""

from __future__ import annotations

import numpy as np


def require_close(what: str, value, reference, rtol: float = 0.0, atol: float = 0.0) -> float:
    """Require ``|value - reference| <= atol + rtol * |reference|`` everywhere; return the max abs error."""
    value, reference = np.asarray(value, dtype=float), np.asarray(reference, dtype=float)
    err = np.abs(value - reference)
    allowed = atol + rtol * np.abs(reference)
    if not np.all(np.isfinite(value)) or np.any(err > allowed):
        worst = int(np.argmax(err - allowed)) if err.size > 1 else 0
        raise AssertionError(f"check failed: {what}: max error {float(np.max(err)):.3e} exceeds the tolerance "
                             f"(atol={atol:g}, rtol={rtol:g}) at flat index {worst}")
    return float(np.max(err)) if err.size else 0.0


def covariance_standard_error(cov: np.ndarray, n: int) -> np.ndarray:
    r"""Standard error of each entry of a sample covariance of ``n`` Gaussian draws:
    :math:`\sqrt{(\Sigma_{ii}\Sigma_{jj}+\Sigma_{ij}^2)/n}`."""
    d = np.diag(cov)
    return np.sqrt((np.outer(d, d) + cov**2) / n)


def require_covariance(what: str, samples: np.ndarray, cov: np.ndarray, z: float = 5.0) -> float:
    """Require the sample covariance of ``samples`` (rows) to match ``cov`` within ``z`` standard errors
    entry by entry; return the largest standardised error."""
    n = samples.shape[0]
    emp = np.atleast_2d(np.cov(samples, rowvar=False))
    zscore = np.abs(emp - cov) / covariance_standard_error(cov, n)
    if not np.all(zscore <= z):
        raise AssertionError(f"check failed: {what}: sample covariance is {float(np.max(zscore)):.2f} standard "
                             f"errors from the prediction (tolerance {z:g}, n = {n})")
    return float(np.max(zscore))


def require_mean(what: str, samples: np.ndarray, mean: np.ndarray, cov: np.ndarray, z: float = 5.0) -> float:
    """Require the sample mean to lie within ``z`` standard errors of ``mean`` in every coordinate."""
    n = samples.shape[0]
    zscore = np.abs(samples.mean(axis=0) - mean) / np.sqrt(np.maximum(np.diag(cov), 1e-300) / n)
    if not np.all(zscore <= z):
        raise AssertionError(f"check failed: {what}: sample mean is {float(np.max(zscore)):.2f} standard errors "
                             f"from the prediction (tolerance {z:g}, n = {n})")
    return float(np.max(zscore))
