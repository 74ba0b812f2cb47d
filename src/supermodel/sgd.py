r"""Discrete-time SGD on a quadratic loss (book chapter *sgd_as_ou*, THEORY.md §2).

The iteration

.. math::  \theta_{k+1} = \theta_k - \eta\bigl(H(\theta_k-\theta^*) + \xi_k\bigr),\qquad \xi_k\sim N(0, C/B),

is exactly linear-Gaussian, so its stationary covariance solves the *discrete*
Lyapunov equation. The continuous OU formula of :mod:`supermodel.ou` is its
:math:`\eta\lambda\to 0` limit.
"""

from __future__ import annotations

import numpy as np

from . import _validate as v
from .ou import _psd_sqrt


def _stable_eigh(hessian, lr):
    lam, basis = v.spd_eigh(hessian, "hessian")
    if lr * lam[-1] >= 2:
        raise ValueError(
            f"lr must satisfy lr * lambda_max(hessian) < 2 for SGD to be stable; got lr = {lr:g} "
            f"with lambda_max = {lam[-1]:.4g}, so lr must be < {2 / lam[-1]:.4g}"
        )
    return lam, basis


def stationary_covariance(hessian, noise_cov, lr, batch_size) -> np.ndarray:
    r"""Stationary covariance of SGD on a quadratic (book label ``eq-discrete-lyapunov``).

    Solves :math:`\Sigma = (I-\eta H)\Sigma(I-\eta H) + \frac{\eta^2}{B} C`. In the
    eigenbasis of :math:`H`, with :math:`a_i = 1-\eta\lambda_i`,

    .. math::  \tilde\Sigma_{ij} = \frac{\eta^2}{B}\,\frac{\tilde C_{ij}}{1-a_i a_j}.

    Scalar case: :math:`\Sigma = \eta c / (B h (2-\eta h))`.
    Raises ``ValueError`` unless :math:`\eta\,\lambda_{\max}(H) < 2` (no stationary law otherwise).
    """
    lr = v.positive_scalar(lr, "lr")
    batch_size = v.positive_scalar(batch_size, "batch_size")
    lam, basis = _stable_eigh(hessian, lr)
    noise = v.psd(noise_cov, "noise_cov", lam.size)
    # 1 - a_i a_j written without cancellation: lr (lam_i + lam_j) - lr^2 lam_i lam_j
    denom = lr * np.add.outer(lam, lam) - lr**2 * np.outer(lam, lam)
    cov = basis @ ((lr**2 / batch_size) * (basis.T @ noise @ basis) / denom) @ basis.T
    return 0.5 * (cov + cov.T)


def simulate_quadratic(hessian, noise_cov, lr, batch_size, minimum, theta0, n_steps, n_chains,
                       seed=0, record_every=1):
    r"""Run many independent SGD chains on :math:`\hat L(\theta)=\tfrac12(\theta-\theta^*)^\top H(\theta-\theta^*)`.

    Each step draws Gaussian minibatch noise :math:`\xi\sim N(0, C/B)` and applies
    :math:`\theta\leftarrow\theta-\eta(H(\theta-\theta^*)+\xi)`. All chains start at
    ``theta0``. Returns the iterates at steps ``record_every, 2*record_every, …``
    as an array ``(n_steps // record_every, n_chains, d)``.
    """
    lr = v.positive_scalar(lr, "lr")
    batch_size = v.positive_scalar(batch_size, "batch_size")
    lam, _ = _stable_eigh(hessian, lr)
    d = lam.size
    hess = v.square_symmetric(hessian, "hessian", d)
    root = _psd_sqrt(v.psd(noise_cov, "noise_cov", d)) / np.sqrt(batch_size)
    minimum = v.vector(minimum, "minimum", d)
    theta = np.broadcast_to(v.vector(theta0, "theta0", d), (v.count(n_chains, "n_chains"), d)).copy()
    n_steps = v.count(n_steps, "n_steps")
    record_every = v.count(record_every, "record_every")
    if record_every > n_steps:
        raise ValueError(f"record_every must be <= n_steps ({n_steps}), got {record_every}")
    rng = v.generator(seed)
    out = np.empty((n_steps // record_every, theta.shape[0], d))
    for step in range(1, n_steps + 1):
        noise = rng.standard_normal(theta.shape) @ root.T
        theta -= lr * ((theta - minimum) @ hess + noise)
        if step % record_every == 0 and step // record_every <= out.shape[0]:
            out[step // record_every - 1] = theta
    return out


def iterate_covariance(iterates, burn_in=0):
    """Empirical covariance of iterates ``(steps, chains, d)`` pooled after dropping ``burn_in`` records.

    All retained steps of all chains form one sample, centred on its grand mean.
    Successive iterates are correlated, so the effective sample size is smaller
    than ``steps * chains``; the chapters use many chains for that reason.
    """
    arr = v.finite_array(iterates, "iterates")
    if arr.ndim != 3:
        raise ValueError(f"iterates must have shape (steps, chains, d), got {arr.shape}")
    if not 0 <= burn_in < arr.shape[0] - 1:
        raise ValueError(f"burn_in must lie in [0, {arr.shape[0] - 2}], got {burn_in}")
    flat = arr[burn_in:].reshape(-1, arr.shape[-1])
    return np.atleast_2d(np.cov(flat, rowvar=False))
