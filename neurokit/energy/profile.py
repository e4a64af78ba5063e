"""The schema of a hardware profile (one YAML file per chip in `neurokit/hw_profiles/`).

Every number is a `Figure`: a value with its unit, its source (a key of `sources`), where in
the source it is (table, section), and its kind: `measured` (on silicon), `simulated`
(pre-silicon, e.g. SPICE), `derived` (computed from other published numbers, said how) or,
for resource limits, `specified` (a design parameter of the chip as its makers describe it).
A cost the chip certainly pays but nobody has published is listed under `unknown` with the
reason; the estimator then reports it as unknown instead of inventing it. A component a profile
says nothing about (no figure, not under `unknown`, not under `not_modelled`) is unknown too,
never 0 J. A cost the source's
model does not separate (TrueNorth's 26 pJ per synaptic event is whole-chip energy) is listed
under `not_modelled`. An `assumption` is a named, stated substitute the user may opt into.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from neurokit.ir.base import SelfChecked

PROFILE_SCHEMA_VERSION = 1

# Report components and the figures each one needs (see docs/energy.md for the formulas).
COMPONENTS: dict[str, tuple[tuple[str, ...], ...]] = {
    # component: alternatives, each a tuple of figure names that together price it
    "synaptic_events": (("synaptic_event",),),
    "neuron_updates": (("neuron_update_active", "neuron_update_inactive"), ("neuron_update",)),
    "learning_updates": (("learning_update",),),
    "spikes": (("spike",),),
    "routing": (("spike_within_tile", "hop_east_west", "hop_north_south"),),
    "static": (("static_power",),),
}
ENERGY_UNITS = {"J": 1.0, "nJ": 1e-9, "pJ": 1e-12, "fJ": 1e-15}
POWER_UNITS = {"W": 1.0, "mW": 1e-3, "uW": 1e-6}
LIMIT_UNITS = {"synaptic_memory_per_core": "KB", "weight_bits_max": "bit",
               "synaptic_word_bits": "bit"}  # others: "1" (a count)


class _Strict(BaseModel):
    # allow_inf_nan=False: an energy of .inf or .nan is refused, never priced
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Figure(_Strict):
    """One published number: `value` in `unit`, from `source` (`where` in it), of a `kind`."""

    value: float = Field(ge=0)
    unit: str = Field(description="pJ/nJ/J for energies, W/mW for power, '1' for counts, KB for memory")
    source: str = Field(description="a key of the profile's `sources`")
    where: str = Field(min_length=1, description="table, figure or section in the source")
    kind: Literal["measured", "simulated", "derived", "specified"]
    note: str | None = None

    def si(self, scale: dict[str, float]) -> float:
        return self.value * scale[self.unit]


class Mesh(_Strict):
    """Cores on a 2-D mesh of tiles: core c sits on tile c // cores_per_tile, tile t at
    (x, y) = (t mod tiles_x, t div tiles_x)."""

    cores_per_tile: Figure
    tiles_x: Figure
    tiles_y: Figure


class Limits(_Strict):
    """Resource limits checked by the mapping; a missing limit is not checked (and said so)."""

    cores_per_chip: Figure
    neurons_per_core: Figure | None = None
    input_axons_per_core: Figure | None = Field(None, description="fan-in: distinct source neurons per core")
    output_edges_per_core: Figure | None = Field(None, description="fan-out: (neuron, destination core) routes per core")
    output_cores_per_neuron: Figure | None = None
    synapses_per_core: Figure | None = None
    synaptic_memory_per_core: Figure | None = Field(None, description="unit KB (1024 bytes)")
    synaptic_word_bits: Figure | None = Field(
        None, description="unit bit: synaptic memory is allocated in words of this width and a `dense` "
        "connection is stored as dense rows (every neuron of the core, zeros included), one row of whole "
        "words per input axon; see neurokit/mapping/place.py")
    weight_bits_max: Figure | None = None
    neurons_per_chip: Figure | None = None
    synapses_per_chip: Figure | None = None


class Assumption(_Strict):
    """A named substitute for unknown figures: take `energy_from`'s energies (and mesh)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    statement: str = Field(min_length=20)
    energy_from: str


class HardwareProfile(_Strict, SelfChecked):
    schema_version: Literal[1] = PROFILE_SCHEMA_VERSION
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    kind: Literal["neuromorphic", "ann", "model"]
    sources: dict[str, str] = Field(min_length=1, description="key -> full citation (authors, title, venue, year)")
    limits: Limits | None = None
    mesh: Mesh | None = None
    energy: dict[str, Figure] = Field(default_factory=dict)
    unknown: dict[str, str] = Field(default_factory=dict, description="component -> why it is unknown")
    not_modelled: dict[str, str] = Field(default_factory=dict, description="component -> why it is left out")
    assumptions: list[Assumption] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def problems(self):
        return _problems(self)

    def joules(self, figure: str) -> float:
        return self.energy[figure].si(ENERGY_UNITS)

    def figure_value(self, path: str) -> float | None:
        """`limits.neurons_per_core` -> its value, None when the profile does not give it."""
        obj = self
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj.value


FIGURE_NAMES = {name for alts in COMPONENTS.values() for alt in alts for name in alt} | {"mac", "mac_int8"}


def _problems(p: HardwareProfile):
    for key, fig in p.energy.items():
        where = f"energy.{key}"
        if key not in FIGURE_NAMES:
            yield f"{where}: unknown figure name; allowed: {', '.join(sorted(FIGURE_NAMES))}"
        units = POWER_UNITS if key == "static_power" else ENERGY_UNITS
        if fig.unit not in units:
            yield f"{where}.unit: {fig.unit!r} is not allowed here; use one of {', '.join(units)}"
    for section in ("unknown", "not_modelled"):
        for key in getattr(p, section):
            if key not in COMPONENTS:
                yield f"{section}.{key}: not a component; allowed: {', '.join(COMPONENTS)}"
            elif any(all(f in p.energy for f in alt) for alt in COMPONENTS[key]):
                yield f"{section}.{key}: the profile also gives figures for it under 'energy'"
    for group in ("limits", "mesh"):
        obj = getattr(p, group)
        for k, fig in (obj or {}):
            want = LIMIT_UNITS.get(k, "1")
            if fig is not None and fig.unit != want:
                yield f"{group}.{k}.unit: {fig.unit!r} is not allowed here; use {want!r}"
    figures = [("energy." + k, f) for k, f in p.energy.items()]
    for group in ("limits", "mesh"):
        obj = getattr(p, group)
        if obj is not None:
            figures += [(f"{group}.{k}", f) for k, f in obj if f is not None]
    for path, fig in figures:
        if fig.source not in p.sources:
            yield f"{path}.source: {fig.source!r} is not a key of 'sources' ({', '.join(p.sources)})"
    for i, a in enumerate(p.assumptions):
        if a.energy_from == p.name:
            yield f"assumptions[{i}].energy_from: a profile cannot borrow from itself"
