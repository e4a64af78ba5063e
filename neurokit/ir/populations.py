"""Populations: spiking neurons of one model, or an input population driven by an encoder."""
from __future__ import annotations

import math
from typing import Annotated, Literal, Union

from pydantic import Discriminator, Field, Tag, model_validator

from neurokit.ir.base import IRModel
from neurokit.ir.encoders import RateEncoder
from neurokit.ir.neurons import LIF, AdaptiveLIF


class _Population(IRModel):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    size: int = Field(ge=1)
    shape: list[int] | None = Field(None, description="e.g. [28, 28]; its product is `size`")

    @model_validator(mode="after")
    def _shape_matches(self):
        if self.shape is not None and math.prod(self.shape) != self.size:
            raise ValueError(f"shape {self.shape} has {math.prod(self.shape)} elements, size is {self.size}")
        return self


class NeuronPopulation(_Population):
    kind: Literal["neurons"] = "neurons"
    neuron: Annotated[Union[LIF, AdaptiveLIF], Field(discriminator="kind")]


class InputPopulation(_Population):
    kind: Literal["input"] = "input"
    encoder: RateEncoder


def _population_kind(data) -> str:
    """`kind` may be omitted: a population with an `encoder` is an input, otherwise neurons."""
    if isinstance(data, dict):
        return data.get("kind") or ("input" if "encoder" in data else "neurons")
    return getattr(data, "kind", "neurons")


Population = Annotated[
    Union[Annotated[NeuronPopulation, Tag("neurons")], Annotated[InputPopulation, Tag("input")]],
    Discriminator(_population_kind),
]
