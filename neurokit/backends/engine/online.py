"""Learning runs in the engine: samples one after another, every step in Lava's order, with one
plastic connection running its microcode (plastic.py).

Per global step t (sample b, local step j, t = t0 + bP + j + 1):
  j = 0: u, v, refractory ← 0 (the sample starts); the gated rule's mode register y2 takes the
         sample's gate if it differs from the previous sample's (Lava: `y2.set` between runs),
         a teacher's targets their bias for the sample (Lava: `bias_mant.set`), and with per-synapse
         `bounds` the host clips every weight into its range (Lava: `weights.get`, clip, `set`)
  a_in(t) = Σ_c buffer_c                      (Dense outputs computed at t − 1, in order)
  neurons step -> spikes s(t)
  buffer_c ← finish(W_c · s_src(t))           (before learning: Lava's run_spk precedes run_lrn)
  plastic connection: pre s_src(t), post s_tgt(t) (the back-propagated spikes of the same step)
  if t % t_epoch == 0: learn_epoch
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numba import njit

from neurokit.backends.engine import kernels
from neurokit.backends.engine.layout import build_layout
from neurokit.backends.engine.plastic import (
    SIGN_MODES, LearningRandoms, learn_epoch, process_spikes, tables_from_rule,
)
from neurokit.backends.engine.rulegen import compile_rule
from neurokit.errors import RunError
from neurokit.quant import CompiledParams

CHUNK_SAMPLES = 64


# The template of each learning rule's `run` (rulegen.module_source copies this source into the
# rule's module, where update_* and the gates are globals, so that Numba can cache it on disk).
@njit(nogil=True)
def run_online(in_ptr, in_idx, n, P, gates, g0, has_gates, teach, has_teach, w_lo, w_hi, has_bounds, t0, u, v, refr,
               theta, prm,
               w, w_off, src, n_src, tgt, n_tgt, exp, a_in,
               pc, dT, tT, xh, tx, yh, ty, x0, y0, tb, update_all, update_x, update_y, x_gate, y_gate,
               r_xd, r_xi, r_yd, r_yi, r_cv,
               fixed, counts, raster, record):
    """Samples 0..n−1 of a chunk, P steps each; input spikes as lists: in_idx[in_ptr[k]:in_ptr[k+1]]
    are the inputs that spike at the chunk's step k. a_in [N]: every neuron's summed Dense outputs
    due at the next step (carried from chunk to chunk). Traces live in xh[E], yh[E] (plastic.py)."""
    N = u.shape[0]
    E = tb.t_epoch
    spikes = np.zeros(N, np.bool_)
    sp = np.empty(N, np.int64)  # the neurons that spiked at this step, ascending
    active = np.empty(max(np.max(n_src), N), np.int64)
    out = np.empty(max(1, np.max(n_tgt)), u.dtype)
    wT = w[w_off[pc]:w_off[pc] + n_src[pc] * n_tgt[pc]].reshape((n_src[pc], n_tgt[pc]))
    post0, n_post = tgt[pc], n_tgt[pc]
    pre_idx = np.empty(n_src[pc], np.int64)
    post_idx = np.empty(n_post, np.int64)
    x_act = np.empty(n_src[pc], np.int64)
    y_act = np.empty(n_post, np.int64)
    live = np.empty(n_post, np.int64)
    n_xact = n_yact = 0
    e_idx = 0
    for b in range(n):
        for j in range(P):
            t = t0 + b * P + j + 1
            k = b * P + j  # step index within this chunk (inputs, randoms)
            if j == 0:
                u[:] = 0
                v[:] = 0
                refr[:] = 0
                if has_gates and b + g0 > 0:  # gates[b + g0] is this sample's, the row before the last one's
                    same = True
                    for q in range(n_post):
                        same = same and gates[b + g0, q] == gates[b + g0 - 1, q]
                    if not same:
                        yh[E, 1, :] = gates[b + g0]
                if has_teach:  # the teacher: this sample's bias on the plastic connection's targets
                    for q in range(n_post):
                        prm[3][post0 + q] = teach[b + g0, q]
                if has_bounds:  # the host holds every weight in its own range (frozen: lo = hi)
                    for i in range(n_src[pc]):
                        for q in range(n_post):
                            wT[i, q] = min(max(wT[i, q], w_lo[i, q]), w_hi[i, q])
            kernels.lif_step_all(u, v, refr, theta, a_in, prm, spikes)  # a_in: the Dense outputs due now
            n_sp = kernels.gather(spikes, sp)
            for q in range(n_sp):
                counts[b, sp[q]] += 1
                if record:
                    raster[b, sp[q], j] = True
            a_in[:] = 0  # Dense outputs for t + 1, from the spikes of t (before learning), in connection order
            n_pre_sp = 0
            for c in range(len(src)):
                if src[c] < 0:
                    lo, hi = in_ptr[k], in_ptr[k + 1]
                    n_active = hi - lo
                    active[:n_active] = in_idx[lo:hi]
                else:
                    n_active = kernels.sources(sp, n_sp, src[c], n_src[c], active)
                if c == pc:
                    n_pre_sp = n_active
                    pre_idx[:n_active] = active[:n_active]
                if n_active:
                    kernels.dense_output(out, w, w_off[c], n_tgt[c], active, n_active, exp[c])
                    kernels.add_block(a_in, tgt[c], out, n_tgt[c])
            n_post_sp = kernels.sources(sp, n_sp, post0, n_post, post_idx)
            within = t % E
            if within == 0:
                within = E
            n_xact = process_spikes(xh[E], tx, pre_idx, n_pre_sp, within, tb.x_imp, 0.0, fixed, tb.x_frac, x_act, n_xact)
            for q in range(n_xact):
                x0[x_act[q]] = True
            n_yact = process_spikes(yh[E], ty, post_idx, n_post_sp, within, tb.y_imp, r_yi[2 * k + 1], fixed, tb.y_frac,
                                    y_act, n_yact)
            for q in range(n_yact):
                y0[y_act[q]] = True
            if t % E == 0:
                learn_epoch(t, wT, dT, tT, xh, tx, yh, ty, x0, y0, x_act, n_xact, y_act, n_yact, live, tb, update_all,
                            update_x, update_y,
                            x_gate, y_gate,
                            r_xd[2 * k + 2], r_xi[2 * k + 2], r_yd[2 * k + 2], r_yi[2 * k + 2], r_cv[e_idx], fixed)
                e_idx += 1
                n_xact = n_yact = 0


def run_learning(params: CompiledParams, inputs, *, gates: dict | None = None, teach: dict | None = None,
                 bounds: dict | None = None, rng_seed: int = 0, re_present=None,
                 rasters: bool = False, on_progress: Callable[[int], None] | None = None) -> dict:
    """Train online: like the Lava backend's learning run, step for step (`gates`: the class
    gate per sample, `teach`: the teacher's bias mantissas per sample, `bounds`: label -> (lo, hi)
    weight mantissas [post, pre] that each weight is clipped to at every sample's start, `re_present`:
    RePresentations, samples the readout answers too quietly shown again, learning on). Returns counts
    (of each sample's last presentation), rasters, the learned weights [post, pre] of the plastic
    connection, θ, and the presentations of each sample."""
    from neurokit.backends.lava.compat import install
    from neurokit.learning import microcode

    install()  # the rule is parsed by Lava's own parser (lava.magma.core.learning)
    net, fixed = params.network, params.precision == "fixed"
    plastic = [k for k, c in enumerate(params.connections) if c.plastic]
    if len(plastic) != 1:
        raise RunError(f"the engine learns on exactly one plastic connection; this network has {len(plastic)}")
    pc = plastic[0]
    conn = params.connections[pc]
    ir_conn = next(c for c in net.connections if c.label == conn.label)
    code = microcode(ir_conn.learning, params.precision, params.neurons[conn.target].scale, net.dt_ms,
                     f"connections[{conn.label}].learning", pruning=ir_conn.pruning)
    tb = tables_from_rule(code.lava_rule(rng_seed))
    L = build_layout(params)
    if L.reset_at.any():
        raise RunError("learning runs reset every population at a sample's start; this network resets some "
                       "later (reset_step > 0, an imported pipeline)")
    dtype = np.int64 if fixed else np.float64
    N = L.n_neurons
    u, v, refr, theta = np.zeros(N, dtype), np.zeros(N, dtype), np.zeros(N, np.int64), L.theta0.copy()
    w = L.weights.copy()
    a_in = np.zeros(N, dtype)  # Dense outputs due at the next step
    n_pre, n_post = int(L.n_src[pc]), int(L.n_tgt[pc])
    dT, tT = np.zeros((n_pre, n_post), dtype), np.zeros((n_pre, n_post), dtype)
    E = tb.t_epoch
    xh, tx, x0 = np.zeros((E + 1, 2, n_pre)), np.zeros(n_pre, np.int64), np.zeros(n_pre, bool)
    yh, ty, y0 = np.zeros((E + 1, 3, n_post)), np.zeros(n_post, np.int64), np.zeros(n_post, bool)
    g = np.zeros((len(inputs), n_post))
    has_gates = bool(gates) and conn.label in gates
    if has_gates:
        g[:] = gates[conn.label]
        yh[E, 1] = g[0]
    has_teach = bool(teach) and conn.label in teach
    tch = np.zeros((1, n_post), dtype)  # (unread without a teacher)
    if has_teach:  # bias mantissas -> the engine's bias (mant << exp in fixed)
        tch = np.asarray(teach[conn.label], dtype) * (1 << params.neurons[conn.target].bias_exp if fixed else 1)
    has_bounds = bool(bounds) and conn.label in bounds
    w_lo = w_hi = np.zeros((1, 1), dtype)
    if has_bounds:  # [post, pre] like the IR's weights -> the engine's [pre, post]
        w_lo, w_hi = (np.ascontiguousarray(np.asarray(x, dtype).T) for x in bounds[conn.label])
        if w_lo.shape != (n_pre, n_post) or w_hi.shape != (n_pre, n_post) or conn.sign < 0:
            raise RunError(f"bounds for {conn.label}: need two [{n_post}, {n_pre}] arrays on an excitatory "
                           f"connection, got {w_lo.T.shape} and {w_hi.T.shape}")
    n, _, P = inputs.shape
    counts = np.zeros((n, N), np.int64)
    raster = np.zeros((n, N, P), bool) if rasters else np.zeros((1, 1, 1), bool)
    randoms = LearningRandoms(tb.rng_seed, tb.t_epoch)
    rule = compile_rule(tb, fixed, SIGN_MODES["excitatory" if conn.sign > 0 else "inhibitory"])

    def run(lists, m, t0, rows, g0, out, out_raster):
        """m samples through the rule's kernel from global step t0; rows: their gate / teacher rows,
        g0 rows early (the previous sample's, to see whether the gate changes)."""
        r_xd, r_xi, r_yd, r_yi, r_cv = randoms.block(m * P)
        rule.run(lists[0], lists[1], m, P, g[rows], g0, has_gates, tch[rows] if has_teach else tch, has_teach,
                 w_lo, w_hi, has_bounds, t0, u, v, refr, theta,
                 L.prm, w, L.w_off, L.src, L.n_src, L.tgt, L.n_tgt, L.exp, a_in,
                 pc, dT, tT, xh, tx, yh, ty, x0, y0, tb, r_xd, r_xi, r_yd, r_yi, r_cv, fixed,
                 out, out_raster if rasters else raster, rasters)

    def drawn(a, b):  # RateInputs: drawn as lists
        return inputs.lists(slice(a, b)) if hasattr(inputs, "lists") else _lists(inputs[a:b], P)

    shown = np.ones(n, np.int64)
    if re_present is None:
        for a in range(0, n, CHUNK_SAMPLES):
            b = min(n, a + CHUNK_SAMPLES)
            g0 = 1 if a else 0
            run(drawn(a, b), b - a, a * P, slice(a - g0, b), g0, counts[a:b], raster[a:b])
            if on_progress:
                on_progress(b)
    else:  # one sample per call: whether it is shown again depends on its answer
        readout, t0 = L.population(re_present.readout), 0
        for a in range(n):
            lists, rows = drawn(a, a + 1), ([a - 1, a] if a else [a])
            for k in range(re_present.rule.max_presentations):
                if k:  # the same sample again, faster; counts of the last presentation
                    lists, rows = _lists(re_present.again(a, k), P), [a, a]
                    counts[a] = 0
                    raster[a:a + 1] = False
                run(lists, 1, t0, rows, len(rows) - 1, counts[a:a + 1], raster[a:a + 1])
                t0 += P
                shown[a] = k + 1
                if counts[a, readout].sum() >= re_present.rule.min_spikes:
                    break
            if on_progress:
                on_progress(a + 1)
    wT = w[L.w_off[pc]:L.w_off[pc] + n_pre * n_post].reshape(n_pre, n_post)
    if has_bounds:  # the host's last clip, after the last sample (Lava: simulate.py)
        np.clip(wT, w_lo, w_hi, out=wT)
    split = lambda arr: {name: arr[:, L.population(name)] for name in L.names}  # noqa: E731
    return {"counts": split(counts), "rasters": split(raster) if rasters else None, "presentations": shown,
            "weights": {conn.label: wT.T.copy()}, "theta": {name: theta[L.population(name)].copy() for name in L.names}}


def _lists(spikes: np.ndarray, P: int):
    return kernels.spike_lists(kernels.spike_words(spikes), P)
