r"""PAC-Bayes bounds for a loss bounded in [0, 1] (book chapter *pac_bayes*, THEORY.md §5).

Every bound holds with probability at least :math:`1-\delta` over an i.i.d.
sample of size :math:`N` (``n``), simultaneously for all posteriors :math:`Q`,
for a prior :math:`P` chosen without looking at that sample. ``kl`` is
:math:`\mathrm{KL}(Q\|P)`. All functions broadcast over numpy arrays, so a whole
curve of ``n`` is one call. ``n`` is the sample size, never the batch size.
"""

from __future__ import annotations

import numpy as np

from . import _validate as v

#: bisection steps of :func:`kl_inverse`; 2**-64 is below float64 spacing on [0, 1]
_BISECTION_STEPS = 64


def binary_kl(q, p):
    r"""Bernoulli KL divergence :math:`\mathrm{kl}(q\|p)=q\ln\frac qp+(1-q)\ln\frac{1-q}{1-p}` (label ``eq-binary-kl``).

    Near :math:`p=q` it is evaluated as :math:`-q\,\mathrm{log1p}(x/q)-(1-q)\,\mathrm{log1p}(-x/(1-q))`
    with :math:`x=p-q`, which keeps full relative accuracy in :math:`x` when :math:`p` is
    close to :math:`q` (the naive form loses half the digits there). Conventions:
    :math:`0\ln 0=0`; ``inf`` where ``p`` is 0 or 1 and ``q`` differs from it.
    """
    return _binary_kl(v.risk(q, "q"), v.risk(p, "p"))


def _binary_kl(q, p):
    """:func:`binary_kl` without input checks (the bisection's inner loop)."""
    x = p - q
    with np.errstate(all="ignore"):
        # near p = q the log1p form avoids cancellation; elsewhere the plain logarithms are exact enough
        near_a = np.abs(x) < 0.5 * q
        a = np.where(near_a, -q * np.log1p(x / np.where(near_a, q, 1.0)), q * (np.log(q) - np.log(p)))
        a = np.where(q > 0, a, 0.0)
        near_b = np.abs(x) < 0.5 * (1 - q)
        b = np.where(near_b, -(1 - q) * np.log1p(-x / np.where(near_b, 1 - q, 1.0)),
                     (1 - q) * (np.log1p(-q) - np.log1p(-p)))
        b = np.where(q < 1, b, 0.0)
        out = a + b
    return np.where(np.isnan(out), np.inf, np.maximum(out, 0.0))


def kl_inverse(q, epsilon):
    r"""Upper inverse of the binary KL: the largest :math:`p\in[q,1]` with :math:`\mathrm{kl}(q\|p)\le\varepsilon`.

    Solved by bisection on :math:`[q, 1]` for :math:`\mathrm{kl}(q\|\cdot)`, which
    increases there. The invariant is :math:`\mathrm{kl}(q\|lo)\le\varepsilon<\mathrm{kl}(q\|hi)`,
    and the **upper** end ``hi`` is returned, moved up by 8 units in the last
    place to cover the rounding error of evaluating kl near the root, so the
    result is never below the true root: it is a valid upper bound on the risk
    (checked against 60-digit arithmetic in the tests). Broadcasts over arrays.
    """
    q = v.risk(q, "q")
    epsilon = v.non_negative(epsilon, "epsilon")
    q, epsilon = np.broadcast_arrays(q, epsilon)
    lo = q.astype(float).copy()
    hi = np.ones_like(lo)
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        above = _binary_kl(q, mid) > epsilon
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    out = np.minimum(1.0, hi + 8 * np.spacing(hi))
    return float(out) if out.ndim == 0 else out


def _inputs(empirical_risk, kl, n, delta):
    return (v.risk(empirical_risk, "empirical_risk"), v.non_negative(kl, "kl"),
            v.sample_size(n, "n"), v.delta(delta, "delta"))


def _scalar(x):
    return float(x) if np.ndim(x) == 0 else x


def mcallester_bound(empirical_risk, kl, n, delta):
    r"""McAllester's bound in the form used by He et al. (2019) (book label ``eq-mcallester``).

    .. math:: R(Q)\le \hat R(Q)+\sqrt{\frac{\mathrm{KL}(Q\|P)+\ln\frac1\delta+\ln N+2}{2N-1}} .

    The value is returned unclipped: a result :math:`\ge 1` is vacuous.
    """
    emp, kl, n, delta = _inputs(empirical_risk, kl, n, delta)
    return _scalar(emp + np.sqrt((kl + np.log(1 / delta) + np.log(n) + 2) / (2 * n - 1)))


def maurer_epsilon(kl, n, delta):
    r"""Right-hand side of the Maurer–Seeger bound, :math:`(\mathrm{KL}+\ln(2\sqrt N/\delta))/N`."""
    kl = v.non_negative(kl, "kl")
    n = v.sample_size(n, "n")
    delta = v.delta(delta, "delta")
    return (kl + np.log(2 * np.sqrt(n) / delta)) / n


def maurer_bound(empirical_risk, kl, n, delta):
    r"""Maurer–Seeger bound, inverted numerically (book label ``eq-maurer``).

    .. math:: \mathrm{kl}\bigl(\hat R(Q)\,\|\,R(Q)\bigr)\le\frac{\mathrm{KL}(Q\|P)+\ln(2\sqrt N/\delta)}{N}
       \;\Longrightarrow\; R(Q)\le\mathrm{kl}^{-1}\Bigl(\hat R(Q),\ \frac{\mathrm{KL}+\ln(2\sqrt N/\delta)}{N}\Bigr)\le 1 .
    """
    emp, kl, n, delta = _inputs(empirical_risk, kl, n, delta)
    return kl_inverse(emp, maurer_epsilon(kl, n, delta))


def catoni_bound(empirical_risk, kl, n, delta, c):
    r"""Catoni's bound for a fixed :math:`C>0` (book label ``eq-catoni``).

    .. math:: R(Q)\le\frac{1-\exp\bigl(-C\hat R(Q)-(\mathrm{KL}(Q\|P)+\ln\frac1\delta)/N\bigr)}{1-e^{-C}} .
    """
    emp, kl, n, delta = _inputs(empirical_risk, kl, n, delta)
    c = v.positive(c, "c")
    return _scalar(-np.expm1(-c * emp - (kl + np.log(1 / delta)) / n) / -np.expm1(-c))


def monte_carlo_risk_bound(mc_risk, m, delta):
    r"""Langford–Caruana bound on the Gibbs empirical risk from ``m`` posterior draws (label ``eq-langford-caruana``).

    If :math:`\hat R_{MC}` averages the empirical risk of ``m`` parameters drawn
    from :math:`Q`, then with probability :math:`\ge 1-\delta'`,
    :math:`\hat R(Q)\le\mathrm{kl}^{-1}(\hat R_{MC}, \ln(2/\delta')/m)`. Split the
    overall :math:`\delta` between this step and the PAC-Bayes bound.
    """
    mc_risk = v.risk(mc_risk, "mc_risk")
    m = v.sample_size(m, "m")
    delta = v.delta(delta, "delta")
    return kl_inverse(mc_risk, np.log(2 / delta) / m)
