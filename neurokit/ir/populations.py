"""Populations: spiking neurons of one model, or an input population driven by an encoder.

A neuron population is reset (u, v, refractory) at step `reset_step` of every sample, and its
spikes count for the sample from that step on. 0, the default, is neurokit's own convention.
A network imported from lava-dl resets layer k at step k: with one step of delay per
connection, that is when the sample's first spikes reach it, so each layer's window holds its
answer to this sample only (what came before the reset is the previous sample's residue and
belongs to no sample).
"""
from __future__ import annotations

import math
from typing import Annotated, Literal, Union

from pydantic import Discriminator, Field, Tag, model_validator

from neurokit.ir.base import IRModel
from neurokit.ir.encoders import Encoder
from neurokit.ir.neurons import IF, LI, LIF, AdaptiveLIF


class _Population(IRModel):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    size: int = Field(ge=1)
    shape: list[int] | None = Field(None, description="e.g. [28, 28], or [channels, height, width] for a "
                                     "convolution; its product is `size`, neurons numbered in C order")

    @model_validator(mode="after")
    def _shape_matches(self):
        if self.shape is not None and math.prod(self.shape) != self.size:
            raise ValueError(f"shape {self.shape} has {math.prod(self.shape)} elements, size is {self.size}")
        return self


class NeuronPopulation(_Population):
    kind: Literal["neurons"] = "neurons"
    neuron: Annotated[Union[LIF, AdaptiveLIF, IF, LI], Field(discriminator="kind")]
    fixed_scale: float | None = Field(
        None, gt=0, description="integer weight units per IR voltage unit in fixed point (1 for a "
        "network imported in Loihi's own units); null: chosen to fill the 8-bit weights")
    reset_step: int = Field(
        0, ge=0, description="step of each sample (0: its first) at which u, v and refractory are reset, "
        "and from which its spikes count for the sample; lava-dl's netx resets layer k at step k, when the "
        "sample's first spikes reach it")


class InputPopulation(_Population):
    kind: Literal["input"] = "input"
    encoder: Encoder


def _population_kind(data) -> str:
    """`kind` may be omitted: a population with an `encoder` is an input, otherwise neurons."""
    if isinstance(data, dict):
        return data.get("kind") or ("input" if "encoder" in data else "neurons")
    return getattr(data, "kind", "neurons")


Population = Annotated[
    Union[Annotated[NeuronPopulation, Tag("neurons")], Annotated[InputPopulation, Tag("input")]],
    Discriminator(_population_kind),
]
