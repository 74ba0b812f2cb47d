r"""SGD as an Ornstein–Uhlenbeck process (book chapter *sgd_as_ou*, THEORY.md §2).

Near a minimum :math:`\theta^*` with Hessian :math:`H \succ 0` and per-example
gradient covariance :math:`C`, constant-rate SGD with learning rate :math:`\eta`
and batch size :math:`B` is approximated by

.. math::  d\theta = -\eta H(\theta-\theta^*)\,dt + \frac{\eta}{\sqrt B} C^{1/2} dW ,

with time measured in iterations. Everything here works in the symmetric
eigenbasis :math:`H = U\Lambda U^\top`, where the propagator
:math:`e^{-\eta H t}` is diagonal and the Lyapunov equation decouples entry by
entry; no general Lyapunov solver and no matrix inverse is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v


@dataclass(frozen=True)
class _EigenSystem:
    """The OU system written in the eigenbasis of the Hessian."""

    lam: np.ndarray  # eigenvalues of H, ascending, all > 0
    basis: np.ndarray  # orthonormal eigenvectors (columns)
    rate: float  # the learning rate eta
    stationary: np.ndarray  # stationary covariance in the eigenbasis

    def to_eigen(self, mat: np.ndarray) -> np.ndarray:
        return self.basis.T @ mat @ self.basis

    def from_eigen(self, mat: np.ndarray) -> np.ndarray:
        out = self.basis @ mat @ self.basis.T
        return 0.5 * (out + out.T)

    def decay(self, t) -> np.ndarray:
        """Diagonal of :math:`e^{-\\eta \\Lambda t}` for each time in ``t`` (shape ``t.shape + (d,)``)."""
        return np.exp(-self.rate * np.multiply.outer(t, self.lam))


def _system(hessian, noise_cov, lr, batch_size) -> _EigenSystem:
    lr = v.positive_scalar(lr, "lr")
    batch_size = v.positive_scalar(batch_size, "batch_size")
    lam, basis = v.spd_eigh(hessian, "hessian")
    noise = v.psd(noise_cov, "noise_cov", dim=lam.size)
    c_eig = basis.T @ noise @ basis
    stationary = (lr / batch_size) * c_eig / np.add.outer(lam, lam)
    return _EigenSystem(lam, basis, lr, stationary)


def stationary_covariance(hessian, noise_cov, lr, batch_size) -> np.ndarray:
    r"""Stationary covariance :math:`\Sigma_\infty` of the OU process (book label ``eq-lyapunov``).

    Solves the continuous Lyapunov equation

    .. math::  H\Sigma + \Sigma H = \frac{\eta}{B} C

    in the eigenbasis of :math:`H`: with :math:`\tilde C = U^\top C U`,
    :math:`\tilde\Sigma_{ij} = \frac{\eta}{B}\tilde C_{ij}/(\lambda_i+\lambda_j)`.
    Scalar case :math:`\Sigma = \eta c/(2hB)`; commuting case
    :math:`\Sigma = \frac{\eta}{2B} C H^{-1}`.

    Parameters
    ----------
    hessian : (d, d) symmetric positive-definite array (a scalar means d = 1)
    noise_cov : (d, d) symmetric positive semi-definite array, per-example gradient covariance C
    lr : learning rate :math:`\eta > 0`
    batch_size : batch size :math:`B > 0`

    Returns
    -------
    (d, d) array
    """
    system = _system(hessian, noise_cov, lr, batch_size)
    return system.from_eigen(system.stationary)


def moments(t, mean0, cov0, hessian, noise_cov, lr, batch_size, minimum):
    r"""Mean and covariance of the OU process at time ``t`` in iterations (book label ``eq-ou-moments``).

    .. math::
        m(t) = \theta^* + e^{-\eta H t}(m(0)-\theta^*), \qquad
        \Sigma(t) = \Sigma_\infty + e^{-\eta H t}(\Sigma(0)-\Sigma_\infty)e^{-\eta H t}.

    ``t`` may be a scalar or an array of times; the outputs then carry the
    shape of ``t`` in front: ``(…, d)`` and ``(…, d, d)``.
    """
    system = _system(hessian, noise_cov, lr, batch_size)
    d = system.lam.size
    t = v.non_negative(t, "t")
    mean0 = v.vector(mean0, "mean0", d)
    minimum = v.vector(minimum, "minimum", d)
    cov0 = v.psd(cov0, "cov0", d)
    decay = system.decay(t)  # (..., d)
    mean = minimum + (decay * (system.basis.T @ (mean0 - minimum))) @ system.basis.T
    gap = system.to_eigen(cov0) - system.stationary
    cov_eig = system.stationary + decay[..., :, None] * gap * decay[..., None, :]
    cov = system.basis @ cov_eig @ system.basis.T
    cov = 0.5 * (cov + np.swapaxes(cov, -1, -2))
    return mean, cov


def _psd_sqrt(mat: np.ndarray) -> np.ndarray:
    """A square root ``R`` with ``R R^T = mat`` for a PSD matrix (eigenvalues clipped at 0)."""
    lam, vecs = np.linalg.eigh(0.5 * (mat + mat.T))
    return vecs * np.sqrt(np.clip(lam, 0.0, None))


def _initial(n_particles, mean0, cov0, d, rng):
    mean0 = v.vector(mean0, "mean0", d)
    cov0 = v.psd(cov0, "cov0", d)
    z = rng.standard_normal((n_particles, d))
    return mean0 + z @ _psd_sqrt(cov0).T


def _times(times) -> np.ndarray:
    times = v.non_negative(times, "times")
    if times.ndim != 1 or times.size < 1 or np.any(np.diff(times) <= 0):
        raise ValueError("times must be a non-empty 1-D array of strictly increasing times >= 0")
    return times


def sample(times, n_particles, mean0, cov0, hessian, noise_cov, lr, batch_size, minimum, seed=0, start=None):
    r"""Exact-discretisation sample paths of the OU process for many particles at once.

    Particles start from :math:`N(\text{mean0}, \text{cov0})` at time 0. Between
    consecutive times :math:`t_k < t_{k+1}`, with :math:`\Delta = t_{k+1}-t_k`
    and :math:`E = e^{-\eta H\Delta}`, the transition is exact:

    .. math::  \theta_{k+1} = \theta^* + E(\theta_k-\theta^*) + \xi_k,\qquad
               \xi_k \sim N(0, \Sigma_\infty - E\Sigma_\infty E).

    Returns an array of shape ``(len(times), n_particles, d)``. ``times`` must be
    strictly increasing and may start at 0. ``seed`` is an int or a numpy Generator.
    ``start``, an ``(n_particles, d)`` array, gives the particles at time 0 instead
    of drawing them (to chain two stages on the same particles).
    """
    system = _system(hessian, noise_cov, lr, batch_size)
    d = system.lam.size
    times = _times(times)
    n_particles = v.count(n_particles, "n_particles")
    rng = v.generator(seed)
    minimum = v.vector(minimum, "minimum", d)
    if start is None:
        start = _initial(n_particles, mean0, cov0, d, rng)
    else:
        start = v.finite_array(start, "start")
        if start.shape != (n_particles, d):
            raise ValueError(f"start must have shape ({n_particles}, {d}), got {start.shape}")
    x = (start - minimum) @ system.basis  # eigen coordinates
    out = np.empty((times.size, n_particles, d))
    previous, roots = 0.0, {}
    for k, tk in enumerate(times):
        step = tk - previous
        if step > 0:
            decay = system.decay(step)
            key = round(float(step), 12)
            if key not in roots:
                roots[key] = _psd_sqrt(system.stationary * (1.0 - np.outer(decay, decay)))
            x = x * decay + rng.standard_normal((n_particles, d)) @ roots[key].T
        out[k] = minimum + x @ system.basis.T
        previous = tk
    return out


def euler_maruyama(times, n_particles, mean0, cov0, hessian, noise_cov, lr, batch_size, minimum,
                   seed=0, substeps=1):
    r"""Euler–Maruyama paths of the OU SDE, the first-order scheme the exact sampler is checked against.

    .. math:: \theta \leftarrow \theta - \eta H(\theta-\theta^*)\,h + \frac{\eta}{\sqrt B} C^{1/2}\sqrt h\, z

    with ``substeps`` equal sub-steps ``h`` between consecutive ``times``.
    Returns ``(len(times), n_particles, d)``.
    """
    lr_ = v.positive_scalar(lr, "lr")
    b = v.positive_scalar(batch_size, "batch_size")
    lam, _ = v.spd_eigh(hessian, "hessian")
    d = lam.size
    hess = v.square_symmetric(hessian, "hessian", d)
    root = _psd_sqrt(v.psd(noise_cov, "noise_cov", d))
    times = _times(times)
    n_particles = v.count(n_particles, "n_particles")
    substeps = v.count(substeps, "substeps")
    rng = v.generator(seed)
    minimum = v.vector(minimum, "minimum", d)
    x = _initial(n_particles, mean0, cov0, d, rng)
    out = np.empty((times.size, n_particles, d))
    previous = 0.0
    for k, tk in enumerate(times):
        h = (tk - previous) / substeps
        for _ in range(substeps if h > 0 else 0):
            noise = rng.standard_normal((n_particles, d)) @ root.T
            x = x - lr_ * h * (x - minimum) @ hess + (lr_ / np.sqrt(b)) * np.sqrt(h) * noise
        out[k] = x
        previous = tk
    return out


def current_matrix(hessian, noise_cov, lr, batch_size) -> np.ndarray:
    r"""Matrix :math:`A=\eta H-\tfrac12 D\Sigma_\infty^{-1}`, :math:`D=\eta^2C/B` (book label ``eq-current``).

    The stationary probability current is :math:`J(\theta)=-A(\theta-\theta^*)p_\infty(\theta)`;
    :math:`A=0` (detailed balance, Maxwell–Boltzmann form) exactly when :math:`H` and
    :math:`C` commute. :math:`D\Sigma_\infty^{-1}` is formed by a Cholesky solve, not an inverse;
    needs a positive-definite ``noise_cov``.
    """
    from scipy.linalg import cho_factor, cho_solve

    lr_ = v.positive_scalar(lr, "lr")
    b = v.positive_scalar(batch_size, "batch_size")
    sigma = stationary_covariance(hessian, noise_cov, lr, batch_size)
    hess = v.square_symmetric(hessian, "hessian")
    diffusion = lr_**2 / b * v.square_symmetric(noise_cov, "noise_cov")
    try:
        factor = cho_factor(sigma, lower=True)
    except np.linalg.LinAlgError:
        raise ValueError("noise_cov must be positive definite for the stationary density to exist") from None
    return lr_ * hess - 0.5 * cho_solve(factor, diffusion).T
