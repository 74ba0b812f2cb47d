"""Shared fixtures and hypothesis strategies."""

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile("project", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")


def random_spd(rng, d, cond=10.0):
    """A random symmetric positive-definite matrix with condition number ``cond``."""
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = np.geomspace(1.0, cond, d) if d > 1 else np.array([cond])
    return (q * lam) @ q.T


def random_psd(rng, d, rank=None):
    a = rng.standard_normal((d, rank or d))
    return a @ a.T


@st.composite
def spd_matrices(draw, min_d=1, max_d=5, max_cond=100.0):
    d = draw(st.integers(min_d, max_d))
    seed = draw(st.integers(0, 2**32 - 1))
    cond = draw(st.floats(1.0, max_cond))
    return random_spd(np.random.default_rng(seed), d, cond)


@pytest.fixture
def rng():
    return np.random.default_rng(20221004)
