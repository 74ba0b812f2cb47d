"""Speed and accuracy of the numerical core, measured (never asserted in tests).

    .venv/bin/python benchmarks/bench_core.py [--dims 500 1000 2000] [--diag-d 10000000]

Prints, for each d, the time of supermodel.ou.stationary_covariance (symmetric
eigenbasis) against scipy.linalg.solve_continuous_lyapunov (general Schur
solver) on the same inputs, their ratio, and the relative residual
||H S + S H - (lr/B) C||_F / ||(lr/B) C||_F of each; the dense KL at d = 2000
with condition number 1e8; and the time of the diagonal KL at d = 10^7.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.linalg import solve_continuous_lyapunov

from supermodel import gaussian, ou


def spd(rng, d, cond):
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return (q * np.geomspace(1.0, cond, d)) @ q.T


def residual(h, s, rhs):
    return np.linalg.norm(h @ s + s @ h - rhs) / np.linalg.norm(rhs)


def best_of(func, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dims", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--diag-d", type=int, default=10**7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    lr, b = 0.01, 32

    print("stationary_covariance (eigenbasis) vs scipy.linalg.solve_continuous_lyapunov")
    print(f"{'d':>6} {'ours [s]':>10} {'scipy [s]':>10} {'speed-up':>9} {'resid ours':>11} {'resid scipy':>12}")
    for d in args.dims:
        h = spd(rng, d, 1e4)
        a = rng.standard_normal((d, d))
        c = a @ a.T / d
        t_ours, s_ours = best_of(lambda: ou.stationary_covariance(h, c, lr, b), 3)
        t_scipy, s_scipy = best_of(lambda: solve_continuous_lyapunov(h, (lr / b) * c), 1)
        rhs = (lr / b) * c
        print(f"{d:>6} {t_ours:>10.3f} {t_scipy:>10.3f} {t_scipy / t_ours:>8.1f}x "
              f"{residual(h, s_ours, rhs):>11.2e} {residual(h, s_scipy, rhs):>12.2e}")

    d = max(args.dims)
    sp, sq = spd(rng, d, 1e8) * 1e-6, spd(rng, d, 1e8) * 1e-6
    t_kl, kl = best_of(lambda: gaussian.kl_divergence(np.zeros(d), sq, np.ones(d), sp), 3)
    with np.errstate(all="ignore"):
        naive = np.log(np.linalg.det(sp) / np.linalg.det(sq))
    print(f"\ndense KL, d = {d}, condition number 1e8: {kl:.6e} in {t_kl:.3f} s "
          f"(raw-determinant log-ratio: {naive})")

    n = args.diag_d
    vq, vp = rng.uniform(0.5, 2.0, n), rng.uniform(0.5, 2.0, n)
    mq, mp = rng.standard_normal(n), rng.standard_normal(n)
    t_diag, kl_diag = best_of(lambda: gaussian.kl_divergence(mq, vq, mp, vp), 5)
    print(f"diagonal KL, d = {n:.0e}: {kl_diag:.6e} in {t_diag:.3f} s (best of 5)")


if __name__ == "__main__":
    main()
