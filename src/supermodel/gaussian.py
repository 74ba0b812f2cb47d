r"""Gaussian distributions: KL divergence, log-density and sampling (book chapter *pac_bayes*, THEORY.md §5).

A covariance can be given in three forms, and the cheapest exact path is used:

* a scalar ``s``: isotropic, :math:`s I`;
* a vector of length ``d``: diagonal, ``diag(v)``: O(d) work, fine for d = 10^7;
* a ``(d, d)`` matrix: dense, handled through Cholesky factors and triangular
  solves, never through an explicit inverse or a raw determinant.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular

from . import _validate as v


def _means(mean_q, mean_p):
    mean_q = v.vector(mean_q, "mean_q")
    mean_p = v.vector(mean_p, "mean_p", mean_q.size)
    return mean_q, mean_p


def _covariance(cov, name: str, d: int):
    """Return ``("diag", variances)`` or ``("dense", matrix)`` after validation."""
    arr = v.finite_array(cov, name)
    if arr.ndim == 0 or arr.ndim == 1:
        if arr.ndim == 1 and arr.size != d:
            raise ValueError(f"{name} as a vector of variances must have length {d}, got {arr.size}")
        if np.any(arr <= 0):
            raise ValueError(f"{name} variances must be > 0 (a Gaussian density needs a positive-definite covariance)")
        return "diag", arr
    if arr.shape != (d, d):
        raise ValueError(f"{name} must be a scalar, a length-{d} vector or a ({d}, {d}) matrix, got shape {arr.shape}")
    return "dense", v.square_symmetric(arr, name, d)


def _dense(kind, arr, d):
    if kind == "dense":
        return arr
    return np.diag(np.broadcast_to(arr, (d,)))


def _cholesky(kind, arr, name, d):
    if kind == "diag":
        return np.diag(np.sqrt(np.broadcast_to(arr, (d,))))
    return v.cholesky(arr, name)


#: block length of the O(d) diagonal path: blocks stay in cache, buffers are reused
_BLOCK = 1 << 15


def _diagonal_parts(var_q, var_p, delta):
    r"""Covariance and shift parts for diagonal (or isotropic) covariances, in cache-sized blocks.

    Per coordinate, with :math:`r_i = v_{q,i}/v_{p,i}`: :math:`\tfrac12(r_i - 1 - \ln r_i)` and
    :math:`\tfrac12\Delta_i^2/v_{p,i}`. Each term is non-negative.
    """
    d = delta.size
    if var_q.ndim == 0 and var_p.ndim == 0:
        r = float(var_q / var_p)
        return 0.5 * d * (r - 1.0 - np.log(r)), 0.5 * float(delta @ delta) / float(var_p)
    var_q, var_p = np.broadcast_to(var_q, (d,)), np.broadcast_to(var_p, (d,))
    ratio, logs = np.empty(min(d, _BLOCK)), np.empty(min(d, _BLOCK))
    cov_part = shift = 0.0
    for start in range(0, d, _BLOCK):
        stop = min(start + _BLOCK, d)
        r, lg = ratio[: stop - start], logs[: stop - start]
        np.divide(var_q[start:stop], var_p[start:stop], out=r)
        np.log(r, out=lg)
        np.subtract(r, 1.0, out=r)  # exact near r = 1, so each term keeps its digits
        np.subtract(r, lg, out=r)
        cov_part += float(np.sum(r))
        np.divide(delta[start:stop], var_p[start:stop], out=r)
        shift += float(r @ delta[start:stop])
    return 0.5 * max(cov_part, 0.0), 0.5 * shift


def kl_parts(mean_q, cov_q, mean_p, cov_p):
    r"""The two parts of :math:`\mathrm{KL}(Q\|P)` for Gaussians (book label ``eq-kl-parts``).

    .. math::
        \mathrm{KL} = \underbrace{\tfrac12\sum_i(\lambda_i-1-\ln\lambda_i)}_{\text{covariance}}
                    + \underbrace{\tfrac12\Delta^\top\Sigma_p^{-1}\Delta}_{\text{shift}},

    with :math:`\lambda_i` the eigenvalues of :math:`\Sigma_p^{-1}\Sigma_q` and
    :math:`\Delta=\mu_q-\mu_p`. For dense covariances, with Cholesky factors
    :math:`L_p, L_q` and :math:`M=L_p^{-1}L_q` (lower triangular), the covariance
    part is :math:`\tfrac12[\sum_{i\ne j}M_{ij}^2+\sum_i(M_{ii}^2-1-\ln M_{ii}^2)]`,
    a sum of non-negative terms, so it cannot come out negative or NaN.

    Returns ``(covariance_part, shift_part)`` as floats.
    """
    mean_q, mean_p = _means(mean_q, mean_p)
    d = mean_q.size
    kq, cq = _covariance(cov_q, "cov_q", d)
    kp, cp = _covariance(cov_p, "cov_p", d)
    delta = mean_q - mean_p
    if kq == "diag" and kp == "diag":
        return _diagonal_parts(cq, cp, delta)
    lp = _cholesky(kp, cp, "cov_p", d)
    lq = _cholesky(kq, cq, "cov_q", d)
    m = solve_triangular(lp, lq, lower=True)
    log_diag_sq = 2.0 * np.log(np.abs(np.diag(m)))
    off = np.sum(m * m) - np.sum(np.diag(m) ** 2)
    cov_part = 0.5 * float(off + np.sum(np.expm1(log_diag_sq) - log_diag_sq))
    z = solve_triangular(lp, delta, lower=True)
    return cov_part, 0.5 * float(z @ z)


def kl_divergence(mean_q, cov_q, mean_p, cov_p) -> float:
    r"""KL divergence :math:`\mathrm{KL}(N(\mu_q,\Sigma_q)\,\|\,N(\mu_p,\Sigma_p))` (book label ``eq-gaussian-kl``).

    .. math::
        \mathrm{KL} = \tfrac12\Bigl[\operatorname{tr}(\Sigma_p^{-1}\Sigma_q)
        + (\mu_p-\mu_q)^\top\Sigma_p^{-1}(\mu_p-\mu_q) - d + \ln\frac{\det\Sigma_p}{\det\Sigma_q}\Bigr].

    Each covariance may be a scalar (isotropic), a length-d vector (diagonal,
    O(d) path) or a (d, d) matrix (Cholesky path). See :func:`kl_parts`.
    """
    cov_part, shift = kl_parts(mean_q, cov_q, mean_p, cov_p)
    return cov_part + shift


def log_density(x, mean, cov) -> np.ndarray:
    r"""Log-density of :math:`N(\mu, \Sigma)` at the rows of ``x`` (shape ``(n, d)``), by Cholesky.

    .. math:: \ln p(x) = -\tfrac12\|L^{-1}(x-\mu)\|^2 - \sum_i \ln L_{ii} - \tfrac d2\ln 2\pi .
    """
    mean = v.vector(mean, "mean")
    d = mean.size
    x = np.atleast_2d(v.finite_array(x, "x"))
    if x.shape[-1] != d:
        raise ValueError(f"x must have rows of length {d}, got shape {x.shape}")
    kind, c = _covariance(cov, "cov", d)
    chol = _cholesky(kind, c, "cov", d)
    z = solve_triangular(chol, (x - mean).T, lower=True)
    return -0.5 * np.sum(z * z, axis=0) - np.sum(np.log(np.diag(chol))) - 0.5 * d * np.log(2 * np.pi)


def sample(mean, cov, n, seed=0) -> np.ndarray:
    """Draw ``n`` samples (rows) from :math:`N(\\mu, \\Sigma)`, seeded by an int or a Generator."""
    mean = v.vector(mean, "mean")
    d = mean.size
    kind, c = _covariance(cov, "cov", d)
    z = v.generator(seed).standard_normal((v.count(n, "n"), d))
    if kind == "diag":
        return mean + z * np.sqrt(c)
    return mean + z @ v.cholesky(c, "cov").T


def monte_carlo_kl(mean_q, cov_q, mean_p, cov_p, n, seed=0):
    r"""Monte Carlo estimate of :math:`\mathrm{KL}(Q\|P)=E_Q[\ln q-\ln p]` and its standard error.

    An independent check on :func:`kl_divergence`; returns ``(estimate, standard_error)``.
    """
    x = sample(mean_q, cov_q, n, seed)
    diff = log_density(x, mean_q, cov_q) - log_density(x, mean_p, cov_p)
    return float(np.mean(diff)), float(np.std(diff, ddof=1) / np.sqrt(diff.size))
