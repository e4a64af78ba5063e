"""Noise image sets (METHODS.md §3): what a network answers when shown no digit at all.

    white:    x_ij ~ U(a, b) i.i.d. (delta-correlated), (a + b)/2 = μ, the widest such
              interval inside [0, 1]: a = max(0, 2μ − 1), b = min(1, 2μ)
    blurred:  g = G_σ * x (Gaussian filter, σ = 2 px, scipy.ndimage), rescaled per image to
              the mean of its white image: g · mean(x)/mean(g), clipped to [0, 1]

μ is the mean pixel intensity of a reference set's training images (of the requested classes),
or given directly. Labels are −1 (no class). Deterministic in (seed, split).

Spec grammar (after `noise:`):

    KIND[,mean=M][,size=H[xW]][:REF]

KIND is `white` or `blurred`; REF any non-noise data spec (`digits`, `mnist:ROOT`), which
gives μ and the image size; `mean=` and `size=` override them. Without REF: 28×28, μ = 0.5.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neurokit.errors import DataError

KINDS = ("white", "blurred")
BLUR_SIGMA_PX = 2.0
DEFAULT_SIZE = (28, 28)
DEFAULT_MEAN = 0.5
NO_CLASS = -1
GRAMMAR = ("noise:KIND[,mean=M][,size=H[xW]][:REF] with KIND 'white' or 'blurred' and REF a data spec "
           "such as 'digits' or 'mnist:ROOT', e.g. 'noise:white:mnist:ROOT' or 'noise:blurred,mean=0.13'")
_SPLIT_SALT = {"train": 0, "test": 1}


@dataclass(frozen=True)
class NoiseSpec:
    kind: str
    mean: float | None = None
    size: tuple[int, int] | None = None
    reference: str | None = None


def parse_noise(spec: str) -> NoiseSpec:
    """Parse the part of a data spec after `noise:`; DataError naming the grammar otherwise."""
    head, _, ref = spec.partition(":")
    kind, *options = head.split(",")
    if kind not in KINDS:
        raise DataError(f"noise spec 'noise:{spec}': kind {kind!r} is not one of {KINDS}; use {GRAMMAR}")
    mean = size = None
    for opt in options:
        key, eq, value = opt.partition("=")
        try:
            if key == "mean" and eq:
                mean = float(value)
                if not 0 < mean < 1:
                    raise ValueError
            elif key == "size" and eq:
                h, _, w = value.partition("x")
                size = (int(h), int(w or h))
                if min(size) < 1:
                    raise ValueError
            else:
                raise DataError(f"noise spec 'noise:{spec}': unknown option {opt!r}; use {GRAMMAR}")
        except ValueError:
            raise DataError(f"noise spec 'noise:{spec}': bad value in {opt!r} (mean in (0, 1), "
                            f"size like 28x28); use {GRAMMAR}") from None
    if ref.startswith("noise"):
        raise DataError(f"noise spec 'noise:{spec}': the reference must be an image set, not noise")
    return NoiseSpec(kind, mean, size, ref or None)


def white_noise(n: int, size: tuple[int, int], mean: float, rng: np.random.Generator) -> np.ndarray:
    """n images of i.i.d. U(max(0, 2μ−1), min(1, 2μ)) pixels: mean μ, no spatial correlation."""
    lo, hi = max(0.0, 2 * mean - 1), min(1.0, 2 * mean)
    return rng.uniform(lo, hi, size=(n, *size)).astype(np.float32)


def blur(images: np.ndarray, sigma_px: float = BLUR_SIGMA_PX) -> np.ndarray:
    """Each image filtered by a Gaussian of σ = `sigma_px`, rescaled to its own mean, in [0, 1]."""
    from scipy.ndimage import gaussian_filter

    out = np.empty_like(images)
    for i, x in enumerate(images):
        g = gaussian_filter(x.astype(np.float64), sigma=sigma_px, mode="reflect")
        out[i] = np.clip(g * (x.mean() / g.mean()), 0.0, 1.0)
    return out


def noise_images(spec: NoiseSpec, n: int, split: str, seed: int,
                 reference: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """`n` noise images for `spec` and the mean μ used; `reference`: the reference images.
    The same (seed, split) gives the same white pixels for both kinds."""
    mean = spec.mean if spec.mean is not None else (
        float(reference.mean()) if reference is not None else DEFAULT_MEAN)
    size = spec.size or (tuple(reference.shape[1:]) if reference is not None else DEFAULT_SIZE)
    rng = np.random.default_rng([seed, _SPLIT_SALT[split], 0x6E6F697365])
    images = white_noise(n, size, mean, rng)
    return (blur(images) if spec.kind == "blurred" else images), mean
