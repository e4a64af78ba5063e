"""The Lava run itself (inside the worker): samples in chunks through the RingBuffer source,
one `run(RunSteps(P))` per sample (progress and a watchdog heartbeat), spikes read per chunk (per
sample when a sample the readout answers too quietly is shown again: job["re_present"]).
When learning, the class gate of each sample is written to the mode register (y2) of the
learning synapses before the sample starts, and a teacher's bias to the neurons it teaches. The
runtime is stopped in every case.

Recording (job["record"], a resolved neurokit.probes.Record): spikes come from the sinks, and
u, v, θ from .npy files [kept samples, size, P] in a temporary directory (inside the job's,
the worker's TMPDIR) that the neuron models write after every step (processes/neuron_models.py)."""
from __future__ import annotations

import contextlib
import tempfile

import numpy as np

CHUNK_SAMPLES = 16


def run_network(job: dict, report, monitor) -> dict:
    record = job.get("record")
    with tempfile.TemporaryDirectory(prefix="neurokit-probes-") if record else contextlib.nullcontext() as tmp:
        return _run_network(job, report, monitor, record, tmp)


def _run_network(job: dict, report, monitor, record, tmp: str) -> dict:
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2HwCfg, Loihi2SimCfg

    from neurokit.backends.lava.build import build

    params, inputs = job["params"], job["inputs"]  # inputs: bool [n, n_in, P]
    gates = job.get("gates") or {}                 # label -> [n, post] values of y2
    teach = job.get("teach") or {}                 # label -> [n, post] bias mantissas of the targets
    bounds = job.get("bounds") or {}               # label -> (lo, hi) [post, pre]: each weight's range
    rp = job.get("re_present")                     # neurokit.data.encode.RePresentations, or None
    n, n_in, P = inputs.shape
    C = 1 if rp is not None else min(n, CHUNK_SAMPLES)  # showing a sample again depends on its answer
    chunks = [_chunk(inputs, k, C) for k in range(0, n, C)]
    rows, files, kept_spikes = _probes(params, record, n, P, tmp)
    lava_net = build(params, C * P, chunks[0], learn=job.get("learn", False), rng_seed=job.get("rng_seed", 0),
                     first_gate={k: g[0] for k, g in gates.items()}, first_bias={k: b[0] for k, b in teach.items()},
                     bounds=bounds, probes=files, probe_rows=rows)
    tag = "fixed_pt" if params.precision == "fixed" else "floating_pt"
    cfg = Loihi2HwCfg() if job.get("hardware") else Loihi2SimCfg(select_tag=tag)
    anchor = lava_net.source
    counts = {name: np.zeros((n, p.size), np.int64) for name, p in params.neurons.items()}
    rasters = {name: np.zeros((n, p.size, P), bool) for name, p in params.neurons.items()} if job.get("rasters") else None
    anchor.create_runtime(run_cfg=cfg)
    monitor.watch(anchor.runtime)
    shown = np.ones(n, np.int64)
    try:
        done = 0
        for k, chunk in enumerate(chunks if rp is None else ()):
            if k:
                lava_net.source.data.set(chunk)
            in_chunk = min(C, n - done)
            for _ in range(in_chunk):
                _write_gates(lava_net, gates, teach, done)
                if done:  # the first sample's weights were clipped in build(): a Var read before the first run hangs
                    _clip_weights(lava_net, bounds)
                anchor.run(condition=RunSteps(num_steps=P))
                done += 1
                report(done)
            for name, sink in lava_net.sinks.items():
                s = sink.data.get().reshape(-1, C, P).transpose(1, 0, 2)[:in_chunk] != 0
                # a population's sample window starts at its reset (ir/populations.py, reset_step)
                counts[name][done - in_chunk:done] = s[:, :, params.neurons[name].reset_step:].sum(axis=2)
                if rasters is not None:
                    rasters[name][done - in_chunk:done] = s
                if name in kept_spikes:
                    for i, row in enumerate(rows[done - in_chunk:done]):
                        if row >= 0:
                            kept_spikes[name][row] = s[i]
        for i in range(n if rp is not None else 0):  # one sample at a time, shown until it answers
            for k in range(rp.rule.max_presentations):
                if k == 0:
                    _write_gates(lava_net, gates, teach, i)
                if i or k:
                    lava_net.source.data.set(chunks[i] if k == 0 else _chunk(rp.again(i, k), 0, 1))
                    _clip_weights(lava_net, bounds)
                anchor.run(condition=RunSteps(num_steps=P))
                for name, sink in lava_net.sinks.items():
                    s = sink.data.get().reshape(1, -1, P) != 0
                    counts[name][i] = s[0, :, params.neurons[name].reset_step:].sum(axis=1)
                    if rasters is not None:
                        rasters[name][i] = s[0]
                shown[i] = k + 1
                if counts[rp.readout][i].sum() >= rp.rule.min_spikes:
                    break
            report(i + 1)
        weights = {label: d.weights.get().copy() for label, (d, _) in lava_net.learning.items()}
        for label, (lo, hi) in bounds.items():  # the host's last clip, after the last sample
            weights[label] = np.clip(weights[label], lo, hi)
        theta = {name: proc.theta.get().copy() for name, proc in lava_net.neurons.items()}
    finally:
        monitor.stop()
        anchor.stop()
    recorded = None
    if record is not None:
        recorded = {f"{pop}/spikes": spk for pop, spk in kept_spikes.items()}
        recorded.update({f"{pop}/{var}": np.load(path) for pop, paths in files.items() for var, path in paths.items()})
    return {"counts": counts, "rasters": rasters, "weights": weights, "theta": theta, "recorded": recorded,
            "presentations": shown}


def _probes(params, record, n: int, P: int, tmp: str):
    """(row of each sample in the recordings or −1, population -> {var: .npy path the neuron
    model writes}, population -> kept spikes [kept samples, size, P])."""
    if record is None:
        return None, {}, {}
    rows = np.full(n, -1, np.int64)
    rows[list(record.samples)] = np.arange(len(record.samples))
    dtype = np.int32 if params.precision == "fixed" else np.float64  # as Lava's Vars hold them
    files, spikes = {}, {}
    for k, pop in enumerate(record.pops):
        shape = (len(record.samples), params.neurons[pop].size, P)
        if "spikes" in record.what:
            spikes[pop] = np.zeros(shape, bool)
        for var in record.state:
            path = f"{tmp}/{k}-{var}.npy"
            np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=shape).flush()
            files.setdefault(pop, {})[var] = path
    return rows, files, spikes


def _write_gates(lava_net, gates: dict, teach: dict, i: int) -> None:
    """Set y2 (the per-neuron mode register) for sample i, and the teacher's bias of its targets,
    where they differ from sample i-1's."""
    if i == 0:
        return  # the first sample's values are the initial ones
    for label, g in gates.items():
        if not np.array_equal(g[i], g[i - 1]):
            lava_net.learning[label][0].y2.set(np.asarray(g[i]))
    for label, b in teach.items():
        if not np.array_equal(b[i], b[i - 1]):
            lava_net.taught[label].bias_mant.set(np.asarray(b[i]))


def _clip_weights(lava_net, bounds: dict) -> None:
    """The host's part of freezing and Langevin ranges: every weight back into its own range."""
    for label, (lo, hi) in bounds.items():
        d = lava_net.learning[label][0]
        w = d.weights.get()
        clipped = np.clip(w, lo, hi)
        if not np.array_equal(w, clipped):
            d.weights.set(clipped)


def _chunk(inputs: np.ndarray, start: int, C: int) -> np.ndarray:
    """Samples start..start+C side by side in time: [n_in, C*P] (zeros pad the last chunk)."""
    n, n_in, P = inputs.shape
    part = np.zeros((C, n_in, P), np.int32)
    part[: min(C, n - start)] = inputs[start:start + C]
    return part.transpose(1, 0, 2).reshape(n_in, C * P)
