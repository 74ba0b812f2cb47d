r"""Symbolic derivations (sympy) of every formula the book uses.

Each public function returns a :class:`Derivation`: the result as a sympy
equation ``lhs = rhs``, a ``residual`` expression that is identically zero when
the result is right, and the book label and chapter it belongs to. Chapters
display ``latex`` and evaluate ``rhs`` numerically with :func:`sympy.lambdify`
next to the package; the tests check every residual and every numeric value.

:func:`latex_catalogue` lists every final result with its label, so a
follow-up paper can paste it (and ``supermodel export-latex`` writes it to a file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import sympy as sp

# --- symbols shared by the derivations ---------------------------------------------------
eta, B, t, tau = sp.symbols("eta B t tau", positive=True)
h, c = sp.symbols("h c", positive=True)  # scalar Hessian and per-example gradient variance
theta, theta_star = sp.symbols("theta theta^*", real=True)
m0, s0 = sp.symbols("m_0 s_0", real=True)
T = sp.Symbol("T", positive=True)  # temperature


@dataclass(frozen=True)
class Derivation:
    """One derived result: ``lhs = rhs``, with a residual that must simplify to zero."""

    label: str  # the book's label of the equation its chapter displays (see :attr:`markdown`)
    title: str
    chapter: str  # the chapter file (without extension) that derives it
    lhs: sp.Expr | str  # a string is taken as LaTeX as it stands
    rhs: sp.Expr | str  # a string: the typeset statement of a case the residual checks concretely
    residual: sp.Expr | sp.MatrixBase = field(repr=False)
    verifies: str = ""  # label of the stated book equation this result proves or checks, if any

    @property
    def latex(self) -> str:
        lhs = self.lhs if isinstance(self.lhs, str) else sp.latex(self.lhs)
        rhs = self.rhs if isinstance(self.rhs, str) else sp.latex(self.rhs)
        return f"{lhs} = {rhs}"

    @property
    def markdown(self) -> str:
        """The result as a MyST display equation carrying :attr:`label`, the form a chapter shows."""
        return f"$$\n{self.latex}\n$$ ({self.label})\n"

    def _repr_markdown_(self) -> str:
        return self.markdown

    def verified(self) -> bool:
        """True when the residual simplifies to exactly zero."""
        res = self.residual
        if isinstance(res, sp.MatrixBase):
            return all(sp.simplify(x) == 0 for x in res)
        return sp.simplify(res) == 0

    def check(self) -> "Derivation":
        """Raise ``AssertionError`` unless :meth:`verified`; returns self for chaining."""
        if not self.verified():
            raise AssertionError(f"derivation {self.label} ({self.title}) does not simplify to zero")
        return self


def _sym2(name: str) -> sp.Matrix:
    """A general symmetric 2x2 matrix of real symbols."""
    a, b, d = sp.symbols(f"{name}_11 {name}_12 {name}_22", real=True)
    return sp.Matrix([[a, b], [b, d]])


def _lyapunov_2x2(hess: sp.Matrix, noise: sp.Matrix) -> sp.Matrix:
    """Symbolic solution of H S + S H = (eta/B) C for 2x2 symmetric H, C (a 3x3 linear system)."""
    s11, s12, s22 = sp.symbols("s_11 s_12 s_22")
    sig = sp.Matrix([[s11, s12], [s12, s22]])
    eqs = hess * sig + sig * hess - eta / B * noise
    lhs, rhs = sp.linear_eq_to_matrix([eqs[0, 0], eqs[0, 1], eqs[1, 1]], [s11, s12, s22])
    x = lhs.LUsolve(rhs).applyfunc(sp.factor)
    return sp.Matrix([[x[0], x[1]], [x[1], x[2]]])


# --- chapter sgd_as_ou ----------------------------------------------------------------------
@cache
def ou_mean_scalar() -> Derivation:
    r"""Scalar OU mean: solve :math:`\dot m = -\eta h (m-\theta^*)`, :math:`m(0)=m_0` with ``dsolve``."""
    m = sp.Function("m")
    ode = sp.Eq(m(t).diff(t), -eta * h * (m(t) - theta_star))
    sol = sp.dsolve(ode, m(t), ics={m(0): m0}).rhs
    expected = theta_star + (m0 - theta_star) * sp.exp(-eta * h * t)
    return Derivation("eq-ou-mean", "OU mean (scalar)", "sgd_as_ou", m(t), expected, sol - expected, verifies="eq-ou-moments")


def stationary_variance_continuous() -> sp.Expr:
    r""":math:`\sigma^2_\infty = \eta c/(2hB)`."""
    return eta * c / (2 * h * B)


@cache
def ou_variance_scalar() -> Derivation:
    r"""Scalar OU variance: solve :math:`\dot s = -2\eta h s + \eta^2 c/B`, :math:`s(0)=s_0`."""
    s = sp.Function("s")
    ode = sp.Eq(s(t).diff(t), -2 * eta * h * s(t) + eta**2 * c / B)
    sol = sp.dsolve(ode, s(t), ics={s(0): s0}).rhs
    s_inf = stationary_variance_continuous()
    expected = s_inf + (s0 - s_inf) * sp.exp(-2 * eta * h * t)
    return Derivation("eq-ou-variance", "OU variance (scalar)", "sgd_as_ou", s(t), expected, sol - expected, verifies="eq-ou-moments")


@cache
def ou_covariance_eigenbasis() -> Derivation:
    r"""Matrix covariance ODE in the eigenbasis of :math:`H`: entry :math:`(i,j)` obeys
    :math:`\dot{\tilde\Sigma}_{ij} = -\eta(\lambda_i+\lambda_j)\tilde\Sigma_{ij} + \frac{\eta^2}{B}\tilde C_{ij}`,
    a scalar linear ODE for every pair, solved with ``dsolve``; reassembled it is
    :math:`\Sigma(t)=\Sigma_\infty+e^{-\eta Ht}(\Sigma(0)-\Sigma_\infty)e^{-\eta Ht}` (label ``eq-ou-moments``).
    """
    li, lj, cij, sij0 = sp.symbols("lambda_i lambda_j Ctilde_ij Sigmatilde_ij0", positive=True)
    s = sp.Function("Sigmatilde_ij")
    ode = sp.Eq(s(t).diff(t), -eta * (li + lj) * s(t) + eta**2 / B * cij)
    sol = sp.dsolve(ode, s(t), ics={s(0): sij0}).rhs
    s_inf = eta * cij / (B * (li + lj))
    expected = s_inf + sp.exp(-eta * li * t) * (sij0 - s_inf) * sp.exp(-eta * lj * t)
    return Derivation("eq-ou-covariance-eigenbasis", "OU covariance, entry (i, j) in the eigenbasis of H", "sgd_as_ou",
                      s(t), expected, sol - expected, verifies="eq-ou-moments")


@cache
def ou_covariance_matrix_exponential() -> Derivation:
    r"""The matrix formula satisfies the covariance ODE for a non-diagonal 2x2 example.

    :math:`H = U\,\mathrm{diag}(\lambda_1,\lambda_2)U^\top` with a rational rotation
    (:math:`\cos\phi=3/5`), symbolic :math:`\lambda_i,\eta,B` and a general symmetric
    :math:`C,\Sigma(0)`; :math:`e^{-\eta Ht}` is built from its eigen-decomposition and
    :math:`\dot\Sigma + \eta(H\Sigma+\Sigma H) - \frac{\eta^2}{B}C` must vanish.
    """
    l1, l2 = sp.symbols("lambda_1 lambda_2", positive=True)
    u = sp.Matrix([[sp.Rational(3, 5), -sp.Rational(4, 5)], [sp.Rational(4, 5), sp.Rational(3, 5)]])
    hess = u * sp.diag(l1, l2) * u.T
    expo = u * sp.diag(sp.exp(-eta * l1 * t), sp.exp(-eta * l2 * t)) * u.T
    noise, cov0 = _sym2("C"), _sym2("Sigma0")
    s_inf = _lyapunov_2x2(hess, noise)
    sigma = s_inf + expo * (cov0 - s_inf) * expo
    residual = sigma.diff(t) + eta * (hess * sigma + sigma * hess) - eta**2 / B * noise
    lhs = r"\Sigma(t)"
    rhs = r"\Sigma_\infty+e^{-\eta Ht}\left(\Sigma(0)-\Sigma_\infty\right)e^{-\eta Ht}"
    return Derivation("eq-ou-moments-matrix", "Matrix covariance solves the ODE (2x2, non-diagonal H)",
                      "sgd_as_ou", lhs, rhs, residual.applyfunc(sp.expand), verifies="eq-ou-moments")


@cache
def stationary_scalar() -> Derivation:
    r"""Stationary variance: the fixed point of the variance ODE, :math:`\sigma^2_\infty=\eta c/(2hB)`."""
    s = sp.Symbol("s", positive=True)
    sol = sp.solve(sp.Eq(-2 * eta * h * s + eta**2 * c / B, 0), s)[0]
    rhs = stationary_variance_continuous()
    return Derivation("eq-stationary-scalar", "Stationary variance (scalar)", "sgd_as_ou",
                      sp.Symbol(r"\sigma^2_\infty"), rhs, sol - rhs, verifies="eq-lyapunov")


@cache
def stationary_commuting() -> Derivation:
    r"""Commuting case :math:`\Sigma=\frac{\eta}{2B}CH^{-1}` solves :math:`H\Sigma+\Sigma H=\frac\eta B C`.

    Every 2x2 matrix commuting with a general symmetric :math:`H` is
    :math:`C=\alpha I+\beta H`, which makes the check general in two dimensions.
    """
    hess = _sym2("H")
    alpha, beta = sp.symbols("alpha beta", real=True)
    noise = alpha * sp.eye(2) + beta * hess
    sigma = eta / (2 * B) * noise * hess.inv()
    residual = hess * sigma + sigma * hess - eta / B * noise
    return Derivation("eq-stationary-commuting", "Stationary covariance when H and C commute", "sgd_as_ou",
                      r"\Sigma_\infty", r"\frac{\eta}{2B}\,CH^{-1}",
                      residual.applyfunc(sp.simplify), verifies="eq-lyapunov")


@cache
def trace_identity() -> Derivation:
    r""":math:`\operatorname{tr}\Sigma_\infty=\frac{\eta}{2B}\operatorname{tr}(CH^{-1})` for general symmetric 2x2 :math:`H, C`.

    Proof: multiply the Lyapunov equation by :math:`H^{-1}` on the left and take the
    trace; :math:`\operatorname{tr}(H^{-1}\Sigma H)=\operatorname{tr}\Sigma`. The check
    solves the Lyapunov system symbolically and compares.
    """
    hess, noise = _sym2("H"), _sym2("C")
    sigma = _lyapunov_2x2(hess, noise)
    rhs = eta / (2 * B) * (noise * hess.inv()).trace()
    return Derivation("eq-trace-identity-2x2", "Trace identity", "sgd_as_ou",
                      r"\operatorname{tr}\Sigma_\infty", r"\frac{\eta}{2B}\operatorname{tr}(CH^{-1})",
                      sp.simplify(sigma.trace() - rhs), verifies="eq-trace-identity")


def stationary_variance_discrete() -> sp.Expr:
    r""":math:`\sigma^2_{\mathrm{SGD}}=\eta c/(Bh(2-\eta h))`."""
    return eta * c / (B * h * (2 - eta * h))


@cache
def discrete_stationary_scalar() -> Derivation:
    r"""Discrete SGD: the fixed point of :math:`s=(1-\eta h)^2 s+\eta^2c/B`."""
    s = sp.Symbol("s", positive=True)
    sol = sp.solve(sp.Eq(s, (1 - eta * h) ** 2 * s + eta**2 * c / B), s)[0]
    rhs = stationary_variance_discrete()
    return Derivation("eq-discrete-stationary-scalar", "Stationary variance of discrete SGD (scalar)", "sgd_as_ou",
                      sp.Symbol(r"\sigma^2_{\mathrm{SGD}}"), rhs, sol - rhs, verifies="eq-discrete-lyapunov")


@cache
def discrete_to_continuous_ratio() -> Derivation:
    r"""Ratio :math:`\sigma^2_{\mathrm{SGD}}/\sigma^2_\infty = 2/(2-\eta h) = 1+\eta h/2+O((\eta h)^2)`."""
    ratio = sp.simplify(stationary_variance_discrete() / stationary_variance_continuous())
    rhs = 2 / (2 - eta * h)
    return Derivation("eq-discrete-ratio", "Discrete over continuous stationary variance", "sgd_as_ou",
                      sp.Symbol(r"\sigma^2_{\mathrm{SGD}}/\sigma^2_\infty"), rhs, ratio - rhs)


# --- chapter fokker_planck ----------------------------------------------------------------------
def _gaussian_density(x: sp.Matrix, mean: sp.Matrix, cov: sp.Matrix) -> sp.Expr:
    diff = x - mean
    quad = (diff.T * cov.inv() * diff)[0, 0]
    return sp.exp(-quad / 2) / sp.sqrt((2 * sp.pi) ** x.shape[0] * cov.det())


def fokker_planck_operator(p: sp.Expr, x: sp.Matrix, hess: sp.Matrix, diffusion: sp.Matrix,
                           minimum: sp.Matrix) -> sp.Expr:
    r"""Right-hand side of :math:`\partial_t p=\nabla\cdot(\eta H(\theta-\theta^*)p)+\tfrac12\nabla\cdot(D\nabla p)`."""
    drift = eta * hess * (x - minimum) * p
    grad = sp.Matrix([p.diff(xi) for xi in x])
    flux = diffusion * grad / 2
    return sum((drift[i] + flux[i]).diff(x[i]) for i in range(x.shape[0]))


@cache
def fokker_planck_1d() -> Derivation:
    r"""The Gaussian :math:`N(\theta^*,\eta c/(2hB))` makes the 1-D Fokker–Planck right-hand side vanish."""
    x = sp.Matrix([theta])
    p = _gaussian_density(x, sp.Matrix([theta_star]), sp.Matrix([[stationary_variance_continuous()]]))
    op = fokker_planck_operator(p, x, sp.Matrix([[h]]), sp.Matrix([[eta**2 * c / B]]), sp.Matrix([theta_star]))
    return Derivation("eq-fokker-planck-1d", "Stationary solution of the Fokker–Planck equation (1-D)",
                      "fokker_planck", r"p_\infty(\theta)", p, sp.simplify(op / p), verifies="eq-fokker-planck")


NONCOMMUTING_H = sp.Matrix([[2, sp.Rational(1, 2)], [sp.Rational(1, 2), 1]])
NONCOMMUTING_C = sp.Matrix([[1, 0], [0, 3]])  # H C != C H


@cache
def fokker_planck_2d() -> Derivation:
    r"""2-D check with a non-commuting pair :math:`(H, C)` (rational entries, symbolic :math:`\eta, B, \theta^*`)."""
    x = sp.Matrix(sp.symbols("theta_1 theta_2", real=True))
    star = sp.Matrix(sp.symbols("theta^*_1 theta^*_2", real=True))
    sigma = _lyapunov_2x2(NONCOMMUTING_H, NONCOMMUTING_C)
    p = _gaussian_density(x, star, sigma)
    op = fokker_planck_operator(p, x, NONCOMMUTING_H, eta**2 / B * NONCOMMUTING_C, star)
    return Derivation("eq-fokker-planck-2d", "Stationary solution of the Fokker–Planck equation (2-D, non-commuting)",
                      "fokker_planck", r"p_\infty", r"N(\theta^*,\Sigma_\infty)",
                      sp.simplify(op / p), verifies="eq-fokker-planck")


@cache
def boltzmann_isotropic() -> Derivation:
    r"""Isotropic noise :math:`C=cI`: :math:`\Sigma_\infty=TH^{-1}` with :math:`T=\eta c/(2B)`, so
    :math:`\ln p=-(\hat L-\hat L^*)/T+\text{const}` (Maxwell–Boltzmann), general symmetric 2x2 :math:`H`."""
    hess = _sym2("H")
    temp = temperature()
    sigma = _lyapunov_2x2(hess, c * sp.eye(2))
    x = sp.Matrix(sp.symbols("theta_1 theta_2", real=True))
    loss_gap = (x.T * hess * x)[0, 0] / 2  # L(theta) - L(theta*) with theta* = 0
    log_p_quad = -(x.T * sigma.inv() * x)[0, 0] / 2
    return Derivation("eq-boltzmann", "Maxwell–Boltzmann form under isotropic noise", "fokker_planck",
                      r"\ln p_\infty(\theta)", r"-\frac{\hat L(\theta)-\hat L(\theta^*)}{T}+\text{const}",
                      sp.simplify(log_p_quad + loss_gap / temp), verifies="eq-temperature")


def temperature() -> sp.Expr:
    r"""Temperature :math:`T=\eta c/(2B)` of the Maxwell–Boltzmann law."""
    return eta * c / (2 * B)


@cache
def probability_current() -> Derivation:
    r"""Stationary probability current :math:`J=-(\eta H-\tfrac12 D\Sigma_\infty^{-1})(\theta-\theta^*)p_\infty`.

    It is divergence-free (the law is stationary) and is zero exactly when
    :math:`H` and :math:`C` commute (detailed balance). The residual checks the
    divergence for the non-commuting example; :func:`current_matrix` gives the matrix.
    """
    x = sp.Matrix(sp.symbols("theta_1 theta_2", real=True))
    sigma = _lyapunov_2x2(NONCOMMUTING_H, NONCOMMUTING_C)
    p = _gaussian_density(x, sp.zeros(2, 1), sigma)
    q = current_matrix(NONCOMMUTING_H, NONCOMMUTING_C)
    current = -q * x * p
    div = sum(current[i].diff(x[i]) for i in range(2))
    return Derivation("eq-current-2x2", "Stationary probability current", "fokker_planck",
                      r"J(\theta)", r"-\left(\eta H - \tfrac12 D\Sigma_\infty^{-1}\right)(\theta-\theta^*)\,p_\infty(\theta)",
                      sp.simplify(div / p), verifies="eq-current")


def current_matrix(hess: sp.Matrix, noise: sp.Matrix) -> sp.Matrix:
    r""":math:`A = \eta H - \tfrac12 D\Sigma_\infty^{-1}` with :math:`D=\eta^2C/B`; the current is :math:`J=-A(\theta-\theta^*)p`."""
    sigma = _lyapunov_2x2(hess, noise)
    return (eta * hess - eta**2 / B * noise * sigma.inv() / 2).applyfunc(sp.simplify)


# --- chapter two_stage ----------------------------------------------------------------------------
eta_t, h_t, c_t, B_t = sp.symbols("eta_t h_t c_t B_t", positive=True)
theta_s, theta_t = sp.symbols("theta^*_s theta^*_t", real=True)
var_s = sp.Symbol("sigma_s^2", positive=True)
FINETUNE_SYMBOLS = (eta_t, h_t, c_t, B_t, theta_s, theta_t, var_s, tau)


def finetune_moments_scalar():
    r"""Closed forms :math:`m(\tau)` and :math:`s(\tau)` of fine-tuning from :math:`Q_s` (scalar), arguments ``FINETUNE_SYMBOLS``."""
    var_t = eta_t * c_t / (2 * h_t * B_t)
    mean = theta_t + (theta_s - theta_t) * sp.exp(-eta_t * h_t * tau)
    var = var_t + (var_s - var_t) * sp.exp(-2 * eta_t * h_t * tau)
    return mean, var


@cache
def finetune_transient() -> Derivation:
    r"""Fine-tuning from :math:`Q_s`: scalar mean and variance at time :math:`\tau`.

    :math:`m(\tau)=\theta_t^*+(\theta_s^*-\theta_t^*)e^{-\eta_t h_t\tau}`,
    :math:`s(\tau)=\sigma_t^2+(\sigma_s^2-\sigma_t^2)e^{-2\eta_t h_t\tau}`, by ``dsolve``
    with initial conditions at the pre-training law. The residual stacks both checks.
    """
    m, s = sp.Function("m"), sp.Function("s")
    mean = sp.dsolve(sp.Eq(m(tau).diff(tau), -eta_t * h_t * (m(tau) - theta_t)), m(tau), ics={m(0): theta_s}).rhs
    var = sp.dsolve(sp.Eq(s(tau).diff(tau), -2 * eta_t * h_t * s(tau) + eta_t**2 * c_t / B_t), s(tau),
                    ics={s(0): var_s}).rhs
    exp_mean, exp_var = finetune_moments_scalar()
    return Derivation("eq-finetune-transient-1d", "Fine-tuning transient from the pre-trained law", "two_stage",
                      sp.Matrix([sp.Symbol(r"m(\tau)"), sp.Symbol(r"s(\tau)")]), sp.Matrix([exp_mean, exp_var]),
                      sp.Matrix([mean - exp_mean, var - exp_var]), verifies="eq-finetune-transient")


# --- chapters pac_bayes and discrepancy --------------------------------------------------------------
@cache
def gaussian_kl_1d() -> Derivation:
    r""":math:`\mathrm{KL}(N(\mu_q,\sigma_q^2)\|N(\mu_p,\sigma_p^2))` by direct integration of :math:`q\ln(q/p)`.

    The integral over :math:`x` is taken after the change of variables :math:`x=\mu_q+\sigma_q z`
    (:math:`dx=\sigma_q\,dz`), which leaves Gaussian moments in :math:`z` for ``integrate``.
    """
    x, z = sp.symbols("x z", real=True)
    mq, mp = sp.symbols("mu_q mu_p", real=True)
    sq, spp = sp.symbols("sigma_q sigma_p", positive=True)

    def logpdf(mu, sig):
        return -(x - mu) ** 2 / (2 * sig**2) - sp.log(sig) - sp.log(2 * sp.pi) / 2

    integrand = sp.exp(logpdf(mq, sq)) * (logpdf(mq, sq) - logpdf(mp, spp))
    integral = sp.integrate(sp.expand(sp.simplify(integrand.subs(x, mq + sq * z) * sq)), (z, -sp.oo, sp.oo))
    closed = (sq**2 / spp**2 + (mq - mp) ** 2 / spp**2 - 1 + 2 * sp.log(spp / sq)) / 2
    return Derivation("eq-gaussian-kl-1d", "Gaussian KL divergence (1-D, by integration)", "pac_bayes",
                      sp.Symbol(r"\mathrm{KL}(Q\|P)"), closed, sp.simplify(integral - closed),
                      verifies="eq-gaussian-kl")


@cache
def kl_decomposition() -> Derivation:
    r"""The covariance part of :math:`D(s\to t)`: eigenvalue form equals trace/log-determinant form (2x2).

    With :math:`M=\Sigma_s^{-1}\Sigma_t` and :math:`\lambda_{1,2}` the roots of its characteristic
    polynomial (general symmetric 2x2 :math:`\Sigma_s,\Sigma_t`),
    :math:`\tfrac12\sum_i(\lambda_i-1-\ln\lambda_i)=\tfrac12(\operatorname{tr}M-2-\ln\det M)`.
    The residual checks the two identities this rests on, :math:`\lambda_1+\lambda_2=\operatorname{tr}M`
    and :math:`\lambda_1\lambda_2=\det M` (then :math:`\sum\ln\lambda_i=\ln\det M` since every
    :math:`\lambda_i>0`; sympy cannot combine the logarithms of the root expressions itself).
    The shift part :math:`\tfrac12\Delta^\top\Sigma_s^{-1}\Delta` is the remaining term of the Gaussian
    KL with :math:`\mu_q-\mu_p=\Delta`; the package's split is tested against both forms numerically.
    """
    sig_s, sig_t = _sym2("S"), _sym2("T")
    mmat = sig_s.inv() * sig_t
    lam = sp.Symbol("lambda")
    roots = sp.solve(sp.det(mmat - lam * sp.eye(2)), lam)
    residual = sp.Matrix([sp.simplify(sum(roots) - mmat.trace()), sp.simplify(roots[0] * roots[1] - mmat.det())])
    l1, l2 = sp.symbols("lambda_1 lambda_2", positive=True)
    m_sym = sp.Symbol("M")
    eigen_form = sum(x - 1 - sp.log(x) for x in (l1, l2)) / 2
    trace_form = (sp.Function("tr")(m_sym) - 2 - sp.log(sp.Function("det")(m_sym))) / 2
    return Derivation("eq-dcov-forms", "Covariance part of the domain discrepancy: eigenvalue and trace forms",
                      "discrepancy", eigen_form, trace_form, residual, verifies="eq-dcov")


def mcallester_gap() -> sp.Expr:
    r"""McAllester's gap :math:`\sqrt{(K+\ln N)/(2N-1)}` with :math:`K=\mathrm{KL}+\ln(1/\delta)+2`."""
    n, k = sp.symbols("N K", positive=True)
    return sp.sqrt((k + sp.log(n)) / (2 * n - 1))


@cache
def mcallester_rate() -> Derivation:
    r"""Local rate of the McAllester gap, :math:`\frac{d\ln\mathrm{gap}}{d\ln N}=\frac{1}{2(K+\ln N)}-\frac{N}{2N-1}`,
    which tends to :math:`-\tfrac12` as :math:`N\to\infty`: the :math:`O(\sqrt{\ln N/N})` rate."""
    n, k = sp.symbols("N K", positive=True)
    slope = sp.simplify(n * sp.diff(sp.log(mcallester_gap()), n))
    expected = 1 / (2 * (k + sp.log(n))) - n / (2 * n - 1)
    limit = sp.limit(expected, n, sp.oo)
    return Derivation("eq-mcallester-rate", "Local rate of the McAllester gap", "pac_bayes",
                      sp.Symbol(r"\frac{d\ln\mathrm{gap}}{d\ln N}"), expected,
                      sp.Matrix([slope - expected, limit + sp.Rational(1, 2)]), verifies="eq-mcallester")


@cache
def expected_quadratic_loss() -> Derivation:
    r""":math:`E_{N(m,s)}[\tfrac12h(\theta-\theta^*)^2]=\tfrac12h\,(s+(m-\theta^*)^2)` by integration (1-D),
    after the change of variables :math:`x=m+\sqrt s\,z`."""
    x, z = sp.symbols("x z", real=True)
    m = sp.Symbol("m", real=True)
    s = sp.Symbol("s", positive=True)
    dens = sp.exp(-(x - m) ** 2 / (2 * s)) / sp.sqrt(2 * sp.pi * s)
    integrand = (h * (x - theta_star) ** 2 / 2 * dens).subs(x, m + sp.sqrt(s) * z) * sp.sqrt(s)
    integral = sp.integrate(sp.expand(sp.simplify(integrand)), (z, -sp.oo, sp.oo))
    closed = h * (s + (m - theta_star) ** 2) / 2
    return Derivation("eq-excess-loss-1d", "Gibbs excess quadratic loss (1-D, by integration)", "dominance",
                      r"\mathbb{E}_{Q}\left[\hat L(\theta)-\hat L(\theta^*)\right]", closed,
                      sp.simplify(integral - closed), verifies="eq-excess-loss")


#: every derivation, in book order
ALL = (ou_mean_scalar, ou_variance_scalar, ou_covariance_eigenbasis, ou_covariance_matrix_exponential,
       stationary_scalar, stationary_commuting, trace_identity, discrete_stationary_scalar,
       discrete_to_continuous_ratio, fokker_planck_1d, fokker_planck_2d, boltzmann_isotropic,
       probability_current, finetune_transient, gaussian_kl_1d, mcallester_rate, kl_decomposition,
       expected_quadratic_loss)


def latex_catalogue() -> list[dict]:
    """Every derivation's final result: ``[{label, title, chapter, verifies, latex}, ...]`` in book order."""
    return [{"label": d.label, "title": d.title, "chapter": d.chapter, "verifies": d.verifies, "latex": d.latex}
            for d in (f() for f in ALL)]
