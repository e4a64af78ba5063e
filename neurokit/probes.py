"""Probes: what a run keeps beyond spike counts (Brian 2's SpikeMonitor / StateMonitor, Lava's
Monitor, a Nengo Probe).

    rec = Record(what=("spikes", "v"), pops=("exc",), samples=(0, 2))
    result = simulate(net, samples, backend="engine", record=rec)
    result.recorded["exc/v"]      # [sample, neuron, step]: samples 0 and 2, in that order

`result.recorded` is exactly what `neurokit run … --record-out RUN.npz` writes: the arrays
`POP/spikes`, `POP/u`, `POP/v`, `POP/theta` and small metadata arrays (`samples`, `labels`,
`dt_ms`, `precision`, `units`, `POP/scale`, `POP/v_th`, and the marker `neurokit` by which a
later run knows it may replace the file, see neurokit.outputs).

u, v and θ are the values after each step, as the neuron model leaves them (one step, in
order: u ← decayed u + input; v ← decayed v + u + bias, clipped; v ← 0 while refractory;
θ ← decayed θ; spike if v > v_th + θ, then v ← 0 and θ ← θ + θ₊), so the first column of a
sample is after its first step (u and v were reset to 0 just before it). Both backends record
the same values: the engine bit for bit with Lava in fixed point, equal in float.

Units (`units` in the file): in fixed point Lava's integer registers, v, u, θ and `v_th` in
weight units × 2⁶ (what the 24-bit registers hold); in float the float model's weight units.
Either way, the network file's voltage is value / `POP/scale`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from neurokit import memory
from neurokit.errors import NeurokitError

VARIABLES = ("spikes", "v", "u", "theta")
STATE = ("u", "v", "theta")  # in the order one neuron step updates them
NPZ_MARKER = "neurokit"      # the array that marks a .npz as neurokit's (neurokit.outputs)


class RecordError(NeurokitError):
    """A recording that cannot be made: an unknown variable, population or sample."""


@dataclass(frozen=True)
class Record:
    """What to record: variables (of VARIABLES), neuron populations (None: all) and sample
    indices into the run's samples (None: all)."""

    what: tuple[str, ...] = VARIABLES
    pops: tuple[str, ...] | None = None
    samples: tuple[int, ...] | None = None

    @property
    def state(self) -> tuple[str, ...]:
        """The state variables asked for, in STATE order."""
        return tuple(v for v in STATE if v in self.what)

    def resolve(self, params, n_samples: int, *, backend: str = "engine", rasters: bool = False) -> "Record":
        """This record with its defaults filled in, checked against the network and the number of
        samples, and its memory checked against the limit (neurokit.memory)."""
        names = list(params.neurons)
        what, pops = tuple(self.what), tuple(names if self.pops is None else self.pops)
        samples = tuple(range(n_samples) if self.samples is None else (int(s) for s in self.samples))
        problems = [f"--record: unknown variable {v!r}; choose from {', '.join(VARIABLES)}"
                    for v in what if v not in VARIABLES]
        problems += [f"--record-pops: the network has no neuron population {p!r} (it has {', '.join(names)})"
                     for p in pops if p not in names]
        problems += [f"--record-samples: sample {s} is not in the run's {n_samples} samples (0..{n_samples - 1})"
                     for s in samples if not 0 <= s < n_samples]
        for label, items in (("--record", what), ("--record-pops", pops), ("--record-samples", samples)):
            if not items:
                problems.append(f"{label}: nothing chosen")
            elif len(set(items)) != len(items):
                problems.append(f"{label}: an item is repeated in {','.join(map(str, items))}")
        if problems:
            raise RecordError("; ".join(problems))
        out = replace(self, what=what, pops=pops, samples=samples)
        out._check_memory(params, n_samples, backend, rasters)
        return out

    def _check_memory(self, params, n, backend: str, rasters: bool) -> None:
        net = params.network
        P, N = net.steps_per_sample, sum(p.size for p in params.neurons.values())
        S, Nr = len(self.samples), sum(params.neurons[p].size for p in self.pops)
        itemsize = 4 if params.precision == "fixed" else 8
        if backend == "engine":  # with rasters the engine keeps every sample and neuron
            need = memory.record_bytes(n if rasters else S, N if rasters else Nr, P, spikes="spikes" in self.what,
                                       state=len(self.state), itemsize=itemsize)
        else:  # the Lava worker's arrays, then their copy passed to this process
            need = 2 * memory.record_bytes(S, Nr, P, spikes="spikes" in self.what, state=len(self.state),
                                           itemsize=itemsize)
        need += memory.run_bytes(n, net.input_population.size, P, N, rasters)
        memory.check(need, f"recording {','.join(self.what)} of {S} samples x {Nr} neurons x {P} steps")


def arrays(recorded: dict[str, np.ndarray], params, record: Record, labels, backend: str) -> dict[str, np.ndarray]:
    """The recorded arrays with the metadata that makes them readable on their own."""
    from neurokit import __version__
    from neurokit.quant.fixed import VTH_SHIFT

    net, fixed = params.network, params.precision == "fixed"
    idx = np.asarray(record.samples, np.int64)
    out = {NPZ_MARKER: np.array(f"neurokit {__version__} probes"), "network": np.array(net.name),
           "backend": np.array(backend), "precision": np.array(params.precision),
           "dt_ms": np.array(float(net.dt_ms)), "steps_per_sample": np.array(net.steps_per_sample),
           "samples": idx, "labels": np.full(len(idx), -1, np.int64) if labels is None else np.asarray(labels)[idx],
           "units": np.array("fixed point: Lava's integer registers, v, u, theta and v_th in weight units x 2^6; "
                             "the network file's voltage is value / POP/scale" if fixed else
                             "float: the float model's weight units; the network file's voltage is value / POP/scale")}
    for pop in record.pops:
        p = params.neurons[pop]
        out[f"{pop}/scale"] = np.array(p.scale * (1 << VTH_SHIFT) if fixed else p.scale)
        out[f"{pop}/v_th"] = np.array((int(p.vth) << VTH_SHIFT) if fixed else float(p.vth))
        for var in VARIABLES:
            if var in record.what:
                out[f"{pop}/{var}"] = recorded[f"{pop}/{var}"]
    return out


def write_npz(recorded: dict[str, np.ndarray]):
    """A writer for neurokit.outputs.ResultFile.commit: the arrays streamed into an uncompressed
    .npz (no second copy of them in memory)."""
    return lambda f: np.savez(f, **recorded)


def load(path):
    """An open recording that neurokit wrote (numpy's NpzFile: arrays are read when indexed;
    use it in a `with`); RecordError if the file is not one."""
    import zipfile

    try:
        with open(path, "rb") as f:
            is_zip = f.read(2) == b"PK"
        data = np.load(path, allow_pickle=False) if is_zip else None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise RecordError(f"{path}: cannot read it as a neurokit recording (.npz): {exc}") from None
    if data is None or NPZ_MARKER not in data.files:
        if data is not None:
            data.close()
        raise RecordError(f"{path}: not a recording written by neurokit (an .npz with a {NPZ_MARKER!r} array)")
    return data


def populations(data) -> list[str]:
    """The populations of a loaded recording, in recorded order."""
    return [k[:-len("/v_th")] for k in data.files if k.endswith("/v_th")]
