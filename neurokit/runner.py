"""Run a network: encode samples, compile for a precision, execute on a backend.

    result = simulate(net, samples, backend="lava", precision="fixed", seed=0)
    result.spike_counts   # {population: total spikes over the run}

    result = simulate(net, samples, record=Record(what=("spikes", "v")))
    result.recorded["exc/v"]  # probes: [sample, neuron, step] (neurokit.probes)

`execute` is the one place that hands compiled parameters and input spike trains to a
backend; inference (`simulate`) and training (`neurokit.training`) both go through it.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass

import numpy as np

from neurokit.backends import check_backend, choose_backend
from neurokit.data import Samples
from neurokit.data.encode import RateInputs, input_spikes
from neurokit.ir import Network
from neurokit.probes import Record, arrays
from neurokit.progress import progress_bar
from neurokit.quant import CompiledParams, compile_params

__all__ = ["Record", "RunResult", "execute", "recording", "simulate"]


@dataclass
class RunResult:
    counts: dict[str, np.ndarray]           # population -> [n_samples, size] spikes per neuron
    input_counts: np.ndarray                # [n_samples, n_inputs]
    labels: np.ndarray | None
    input_name: str
    rasters: dict[str, np.ndarray] | None = None  # population -> bool [n_samples, size, steps]
    weights: dict[str, np.ndarray] | None = None  # plastic connection -> weights after learning
    theta: dict[str, np.ndarray] | None = None    # population -> threshold offsets at the end
    recorded: dict[str, np.ndarray] | None = None  # probes: 'POP/v' … and metadata (neurokit.probes)
    backend: str = ""                         # the backend that ran it ('auto' resolved)
    presentations: np.ndarray | None = None   # [n_samples] times each sample was shown (learning, re_present)

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


def execute(
    params: CompiledParams,
    inputs: np.ndarray,
    *,
    backend: str = "lava",
    learn: bool = False,
    gates: dict[str, np.ndarray] | None = None,
    bounds: dict[str, tuple] | None = None,
    re_present=None,
    rng_seed: int = 0,
    rasters: bool = False,
    labels: np.ndarray | None = None,
    progress: bool = True,
    desc: str | None = None,
    stall_timeout_s: float | None = None,  # None: NEUROKIT_STALL_TIMEOUT_S or the default
    record: Record | None = None,
) -> RunResult:
    """Run input spike trains `inputs` (bool [n_samples, n_inputs, steps_per_sample], or
    RateInputs drawing them block by block) through `params` on `backend`. With `learn`, plastic
    connections run their rules, with per-sample class `gates` for the supervised rule (and the
    bias its teacher writes with them into the plastic connection's targets), and per-synapse
    weight `bounds` (lo, hi) [post, pre] the host clips each weight to before every sample
    (freezing, Langevin ranges), and `re_present` (neurokit.data.encode.RePresentations): samples
    the readout answers too quietly shown again; the result carries the learned weights. With
    `record` (inference only), `result.recorded` holds the probes (neurokit.probes)."""
    backend = choose_backend(backend, params, learn)
    check_backend(backend)
    if not learn and (gates or bounds or re_present):
        raise ValueError("gates, bounds and re_present act on learning runs (learn=True)")
    teach = teacher_biases(params, gates or {}) if learn else {}
    if record is not None:
        if learn:
            raise ValueError("record: probes record inference runs, not learning")
        record = record.resolve(params, len(inputs), backend=backend, rasters=rasters)
    result = _execute(params, inputs, backend=backend, learn=learn, gates=gates, teach=teach,
                      bounds=bounds, re_present=re_present, rng_seed=rng_seed, rasters=rasters, labels=labels,
                      progress=progress, desc=desc, stall_timeout_s=stall_timeout_s, record=record)
    if record is not None:
        result.recorded = arrays(result.recorded, params, record, labels, backend)
    result.backend = backend
    return result


def teacher_biases(params, gates: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Bias mantissas per sample of each taught target (rule `teacher` > 0): the teacher's bias
    for the neurons whose gate is on (the sample's class group), the neuron's own elsewhere."""
    out = {}
    for c in params.connections:
        p = params.neurons[c.target]
        if c.label in gates and p.teacher_bias_mant is not None:
            on = gates[c.label] == gates[c.label].max(axis=1, keepdims=True)
            out[c.label] = np.where(on, p.teacher_bias_mant, p.bias_mant)
    return out


def _execute(params, inputs, *, backend, learn, gates, teach, bounds, re_present, rng_seed, rasters, labels, progress,
             desc, stall_timeout_s, record) -> RunResult:
    if backend == "engine":  # in-process, and without importing Lava
        from neurokit.backends.engine import run_network
        from neurokit.backends.engine.online import run_learning

        label = desc or f"engine/{params.precision}" + (" learning" if learn else "")
        with progress_bar(len(inputs), label, unit="sample", enabled=progress) as bar:
            on_progress = lambda k: bar.update(k - bar.n)  # noqa: E731
            if learn:
                out = run_learning(params, inputs, gates=gates, teach=teach, bounds=bounds, rng_seed=rng_seed,
                                   re_present=re_present, rasters=rasters, on_progress=on_progress)
            else:
                out = run_network(params, inputs, rasters=rasters, record=record, on_progress=on_progress)
        return RunResult(out["counts"], _input_counts(inputs), labels, params.network.input_population.name,
                         out["rasters"], out.get("weights", {}), out["theta"], out.get("recorded"),
                         presentations=out.get("presentations"))
    from neurokit.backends.lava.watchdog import run_isolated

    if isinstance(inputs, RateInputs):
        inputs = inputs[0:len(inputs)]  # the Lava worker takes the whole array
    job = {"params": params, "inputs": inputs, "rasters": rasters, "hardware": backend == "loihi2",
           "learn": learn, "gates": gates, "teach": teach, "bounds": bounds, "re_present": re_present,
           "rng_seed": rng_seed, "record": record}
    label = desc or f"{backend}/{params.precision}" + (" learning" if learn else "")
    with progress_bar(len(inputs), label, unit="sample", enabled=progress) as bar:
        out = run_isolated(
            "neurokit.backends.lava.simulate:run_network", job,
            on_progress=lambda k: bar.update(k - bar.n), stall_timeout_s=stall_timeout_s,
        )
    return RunResult(out["counts"], _input_counts(inputs), labels, params.network.input_population.name,
                     out["rasters"], out.get("weights"), out.get("theta"), out.get("recorded"),
                     presentations=out.get("presentations"))


def _input_counts(inputs) -> np.ndarray:
    return inputs.counts if isinstance(inputs, RateInputs) else inputs.sum(axis=2)


def simulate(
    net: Network,
    samples: Samples,
    *,
    backend: str = "lava",
    precision: str = "fixed",
    seed: int = 0,
    rasters: bool = False,
    progress: bool = True,
    stall_timeout_s: float | None = None,  # None: NEUROKIT_STALL_TIMEOUT_S or the default
    record: Record | None = None,
) -> RunResult:
    """Inference: spikes of every population for each sample (learning off); with `record`
    (or inside `with recording(...)`), the probes in `result.recorded`."""
    check_backend(backend)
    ambient = _RECORDING.get()
    if record is None and ambient is not None:
        record = ambient.record
    params = compile_params(net, precision)
    inputs = input_spikes(net, samples.flat, seed, precision, rasters=rasters)  # rate codes: drawn as the backend goes
    result = execute(params, inputs, backend=backend, rasters=rasters, labels=samples.labels,
                     progress=progress, stall_timeout_s=stall_timeout_s, record=record)
    if ambient is not None:
        ambient.result = result
    return result


@dataclass
class Recording:
    record: Record
    result: RunResult | None = None  # the last simulate() run inside the block


_RECORDING: contextvars.ContextVar[Recording | None] = contextvars.ContextVar("neurokit_recording", default=None)


@contextlib.contextmanager
def not_recording():
    """Runs in the block record nothing, even inside `recording` (neurokit.re_present's second
    runs of part of the samples: the recording keeps the run of all of them)."""
    token = _RECORDING.set(None)
    try:
        yield
    finally:
        _RECORDING.reset(token)


@contextlib.contextmanager
def recording(record: Record):
    """Make every `simulate` in the block record `record` (for code that simulates deep inside,
    such as neurokit.training.evaluate); the block's Recording holds the last run's result.

        with recording(Record(what=("v",))) as rec:
            evaluate(net, samples)
        rec.result.recorded["exc/v"]
    """
    state = Recording(record)
    token = _RECORDING.set(state)
    try:
        yield state
    finally:
        _RECORDING.reset(token)
