"""Connections between populations. Weights are magnitudes (≥ 0) and `sign` says whether they
excite or inhibit, as on Loihi where a synapse group has one sign mode; or `sign: mixed` and the
weights carry their own signs (what gradient-trained networks have). Dense weight matrices have
shape [target.size, source.size] (row = postsynaptic neuron), as in Lava and PyTorch.

Convolution and pooling connect populations with a `shape` [channels, height, width] (C order,
as PyTorch and NIR): they are fixed patterns of synapses that every backend expands into the
equivalent dense matrix (`matrix()`), so that they run, quantise and cost like any connection.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BeforeValidator, Field

from neurokit.ir.base import IRModel
from neurokit.ir.learning import LearningRule, Pruning


class UniformInit(IRModel):
    """w ~ U(low, high), drawn with the network's seed and the connection's index."""

    kind: Literal["uniform"] = "uniform"
    low: float = Field(0.0, ge=0)
    high: float = Field(gt=0)


class ConstantInit(IRModel):
    kind: Literal["constant"] = "constant"
    value: float = Field(ge=0)


Initializer = Annotated[Union[UniformInit, ConstantInit], Field(discriminator="kind")]


class _Connection(IRModel):
    name: str | None = Field(None, description="defaults to 'source->target'")
    source: str
    target: str
    sign: Literal["excitatory", "inhibitory", "mixed"] = "excitatory"

    @property
    def label(self) -> str:
        return self.name or f"{self.source}->{self.target}"

    @property
    def signed(self) -> float:
        """Factor from `matrix()` to signed weights (mixed weights carry their own sign)."""
        return -1.0 if self.sign == "inhibitory" else 1.0


class DenseConnection(_Connection):
    """All-to-all, with explicit `weights` [target, source] or an `init`; optionally plastic."""

    kind: Literal["dense"] = "dense"
    weights: list[list[float]] | None = None
    weights_scale: float | None = Field(
        None, gt=0, description="if set, `weights` are learned fixed-point values in units of "
        "1/weights_scale (written by `neurokit train`): the weight is weights / weights_scale",
    )
    weight_exp: int | None = Field(
        None, ge=-8, le=7, description="fixed point: weight = mantissa · 2^weight_exp (null: chosen)")
    init: Initializer | None = None
    learning: LearningRule | None = None
    pruning: Pruning | None = None

    def matrix(self, n_source: int, n_target: int, rng: np.random.Generator) -> np.ndarray:
        if self.weights is not None:
            return np.asarray(self.weights, dtype=np.float64) / (self.weights_scale or 1.0)
        init = self.init
        if isinstance(init, UniformInit):
            return rng.uniform(init.low, init.high, size=(n_target, n_source))
        return np.full((n_target, n_source), init.value)


class OneToOneConnection(_Connection):
    """Neuron i of the source drives neuron i of the target with `weight`."""

    kind: Literal["one_to_one"] = "one_to_one"
    weight: float = Field(ge=0)

    def matrix(self, n_source: int, n_target: int, rng: np.random.Generator) -> np.ndarray:
        return np.eye(n_target, n_source) * self.weight


class AllToAllExceptSelfConnection(_Connection):
    """Neuron i drives every target neuron except neuron i (lateral inhibition); with `radius` r,
    only the targets j ≠ i whose position lies within r of neuron i's: on the line of indices,
    |i − j| ≤ r, or on `grid` [rows, cols] (C order), max(|Δrow|, |Δcol|) ≤ r (a square
    neighbourhood, as SpykeTorch's lateral inhibition). r = 0 connects nothing."""

    kind: Literal["all_to_all_except_self"] = "all_to_all_except_self"
    weight: float = Field(ge=0)
    radius: int | None = Field(None, ge=0, description="neighbourhood of each neuron; null: all neurons")
    grid: list[Annotated[int, Field(ge=1)]] | None = Field(
        None, min_length=2, max_length=2, description="[rows, cols] arrangement of the neurons for `radius`")

    def matrix(self, n_source: int, n_target: int, rng: np.random.Generator) -> np.ndarray:
        others = 1.0 - np.eye(n_target, n_source)
        if self.radius is None:
            return others * self.weight
        index = np.arange(n_target)
        pos = np.stack(np.unravel_index(index, self.grid), axis=1) if self.grid else index[:, None]
        near = np.abs(pos[:, None, :] - pos[None, :, :]).max(axis=2) <= self.radius  # Chebyshev distance
        return others * near * self.weight


class SparseConnection(_Connection):
    """Explicit synapses: `pre[k]` → `post[k]` with `weights[k]`."""

    kind: Literal["sparse"] = "sparse"
    pre: list[int]
    post: list[int]
    weights: list[float]

    def matrix(self, n_source: int, n_target: int, rng: np.random.Generator) -> np.ndarray:
        w = np.zeros((n_target, n_source))
        w[np.asarray(self.post, int), np.asarray(self.pre, int)] = self.weights
        return w


def _pair(x: int | list[int]) -> tuple[int, int]:
    return (x, x) if isinstance(x, int) else (int(x[0]), int(x[1]))


def _as_pair(x):
    return [x, x] if isinstance(x, int) and not isinstance(x, bool) else x


# [y, x]; a single number n means [n, n] (stored as the pair)
IntPair = Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=2, max_length=2), BeforeValidator(_as_pair)]


class _Window(_Connection):
    """A 2-D sliding window over [C, H, W]: out[y, x] reads in[y·s − p + k·d] (PyTorch's rule),
    H_out = ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1."""

    stride: IntPair = Field(default_factory=lambda: [1, 1])
    padding: IntPair = Field(default_factory=lambda: [0, 0])
    dilation: IntPair = Field(default_factory=lambda: [1, 1])

    def out_hw(self, kernel: tuple[int, int], hw: tuple[int, int]) -> tuple[int, int]:
        s, p, d = _pair(self.stride), _pair(self.padding), _pair(self.dilation)
        return tuple((hw[a] + 2 * p[a] - d[a] * (kernel[a] - 1) - 1) // s[a] + 1 for a in (0, 1))

    def taps(self, kernel, in_hw):
        """For each output position and kernel tap: (flat output pixel, kernel index, flat input
        pixel), only taps that land inside the input (padding reads zeros)."""
        s, p, d = _pair(self.stride), _pair(self.padding), _pair(self.dilation)
        oh, ow = self.out_hw(kernel, in_hw)
        oy, ox, ky, kx = np.meshgrid(np.arange(oh), np.arange(ow), np.arange(kernel[0]), np.arange(kernel[1]),
                                     indexing="ij")
        iy, ix = oy * s[0] - p[0] + ky * d[0], ox * s[1] - p[1] + kx * d[1]
        ok = (iy >= 0) & (iy < in_hw[0]) & (ix >= 0) & (ix < in_hw[1])
        return (oy * ow + ox)[ok], (ky * kernel[1] + kx)[ok], (iy * in_hw[1] + ix)[ok]


class Conv2dConnection(_Window):
    """2-D convolution (cross-correlation, as PyTorch and NIR `Conv2d`); `weights` is
    [out_channels, in_channels / groups, kernel_h, kernel_w]."""

    kind: Literal["conv2d"] = "conv2d"
    weights: list[list[list[list[float]]]]
    groups: int = Field(1, ge=1)
    weight_exp: int | None = Field(
        None, ge=-8, le=7, description="fixed point: weight = mantissa · 2^weight_exp (null: chosen)")

    @property
    def kernel(self) -> np.ndarray:
        return np.asarray(self.weights, dtype=np.float64)

    def matrix(self, src_shape, tgt_shape) -> np.ndarray:
        k = self.kernel
        (c_in, h, w), (c_out, oh, ow) = src_shape, tgt_shape
        pix_out, tap, pix_in = self.taps(k.shape[2:], (h, w))
        m = np.zeros((c_out, oh * ow, c_in, h * w))
        per_in, per_out = c_in // self.groups, c_out // self.groups
        for co in range(c_out):
            g = co // per_out
            for cl in range(per_in):
                # several taps may hit the same input pixel only with overlapping dilation: add them
                np.add.at(m[co, :, g * per_in + cl], (pix_out, pix_in), k[co, cl].ravel()[tap])
        return m.reshape(c_out * oh * ow, c_in * h * w)


class Pool2dConnection(_Window):
    """Sum pooling per channel with `weight` on every tap (average pooling: weight / k_h·k_w)."""

    kind: Literal["pool2d"] = "pool2d"
    kernel_size: IntPair
    weight: float = Field(1.0, description="weight of every tap (1: sum pooling)")
    weight_exp: int | None = Field(
        None, ge=-8, le=7, description="fixed point: weight = mantissa · 2^weight_exp (null: chosen)")

    def matrix(self, src_shape, tgt_shape) -> np.ndarray:
        (c, h, w), (_, oh, ow) = src_shape, tgt_shape
        pix_out, _, pix_in = self.taps(_pair(self.kernel_size), (h, w))
        m = np.zeros((c, oh * ow, c, h * w))
        for ch in range(c):
            np.add.at(m[ch, :, ch], (pix_out, pix_in), self.weight)
        return m.reshape(c * oh * ow, c * h * w)


Connection = Annotated[
    Union[DenseConnection, OneToOneConnection, AllToAllExceptSelfConnection, SparseConnection,
          Conv2dConnection, Pool2dConnection],
    Field(discriminator="kind"),
]
