"""Input checks shared by the public API.

Every check raises :class:`ValueError` whose message names the argument and the
valid range, so that a caller never meets a NaN or a traceback from deep inside
numpy for something that could have been checked at the door.
"""

from __future__ import annotations

import numpy as np

#: relative tolerance for symmetry and for "non-negative" eigenvalues
SYM_RTOL = 1e-8


def finite_array(x, name: str) -> np.ndarray:
    """Return ``x`` as a float array, refusing NaN and infinity."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {x!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    return arr


def positive(x, name: str) -> np.ndarray:
    """``x > 0`` element-wise (learning rates, batch sizes, time scales)."""
    arr = finite_array(x, name)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0, got {_show(arr)}")
    return arr


def positive_scalar(x, name: str) -> float:
    """A single positive number."""
    arr = positive(x, name)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number > 0, got shape {arr.shape}")
    return float(arr)


def non_negative(x, name: str) -> np.ndarray:
    """``x >= 0`` element-wise (KL divergences, times)."""
    arr = finite_array(x, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {_show(arr)}")
    return arr


def delta(x, name: str = "delta") -> np.ndarray:
    """Confidence parameter ``delta`` in the open interval (0, 1)."""
    arr = finite_array(x, name)
    if np.any((arr <= 0) | (arr >= 1)):
        raise ValueError(f"{name} must lie in the open interval (0, 1), got {_show(arr)}")
    return arr


def sample_size(x, name: str = "n") -> np.ndarray:
    """Sample size ``n >= 1``."""
    arr = finite_array(x, name)
    if np.any(arr < 1):
        raise ValueError(f"{name} (a sample size) must be >= 1, got {_show(arr)}")
    return arr


def risk(x, name: str = "empirical_risk") -> np.ndarray:
    """A risk of a loss bounded in [0, 1]."""
    arr = finite_array(x, name)
    if np.any((arr < 0) | (arr > 1)):
        raise ValueError(f"{name} must lie in [0, 1], got {_show(arr)}")
    return arr


def vector(x, name: str, dim: int | None = None) -> np.ndarray:
    """A 1-D vector (a scalar counts as dimension 1), optionally of length ``dim``."""
    arr = np.atleast_1d(finite_array(x, name))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a vector (1-D), got shape {arr.shape}")
    if dim is not None and arr.shape[0] != dim:
        raise ValueError(f"{name} must have length {dim} to match the other inputs, got {arr.shape[0]}")
    return arr


def square_symmetric(x, name: str, dim: int | None = None) -> np.ndarray:
    """A symmetric (d, d) matrix; a scalar counts as (1, 1)."""
    arr = finite_array(x, name)
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be a square (d, d) matrix, got shape {arr.shape}")
    if dim is not None and arr.shape[0] != dim:
        raise ValueError(f"{name} must be ({dim}, {dim}) to match the other inputs, got {arr.shape}")
    scale = max(float(np.max(np.abs(arr))), np.finfo(float).tiny)
    if np.max(np.abs(arr - arr.T)) > SYM_RTOL * scale:
        raise ValueError(f"{name} must be symmetric (|A - A^T| <= {SYM_RTOL:g} max|A|)")
    return 0.5 * (arr + arr.T)


def spd_eigh(x, name: str = "hessian", dim: int | None = None):
    """Symmetric eigendecomposition of a symmetric positive-definite matrix.

    Returns ``(eigenvalues, eigenvectors)``; raises when an eigenvalue is <= 0,
    because then no stationary distribution exists.
    """
    arr = square_symmetric(x, name, dim)
    lam, vecs = np.linalg.eigh(arr)
    if lam[0] <= 0:
        raise ValueError(
            f"{name} must be positive definite (all eigenvalues > 0); its smallest "
            f"eigenvalue is {lam[0]:.3g}, so the process has no stationary distribution"
        )
    return lam, vecs


def psd(x, name: str = "noise_cov", dim: int | None = None) -> np.ndarray:
    """A symmetric positive semi-definite matrix (checked by a shifted Cholesky factorisation)."""
    arr = square_symmetric(x, name, dim)
    d = arr.shape[0]
    shift = SYM_RTOL * max(float(np.trace(np.abs(arr))) / d, np.finfo(float).tiny)
    try:
        np.linalg.cholesky(arr + shift * np.eye(d))
    except np.linalg.LinAlgError:
        raise ValueError(f"{name} must be positive semi-definite (no negative eigenvalues)") from None
    return arr


def cholesky(x, name: str) -> np.ndarray:
    """Lower Cholesky factor of a symmetric positive-definite matrix."""
    arr = square_symmetric(x, name)
    try:
        return np.linalg.cholesky(arr)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name} must be positive definite (Cholesky factorisation failed)") from None


def _show(arr: np.ndarray) -> str:
    """A short description of the offending values."""
    if arr.ndim == 0:
        return f"{float(arr):g}"
    return f"an array with min {float(np.min(arr)):g} and max {float(np.max(arr)):g}"


def generator(seed, name: str = "seed") -> np.random.Generator:
    """A :class:`numpy.random.Generator` from a seed (int) or an existing generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"{name} must be a non-negative integer or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def count(x, name: str, minimum: int = 1) -> int:
    """An integer count ``>= minimum`` (particles, steps, chains)."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)) or x < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {x!r}")
    return int(x)
