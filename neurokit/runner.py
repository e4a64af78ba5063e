"""Run a network on samples: encode, compile for a precision, execute on a backend.

    result = simulate(net, samples, backend="lava", precision="fixed", seed=0)
    result.spike_counts   # {population: total spikes over the run}
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neurokit.backends import check_backend
from neurokit.data import Samples, encode_rate
from neurokit.ir import Network
from neurokit.progress import progress_bar
from neurokit.quant import compile_params


@dataclass
class RunResult:
    counts: dict[str, np.ndarray]           # population -> [n_samples, size] spikes per neuron
    input_counts: np.ndarray                # [n_samples, n_inputs]
    labels: np.ndarray | None
    input_name: str
    rasters: dict[str, np.ndarray] | None = None  # population -> bool [n_samples, size, steps]

    @property
    def n_samples(self) -> int:
        return len(self.input_counts)

    @property
    def spike_counts(self) -> dict[str, int]:
        """Total spikes per population name over the whole run (input included)."""
        out = {self.input_name: int(self.input_counts.sum())}
        out.update({k: int(v.sum()) for k, v in self.counts.items()})
        return out

    @property
    def per_sample(self) -> list[dict[str, int]]:
        rows = []
        for i in range(self.n_samples):
            row = {self.input_name: int(self.input_counts[i].sum())}
            row.update({k: int(v[i].sum()) for k, v in self.counts.items()})
            rows.append(row)
        return rows


def simulate(
    net: Network,
    samples: Samples,
    *,
    backend: str = "lava",
    precision: str = "fixed",
    seed: int = 0,
    rasters: bool = False,
    progress: bool = True,
    stall_timeout_s: float = 120.0,
) -> RunResult:
    check_backend(backend)
    params = compile_params(net, precision)
    inputs = encode_rate(net, samples.flat, seed)
    from neurokit.backends.lava.watchdog import run_isolated

    job = {"params": params, "inputs": inputs, "rasters": rasters, "hardware": backend == "loihi2"}
    with progress_bar(len(samples), f"{backend}/{precision}", unit="sample", enabled=progress) as bar:
        out = run_isolated(
            "neurokit.backends.lava.simulate:run_network", job,
            on_progress=lambda k: bar.update(k - bar.n), stall_timeout_s=stall_timeout_s,
        )
    return RunResult(out["counts"], inputs.sum(axis=2), samples.labels, net.input_population.name, out["rasters"])
