"""Diehl & Cook's re-presentation (readout.re_present): a sample the readout population answers
with fewer than `min_spikes` spikes is shown again with the input's rate raised by
`rate_step_hz` per presentation, until it answers or `max_presentations` are spent.

Samples are independent at inference (every neuron is reset at a sample's start), so showing the
quiet samples again is a second run of those samples alone, with a stronger encoder and fresh
input draws (seed + k); the answer is read from each sample's last presentation, as in the
paper. The spikes of earlier presentations are counted too (`Shown.spike_counts`), because they
cost energy all the same. Probes (neurokit.runner.recording) record the first presentation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neurokit.data import Samples
from neurokit.ir import Network
from neurokit.runner import RunResult, not_recording, simulate


@dataclass
class Shown:
    result: RunResult            # counts of each sample's last presentation
    presentations: np.ndarray    # [n_samples] times each sample was shown
    earlier_spikes: dict[str, int]  # population -> spikes of the presentations that were replaced

    @property
    def spike_counts(self) -> dict[str, int]:
        """Spikes per population over every presentation."""
        return {k: n + self.earlier_spikes[k] for k, n in self.result.spike_counts.items()}


def with_rate(net: Network, rate_hz: float) -> Network:
    """`net` with its input encoder's max_rate_hz set to `rate_hz`."""
    data = net.model_dump(mode="python")
    data["populations"][net.populations.index(net.input_population)]["encoder"]["max_rate_hz"] = rate_hz
    return Network.model_validate(data)


def simulate_until_answered(net: Network, samples: Samples, *, backend: str, precision: str, seed: int,
                            progress: bool) -> Shown:
    result = simulate(net, samples, backend=backend, precision=precision, seed=seed, progress=progress)
    shown = np.ones(len(samples), np.int64)
    earlier = {name: 0 for name in result.spike_counts}
    rp = net.readout.re_present if net.readout is not None else None
    if rp is None:
        return Shown(result, shown, earlier)
    pop, base = net.readout.population, net.input_population.encoder.max_rate_hz
    for k in range(1, rp.max_presentations):
        quiet = np.flatnonzero(result.counts[pop].sum(axis=1) < rp.min_spikes)
        if len(quiet) == 0:
            break
        for name, n in _spikes_of(result, quiet).items():
            earlier[name] += n
        with not_recording():
            again = simulate(with_rate(net, rp.rate_hz(base, k)), samples[quiet], backend=backend,
                             precision=precision, seed=seed + k, progress=False)
        for name in result.counts:
            result.counts[name][quiet] = again.counts[name]
        result.input_counts[quiet] = again.input_counts
        shown[quiet] += 1
    return Shown(result, shown, earlier)


def _spikes_of(result: RunResult, rows: np.ndarray) -> dict[str, int]:
    out = {result.input_name: int(result.input_counts[rows].sum())}
    out.update({name: int(c[rows].sum()) for name, c in result.counts.items()})
    return out
