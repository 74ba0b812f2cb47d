"""One test per validation rule: a clear ValueError naming the argument and its valid range."""

import numpy as np
import pytest

from supermodel import discrepancy, gaussian, ou, pacbayes, sgd

H = np.array([[2.0, 0.3], [0.3, 1.0]])
C = np.eye(2)


@pytest.mark.parametrize("func", [ou.stationary_covariance, sgd.stationary_covariance])
class TestCovarianceSolvers:
    def test_non_symmetric_hessian(self, func):
        with pytest.raises(ValueError, match="hessian must be symmetric"):
            func(np.array([[1.0, 0.5], [0.0, 1.0]]), C, 0.1, 1)

    def test_non_positive_definite_hessian(self, func):
        with pytest.raises(ValueError, match="hessian must be positive definite.*no stationary distribution"):
            func(np.diag([1.0, -0.5]), C, 0.1, 1)

    def test_singular_hessian(self, func):
        with pytest.raises(ValueError, match="hessian must be positive definite"):
            func(np.diag([1.0, 0.0]), C, 0.1, 1)

    def test_non_psd_noise(self, func):
        with pytest.raises(ValueError, match="noise_cov must be positive semi-definite"):
            func(H, np.diag([1.0, -1.0]), 0.1, 1)

    def test_shape_mismatch(self, func):
        with pytest.raises(ValueError, match=r"noise_cov must be \(2, 2\)"):
            func(H, np.eye(3), 0.1, 1)

    def test_non_square(self, func):
        with pytest.raises(ValueError, match="hessian must be a square"):
            func(np.ones((2, 3)), C, 0.1, 1)

    @pytest.mark.parametrize("lr", [0.0, -0.1, np.nan])
    def test_bad_learning_rate(self, func, lr):
        with pytest.raises(ValueError, match="lr must"):
            func(H, C, lr, 1)

    @pytest.mark.parametrize("b", [0, -4])
    def test_bad_batch_size(self, func, b):
        with pytest.raises(ValueError, match="batch_size must be > 0"):
            func(H, C, 0.1, b)

    def test_nan_input(self, func):
        with pytest.raises(ValueError, match="hessian must be finite"):
            func(np.array([[np.nan, 0], [0, 1.0]]), C, 0.1, 1)


def test_unstable_discrete_step():
    with pytest.raises(ValueError, match=r"lr must satisfy lr \* lambda_max\(hessian\) < 2"):
        sgd.stationary_covariance(H, C, 1.0, 1)


def test_moments_shapes_and_time():
    with pytest.raises(ValueError, match="mean0 must have length 2"):
        ou.moments(1.0, np.zeros(3), C, H, C, 0.1, 1, np.zeros(2))
    with pytest.raises(ValueError, match="t must be >= 0"):
        ou.moments(-1.0, np.zeros(2), C, H, C, 0.1, 1, np.zeros(2))
    with pytest.raises(ValueError, match="cov0 must be positive semi-definite"):
        ou.moments(1.0, np.zeros(2), -C, H, C, 0.1, 1, np.zeros(2))


def test_sampler_arguments():
    with pytest.raises(ValueError, match="n_particles must be an integer >= 1"):
        ou.sample([0.0, 1.0], 0, np.zeros(2), 0.0, H, C, 0.1, 1, np.zeros(2))
    with pytest.raises(ValueError, match="times must be .*strictly increasing"):
        ou.sample([1.0, 1.0], 5, np.zeros(2), 0.0, H, C, 0.1, 1, np.zeros(2))
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        ou.sample([1.0], 5, np.zeros(2), 0.0, H, C, 0.1, 1, np.zeros(2), seed=-1)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.2, 1.5])
def test_delta_outside_unit_interval(bad):
    for call in (lambda: pacbayes.mcallester_bound(0.1, 1.0, 100, bad),
                 lambda: pacbayes.maurer_bound(0.1, 1.0, 100, bad),
                 lambda: pacbayes.catoni_bound(0.1, 1.0, 100, bad, 1.0)):
        with pytest.raises(ValueError, match=r"delta must lie in the open interval \(0, 1\)"):
            call()


@pytest.mark.parametrize("n", [0, 0.5, -3])
def test_sample_size_below_one(n):
    with pytest.raises(ValueError, match="n .*must be >= 1"):
        pacbayes.mcallester_bound(0.1, 1.0, n, 0.05)
    with pytest.raises(ValueError, match="n .*must be >= 1"):
        pacbayes.maurer_bound(0.1, 1.0, np.array([10, n]), 0.05)


@pytest.mark.parametrize("emp", [-0.1, 1.1])
def test_empirical_risk_outside_unit_interval(emp):
    with pytest.raises(ValueError, match=r"empirical_risk must lie in \[0, 1\]"):
        pacbayes.catoni_bound(emp, 1.0, 100, 0.05, 1.0)


def test_negative_kl():
    with pytest.raises(ValueError, match="kl must be >= 0"):
        pacbayes.maurer_bound(0.1, -1.0, 100, 0.05)
    with pytest.raises(ValueError, match="epsilon must be >= 0"):
        pacbayes.kl_inverse(0.1, -1.0)


def test_catoni_constant():
    with pytest.raises(ValueError, match="c must be > 0"):
        pacbayes.catoni_bound(0.1, 1.0, 100, 0.05, 0.0)


def test_gaussian_kl_inputs():
    with pytest.raises(ValueError, match="cov_p must be positive definite"):
        gaussian.kl_divergence(np.zeros(2), np.eye(2), np.zeros(2), np.diag([1.0, 0.0]))
    with pytest.raises(ValueError, match="cov_q variances must be > 0"):
        gaussian.kl_divergence(np.zeros(2), np.array([1.0, 0.0]), np.zeros(2), 1.0)
    with pytest.raises(ValueError, match="mean_p must have length 2"):
        gaussian.kl_divergence(np.zeros(2), 1.0, np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="cov_q as a vector of variances must have length 2"):
        gaussian.kl_divergence(np.zeros(2), np.ones(3), np.zeros(2), 1.0)
    with pytest.raises(ValueError, match=r"cov_p must be a scalar, a length-2 vector or a \(2, 2\) matrix"):
        gaussian.kl_divergence(np.zeros(2), 1.0, np.zeros(2), np.eye(3))


def test_discrepancy_inputs():
    with pytest.raises(ValueError, match="cov_p must be positive definite"):
        discrepancy.domain_discrepancy(np.zeros(2), -np.eye(2), np.zeros(2), np.eye(2))


def test_one_blas_thread_sets_and_restores_the_environment(monkeypatch):
    import os

    from supermodel import chapters

    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with chapters.one_blas_thread():
        assert all(os.environ[key] == "1" for key in chapters.SINGLE_THREADED_BLAS)
    assert os.environ["OMP_NUM_THREADS"] == "4" and "OPENBLAS_NUM_THREADS" not in os.environ
