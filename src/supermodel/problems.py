"""Seeded test problems: random quadratic losses with a known Hessian, noise and minimum."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v


@dataclass(frozen=True)
class Quadratic:
    """A quadratic loss near its minimum: Hessian, per-example gradient covariance, minimum."""

    hessian: np.ndarray
    noise_cov: np.ndarray
    minimum: np.ndarray

    @property
    def dim(self) -> int:
        return self.minimum.size


def random_orthogonal(dim: int, rng: np.random.Generator) -> np.ndarray:
    """A Haar-random orthogonal matrix (QR of a Gaussian matrix with the sign fix)."""
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    return q * np.sign(np.diag(r))


def random_quadratic(dim: int, seed, condition: float = 10.0, noise_scale: float = 1.0,
                     shift_scale: float = 0.0) -> Quadratic:
    """Hessian with eigenvalues geometrically spaced in [1, condition] in a random basis; noise
    covariance ``noise_scale * (A A^T / dim + 0.1 I)`` with Gaussian ``A`` (positive definite, and it
    does not commute with H);
    minimum drawn as ``shift_scale`` times a standard normal vector."""
    dim = v.count(dim, "dim")
    condition = float(v.positive(condition, "condition"))
    if condition < 1:
        raise ValueError(f"condition must be >= 1, got {condition}")
    rng = v.generator(seed)
    q = random_orthogonal(dim, rng)
    lam = np.geomspace(1.0, condition, dim) if dim > 1 else np.ones(1)
    hess = (q * lam) @ q.T
    a = rng.standard_normal((dim, dim))
    noise = float(v.non_negative(noise_scale, "noise_scale")) * (a @ a.T / dim + 0.1 * np.eye(dim))
    minimum = float(v.non_negative(shift_scale, "shift_scale")) * rng.standard_normal(dim)
    return Quadratic(0.5 * (hess + hess.T), 0.5 * (noise + noise.T), minimum)
