r"""The domain-discrepancy measure (book chapter *discrepancy*, THEORY.md §6).

With :math:`Q_s=N(\theta^*_s,\Sigma_s)` and :math:`Q_t=N(\theta^*_t,\Sigma_t)` the two
stationary laws, the measure is :math:`D(s\to t)=\mathrm{KL}(Q_t\|Q_s)=D_{\mathrm{cov}}+D_{\mathrm{shift}}`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .gaussian import kl_parts


@dataclass(frozen=True)
class DomainDiscrepancy:
    """The two parts of the domain discrepancy and their sum."""

    covariance: float
    shift: float

    @property
    def total(self) -> float:
        """:math:`D = D_{cov} + D_{shift} = \\mathrm{KL}(Q_t\\|Q_s)`."""
        return self.covariance + self.shift


def domain_discrepancy(mean_s, cov_s, mean_t, cov_t) -> DomainDiscrepancy:
    r"""Domain discrepancy :math:`D(s\to t)` (book labels ``eq-dcov``, ``eq-dshift``).

    .. math::
        D_{\mathrm{cov}} = \tfrac12\sum_i(\lambda_i-1-\ln\lambda_i),\quad
        \lambda_i\in\operatorname{spec}(\Sigma_s^{-1}\Sigma_t);\qquad
        D_{\mathrm{shift}} = \tfrac12\Delta^\top\Sigma_s^{-1}\Delta,\quad \Delta=\theta^*_t-\theta^*_s .

    ``total`` equals :func:`supermodel.gaussian.kl_divergence` of ``(mean_t, cov_t)``
    against ``(mean_s, cov_s)``. Covariances take the same three forms as there.
    """
    covariance, shift = kl_parts(mean_t, cov_t, mean_s, cov_s)
    return DomainDiscrepancy(covariance=covariance, shift=shift)
