r"""The two-stage diffusion: pre-training from :math:`P_0` to :math:`Q_s`, fine-tuning from :math:`Q_s` to :math:`Q_t`
(book chapter *two_stage*, THEORY.md §4)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v
from . import ou
from .problems import random_orthogonal, random_quadratic


@dataclass(frozen=True)
class Stage:
    """One training stage: the OU process of SGD with its own loss, noise, learning rate and batch size."""

    hessian: np.ndarray
    noise_cov: np.ndarray
    lr: float
    batch_size: float
    minimum: np.ndarray

    @property
    def dim(self) -> int:
        return self.minimum.size

    def stationary(self):
        r"""The stationary law :math:`N(\theta^*, \Sigma_\infty)` as ``(mean, cov)``."""
        return self.minimum.copy(), ou.stationary_covariance(self.hessian, self.noise_cov, self.lr, self.batch_size)

    def law(self, t, mean0, cov0):
        """``(mean, cov)`` at time ``t`` started from ``N(mean0, cov0)``, eq. ``eq-ou-moments``."""
        return ou.moments(t, mean0, cov0, self.hessian, self.noise_cov, self.lr, self.batch_size, self.minimum)

    def sample(self, times, start, seed):
        """Exact OU paths of the particles ``start`` (n, d) at ``times``."""
        return ou.sample(times, start.shape[0], self.minimum, 0.0, self.hessian, self.noise_cov, self.lr,
                         self.batch_size, self.minimum, seed=seed, start=start)

    def relaxation_time(self) -> float:
        r"""Slowest relaxation time of the covariance, :math:`1/(2\eta\lambda_{\min}(H))` iterations."""
        return 1.0 / (2.0 * self.lr * float(np.linalg.eigvalsh(self.hessian)[0]))


@dataclass(frozen=True)
class TwoStage:
    r"""Pre-training (``source``) from :math:`P_0=N(\theta_0,\sigma_0^2 I)`, then fine-tuning (``target``) from :math:`Q_s`."""

    source: Stage
    target: Stage
    init_mean: np.ndarray
    init_var: float

    def prior(self):
        """The initialisation :math:`P_0` as ``(mean, cov)`` with an isotropic scalar covariance."""
        return self.init_mean.copy(), float(self.init_var)

    def pretrain_law(self, t):
        """Law of pre-training at time ``t``, started from :math:`P_0`."""
        return self.source.law(t, self.init_mean, self.init_var * np.eye(self.source.dim))

    def finetune_law(self, tau):
        r""":math:`Q_t(\tau)`: fine-tuning for time ``tau`` started from the stationary :math:`Q_s`."""
        mean_s, cov_s = self.source.stationary()
        return self.target.law(tau, mean_s, cov_s)


def make_two_stage(dim: int, seed, *, lr_s=0.05, batch_s=64, lr_t=0.05, batch_t=8, condition=10.0,
                   shift=1.0, rotation=0.3, hessian_ratio=1.0, init_scale=1.0) -> TwoStage:
    """A seeded two-stage problem.

    The source loss is :func:`~supermodel.problems.random_quadratic`. The target's
    minimum is the source's moved by ``shift`` along a random unit vector; its Hessian
    and noise are the source's, rotated by ``rotation`` radians in a random plane and
    the Hessian scaled by ``hessian_ratio``. ``P_0`` is ``N(0, init_scale^2 I)``.
    """
    rng = v.generator(seed)
    src = random_quadratic(dim, rng, condition=condition, shift_scale=1.0)
    direction = rng.standard_normal(dim)
    direction /= np.linalg.norm(direction)
    rot = _plane_rotation(dim, float(v.non_negative(rotation, "rotation")), rng)
    h_t = float(v.positive(hessian_ratio, "hessian_ratio")) * rot @ src.hessian @ rot.T
    c_t = rot @ src.noise_cov @ rot.T
    source = Stage(src.hessian, src.noise_cov, lr_s, batch_s, src.minimum)
    target = Stage(0.5 * (h_t + h_t.T), 0.5 * (c_t + c_t.T), lr_t, batch_t,
                   src.minimum + float(v.non_negative(shift, "shift")) * direction)
    return TwoStage(source, target, np.zeros(dim), float(v.positive(init_scale, "init_scale")) ** 2)


def _plane_rotation(dim, angle, rng):
    """Rotation by ``angle`` in the plane of the first two columns of a random orthogonal basis."""
    if dim == 1:
        return np.eye(1)
    q = random_orthogonal(dim, rng)
    g = np.eye(dim)
    g[:2, :2] = [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]
    return q @ g @ q.T
