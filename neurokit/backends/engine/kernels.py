"""The Numba loops. Time in Lava (global step t = 1, 2, …; sample k, local step j = t − 1 − kP):

    input spikes x(t)   = column t − 1 of the RingBuffer source     = inputs[k, :, j]
    Dense output at t   = finish(W · s_src(t − 1))                    (a one-step buffer)
    a_in(t)             = Σ_c Dense_c output at t, in connection order
    at j = 0 (t % P == 1): u, v, refractory ← 0 before the step; θ and the Dense buffers carry on

`input_drive` computes every input-connection output up front (it does not depend on the
network's state), in parallel over samples; `run_samples` then steps the neurons of samples
k0..k1 in order. One code path serves both precisions: `lif_step`, `dense_output` and
`add_input` resolve, by dtype, to fixed_point (int64) or float_point (float64).

A learning kernel will reuse these pieces: step one sample with `run_samples`' loop body, then
update traces and weights at the epoch boundaries.
"""
import numpy as np
from numba import prange, types
from numba.extending import overload

from neurokit.backends.engine import fixed_point, float_point
from neurokit.backends.engine.jit import njit


def _model(t):
    """fixed_point for integer values or arrays, float_point for floats."""
    return fixed_point if isinstance(getattr(t, "dtype", t), types.Integer) else float_point


def lif_step(u, v, refr, theta, n, a_in, prm):
    """One neuron step (fixed_point.lif_step or float_point.lif_step); returns the spike."""
    raise NotImplementedError("runs inside Numba kernels only")


def dense_output(out, w, w_off, n_tgt, active, n_active, exp):
    """One Dense output from the active sources (fixed_point or float_point.dense_output)."""
    raise NotImplementedError("runs inside Numba kernels only")


def dense_finish(acc, exp):
    """A Dense sum -> its output (weight exponent and int32 in fixed; as is in float)."""
    raise NotImplementedError("runs inside Numba kernels only")


def resting_theta(theta, keep):
    """θ after one step of a neuron at rest (u = v = a_in = bias = 0, not refractory, θ ≥ 0):
    only the decay applies, and v = 0 cannot exceed vth + θ > 0."""
    raise NotImplementedError("runs inside Numba kernels only")


def add_into(a_in, i, x):
    """a_in[i] ← a_in[i] + x, as Lava's InPort adds its Dense outputs."""
    raise NotImplementedError("runs inside Numba kernels only")


def is_float(a):
    """True for float arrays (a constant once compiled)."""
    raise NotImplementedError("runs inside Numba kernels only")


@overload(is_float, inline="always")
def _is_float(a):
    answer = _model(a) is float_point
    return lambda a: answer


@overload(lif_step, inline="always")
def _lif_step(u, v, refr, theta, n, a_in, prm):
    step = _model(u).lif_step
    return lambda u, v, refr, theta, n, a_in, prm: step(u, v, refr, theta, n, a_in, prm)


@overload(dense_output, inline="always")
def _dense_output(out, w, w_off, n_tgt, active, n_active, exp):
    fn = _model(out).dense_output
    return lambda out, w, w_off, n_tgt, active, n_active, exp: fn(out, w, w_off, n_tgt, active, n_active, exp)


@overload(dense_finish, inline="always")
def _dense_finish(acc, exp):
    fn = _model(acc).dense_finish
    return lambda acc, exp: fn(acc, exp)


@overload(resting_theta, inline="always")
def _resting_theta(theta, keep):
    fn = _model(theta).theta_decay
    return lambda theta, keep: fn(theta, keep)


@overload(add_into, inline="always")
def _add_into(a_in, i, x):
    add = _model(a_in).add_input

    def impl(a_in, i, x):
        a_in[i] = add(a_in[i], x)
    return impl


@njit(parallel=True, nogil=True)
def input_drive(inputs, words, drive, w, w_off, n_tgt, exp, slot, src):
    """drive[b, j, slot_c + i] = Dense_c output computed from input spikes inputs[b, :, j], for
    every input connection c (src[c] < 0); drive must be zeroed. Parallel over samples.

    `words` is each sample's spike bytes [n_in·P, padded] read 8 at a time, so that silent
    stretches cost one test per 8 steps. Spikes are met in order of input index (for each step),
    which is the order NumPy adds float columns in; float Dense with one target row, which
    NumPy sums pairwise, gathers its active inputs per step instead."""
    B, n_in, P = inputs.shape
    for b in prange(B):
        for c in range(len(src)):
            if src[c] < 0 and n_tgt[c] == 1 and is_float(drive):
                _drive_pairwise(inputs, drive, b, w, w_off[c], slot[c])
        for k in range(words.shape[1]):
            word = words[b, k]
            if word == 0:
                continue
            for byte in range(8):
                if (word >> np.uint64(8 * byte)) & np.uint64(0xFF):
                    f = 8 * k + byte
                    i, j = f // P, f % P
                    for c in range(len(src)):
                        nt = n_tgt[c]
                        if src[c] >= 0 or (nt == 1 and is_float(drive)):
                            continue
                        row, s0 = w_off[c] + i * nt, slot[c]
                        for q in range(nt):
                            drive[b, j, s0 + q] += w[row + q]
        for c in range(len(src)):
            if src[c] < 0:
                for j in range(P):
                    for q in range(n_tgt[c]):
                        drive[b, j, slot[c] + q] = dense_finish(drive[b, j, slot[c] + q], exp[c])
    return drive


@njit
def _drive_pairwise(inputs, drive, b, w, w_off, s0):
    n_in, P = inputs.shape[1], inputs.shape[2]
    active = np.empty(n_in, np.int64)
    out = np.empty(1, drive.dtype)
    for j in range(P):
        n_active = 0
        for i in range(n_in):
            if inputs[b, i, j]:
                active[n_active] = i
                n_active += 1
        dense_output(out, w, w_off, 1, active, n_active, 0)
        drive[b, j, s0] = out[0]


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
def run_samples(drive, b0, b1, u, v, refr, theta, prev, carry, prm,
                w, w_off, src, n_src, tgt, n_tgt, exp, slot, reset_at, counts, kept):
    """Step samples b0..b1−1 of `drive` in order, from state (u, v, refr, θ, prev spikes,
    carry = input-connection outputs due at the next step), updating the state in place.
    counts[b, n] += spikes. `kept` (recording.Kept.args): for a kept sample b and neuron n,
    the spike and u, v, θ after step j go to row (srow[b], nrow[n]), column j of each array
    that is not empty. Neuron n is reset at step reset_at[n] of each sample (0 for all but
    layers imported with lava-dl's pipelined reset, see ir/populations.py)."""
    srow, nrow, k_spikes, k_u, k_v, k_theta = kept
    P = drive.shape[1]
    N = u.shape[0]
    bias, theta_keep = prm[3], prm[6]
    a_in = np.empty(N, u.dtype)
    out = np.empty(max(1, np.max(n_tgt)) if len(n_tgt) else 1, u.dtype)
    active = np.empty(max(1, np.max(n_src)) if len(n_src) else 1, np.int64)
    spikes = np.zeros(N, np.bool_)
    late = np.any(reset_at != 0)
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
                    for i in range(nt):
                        add_into(a_in, t0 + i, carry[s0 + i] if j == 0 else drive[b, j - 1, s0 + i])
                    continue
                n_active = 0
                for i in range(n_src[c]):
                    if prev[src[c] + i]:
                        active[n_active] = i
                        n_active += 1
                if n_active == 0:  # a Dense with no spikes in outputs 0: nothing to add
                    continue
                dense_output(out, w, w_off[c], nt, active, n_active, exp[c])
                for i in range(nt):
                    add_into(a_in, t0 + i, out[i])
            for n in range(N):
                if u[n] == 0 and v[n] == 0 and a_in[n] == 0 and refr[n] == 0 and bias[n] == 0 and theta[n] >= 0:
                    theta[n] = resting_theta(theta[n], theta_keep[n])  # u, v stay 0; no spike
                    s = False
                else:
                    s = lif_step(u, v, refr, theta, n, a_in[n], prm)
                spikes[n] = s
                if s and j >= reset_at[n]:  # a neuron's sample window starts at its reset
                    counts[b, n] += 1
                r = nrow[n]
                if sr >= 0 and r >= 0:  # kept: the values lif_step left, i.e. after u, then v, then θ
                    if k_spikes.size:
                        k_spikes[sr, r, j] = s
                    if k_u.size:
                        k_u[sr, r, j] = u[n]
                    if k_v.size:
                        k_v[sr, r, j] = v[n]
                    if k_theta.size:
                        k_theta[sr, r, j] = theta[n]
            prev[:] = spikes
        carry[:] = drive[b, P - 1]


@njit(parallel=True)
def run_blocks(drive, starts, ends, u, v, refr, theta, prev, carry, prm,
               w, w_off, src, n_src, tgt, n_tgt, exp, slot, reset_at, counts, kept):
    """run_samples on independent blocks of samples at once; block q has its own state row q."""
    for q in prange(len(starts)):
        run_samples(drive, starts[q], ends[q], u[q], v[q], refr[q], theta[q], prev[q], carry[q], prm,
                    w, w_off, src, n_src, tgt, n_tgt, exp, slot, reset_at, counts, kept)
