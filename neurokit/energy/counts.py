"""Count what a run did, per inference (the mean over the run's samples). Per sample s:

    spikes[p]            = Σ_i n_i                          n_i: spikes of neuron i of population p
    synaptic_events[c]   = Σ_j n_j · fanout_c(j)            fanout_c(j) = #{i : w_c[i, j] ≠ 0}
    neuron_updates[p]    = size_p · T_steps,  split into
        active[p]        = #{(i, t) : neuron i received a synaptic event in step t, or spiked in it}
        inactive[p]      = neuron_updates[p] − active[p]
    learning_updates[c]  = Σ_j n_j · stored_out(j) + Σ_i n_i · stored_in(i)   (plastic c, learning on)
    model_time_s         = T_steps · dt_ms / 1000

A spike emitted in step t reaches its targets in step t + 1 (Lava's Dense delays by one step).
`active` needs spike rasters (of every neuron population and of the input); without them it is
bounded from above by min(size · T, events received + spikes) and `activity_exact` is False.
Routing (spike messages and mesh hops) needs a `Mapping`, see `neurokit.energy.routing`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from neurokit.mapping.synapses import synapses_of


@dataclass
class EventCounts:
    n_samples: int
    steps_per_sample: int
    dt_ms: float
    spikes: dict[str, float]
    synaptic_events: dict[str, float]            # per connection label
    synaptic_events_into: dict[str, float]       # per target population
    neuron_updates_active: dict[str, float]
    neuron_updates_inactive: dict[str, float]
    activity_exact: bool
    learning_updates: dict[str, float] = field(default_factory=dict)   # per target population
    routing: dict[str, dict[str, float]] | None = None  # source population -> messages/hops

    @property
    def model_time_s(self) -> float:
        return self.steps_per_sample * self.dt_ms / 1000.0

    def total(self, name: str) -> float:
        return float(sum(getattr(self, name).values()))

    def to_json(self) -> dict:
        out = {
            "spikes": self.spikes,
            "synaptic_events": self.total("synaptic_events_into"),
            "synaptic_events_by_connection": self.synaptic_events,
            "neuron_updates": {"active": self.total("neuron_updates_active"),
                               "inactive": self.total("neuron_updates_inactive"),
                               "total": self.total("neuron_updates_active") + self.total("neuron_updates_inactive"),
                               "active_exact": self.activity_exact},
            "learning_updates": self.total("learning_updates"),
            "model_time_s": self.model_time_s,
            "steps": self.steps_per_sample,
            "samples": self.n_samples,
        }
        if self.routing is not None:
            keys = ("messages_within_tile", "messages_across_tiles", "hops_east_west", "hops_north_south", "messages_across_chips")
            out["routing"] = {k: float(sum(r[k] for r in self.routing.values())) for k in keys}
        return out


def count_events(result, params, *, input_raster: np.ndarray | None = None, learning: bool = False,
                 mapping=None, profile=None) -> EventCounts:
    """Counts per inference from a `RunResult` and the `CompiledParams` it ran with.

    `input_raster` (bool [samples, inputs, steps], e.g. `encode_rate(net, flat, seed)`) and
    `result.rasters` make the active/inactive split exact. `learning=True` counts the synaptic
    updates of plastic connections. `mapping` + `profile` (with a mesh) add routing counts.
    """
    net = params.network
    syn = synapses_of(params)
    n_spk = {result.input_name: np.asarray(result.input_counts, float)}
    n_spk.update({k: np.asarray(v, float) for k, v in result.counts.items()})
    T = net.steps_per_sample
    spikes = {k: float(v.sum(axis=1).mean()) for k, v in n_spk.items()}
    events = {s.label: float((n_spk[s.source] @ s.fanout).mean()) for s in syn}
    into = {p.name: 0.0 for p in net.neuron_populations}
    for s in syn:
        into[s.target] += events[s.label]
    rasters = dict(result.rasters or {})
    if input_raster is not None:
        rasters[result.input_name] = np.asarray(input_raster, bool)
    exact = all(p.name in rasters for p in net.populations)
    active, inactive = {}, {}
    for p in net.neuron_populations:
        total = p.size * T
        if exact:
            a = _active_exact(p.name, syn, rasters)
        else:
            a = min(float(total), into[p.name] + spikes[p.name])
        active[p.name], inactive[p.name] = a, total - a
    learn = {p.name: 0.0 for p in net.neuron_populations}
    if learning:
        for s in syn:
            if s.plastic:
                pre = n_spk[s.source] @ s.stored.sum(axis=0)
                post = n_spk[s.target] @ s.stored.sum(axis=1)
                learn[s.target] += float((pre + post).mean())
    routing = None
    if mapping is not None and profile is not None and profile.mesh is not None:
        from neurokit.energy.routing import route_counts

        routing = route_counts(syn, n_spk, mapping, profile.mesh)
    return EventCounts(result.n_samples, T, net.dt_ms, spikes, events, into, active, inactive, exact, learn, routing)


def _active_exact(name: str, syn, rasters) -> float:
    """Mean over samples of #{(i, t): i received an event in step t (pre spike at t−1) or spiked at t}."""
    own = rasters[name]                                   # [samples, size, steps]
    received = np.zeros(own.shape, bool)
    for s in syn:
        if s.target != name:
            continue
        pre = rasters[s.source].astype(np.float32)        # [samples, n_src, steps]
        hits = np.matmul(s.fired.astype(np.float32), pre) > 0   # [samples, size, steps]
        received[:, :, 1:] |= hits[:, :, :-1]
    return float((received | own).sum(axis=(1, 2)).mean())
