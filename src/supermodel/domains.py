"""Source and target domains for real SGD runs, generated or shipped with a package (nothing is downloaded).

* :func:`gaussian_classes`: two Gaussian classes in the plane; a target domain rotates the whole class
  geometry (means and covariances) by an angle.
* :func:`digits`: scikit-learn's bundled 8x8 digit images (``load_digits``, shipped inside the package);
  a target domain rotates the images by an angle (``scipy.ndimage.rotate``). Images are average-pooled to
  4x4 to keep the parameter dimension small (16 features + bias, 10 classes: d = 170).
"""

from __future__ import annotations

import numpy as np

from . import _validate as v


def _rotation(angle_deg: float) -> np.ndarray:
    a = np.deg2rad(angle_deg)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


def gaussian_classes(n: int, angle_deg: float, seed, separation: float = 1.0, spread=(1.0, 0.3)):
    """``n`` points of two equally likely Gaussian classes with means ``±(separation, 0)`` and covariance
    ``diag(spread)^2``, the whole geometry rotated by ``angle_deg`` degrees. Returns ``(x (n, 2), y (n,))``."""
    n = v.count(n, "n")
    rng = v.generator(seed)
    y = rng.integers(0, 2, n)
    z = rng.standard_normal((n, 2)) * np.asarray(spread, dtype=float)
    z[:, 0] += np.where(y == 1, separation, -separation)
    return z @ _rotation(float(angle_deg)).T, y


def digits(angle_deg: float = 0.0):
    """All 1797 digit images rotated by ``angle_deg`` degrees, pooled to 4x4 and scaled to [0, 1].

    Returns ``(x (1797, 16), y (1797,))``; the same images in the same order for every angle.
    """
    from scipy.ndimage import rotate
    from sklearn.datasets import load_digits

    data = load_digits()
    images = data.images / 16.0
    if angle_deg:
        images = rotate(images, float(angle_deg), axes=(1, 2), reshape=False, order=1, mode="constant")
    pooled = images.reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4))
    return np.clip(pooled, 0.0, 1.0).reshape(len(images), 16), data.target.astype(int)


def split(n: int, sizes, seed):
    """Disjoint random index sets of the given sizes from ``range(n)`` (a train/test split)."""
    sizes = [v.count(s, "size", 1) for s in sizes]
    if sum(sizes) > n:
        raise ValueError(f"the requested sizes {sizes} add up to more than the {n} examples available")
    perm = v.generator(seed).permutation(n)
    out, start = [], 0
    for s in sizes:
        out.append(perm[start:start + s])
        start += s
    return out
