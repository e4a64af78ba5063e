"""Connections between populations. Weights are magnitudes (≥ 0); `sign` says whether they
excite or inhibit, as on Loihi where a synapse group has one sign mode. Dense weight matrices
have shape [target.size, source.size] (row = postsynaptic neuron), as in Lava and PyTorch.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import Field

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
    sign: Literal["excitatory", "inhibitory"] = "excitatory"

    @property
    def label(self) -> str:
        return self.name or f"{self.source}->{self.target}"

    @property
    def signed(self) -> float:
        return 1.0 if self.sign == "excitatory" else -1.0


class DenseConnection(_Connection):
    """All-to-all, with explicit `weights` [target, source] or an `init`; optionally plastic."""

    kind: Literal["dense"] = "dense"
    weights: list[list[float]] | None = None
    weights_scale: float | None = Field(
        None, gt=0, description="if set, `weights` are learned fixed-point values in units of "
        "1/weights_scale (written by `neurokit train`): the weight is weights / weights_scale",
    )
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
    """Neuron i drives every target neuron except neuron i (lateral inhibition)."""

    kind: Literal["all_to_all_except_self"] = "all_to_all_except_self"
    weight: float = Field(ge=0)

    def matrix(self, n_source: int, n_target: int, rng: np.random.Generator) -> np.ndarray:
        return (1.0 - np.eye(n_target, n_source)) * self.weight


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


Connection = Annotated[
    Union[DenseConnection, OneToOneConnection, AllToAllExceptSelfConnection, SparseConnection],
    Field(discriminator="kind"),
]
