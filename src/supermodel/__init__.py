"""supermodel: the numerical core of the companion book to He & Tao (2022),
*Super-model ecosystem: a domain-adaptation perspective*.

Modules, each named for what it computes:

- :mod:`supermodel.ou`: SGD as an Ornstein–Uhlenbeck process (stationary covariance, moments, sampling)
- :mod:`supermodel.sgd`: discrete-time SGD on a quadratic (discrete Lyapunov, simulation)
- :mod:`supermodel.gaussian`: Gaussian KL divergence, log-density, sampling
- :mod:`supermodel.pacbayes`: McAllester, Maurer–Seeger and Catoni bounds, kl inverse
- :mod:`supermodel.discrepancy`: the domain-discrepancy measure D = D_cov + D_shift
"""

from importlib.metadata import PackageNotFoundError, version

from . import discrepancy, gaussian, ou, pacbayes, sgd

try:
    __version__ = version("supermodel")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = ["discrepancy", "gaussian", "ou", "pacbayes", "sgd", "__version__"]
