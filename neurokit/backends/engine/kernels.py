"""The Numba loops. Time in Lava (global step t = 1, 2, …; sample k, local step j = t − 1 − kP):

    input spikes x(t)   = column t − 1 of the RingBuffer source     = inputs[k, :, j]
    Dense output at t   = finish(W · s_src(t − 1))                    (a one-step buffer)
    a_in(t)             = Σ_c Dense_c output at t, in connection order
    at j = 0 (t % P == 1): u, v, refractory ← 0 before the step; θ and the Dense buffers carry on

The input connections' outputs reach `run_samples` in one of two forms (`ChunkInput`): as
lists of the inputs that spike at each step, added where they are needed (sparse rate-coded
inputs: nothing of size steps × targets is ever held), or as a drive computed up front by one
matrix product (dense integrate-and-fire inputs, engine.py). One code path serves both
precisions: `lif_step_all`, `dense_output` and `add_input` resolve, by dtype, to fixed_point (int64)
or float_point (float64).
"""
import numpy as np
from numba import prange, types
from numba.extending import overload

from neurokit.backends.engine import fixed_point, float_point
from neurokit.backends.engine.jit import njit
from neurokit.data.spike_draw import sorted_by_step


def _model(t):
    """fixed_point for integer values or arrays, float_point for floats."""
    return fixed_point if isinstance(getattr(t, "dtype", t), types.Integer) else float_point


def lif_step_all(u, v, refr, theta, a_in, prm, spikes):
    """One step of every neuron (fixed_point or float_point.lif_step_all): vector instructions."""
    raise NotImplementedError("runs inside Numba kernels only")


def dense_output(out, w, w_off, n_tgt, active, n_active, exp):
    """One Dense output from the active sources (fixed_point or float_point.dense_output)."""
    raise NotImplementedError("runs inside Numba kernels only")


def add_into(a_in, i, x):
    """a_in[i] ← a_in[i] + x, as Lava's InPort adds its Dense outputs."""
    raise NotImplementedError("runs inside Numba kernels only")


@overload(lif_step_all, inline="always")
def _lif_step_all(u, v, refr, theta, a_in, prm, spikes):
    step = _model(u).lif_step_all
    return lambda u, v, refr, theta, a_in, prm, spikes: step(u, v, refr, theta, a_in, prm, spikes)


@overload(dense_output, inline="always")
def _dense_output(out, w, w_off, n_tgt, active, n_active, exp):
    fn = _model(out).dense_output
    return lambda out, w, w_off, n_tgt, active, n_active, exp: fn(out, w, w_off, n_tgt, active, n_active, exp)


@overload(add_into, inline="always")
def _add_into(a_in, i, x):
    add = _model(a_in).add_input

    def impl(a_in, i, x):
        a_in[i] = add(a_in[i], x)
    return impl


def spike_words(inputs: np.ndarray) -> np.ndarray:
    """Each sample's spikes (bool [n, n_in, P]) as uint64 words [n, ceil(n_in·P / 8)] (a view
    when n_in·P is a multiple of 8, else a zero-padded copy)."""
    n = inputs.shape[0]
    flat = np.ascontiguousarray(inputs, dtype=bool).reshape(n, -1)
    if flat.shape[1] % 8:
        padded = np.zeros((n, flat.shape[1] + 8 - flat.shape[1] % 8), bool)
        padded[:, :flat.shape[1]] = flat
        flat = padded
    return flat.view(np.uint64)


@njit(nogil=True)
def spike_lists(words, P):
    """Each sample's spikes as spike_words gives them (bytes [n_in·P] read 8 at a time, so that a
    silent stretch costs one test) -> (ptr [n·P + 1], idx): the inputs spiking at step
    s = b·P + j of the chunk are idx[ptr[s]:ptr[s + 1]], in order of input index (the order
    NumPy adds float columns in). Per sample, the byte positions of the spikes are gathered,
    then sorted by step (counting sort)."""
    n, n_words = words.shape
    ptr = np.zeros(n * P + 1, np.int64)
    ii = np.empty(8 * n_words, np.int64)  # a sample's spikes: input, step
    jj = np.empty(8 * n_words, np.int64)
    pos = np.empty(P, np.int64)
    idx = np.empty(4096, np.int64)
    for b in range(n):
        m = 0
        for k in range(n_words):
            word = words[b, k]
            if word:
                for byte in range(8):  # branch-free: every byte is written, a spike is kept
                    f = 8 * k + byte
                    ii[m], jj[m] = f // P, f % P
                    m += ((word >> np.uint64(8 * byte)) & np.uint64(0xFF)) != 0
        idx = sorted_by_step(ii, jj, m, b * P, P, ptr, pos, idx)
    return ptr, idx[:ptr[-1]]


@njit(inline="always")
def input_outputs(carry, in_ptr, in_idx, s, out, w, w_off, n_tgt, exp, slot, src):
    """carry[slot_c …] ← the output of every input connection c for the input spikes of chunk
    step s (0 where none spiked)."""
    lo, hi = in_ptr[s], in_ptr[s + 1]
    for c in range(len(src)):
        if src[c] >= 0:
            continue
        s0, nt = slot[c], n_tgt[c]
        if hi > lo:
            dense_output(out, w, w_off[c], nt, in_idx[lo:hi], hi - lo, exp[c])
            for i in range(nt):
                carry[s0 + i] = out[i]
        else:
            for i in range(nt):
                carry[s0 + i] = 0


@njit(nogil=True)
def last_step_outputs(in_ptr, in_idx, b, P, n_slots, w, w_off, n_tgt, exp, slot, src):
    """The input connections' outputs from the last step of chunk sample b: what the next
    sample receives at its first step (schedule.py's carry at a block's start)."""
    carry = np.zeros(n_slots, w.dtype)
    out = np.empty(max(1, np.max(n_tgt)), w.dtype)
    input_outputs(carry, in_ptr, in_idx, b * P + P - 1, out, w, w_off, n_tgt, exp, slot, src)
    return carry


@njit(inline="always")
def gather(spikes, idx):
    """idx[:n] ← the indices where spikes is true, ascending; returns n (no branch: every
    index is written, a spike keeps it). idx must have len(spikes) entries."""
    n = 0
    for i in range(len(spikes)):
        idx[n] = i
        n += spikes[i]
    return n


@njit(inline="always")
def sources(sp, n_sp, lo, size, active):
    """active[:k] ← the spiking neurons of population range [lo, lo + size), as indices within
    it, from the ascending list sp[:n_sp]; returns k."""
    k = 0
    for q in range(n_sp):
        i = sp[q] - lo
        if 0 <= i < size:
            active[k] = i
            k += 1
    return k


@njit(inline="always")
def add_block(a_in, t0, out, nt):
    """a_in[t0 + i] ← a_in[t0 + i] + out[i] for i < nt, as Lava's InPort adds (a slice per
    operand, so that the loop vectorizes)."""
    seg, o = a_in[t0:t0 + nt], out[:nt]
    for i in range(nt):
        add_into(seg, i, o[i])


@njit(nogil=True)
def run_samples(drive, in_ptr, in_idx, b0, b1, u, v, refr, theta, prev, carry, prm,
                w, w_off, src, n_src, tgt, n_tgt, exp, slot, reset_at, counts, kept):
    """Step samples b0..b1−1 of the chunk in order, from state (u, v, refr, θ, prev spikes,
    carry = input-connection outputs due at the next step), updating the state in place.
    Input connections: from the spike lists (in_ptr, in_idx; spike_lists) when in_ptr has more
    than one entry, else from drive [samples, P, slots] (drive.shape[1] = P either way).
    counts[b, n] += spikes. `kept` (recording.Kept.args): for a kept sample b and neuron n,
    the spike and u, v, θ after step j go to row (srow[b], nrow[n]), column j of each array
    that is not empty. Neuron n is reset at step reset_at[n] of each sample (0 for all but
    layers imported with lava-dl's pipelined reset, see ir/populations.py)."""
    srow, nrow, k_spikes, k_u, k_v, k_theta = kept
    P = drive.shape[1]
    N = u.shape[0]
    a_in = np.empty(N, u.dtype)
    out = np.empty(max(1, np.max(n_tgt)) if len(n_tgt) else 1, u.dtype)
    active = np.empty(max(1, np.max(n_src)) if len(n_src) else 1, np.int64)
    spikes = np.zeros(N, np.bool_)
    sp = np.empty(N, np.int64)  # the neurons that spiked at the last step, ascending
    n_sp = gather(prev, sp)
    late = np.any(reset_at != 0)
    lists = len(in_ptr) > 1
    for b in range(b0, b1):
        sr = srow[b]  # this sample's row in the kept arrays, −1: not kept
        for j in range(P):
            if j == 0 and not late:  # the sample starts: Lava's reset at time_step % P == 1
                u[:] = 0
                v[:] = 0
                refr[:] = 0
            elif late:
                for n in range(N):
                    if reset_at[n] == j:
                        u[n] = 0
                        v[n] = 0
                        refr[n] = 0
            a_in[:] = 0
            for c in range(len(src)):
                t0, nt = tgt[c], n_tgt[c]
                if src[c] < 0:
                    s0 = slot[c]
                    if j == 0:
                        add_block(a_in, t0, carry[s0:s0 + nt], nt)
                    elif not lists:
                        add_block(a_in, t0, drive[b, j - 1, s0:s0 + nt], nt)
                    else:  # the Dense output of step j − 1's input spikes (none: it adds 0)
                        lo, hi = in_ptr[b * P + j - 1], in_ptr[b * P + j]
                        if hi > lo:
                            dense_output(out, w, w_off[c], nt, in_idx[lo:hi], hi - lo, exp[c])
                            add_block(a_in, t0, out, nt)
                    continue
                n_active = sources(sp, n_sp, src[c], n_src[c], active)
                if n_active == 0:  # a Dense with no spikes in outputs 0: nothing to add
                    continue
                dense_output(out, w, w_off[c], nt, active, n_active, exp[c])
                add_block(a_in, t0, out, nt)
            lif_step_all(u, v, refr, theta, a_in, prm, spikes)
            n_sp = gather(spikes, sp)
            for q in range(n_sp):
                n = sp[q]
                if j >= reset_at[n]:  # a neuron's sample window starts at its reset
                    counts[b, n] += 1
            if sr >= 0:  # kept: the values the step left, i.e. after u, then v, then θ
                for n in range(N):
                    r = nrow[n]
                    if r >= 0:
                        if k_spikes.size:
                            k_spikes[sr, r, j] = spikes[n]
                        if k_u.size:
                            k_u[sr, r, j] = u[n]
                        if k_v.size:
                            k_v[sr, r, j] = v[n]
                        if k_theta.size:
                            k_theta[sr, r, j] = theta[n]
        if lists:
            input_outputs(carry, in_ptr, in_idx, b * P + P - 1, out, w, w_off, n_tgt, exp, slot, src)
        else:
            carry[:] = drive[b, P - 1]
    if b1 > b0:
        prev[:] = spikes


@njit(parallel=True)
def run_blocks(drive, in_ptr, in_idx, starts, ends, u, v, refr, theta, prev, carry, prm,
               w, w_off, src, n_src, tgt, n_tgt, exp, slot, reset_at, counts, kept):
    """run_samples on independent blocks of samples at once; block q has its own state row q."""
    for q in prange(len(starts)):
        run_samples(drive, in_ptr, in_idx, starts[q], ends[q], u[q], v[q], refr[q], theta[q], prev[q], carry[q], prm,
                    w, w_off, src, n_src, tgt, n_tgt, exp, slot, reset_at, counts, kept)
