r"""Softmax (multinomial logistic) regression trained by constant-rate SGD: the real runs of chapter *real_sgd*.

Parameters are a weight matrix :math:`W\in\mathbb R^{(k-1)\times p}` (``k`` classes, ``p``
features including a constant column; the last class is the reference with logit 0), flattened
row-major into :math:`\theta\in\mathbb R^{(k-1)p}`. With all ``k`` rows free the softmax is
invariant to adding one vector to every row, every per-example gradient is orthogonal to that
direction, and the gradient covariance, hence the stationary OU covariance, is singular: no
Gaussian density. The reference class removes that direction. The loss is the mean cross-entropy
plus :math:`\tfrac{\lambda}{2}\|\theta\|^2`:

.. math:: \hat L(\theta)=\frac1n\sum_i\bigl(\log\textstyle\sum_c e^{w_c^\top x_i}-w_{y_i}^\top x_i\bigr)+\frac\lambda2\|\theta\|^2 .

Everything a run needs is here: SGD with minibatches drawn with replacement (so
the minibatch gradient noise has covariance exactly :math:`C/B`), the closed-form
Hessian, the per-example gradient covariance, and the Gibbs classifier's 0-1 risk.
"""

from __future__ import annotations

import numpy as np

from . import _validate as v
from .gaussian import sample as sample_gaussian


def with_bias(features) -> np.ndarray:
    """Append a constant-one column (the bias feature)."""
    x = v.finite_array(features, "features")
    if x.ndim != 2:
        raise ValueError(f"features must be a 2-D array (n, p), got shape {x.shape}")
    return np.hstack([x, np.ones((x.shape[0], 1))])


def _data(x, y, n_classes):
    x = v.finite_array(x, "x")
    y = np.asarray(y)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(f"x must be (n, p) and y (n,), got {x.shape} and {y.shape}")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"y must hold integer labels in [0, {n_classes - 1}]")
    return x, y


def dimension(n_classes: int, n_features: int) -> int:
    """Number of parameters, :math:`(k-1)p`."""
    return (n_classes - 1) * n_features


def _weights(theta, n_classes, n_features):
    theta = v.vector(theta, "theta", dimension(n_classes, n_features))
    return theta.reshape(n_classes - 1, n_features)


def _logits(theta, x, n_classes):
    w = np.reshape(theta, (n_classes - 1, x.shape[1]))
    return np.hstack([x @ w.T, np.zeros((x.shape[0], 1))])


def probabilities(theta, x, n_classes) -> np.ndarray:
    """Class probabilities ``(n, k)`` by a numerically stable softmax."""
    z = _logits(theta, x, n_classes)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def loss(theta, x, y, n_classes, l2) -> float:
    """The regularised mean cross-entropy :math:`\\hat L(\\theta)`."""
    x, y = _data(x, y, n_classes)
    w = _weights(theta, n_classes, x.shape[1])
    z = _logits(w.ravel(), x, n_classes)
    zmax = z.max(axis=1, keepdims=True)
    lse = zmax[:, 0] + np.log(np.exp(z - zmax).sum(axis=1))
    return float(np.mean(lse - z[np.arange(len(y)), y]) + 0.5 * l2 * np.sum(w * w))


def per_example_gradients(theta, x, y, n_classes) -> np.ndarray:
    r"""Gradients of the cross-entropy of each example, ``(n, (k-1) p)``: :math:`g_i=(p_i-e_{y_i})_{1..k-1}\otimes x_i`
    (the L2 term is the same for every example and is left out)."""
    x, y = _data(x, y, n_classes)
    return _grads(theta, x, y, n_classes)


def _grads(theta, x, y, n_classes):
    """Per-example gradients without input checks (the SGD inner loop)."""
    resid = probabilities(theta, x, n_classes)
    resid[np.arange(len(y)), y] -= 1.0
    return (resid[:, :-1, None] * x[:, None, :]).reshape(len(y), -1)


def gradient(theta, x, y, n_classes, l2) -> np.ndarray:
    """Full gradient of :math:`\\hat L` (mean of the per-example gradients plus ``l2 * theta``)."""
    return per_example_gradients(theta, x, y, n_classes).mean(axis=0) + l2 * v.vector(theta, "theta")


def hessian(theta, x, n_classes, l2) -> np.ndarray:
    r"""Closed-form Hessian :math:`H=\frac1n\sum_i(\mathrm{diag}(p_i)-p_ip_i^\top)\otimes x_ix_i^\top+\lambda I`,
    with :math:`p_i` restricted to the ``k-1`` free classes (book label ``eq-logistic-hessian``)."""
    x = v.finite_array(x, "x")
    n, p = x.shape
    probs = probabilities(theta, x, n_classes)
    m = n_classes - 1
    out = np.empty((m, p, m, p))
    for a in range(m):
        for b in range(a, m):
            w = probs[:, a] * ((a == b) - probs[:, b])
            block = (x * w[:, None]).T @ x / n
            out[a, :, b, :] = block
            out[b, :, a, :] = block.T
    h = out.reshape(m * p, m * p)
    return 0.5 * (h + h.T) + float(v.non_negative(l2, "l2")) * np.eye(m * p)


def gradient_covariance(theta, x, y, n_classes) -> np.ndarray:
    r"""Per-example gradient covariance :math:`C=\frac1n\sum_i(g_i-\bar g)(g_i-\bar g)^\top` at ``theta``."""
    g = per_example_gradients(theta, x, y, n_classes)
    g = g - g.mean(axis=0)
    return g.T @ g / g.shape[0]


_INDEX_BLOCK = 1024  # steps whose minibatch indices are drawn at once (bounds memory)


def sgd(x, y, n_classes, theta0, lr, batch_size, steps, l2, seed=0, record_every=1):
    r"""Constant-rate minibatch SGD on :math:`\hat L`; minibatches of ``batch_size`` indices drawn with replacement.

    Returns the iterates at steps ``record_every, 2 record_every, …`` as ``(steps // record_every, d)``.
    The minibatch indices of up to 1024 consecutive steps are drawn in one ``(block, batch_size)`` call
    of the seeded generator.
    """
    x, y = _data(x, y, n_classes)
    lr = v.positive_scalar(lr, "lr")
    batch = v.count(batch_size, "batch_size")
    steps = v.count(steps, "steps")
    record_every = v.count(record_every, "record_every")
    if record_every > steps:
        raise ValueError(f"record_every must be <= steps ({steps}), got {record_every}")
    l2 = float(v.non_negative(l2, "l2"))
    rng = v.generator(seed)
    theta = v.vector(theta0, "theta0", dimension(n_classes, x.shape[1])).copy()
    w = theta.reshape(n_classes - 1, x.shape[1])  # a view: updating w updates theta
    onehot = np.eye(n_classes)[y, :-1]  # e_{y_i} restricted to the free classes
    out = np.empty((steps // record_every, theta.size))
    decay, scale = 1.0 - lr * l2, lr / batch
    step = 0
    while step < steps:
        block = min(_INDEX_BLOCK, steps - step)
        idx = rng.integers(0, len(y), (block, batch))
        xs, targets = x[idx], onehot[idx]
        for xb, target in zip(xs, targets):
            # theta <- theta - lr (mean_i (p_i - e_{y_i}) x_i^T + l2 theta); softmax with reference logit 0
            z = xb @ w.T
            zmax = np.maximum(z.max(axis=1, keepdims=True), 0.0)
            z -= zmax
            np.exp(z, out=z)
            z /= z.sum(axis=1, keepdims=True) + np.exp(-zmax)
            z -= target
            w *= decay
            w -= scale * (z.T @ xb)
            step += 1
            if step % record_every == 0:
                out[step // record_every - 1] = theta
    return out


def error_rate(theta, x, y, n_classes) -> float:
    """0-1 error of the deterministic classifier ``argmax_c w_c^T x`` (reference class: logit 0)."""
    x, y = _data(x, y, n_classes)
    theta = _weights(theta, n_classes, x.shape[1]).ravel()
    return float(np.mean(np.argmax(_logits(theta, x, n_classes), axis=1) != y))


def gibbs_risk(mean, cov, x, y, n_classes, n_draws, seed=0):
    r"""Monte Carlo 0-1 risk of the Gibbs classifier of :math:`N(\text{mean},\text{cov})` on ``(x, y)``.

    Draws ``n_draws`` parameter vectors and averages their error rates; returns
    ``(estimate, standard_error)``. Bound the estimate with
    :func:`supermodel.pacbayes.monte_carlo_risk_bound` (Langford–Caruana) before
    using it in a PAC-Bayes bound.
    """
    x, y = _data(x, y, n_classes)
    thetas = sample_gaussian(mean, cov, n_draws, seed)
    z = (thetas.reshape(-1, x.shape[1]) @ x.T).reshape(len(thetas), n_classes - 1, len(y))  # (draw, class, n)
    pred = np.where(z.max(axis=1) >= 0, z.argmax(axis=1), n_classes - 1)  # reference class: logit 0, loses ties like argmax
    errors = np.mean(pred != y[None, :], axis=1)
    return float(errors.mean()), float(errors.std(ddof=1) / np.sqrt(len(errors)))
