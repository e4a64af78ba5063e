"""Which samples may run at the same time, exactly.

A sample starts from reset u, v, refractory, but two things carry over from the sample before
it, as in Lava's sequential run: θ (when any population adapts, θ₊ > 0), and the Dense
buffers, i.e. the spikes of the previous sample's last step arrive at this sample's first step.

- adaptive network: samples run in order (θ depends on every earlier sample);
- otherwise: samples are split into one block per thread and the blocks run in parallel, each
  guessing that the sample before it ended without a neuron spike and, for neurons reset late
  in a sample (reset_at > 0), with u = v = 0 (usual: the rest period);
  the input part of the carry is known exactly. Then, block by block, where the guess was
  wrong the block is run again from the true state. The result is the sequential one.
"""
from __future__ import annotations

import numba
import numpy as np

from neurokit.backends.engine import kernels


def run_chunk(layout, state, chunk, counts, kept: tuple, threads: int | None = None) -> None:
    """Run all samples of `chunk` (engine.ChunkInput) from `state` (updated in place); `kept` is
    recording.Kept.args() for these samples."""
    B = chunk.n
    threads = numba.get_num_threads() if threads is None else threads
    n_blocks = min(threads, B) if not layout.adaptive else 1
    if n_blocks <= 1:
        kernels.run_samples(*chunk, 0, B, *state.arrays(), *_net_args(layout), counts, kept)
        return
    bounds = np.linspace(0, B, n_blocks + 1).astype(np.int64)
    starts, ends = bounds[:-1], bounds[1:]
    rows = state.split(n_blocks, carries=[_carry(layout, chunk, s - 1) for s in starts[1:]])
    kernels.run_blocks(*chunk, starts, ends, *rows.arrays(), *_net_args(layout), counts, kept)
    late = layout.reset_at != 0  # neurons whose u, v carry into the next sample's first steps
    for q in range(1, n_blocks):
        # block q guessed "no spikes, and u = v = 0 where the reset comes late, at the end of
        # block q − 1": where that is wrong, redo it
        wrong = rows.prev[q - 1].any() or (late.any() and (rows.u[q - 1][late].any() or rows.v[q - 1][late].any()
                                                           or rows.refr[q - 1][late].any()))
        if wrong:
            counts[starts[q]:ends[q]] = 0  # (kept values are all written again)
            rows.copy_row(q - 1, q)  # its end carry is exactly _carry(…, starts[q] − 1)
            kernels.run_samples(*chunk, starts[q], ends[q], *rows.row(q).arrays(), *_net_args(layout),
                                counts, kept)
    state.assign(rows.row(n_blocks - 1))


def _carry(layout, chunk, b: int) -> np.ndarray:
    """The input connections' outputs of chunk sample b's last step (due at the next sample's first)."""
    if len(chunk.ptr) <= 1:
        return chunk.drive[b, -1]
    L = layout
    return kernels.last_step_outputs(chunk.ptr, chunk.idx, b, L.steps_per_sample, L.n_slots, L.weights, L.w_off,
                                     L.n_tgt, L.exp, L.slot, L.src)


def _net_args(layout):
    return (layout.prm, layout.weights, layout.w_off, layout.src, layout.n_src, layout.tgt, layout.n_tgt, layout.exp,
            layout.slot, layout.reset_at)
