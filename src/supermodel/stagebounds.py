r"""PAC-Bayes bounds of the two training stages (book chapters *pac_bayes*, *discrepancy*, *dominance*; THEORY.md §5–§7).

* Pre-training (source risk of :math:`Q_s`): prior :math:`P_0`, sample size :math:`N_s`, :math:`\mathrm{KL}(Q_s\|P_0)`.
* Fine-tuning (target risk of :math:`Q_t` or :math:`Q_t(\tau)`): prior :math:`Q_s`, which depends on the
  source sample only and so is independent of the target sample; :math:`N_t`; :math:`\mathrm{KL}(Q_t\|Q_s)`.
* Training from scratch on the target: prior :math:`P_0`, :math:`\mathrm{KL}(Q_t\|P_0)`.

A prior must not depend on the sample the bound is evaluated on: a prior centred at the minimum
learned from the same data would make the bound invalid, which is why :math:`Q_s` (source data) is a
valid prior for the target stage and not for the source stage.
"""

from __future__ import annotations

import numpy as np

from . import _validate as v
from . import pacbayes
from .gaussian import kl_divergence
from .twostage import TwoStage

#: the three PAC-Bayes forms, by name
FORMS = ("mcallester", "maurer", "catoni")


def bound(form: str, empirical_risk, kl, n, delta, c: float = 2.0):
    """Upper bound on the true risk by the named form (``c`` is used by Catoni's form only)."""
    if form == "mcallester":
        return pacbayes.mcallester_bound(empirical_risk, kl, n, delta)
    if form == "maurer":
        return pacbayes.maurer_bound(empirical_risk, kl, n, delta)
    if form == "catoni":
        return pacbayes.catoni_bound(empirical_risk, kl, n, delta, c)
    raise ValueError(f"form must be one of {', '.join(FORMS)}, got {form!r}")


def gap(form: str, empirical_risk, kl, n, delta, c: float = 2.0):
    """Generalisation gap of the bound: ``bound - empirical_risk``."""
    return bound(form, empirical_risk, kl, n, delta, c) - v.risk(empirical_risk, "empirical_risk")


def pretrain_kl(ts: TwoStage) -> float:
    r""":math:`\mathrm{KL}(Q_s\|P_0)`, the complexity term of the pre-training bound."""
    return kl_divergence(*ts.source.stationary(), *ts.prior())


def finetune_kl(ts: TwoStage, tau=None) -> float:
    r""":math:`\mathrm{KL}(Q_t(\tau)\|Q_s)`; ``tau=None`` means the stationary :math:`Q_t` (the discrepancy :math:`D`)."""
    law = ts.target.stationary() if tau is None else ts.finetune_law(float(v.non_negative(tau, "tau")))
    return kl_divergence(*law, *ts.source.stationary())


def scratch_kl(ts: TwoStage) -> float:
    r""":math:`\mathrm{KL}(Q_t\|P_0)`: the target stage's complexity when trained from scratch."""
    return kl_divergence(*ts.target.stationary(), *ts.prior())


def union_deltas(delta, share: float = 0.5):
    r"""Split :math:`\delta` between two bounds that must hold at once: ``(share*delta, (1-share)*delta)``.

    By the union bound both hold with probability at least :math:`1-\delta`.
    """
    delta = float(v.delta(delta, "delta"))
    share = float(v.delta(share, "share"))
    return share * delta, (1.0 - share) * delta


def loglog_slope(n, values) -> float:
    r"""Least-squares slope of :math:`\ln(\text{values})` against :math:`\ln n` (the rate exponent)."""
    n = v.sample_size(n, "n")
    values = v.positive(values, "values")
    if n.ndim != 1 or n.size < 2 or n.shape != values.shape:
        raise ValueError("n and values must be 1-D arrays of the same length >= 2")
    return float(np.polyfit(np.log(n), np.log(values), 1)[0])


def expected_excess_loss(hessian, minimum, mean, cov) -> float:
    r"""Gibbs excess quadratic loss :math:`E_{N(m,\Sigma)}[\tfrac12(\theta-\theta^*)^\top H(\theta-\theta^*)]`
    :math:`=\tfrac12\operatorname{tr}(H\Sigma)+\tfrac12(m-\theta^*)^\top H(m-\theta^*)` (book label ``eq-excess-loss``)."""
    hess = v.square_symmetric(hessian, "hessian")
    d = hess.shape[0]
    diff = v.vector(mean, "mean", d) - v.vector(minimum, "minimum", d)
    cov = v.psd(cov, "cov", d)
    return 0.5 * float(np.sum(hess * cov)) + 0.5 * float(diff @ hess @ diff)


def risk_from_excess(excess, floor, scale):
    r"""A bounded risk from an excess loss: :math:`r_*+(1-r_*)(1-e^{-\text{excess}/\text{scale}})` (label ``eq-risk-model``).

    A modelling choice of this book (the paper's loss is not at hand): monotone in the excess
    loss, equal to the floor :math:`r_*` at the minimum, and never above 1.
    """
    excess = v.non_negative(excess, "excess")
    floor = v.risk(floor, "floor")
    scale = v.positive(scale, "scale")
    out = floor - (1.0 - floor) * np.expm1(-excess / scale)
    return float(out) if np.ndim(out) == 0 else out
