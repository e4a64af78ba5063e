"""The network: populations, connections, a time step, and the checks that tie them together."""
from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

import numpy as np
from pydantic import Field, StrictInt, field_validator

from neurokit.ir.base import SCHEMA_VERSION, IRModel, SelfChecked
from neurokit.ir.connections import (
    Connection,
    Conv2dConnection,
    DenseConnection,
    Pool2dConnection,
    SparseConnection,
    _pair,
)
from neurokit.ir.populations import InputPopulation, NeuronPopulation, Population


class RePresent(IRModel):
    """Diehl & Cook's re-presentation: a sample to which the readout population answers with
    fewer than `min_spikes` spikes is shown again, from a reset network, with the input encoder's
    `max_rate_hz` raised by `rate_step_hz` (32 Hz in the paper) each time, up to
    `max_presentations` presentations; the answer is read from the last one. In inference
    (neurokit.re_present), in the labelling run of a label_assignment or class_profiles readout
    after training, and with `while_learning` in training too (learning stays on, as in the
    paper; Poisson or Bernoulli inputs). The host decides between presentations (on a chip: read
    the counts, write the encoder's rate)."""

    min_spikes: int = Field(5, ge=1, description="readout spikes a presentation needs to count as an answer")
    rate_step_hz: float = Field(31.875, gt=0, description="input rate added at each new presentation, Hz")
    max_presentations: int = Field(8, ge=2, description="presentations of one sample at most, the first included")
    while_learning: bool = Field(False, description="show quiet training samples again too (Diehl & Cook do; "
                                                    "measured at 1,600 neurons: no gain, and training slower)")

    def rate_hz(self, base_hz: float, k: int) -> float:
        """The input's max_rate_hz at presentation k (0: the first, at the encoder's own rate)."""
        return base_hz + k * self.rate_step_hz


class Readout(IRModel):
    """How a run becomes an answer; `classes` (set by training) lists the classes it knows.

    - `class_groups`: `population` is split into one equal group per class, in the order of
      `classes`, and the class whose group fired most wins (for the supervised rule, which
      teaches group k the k-th class);
    - `label_assignment` (Diehl & Cook 2015, for unsupervised rules): after training, each neuron
      is labelled with the class to which it answered most on average over the training images
      (`labels`, −1 for a neuron that never fired); a sample's class is the one whose labelled
      neurons fire most on average;
    - `class_profiles` (a soft label assignment, any rule): after training, each neuron's mean
      response to each class over the training images, as shares of their sum (`profiles`,
      P[n, k]); a sample's class is argmax_k Σ_n c_n·P[n, k] for its spike counts c, so a neuron
      that answers two classes votes for both, and one that learned another group's class votes
      for that class;
    - `argmax` (imported classifiers): neuron i of `population` stands for `classes[i]` (default
      0..size−1) and the neuron that fired most wins (ties: the lower index, as torch.argmax).
    """

    kind: Literal["class_groups", "label_assignment", "class_profiles", "argmax"] = "class_groups"
    population: str
    classes: list[int] | None = None
    labels: list[int] | None = Field(None, description="label_assignment: the class of each neuron (−1: none)")
    profiles: list[list[float]] | None = Field(None, description="class_profiles: per neuron, the share of its mean "
                                               "training response each class drew (in the order of classes; a row "
                                               "of zeros: a neuron that never fired)")
    re_present: RePresent | None = Field(None, description="show a sample again, with stronger input, while the "
                                                           "readout answers with too few spikes (null: once)")


class Network(IRModel, SelfChecked):
    schema_version: StrictInt = Field(description=f"format version of the file; this neurokit reads {SCHEMA_VERSION}")
    name: str
    dt_ms: float = Field(1.0, gt=0, description="simulation time step, ms")
    seed: int = Field(0, ge=0, description="seed of the weight initialisers")
    metadata: dict[str, Any] = Field(default_factory=dict)
    populations: list[Population] = Field(min_length=1)
    connections: list[Connection] = Field(default_factory=list)
    readout: Readout | None = None

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != SCHEMA_VERSION:
            raise ValueError(f"schema_version {v} is not supported; this neurokit reads version {SCHEMA_VERSION}")
        return v

    @field_validator("metadata")
    @classmethod
    def _finite_metadata(cls, v: dict) -> dict:
        """Free-form, but it must survive JSON: no NaN or infinity anywhere in it."""
        todo = [v]
        while todo:
            x = todo.pop()
            if isinstance(x, float) and not np.isfinite(x):
                raise ValueError("metadata may hold any YAML/JSON data except NaN and infinite numbers")
            if isinstance(x, dict):
                todo.extend(x.values())
            elif isinstance(x, (list, tuple)):
                todo.extend(x)
        return v

    # -- lookups ------------------------------------------------------------------------------
    def population(self, name: str) -> Population:
        for p in self.populations:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def input_population(self) -> InputPopulation:
        return next(p for p in self.populations if isinstance(p, InputPopulation))

    @property
    def neuron_populations(self) -> list[NeuronPopulation]:
        return [p for p in self.populations if isinstance(p, NeuronPopulation)]

    def steps(self, ms: float) -> int:
        return int(round(ms / self.dt_ms))

    @property
    def presentation_steps(self) -> int:
        return self.steps(self.input_population.encoder.presentation_ms)

    @property
    def steps_per_sample(self) -> int:
        enc = self.input_population.encoder
        return self.steps(enc.presentation_ms) + self.steps(enc.rest_ms)

    def weight_matrices(self) -> dict[str, np.ndarray]:
        """Float weight magnitudes [target, source] per connection label (initialisers drawn)."""
        return dict(self._weights)

    @cached_property
    def _weights(self) -> dict[str, np.ndarray]:
        from neurokit import memory

        sizes = {p.name: p.size for p in self.populations}
        memory.check(memory.weight_bytes((sizes[c.source], sizes[c.target]) for c in self.connections),
                     f"the weight matrices of network {self.name!r}")
        out = {}
        for i, c in enumerate(self.connections):
            rng = np.random.default_rng([self.seed, i])
            src, tgt = self.population(c.source), self.population(c.target)
            if isinstance(c, (Conv2dConnection, Pool2dConnection)):
                out[c.label] = c.matrix(src.shape, tgt.shape)
            else:
                out[c.label] = c.matrix(src.size, tgt.size, rng)
        return out

    def problems(self):
        return _problems(self)


def _problems(net: Network):
    """Yield one 'path: what is wrong' line per cross-reference or shape problem."""
    names = [p.name for p in net.populations]
    for i, p in enumerate(net.populations):
        if names.index(p.name) != i:
            yield f"populations[{i}].name: {p.name!r} is already used by populations[{names.index(p.name)}]"
    inputs = [i for i, p in enumerate(net.populations) if isinstance(p, InputPopulation)]
    if len(inputs) != 1:
        yield f"populations: need exactly one population of kind 'input', found {len(inputs)}"
    for i in inputs:
        enc = net.populations[i].encoder
        for field in ("presentation_ms", "rest_ms"):
            value = getattr(enc, field)
            if abs(value / net.dt_ms - round(value / net.dt_ms)) > 1e-9:
                yield f"populations[{i}].encoder.{field}: {value} is not a multiple of dt_ms={net.dt_ms}"
        if enc.kind == "ttfs" and net.steps(enc.t0_ms + enc.delta_ms) >= net.steps(enc.presentation_ms):
            yield (f"populations[{i}].encoder: t0_ms + delta_ms = {enc.t0_ms + enc.delta_ms:g} ms must fall inside "
                   f"presentation_ms = {enc.presentation_ms:g} ms")
        if enc.kind == "gaussian" and net.populations[i].size % enc.neurons_per_value:
            yield (f"populations[{i}].size: {net.populations[i].size} is not a multiple of "
                   f"encoder.neurons_per_value = {enc.neurons_per_value}")
        if getattr(enc, "max_rate_hz", 0) * net.dt_ms / 1000 > 1:
            yield (f"populations[{i}].encoder.max_rate_hz: {enc.max_rate_hz} Hz exceeds one spike "
                   f"per step (at most {1000 / net.dt_ms:g} Hz at dt_ms={net.dt_ms})")
    for i, p in enumerate(net.populations):
        if len(inputs) == 1 and getattr(p, "reset_step", 0) >= net.steps_per_sample:
            yield (f"populations[{i}].reset_step: {p.reset_step} is not a step of a sample "
                   f"(0..{net.steps_per_sample - 1})")
        bias = getattr(getattr(p, "neuron", None), "bias", None)
        if isinstance(bias, list) and len(bias) != p.size:
            yield f"populations[{i}].neuron.bias: has {len(bias)} values, the population {p.size} neurons"
        theta = getattr(getattr(p, "neuron", None), "theta_init", None)
        if theta is not None and len(theta) != p.size:
            yield f"populations[{i}].neuron.theta_init: has {len(theta)} values, the population {p.size} neurons"
    by_name = {p.name: p for p in net.populations}
    labels: dict[str, int] = {}
    for i, c in enumerate(net.connections):
        where = f"connections[{i}]"
        if c.label in labels:
            yield f"{where}.name: {c.label!r} is already used by connections[{labels[c.label]}]"
        labels.setdefault(c.label, i)
        src, tgt = by_name.get(c.source), by_name.get(c.target)
        for field, pop, name in (("source", src, c.source), ("target", tgt, c.target)):
            if pop is None:
                yield f"{where}.{field}: unknown population {name!r}; known: {', '.join(names)}"
        if isinstance(tgt, InputPopulation):
            yield f"{where}.target: {c.target!r} is an input population and cannot receive connections"
        if src is None or tgt is None:
            continue
        if isinstance(c, (Conv2dConnection, Pool2dConnection)):
            yield from _window_problems(where, c, src, tgt)
        else:
            yield from _shape_problems(where, c, src.size, tgt.size)
        if c.sign != "mixed" and isinstance(c, (Conv2dConnection, Pool2dConnection)):
            w = np.asarray(c.weights if isinstance(c, Conv2dConnection) else [c.weight])
            if np.min(w) < 0:
                yield f"{where}.weights: negative weights need sign: mixed (excitatory and inhibitory take magnitudes)"
    r = net.readout
    if r is not None and r.re_present is not None and len(inputs) == 1:
        enc, rp = net.populations[inputs[0]].encoder, r.re_present
        top = getattr(enc, "max_rate_hz", 0) + rp.rate_step_hz * (rp.max_presentations - 1)
        if not hasattr(enc, "max_rate_hz"):
            yield (f"readout.re_present: raises the input's max_rate_hz, but the {enc.kind!r} encoder has none "
                   "(rate encoders: poisson, bernoulli, periodic, gaussian)")
        elif top * net.dt_ms / 1000 > 1:
            yield (f"readout.re_present: the last presentation's rate, {top:g} Hz, exceeds one spike per step "
                   f"({1000 / net.dt_ms:g} Hz at dt_ms={net.dt_ms}); lower rate_step_hz or max_presentations")
    if r is not None and not isinstance(by_name.get(r.population), NeuronPopulation):
        yield f"readout.population: {r.population!r} is not a population of neurons"
    elif r is not None and r.kind == "argmax" and r.classes is not None and len(r.classes) != by_name[r.population].size:
        yield (f"readout.classes: an argmax readout names the class of each of the {by_name[r.population].size} "
               f"neurons of {r.population!r}, got {len(r.classes)}")
    elif r is not None and r.labels is not None:
        size = by_name[r.population].size
        if r.kind != "label_assignment":
            yield "readout.labels: only a label_assignment readout has labels"
        elif len(r.labels) != size:
            yield f"readout.labels: has {len(r.labels)} values, population {r.population!r} {size} neurons"
        elif not set(r.labels) <= set(r.classes or []) | {-1}:
            yield "readout.labels: each label must be one of readout.classes, or -1 (a neuron that never fired)"
    if r is not None and r.profiles is not None and isinstance(by_name.get(r.population), NeuronPopulation):
        yield from _profile_problems(r, by_name[r.population].size)


def _profile_problems(r: Readout, size: int):
    if r.kind != "class_profiles":
        yield "readout.profiles: only a class_profiles readout has profiles"
        return
    p = np.asarray(r.profiles, dtype=float) if len({len(row) for row in r.profiles}) <= 1 else None
    if p is None or p.shape != (size, len(r.classes or [])):
        got = "rows of unequal length" if p is None else f"{p.shape[0]} × {p.shape[1] if p.ndim == 2 else 0}"
        yield (f"readout.profiles: needs one row per neuron of {r.population!r} and one column per class of "
               f"readout.classes ({size} × {len(r.classes or [])}), got {got}")
    elif (p < 0).any():
        row = int(np.argwhere(p < 0)[0][0])
        yield f"readout.profiles[{row}]: shares of a response cannot be negative"


def _shape_problems(where: str, c, n_src: int, n_tgt: int):
    if isinstance(c, DenseConnection):
        if (c.weights is None) == (c.init is None):
            yield f"{where}: give exactly one of 'weights' or 'init'"
        if c.weights is not None:
            w = c.weights
            rows, cols = len(w), {len(r) for r in w}
            if rows != n_tgt or cols != {n_src}:
                got = f"{rows}x{cols.pop()}" if len(cols) == 1 else f"{rows} rows of lengths {sorted(cols)}"
                yield (f"{where}.weights: shape is {got}, expected {n_tgt}x{n_src} "
                       f"[target {c.target!r} size x source {c.source!r} size]")
            elif not np.all(np.isfinite(w)) or (c.sign != "mixed" and np.min(w) < 0):
                yield f"{where}.weights: must be finite and >= 0 (the sign comes from 'sign'; signed weights need sign: mixed)"
        if c.learning is not None and c.sign == "mixed":
            yield f"{where}.learning: plastic connections take one sign (excitatory or inhibitory), not mixed"
        if c.learning is not None and c.learning.kind == "stdp_all_ltd" and c.sign != "excitatory":
            yield f"{where}.learning: the supervised rule needs an excitatory connection"
        if c.pruning is not None and c.learning is None:
            yield f"{where}.pruning: a pruning timer needs a learning rule on the same connection"
    elif isinstance(c, SparseConnection):
        if not (len(c.pre) == len(c.post) == len(c.weights)):
            yield f"{where}: 'pre', 'post' and 'weights' must have the same length"
        for field, idx, n in (("pre", c.pre, n_src), ("post", c.post, n_tgt)):
            bad = [k for k, j in enumerate(idx) if not 0 <= j < n]
            if bad:
                yield f"{where}.{field}[{bad[0]}]: index {idx[bad[0]]} out of range 0..{n - 1}"
        if c.sign != "mixed" and any(w < 0 for w in c.weights):
            yield f"{where}.weights: must be >= 0 (the sign comes from 'sign'; signed weights need sign: mixed)"
        seen: dict[tuple[int, int], int] = {}
        for k, pair in enumerate(zip(c.pre, c.post)):
            if pair in seen:
                yield (f"{where}.pre[{k}], post[{k}]: synapse {pair[0]} -> {pair[1]} is already given at index "
                       f"{seen[pair]}; each synapse may appear once")
                break
            seen[pair] = k
    elif n_src != n_tgt:
        yield f"{where}: {c.kind} needs equal sizes, source {c.source!r} has {n_src}, target {c.target!r} has {n_tgt}"
    elif getattr(c, "grid", None) is not None and c.grid[0] * c.grid[1] != n_tgt:
        yield f"{where}.grid: {c.grid} holds {c.grid[0] * c.grid[1]} neurons, target {c.target!r} has {n_tgt}"
    elif getattr(c, "grid", None) is not None and c.radius is None:
        yield f"{where}.grid: arranges the neurons for a radius; give radius too (or drop grid)"


def _window_problems(where: str, c, src, tgt):
    """Convolution and pooling: both ends need a [C, H, W] shape, and the target's must be the
    one the window produces."""
    for end, pop in (("source", src), ("target", tgt)):
        if pop.shape is None or len(pop.shape) != 3:
            yield f"{where}.{end}: {c.kind} needs population {pop.name!r} to have a shape [channels, height, width]"
            return
    (c_in, h, w), (c_out, oh, ow) = src.shape, tgt.shape
    if isinstance(c, Conv2dConnection):
        k = np.asarray(c.weights, dtype=float)
        if k.ndim != 4 or k.size == 0:
            yield f"{where}.weights: must be [out_channels, in_channels / groups, kernel_h, kernel_w]"
            return
        if c_in % c.groups or c_out % c.groups:
            yield f"{where}.groups: {c.groups} must divide the channels in ({c_in}) and out ({c_out})"
            return
        if k.shape[:2] != (c_out, c_in // c.groups):
            yield (f"{where}.weights: shape {list(k.shape)} has {k.shape[0]} x {k.shape[1]} channels, expected "
                   f"{c_out} x {c_in // c.groups} (target channels x source channels / groups)")
            return
        kernel, channels = k.shape[2:], c_in
    else:
        kernel, channels = _pair(c.kernel_size), c_in
        if c_out != channels:
            yield f"{where}: pooling keeps the channels: source has {c_in}, target {c_out}"
            return
    expected = c.out_hw(kernel, (h, w))
    if min(expected) < 1 or min(kernel) < 1 or min(_pair(c.stride)) < 1 or min(_pair(c.dilation)) < 1:
        yield f"{where}: kernel {list(kernel)} with this stride/padding/dilation does not fit a {h}x{w} input"
    elif (oh, ow) != tuple(expected):
        yield (f"{where}: target {c.target!r} has shape {tgt.shape}, the {c.kind} of a {h}x{w} input makes "
               f"{c_out}x{expected[0]}x{expected[1]}")
