"""Place a network's neuron populations on a chip's cores, within the profile's limits.

Each neuron population is cut into k contiguous, near-equal blocks, one per core, with the
smallest k for which every block fits:

    neurons(block)          <= neurons_per_core
    input axons(block)      =  #{source neurons with a stored synapse into the block}  <= input_axons_per_core
    synapses(block)         =  Σ stored synapses into the block                        <= synapses_per_core
    memory(block)           =  Σ_connections stored synapses · weight_bits / 8 bytes    <= synaptic_memory_per_core
    output edges(block)     =  Σ_{neurons in block} #{destination cores}                <= output_edges_per_core

and each neuron reaches at most `output_cores_per_neuron` cores.

Where the profile gives `synaptic_word_bits` (W; Loihi 2), synaptic memory is counted as Lava's
Loihi 2 compiler allocates it for a `dense` connection (Lava's Dense process): the block keeps
the connection's full matrix, zeros included, as one row per source neuron (input axon), each
row the block's n neurons' weights packed into whole words:

    memory(block)  =  Σ_dense connections  n_source · ceil(n · weight_bits / W) · W / 8 bytes
    input axons    =  every source neuron of a dense connection (plus the others' as above)

Other connection kinds (sparse, one-to-one, expanded convolutions) are still counted synapse by
synapse. Splitting a population therefore splits its output neurons: every block keeps all of
its dense sources (see docs/mapping_loihi2.md for the figures and the Lava outputs behind this).

Fan-in is settled first (it
does not depend on where sources sit), then fan-out given the destination blocks. Cores are
numbered in population order; `cores > cores_per_chip · chips`, or a chip-wide neuron/synapse
limit exceeded, is an error. The input population is off-chip (its spikes enter through the
target cores' input axons) and takes no core.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from neurokit.errors import NeurokitError
from neurokit.mapping.synapses import Synapses, synapses_of

PER_CORE = ("neurons_per_core", "input_axons_per_core", "synapses_per_core",
            "synaptic_memory_per_core", "output_edges_per_core", "output_cores_per_neuron")
PER_CHIP = ("neurons_per_chip", "synapses_per_chip")
STORAGE = ("weight_bits_max", "synaptic_word_bits")  # how synapses are stored, not per-core usage


class MappingError(NeurokitError):
    """The network does not fit the chip: the message names the limit, the count and the population."""


@dataclass
class Placement:
    name: str
    size: int
    cores: int
    first_core: int
    block_of: np.ndarray          # [size] block index 0..cores-1 of each neuron
    usage: dict[str, float]       # limit name -> largest per-core use over this population's cores

    @property
    def core_of(self) -> np.ndarray:
        return self.first_core + self.block_of


@dataclass
class Mapping:
    profile: str
    placements: dict[str, Placement]
    cores_per_chip: int
    chips: int
    limits: dict[str, float] = field(default_factory=dict)
    unchecked: list[str] = field(default_factory=list)

    @property
    def total_cores(self) -> int:
        return sum(p.cores for p in self.placements.values())

    @property
    def chips_used(self) -> int:
        return max(1, math.ceil(self.total_cores / self.cores_per_chip))

    def summary(self) -> dict:
        pops = {}
        for p in self.placements.values():
            use = {k: {"max_per_core": v, "limit": self.limits.get(k),
                       "percent": round(100 * v / self.limits[k], 1) if self.limits.get(k) else None}
                   for k, v in p.usage.items()}
            pops[p.name] = {"neurons": p.size, "cores": p.cores, "first_core": p.first_core, "usage": use}
        return {"profile": self.profile, "fits": True, "cores": self.total_cores,
                "cores_per_chip": self.cores_per_chip, "chips": self.chips_used, "chips_allowed": self.chips,
                "core_utilisation_percent": round(100 * self.total_cores / (self.cores_per_chip * self.chips_used), 1),
                "populations": pops, "limits_not_checked": self.unchecked}


def map_network(net, profile, params=None, *, chips: int = 1) -> Mapping:
    """Place `net` (quantised as `params`, default fixed point) on `chips` chips of `profile`."""
    if profile.limits is None:
        raise MappingError(f"profile {profile.name!r} gives no resource limits, so a network cannot be "
                           "mapped onto it; use a profile with 'limits' (e.g. loihi, truenorth)")
    if params is None:
        from neurokit.quant import compile_params

        params = compile_params(net, "fixed")
    lim = {k: profile.figure_value(f"limits.{k}") for k in (*PER_CORE, *PER_CHIP, *STORAGE)}
    limits = {k: v for k, v in lim.items() if v is not None}
    if "synaptic_memory_per_core" in limits:
        limits["synaptic_memory_per_core"] *= 1024  # KB -> bytes
    syn = synapses_of(params)
    _check_weight_bits(syn, limits, profile.name)
    blocks = {}
    for pop in net.neuron_populations:
        incoming = [s for s in syn if s.target == pop.name]
        word = limits.get("synaptic_word_bits")
        blocks[pop.name] = _fit(pop.name, pop.size, lambda k, inc=incoming, w=word: _fanin_usage(inc, pop.size, k, w),
                                limits, profile.name, start=_min_blocks(pop.size, limits))
    if {"output_edges_per_core", "output_cores_per_neuron"} & limits.keys():
        for _ in range(len(blocks) + 1):  # a split changes its sources' fan-out: repeat until stable
            before = {k: v[0] for k, v in blocks.items()}
            for pop in net.neuron_populations:
                incoming = [s for s in syn if s.target == pop.name]
                outgoing = [s for s in syn if s.source == pop.name]
                if not outgoing:
                    continue
                word = limits.get("synaptic_word_bits")
                both = lambda k, i=incoming, o=outgoing, n=pop.size, w=word: {**_fanin_usage(i, n, k, w),
                                                                               **_fanout_usage(o, k, blocks)}
                blocks[pop.name] = _fit(pop.name, pop.size, both, limits, profile.name, start=blocks[pop.name][0])
            if before == {k: v[0] for k, v in blocks.items()}:
                break
    placements, first = {}, 0
    for pop in net.neuron_populations:
        k, usage = blocks[pop.name]
        placements[pop.name] = Placement(pop.name, pop.size, k, first, _block_index(pop.size, k), usage)
        first += k
    cores_per_chip = int(limits.get("cores_per_chip", profile.limits.cores_per_chip.value))
    mapping = Mapping(profile.name, placements, cores_per_chip, chips,
                      {k: v for k, v in limits.items() if k != "synaptic_word_bits"},
                      [k for k in (*PER_CORE, *PER_CHIP) if k not in limits])
    _check_chip(mapping, net, syn, limits, profile.name)
    return mapping


def _min_blocks(size: int, limits) -> int:
    n = limits.get("neurons_per_core")
    return max(1, math.ceil(size / n)) if n else 1


def _block_index(size: int, k: int) -> np.ndarray:
    """np.array_split's blocks: the first size % k blocks hold one neuron more."""
    q, r = divmod(size, k)
    idx = np.arange(size)
    big = r * (q + 1)
    return np.where(idx < big, idx // (q + 1), r + (idx - big) // max(q, 1))


def _starts(size: int, k: int) -> np.ndarray:
    q, r = divmod(size, k)
    sizes = np.full(k, q)
    sizes[:r] += 1
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)


def _fanin_usage(incoming: list[Synapses], size: int, k: int, word_bits: float | None = None) -> dict[str, float]:
    starts = _starts(size, k)
    q = math.ceil(size / k)
    axons = np.zeros(k)
    count = np.zeros(k)
    memory = np.zeros(k)
    sizes = np.diff(np.append(starts, size))
    for s in incoming:
        if word_bits and s.dense:  # dense rows: every source, every neuron of the block, whole words
            n_src = s.stored.shape[1]
            axons += n_src
            count += n_src * sizes
            memory += n_src * np.ceil(sizes * s.weight_bits / word_bits) * word_bits / 8
            continue
        axons += np.logical_or.reduceat(s.stored, starts, axis=0).sum(axis=1)
        n = np.add.reduceat(s.stored.sum(axis=1), starts)
        count += n
        memory += n * s.weight_bits / 8
    return {"neurons_per_core": q, "input_axons_per_core": float(axons.max(initial=0)),
            "synapses_per_core": float(count.max(initial=0)), "synaptic_memory_per_core": float(memory.max(initial=0))}


def destination_cores(s: Synapses, dest_blocks: np.ndarray, n_blocks: int) -> np.ndarray:
    """bool [source, destination block]: does source neuron j reach a neuron of that block?"""
    onehot = np.zeros((len(dest_blocks), n_blocks))
    onehot[np.arange(len(dest_blocks)), dest_blocks] = 1
    return (s.stored.T.astype(float) @ onehot) > 0


def _fanout_usage(outgoing: list[Synapses], k: int, blocks) -> dict[str, float]:
    size = outgoing[0].stored.shape[1]
    edges = np.zeros(size)
    for s in outgoing:
        kd = blocks[s.target][0]
        edges += destination_cores(s, _block_index(s.stored.shape[0], kd), kd).sum(axis=1)
    per_core = np.add.reduceat(edges, _starts(size, k))
    return {"output_edges_per_core": float(per_core.max(initial=0)),
            "output_cores_per_neuron": float(edges.max(initial=0))}


def _fit(name, size, usage_of, limits, profile, *, start):
    """Smallest k in [start, size] whose usage is within every limit (binary search)."""
    def bad(k):
        use = usage_of(k)
        return [(key, v) for key, v in use.items() if key in limits and v > limits[key]], use

    worst, use = bad(size)
    if worst:
        key, v = worst[0]
        what = "one neuron" if key != "output_edges_per_core" else "a core holding one neuron"
        raise MappingError(
            f"population {name!r}: {what} needs {key.replace('_per_core', '').replace('_', ' ')} = {v:g}, "
            f"more than {profile}'s limit of {limits[key]:g} (limits.{key}); no split of the population fits")
    lo, hi = start, size
    if not bad(lo)[0]:
        return lo, usage_of(lo)
    while hi - lo > 1:  # invariant: lo fails, hi fits
        mid = (lo + hi) // 2
        worst, use = bad(mid)
        if worst:
            lo = mid
        else:
            hi = mid
    return hi, usage_of(hi)


def _check_weight_bits(syn, limits, profile):
    cap = limits.get("weight_bits_max")
    for s in syn:
        if cap is not None and s.weight_bits > cap:
            raise MappingError(
                f"connection {s.label!r} ({s.source} -> {s.target}): needs {s.weight_bits}-bit weights, "
                f"{profile} stores at most {cap:g} bit(s) per synapse (limits.weight_bits_max)")


def _check_chip(m: Mapping, net, syn, limits, profile):
    allowed = m.cores_per_chip * m.chips
    if m.total_cores > allowed:
        biggest = max(m.placements.values(), key=lambda p: p.cores)
        raise MappingError(
            f"the network needs {m.total_cores} cores, {profile} has {m.cores_per_chip} per chip and "
            f"{m.chips} chip(s) allow {allowed} (limits.cores_per_chip; --chips); largest: population "
            f"{biggest.name!r} with {biggest.cores} cores")
    totals = {"neurons_per_chip": sum(p.size for p in net.neuron_populations),
              "synapses_per_chip": sum(int(s.stored.sum()) for s in syn)}
    for key, n in totals.items():
        if key in limits and n > limits[key] * m.chips:
            raise MappingError(f"the network has {n} {key.split('_')[0]}, more than {profile}'s "
                               f"{limits[key]:g} per chip x {m.chips} chip(s) (limits.{key})")
