"""Counts × a profile's figures = an `EnergyReport` for one inference.

    E_synaptic = synaptic_events · E_syn
    E_neuron   = active · E_active + inactive · E_inactive     (or updates · E_update)
    E_learning = learning_updates · E_learn
    E_spikes   = N_spikes · E_spike                              (all populations, input included)
    E_routing  = within_tile · E_tile + hops_EW · E_EW + hops_NS · E_NS
    E_static   = P_static · T_model
    E          = Σ of the components the profile prices
    E_ANN      = N_MAC · E_MAC                                   (see neurokit.energy.ann)

A component the profile lists as `unknown`, or does not mention at all, is reported as None
(with its reason) when its count is non-zero, and then the total is None too: `known_joules_per_inference` sums what is
known. Components the profile does not model are left out and listed with the reason.
Per population: synaptic, learning and neuron energy go to the population whose synapses or
neurons they are (the target); spike and routing energy to the population that fired.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from neurokit.energy.ann import ann_macs
from neurokit.energy.profile import COMPONENTS, POWER_UNITS

DEFAULT_ANN_BASELINE = "ann-45nm"


@dataclass
class EnergyReport:
    profile: str
    title: str
    breakdown: dict[str, float | None]
    by_population: dict[str, float]
    unknown: dict[str, str]
    not_modelled: dict[str, str]
    counts: dict
    ann_macs: int
    ann_mac_joules: float
    ann_source: str
    assumptions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mapping: dict | None = None

    @property
    def known_joules_per_inference(self) -> float:
        return float(sum(v for v in self.breakdown.values() if v is not None))

    @property
    def joules_per_inference(self) -> float | None:
        return None if any(v is None for v in self.breakdown.values()) else self.known_joules_per_inference

    @property
    def ann_equivalent_joules(self) -> float:
        return self.ann_macs * self.ann_mac_joules

    def to_json(self) -> dict:
        return {
            "profile": self.profile, "title": self.title,
            "joules_per_inference": self.joules_per_inference,
            "known_joules_per_inference": self.known_joules_per_inference,
            "breakdown": self.breakdown, "by_population": self.by_population,
            "unknown": self.unknown, "not_modelled": self.not_modelled,
            "counts": self.counts,
            "ann_equivalent_joules": self.ann_equivalent_joules,
            "ann": {"macs": self.ann_macs, "joules_per_mac": self.ann_mac_joules, "source": self.ann_source},
            "assumptions": self.assumptions, "notes": self.notes, "mapping": self.mapping,
        }


def estimate(counts, profile, net, *, ann_baseline=None, assumptions: list[str] | None = None,
             mapping=None) -> EnergyReport:
    """Price `counts` (an `EventCounts`) with `profile`; `ann_baseline` prices the ANN twin
    (default: the profile's own `mac`, else ann-45nm's)."""
    e = profile.energy
    pops = [p.name for p in net.neuron_populations]
    by_pop = {p.name: 0.0 for p in net.populations}
    parts: dict[str, float | None] = {}
    unknown: dict[str, str] = {}

    def put(component, count, price):  # price(): joules, and adds to by_pop
        if not any(all(f in e for f in alt) for alt in COMPONENTS[component]):
            if component in profile.not_modelled:
                return
            why = profile.unknown.get(component) or (
                f"the profile gives no figure for it ({' or '.join('+'.join(alt) for alt in COMPONENTS[component])}) "
                "and does not list it under 'unknown' or 'not_modelled'")
            if count > 0:
                parts[component], unknown[component] = None, why
            else:
                parts[component] = 0.0
            return
        parts[component] = price()

    def syn():
        j = profile.joules("synaptic_event")
        for p in pops:
            by_pop[p] += counts.synaptic_events_into[p] * j
        return counts.total("synaptic_events_into") * j

    def neu():
        if "neuron_update_active" in e and "neuron_update_inactive" in e:
            ja, ji = profile.joules("neuron_update_active"), profile.joules("neuron_update_inactive")
        else:
            ja = ji = profile.joules("neuron_update")
        total = 0.0
        for p in pops:
            x = counts.neuron_updates_active[p] * ja + counts.neuron_updates_inactive[p] * ji
            by_pop[p] += x
            total += x
        return total

    def learn():
        j = profile.joules("learning_update")
        for p in pops:
            by_pop[p] += counts.learning_updates[p] * j
        return counts.total("learning_updates") * j

    def spk():
        j = profile.joules("spike")
        for p, n in counts.spikes.items():
            by_pop[p] += n * j
        return sum(counts.spikes.values()) * j

    def route():
        jt, jx, jy = (profile.joules(k) for k in ("spike_within_tile", "hop_east_west", "hop_north_south"))
        total = 0.0
        for p, r in (counts.routing or {}).items():
            x = r["messages_within_tile"] * jt + r["hops_east_west"] * jx + r["hops_north_south"] * jy
            by_pop[p] += x
            total += x
        return total

    put("synaptic_events", counts.total("synaptic_events_into"), syn)
    put("neuron_updates", counts.total("neuron_updates_active") + counts.total("neuron_updates_inactive"), neu)
    put("learning_updates", counts.total("learning_updates"), learn)
    put("spikes", sum(counts.spikes.values()), spk)
    _put_routing(put, counts, profile, mapping, parts, unknown, route)
    put("static", counts.model_time_s, lambda: e["static_power"].si(POWER_UNITS) * counts.model_time_s)
    macs = ann_macs(net)
    base = profile if "mac" in e else (ann_baseline or _baseline())
    ann_source = f"{base.name}: {base.energy['mac'].value:g} {base.energy['mac'].unit} per MAC ({base.energy['mac'].where})"
    notes = list(profile.notes) + [f"{k}: {f.note}" for k, f in e.items() if f.note]
    return EnergyReport(profile.name, profile.title, parts, by_pop, unknown, dict(profile.not_modelled),
                        counts.to_json(), macs, base.joules("mac"), ann_source, list(assumptions or []), notes,
                        _mapping_json(mapping))


def _mapping_json(mapping):
    if mapping is None:
        return None
    if isinstance(mapping, str):
        return {"fits": False, "problem": mapping}
    return mapping.summary()


def _put_routing(put, counts, profile, mapping, parts, unknown, route):
    needs = COMPONENTS["routing"][0]
    if not all(f in profile.energy for f in needs):
        on_chip = sum(n for p, n in counts.spikes.items() if p in counts.neuron_updates_active)
        put("routing", on_chip, route)  # unknown / not modelled, as the profile says
        return
    if isinstance(mapping, str):  # the network did not fit: hops cannot be counted
        parts["routing"], unknown["routing"] = None, f"no mapping: {mapping}"
        return
    if counts.routing is None:
        parts["routing"], unknown["routing"] = None, "no mapping was given, so spike hops were not counted"
        return
    crossings = sum(r["messages_across_chips"] for r in counts.routing.values())
    parts["routing"] = route()
    if crossings > 0:
        parts["routing_across_chips"] = None
        unknown["routing_across_chips"] = f"{crossings:g} spike messages cross chips; no published energy per chip crossing"


def _baseline():
    from neurokit.energy.profiles import load_profile

    return load_profile(DEFAULT_ANN_BASELINE)
