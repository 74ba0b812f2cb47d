r"""Pre-train, fine-tune, fit the stationary laws, and hold the bound against measured risk (chapter *real_sgd*).

One call of :func:`transfer_run` does, for one source sample and one target domain:

1. pre-train from :math:`\theta_0\sim P_0=N(0,\sigma_0^2I)` on the source (or reuse a given source fit);
2. fine-tune from the pre-trained point on the target training sample;
3. train from scratch on the same target sample, from the same :math:`\theta_0`;
4. fit each run's stationary law: the mean of the iterates after burn-in, and three covariances: the
   OU prediction :func:`supermodel.ou.stationary_covariance`, the discrete prediction
   :func:`supermodel.sgd.stationary_covariance` (both from the Hessian and gradient covariance at the
   mean) and the empirical covariance of the iterates;
5. compute :math:`D=\mathrm{KL}(Q_t\|Q_s)` and its parts, the Gibbs risks (Monte Carlo, Langford–Caruana
   corrected on the training side), and the fine-tuning and from-scratch bounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v
from . import logistic, ou, pacbayes, sgd
from .discrepancy import domain_discrepancy
from .gaussian import kl_divergence


@dataclass(frozen=True)
class FittedLaw:
    """A stationary law fitted from one SGD run."""

    mean: np.ndarray
    cov_ou: np.ndarray
    cov_sgd: np.ndarray
    cov_emp: np.ndarray
    final: np.ndarray  # last iterate, where the next stage starts

    def rel_error(self, which: str = "ou") -> float:
        """Relative Frobenius distance of a predicted covariance from the empirical one."""
        pred = self.cov_ou if which == "ou" else self.cov_sgd
        return float(np.linalg.norm(pred - self.cov_emp) / np.linalg.norm(self.cov_emp))


def fit_law(iterates, x, y, n_classes, lr, batch_size, l2, var_floor=1e-3, burn_in_fraction=0.5) -> FittedLaw:
    """Fit the stationary law of a run from its recorded iterates ``(records, d)``.

    The empirical covariance needs more retained records than dimensions (else it is singular);
    fewer raise a ``ValueError`` naming the fix.

    Where a feature is zero on every training example (corner pixels of rotated digits), SGD does
    not diffuse along its weights: the gradient covariance, and with it the OU covariance, is
    singular there and the law has no density. Every covariance therefore gets
    ``var_floor * mean(diag(cov_ou))`` added to its diagonal. This is a *choice* of posterior and
    prior, not an approximation: a PAC-Bayes bound holds for any posterior and any prior
    independent of the sample, and the risks are measured for the same floored laws.
    """
    it = v.finite_array(iterates, "iterates")
    if not 0 <= burn_in_fraction < 1:
        raise ValueError(f"burn_in_fraction must lie in [0, 1), got {burn_in_fraction}")
    kept = it[int(burn_in_fraction * len(it)):]
    d = it.shape[1]
    if len(kept) < 2 * d:
        raise ValueError(f"only {len(kept)} iterates kept after burn-in for dimension {d}: the empirical "
                         f"covariance needs at least {2 * d}; raise the number of steps or lower record_every")
    mean = kept.mean(axis=0)
    h = logistic.hessian(mean, x, n_classes, l2)
    c = logistic.gradient_covariance(mean, x, y, n_classes)
    cov_ou = ou.stationary_covariance(h, c, lr, batch_size)
    floor = float(v.positive(var_floor, "var_floor")) * float(np.mean(np.diag(cov_ou))) * np.eye(d)
    return FittedLaw(mean=mean, cov_ou=cov_ou + floor, cov_sgd=sgd.stationary_covariance(h, c, lr, batch_size) + floor,
                     cov_emp=np.cov(kept, rowvar=False) + floor, final=it[-1].copy())


@dataclass(frozen=True)
class RunConfig:
    """SGD and evaluation settings shared by every run of an experiment."""

    n_classes: int
    lr: float
    batch_size: int
    steps_source: int
    steps_target: int
    record_every: int
    l2: float
    init_scale: float
    n_draws: int
    delta: float
    var_floor: float = 1e-3


def pretrain(x, y, cfg: RunConfig, seed):
    """Draw :math:`\\theta_0\\sim P_0` and pre-train on the source; returns ``(theta0, fitted Q_s)``."""
    rng = v.generator(seed)
    d = logistic.dimension(cfg.n_classes, x.shape[1])
    theta0 = cfg.init_scale * rng.standard_normal(d)
    it = logistic.sgd(x, y, cfg.n_classes, theta0, cfg.lr, cfg.batch_size, cfg.steps_source, cfg.l2, rng,
                      cfg.record_every)
    return theta0, fit_law(it, x, y, cfg.n_classes, cfg.lr, cfg.batch_size, cfg.l2, cfg.var_floor)


def transfer_run(theta0, source: FittedLaw, train, test, cfg: RunConfig, seed) -> dict:
    """Fine-tune and train from scratch on one target domain; return the measured and bounded numbers.

    ``train`` and ``test`` are ``(x, y)`` pairs of the target domain; no test example is used in
    training. The overall ``cfg.delta`` is split in half: one half for the Langford–Caruana bound
    on the Monte Carlo training risk, the other for the PAC-Bayes bound.
    """
    rng = v.generator(seed)
    (xt, yt), (xs, ys) = train, test
    k, n_t = cfg.n_classes, len(yt)
    it_fine = logistic.sgd(xt, yt, k, source.final, cfg.lr, cfg.batch_size, cfg.steps_target, cfg.l2, rng,
                           cfg.record_every)
    q_t = fit_law(it_fine, xt, yt, k, cfg.lr, cfg.batch_size, cfg.l2, cfg.var_floor)
    it_scr = logistic.sgd(xt, yt, k, theta0, cfg.lr, cfg.batch_size, cfg.steps_source, cfg.l2, rng,
                          cfg.record_every)
    q_scr = fit_law(it_scr, xt, yt, k, cfg.lr, cfg.batch_size, cfg.l2, cfg.var_floor)
    d_lc, d_pb = cfg.delta / 2, cfg.delta / 2
    out = {"n_t": n_t, "cov_rel_err_ou": q_t.rel_error("ou"), "cov_rel_err_sgd": q_t.rel_error("sgd"),
           "source_cov_rel_err_ou": source.rel_error("ou"), "source_cov_rel_err_sgd": source.rel_error("sgd")}
    dd = domain_discrepancy(source.mean, source.cov_ou, q_t.mean, q_t.cov_ou)
    out.update(d_cov=dd.covariance, d_shift=dd.shift, d_total=dd.total,
               d_total_emp=domain_discrepancy(source.mean, source.cov_emp, q_t.mean, q_t.cov_emp).total)
    train_mc, _ = logistic.gibbs_risk(q_t.mean, q_t.cov_ou, xt, yt, k, cfg.n_draws, rng)
    test_mc, test_se = logistic.gibbs_risk(q_t.mean, q_t.cov_ou, xs, ys, k, cfg.n_draws, rng)
    train_ub = pacbayes.monte_carlo_risk_bound(train_mc, cfg.n_draws, d_lc)
    out.update(train_risk=train_mc, train_risk_ub=train_ub, test_risk=test_mc, test_risk_se=test_se,
               transfer_gap=test_mc - train_mc,
               source_point_test_risk=logistic.error_rate(source.mean, xs, ys, k))
    for form, fn in (("mcallester", pacbayes.mcallester_bound), ("maurer", pacbayes.maurer_bound)):
        out[f"bound_{form}"] = float(fn(train_ub, dd.total, n_t, d_pb))
    out["bound_catoni"] = float(pacbayes.catoni_bound(train_ub, dd.total, n_t, d_pb, 2.0))
    scr_train, _ = logistic.gibbs_risk(q_scr.mean, q_scr.cov_ou, xt, yt, k, cfg.n_draws, rng)
    kl_scr = kl_divergence(q_scr.mean, q_scr.cov_ou, np.zeros_like(theta0), cfg.init_scale**2)
    out.update(kl_scratch=kl_scr, bound_scratch_maurer=float(pacbayes.maurer_bound(
        pacbayes.monte_carlo_risk_bound(scr_train, cfg.n_draws, d_lc), kl_scr, n_t, d_pb)),
        scratch_test_risk=logistic.gibbs_risk(q_scr.mean, q_scr.cov_ou, xs, ys, k, cfg.n_draws, rng)[0])
    return out
