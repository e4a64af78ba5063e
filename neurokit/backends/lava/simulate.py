"""The Lava run itself (inside the worker): samples in chunks through the RingBuffer source,
one `run(RunSteps(P))` per sample (progress and a watchdog heartbeat), spikes read per chunk.
The runtime is stopped in every case."""
from __future__ import annotations

import numpy as np

CHUNK_SAMPLES = 16


def run_network(job: dict, report, monitor) -> dict:
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2HwCfg, Loihi2SimCfg

    from neurokit.backends.lava.build import build

    params, inputs = job["params"], job["inputs"]  # inputs: bool [n, n_in, P]
    n, n_in, P = inputs.shape
    C = min(n, CHUNK_SAMPLES)
    chunks = [_chunk(inputs, k, C) for k in range(0, n, C)]
    lava_net = build(params, C * P, chunks[0])
    tag = "fixed_pt" if params.precision == "fixed" else "floating_pt"
    cfg = Loihi2HwCfg() if job.get("hardware") else Loihi2SimCfg(select_tag=tag)
    anchor = lava_net.source
    counts = {name: np.zeros((n, p.size), np.int64) for name, p in params.neurons.items()}
    rasters = {name: np.zeros((n, p.size, P), bool) for name, p in params.neurons.items()} if job.get("rasters") else None
    anchor.create_runtime(run_cfg=cfg)
    monitor.watch(anchor.runtime)
    try:
        done = 0
        for k, chunk in enumerate(chunks):
            if k:
                lava_net.source.data.set(chunk)
            in_chunk = min(C, n - done)
            for _ in range(in_chunk):
                anchor.run(condition=RunSteps(num_steps=P))
                done += 1
                report(done)
            for name, sink in lava_net.sinks.items():
                s = sink.data.get().reshape(-1, C, P).transpose(1, 0, 2)[:in_chunk] != 0
                counts[name][done - in_chunk:done] = s.sum(axis=2)
                if rasters is not None:
                    rasters[name][done - in_chunk:done] = s
    finally:
        monitor.stop()
        anchor.stop()
    return {"counts": counts, "rasters": rasters}


def _chunk(inputs: np.ndarray, start: int, C: int) -> np.ndarray:
    """Samples start..start+C side by side in time: [n_in, C*P] (zeros pad the last chunk)."""
    n, n_in, P = inputs.shape
    part = np.zeros((C, n_in, P), np.int32)
    part[: min(C, n - start)] = inputs[start:start + C]
    return part.transpose(1, 0, 2).reshape(n_in, C * P)
