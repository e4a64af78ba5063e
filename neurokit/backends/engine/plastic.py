"""Loihi 2 learning microcode in the engine, with the arithmetic of Lava's LearningDense models
(lava/magma/core/model/py/connection.py: LearningConnectionModelBitApproximate for fixed point,
LearningConnectionModelFloat for float).

One source of truth: the rule is the `Loihi2FLearningRule` that the Lava backend runs, parsed by
Lava's own parser into products (`tables_from_rule`); only their evaluation is ours.

Per step t (Lava's order inside one LearningDense):
  run_spk  pre spikes:  tx ← within-epoch step; a second pre spike in the epoch adds the impulse
           (trace random advances)
           post spikes: ty ← within-epoch step; a second post spike adds the impulse
           (trace random advances)
  run_lrn  (t % t_epoch == 0): x0 = tx > 0, y0 = ty > 0; traces decay through the epoch and take
           their impulses at tx / ty; then for each target (dw, dd, dt), for each synapse:
             acc = var << 7 + Σ_products clip15((m · dep · Π clip(factor + c)) >> s << e)
           with s = max(0, Σ factor widths + 4 − 15) the hidden shift; then
             var = sat(⌊acc / 128⌋ + [r < frac(acc / 128)])          (fixed point)
             var = sat(var + Σ_products m·2^(e−7) · dep · Π (factor + c))   (float; sat: sign only)
           with one random r per epoch (Lava's ConnVarRandom, seed 2).
Trace decay (fixed): x ← ⌊x·e^(−1/τ)⌋ + [r < frac], impulse: x ← min(x + I + [r < I_frac], 127),
one random per step for all neurons (Lava's TraceRandom, seeds rng_seed … rng_seed + 3).

Weights are kept transposed, wT[pre, post], as the engine's Dense layout does. Known gap: Lava
clips and rounds every synapse at every epoch, the engine only those a product can change (see
learn_epoch), so a value outside its variable's range (a tag below −256, a negative excitatory
weight) that no non-zero product touches is not clipped, and a float −0.0 stays −0.0 (Lava: +0.0).
neurokit's rules and weights never produce such values.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

# factor variables
X0, Y0, X1, X2, Y1, Y2, Y3, W, D, T, C = range(11)
_VAR_CODE = {"x0": X0, "y0": Y0, "x1": X1, "x2": X2, "y1": Y1, "y2": Y2, "y3": Y3, "w": W, "d": D, "t": T, "C": C}
_DEP_CODE = {"x0": 0, "y0": 1, "u": 2}
TARGETS = ("dw", "dd", "dt")          # -> weights, tag_2, tag_1 (order of Lava's appliers)
MAX_FACTORS = 4
TRACE_MAX = 127
ACC_MAX = (1 << 15) - 1               # W_ACCUMULATOR_U = 15
ACC_MIN = -(1 << 15) - 1
SYN_SHIFT = 7                         # W_ACCUMULATOR_S (16) − W_SYN_VAR_S (9)
SIGN_MODES = {"mixed": 0, "excitatory": 1, "inhibitory": 2}


class RuleTables(NamedTuple):
    """A parsed rule as flat arrays the kernels read (a NamedTuple, so Numba can take it)."""

    target: np.ndarray     # [p] 0 dw, 1 dd, 2 dt
    dep: np.ndarray        # [p] 0 x0, 1 y0, 2 u
    mant: np.ndarray       # [p] scale mantissa
    sexp: np.ndarray       # [p] scale exponent (+7 offset, as Lava stores it)
    shift: np.ndarray      # [p] hidden right shift (fixed point)
    nf: np.ndarray         # [p] number of factors
    fvar: np.ndarray       # [p, MAX_FACTORS] factor variable codes
    fconst: np.ndarray     # [p, MAX_FACTORS] constant added to the factor
    fwidth: np.ndarray     # [p, MAX_FACTORS] bit width (fixed-point clipping)
    fsgn: np.ndarray       # [p, MAX_FACTORS] 1: sgn(factor)
    decimate: int          # k of u_k, −1 without a u dependency
    t_epoch: int
    x_imp: np.ndarray      # [2] impulses of x1, x2
    y_imp: np.ndarray      # [3] impulses of y1, y2, y3
    x_tau: np.ndarray      # [2]
    y_tau: np.ndarray      # [3]
    rng_seed: int
    x_frac: np.ndarray     # [2] impulse fractions × 256 (fixed point)
    y_frac: np.ndarray     # [3]
    x_keep: np.ndarray     # [2] e^(−1/τ), 0 for τ = 0
    y_keep: np.ndarray     # [3]


def tables_from_rule(rule) -> RuleTables:
    """Flatten a Lava Loihi2FLearningRule (parsed by Lava) into RuleTables."""
    from lava.magma.core.learning.constants import FACTOR_TO_WIDTH_DICT, W_ACCUMULATOR_U, W_S_MANT

    rows = []
    for target, ps in rule.active_product_series.items():
        for p in ps.products:
            facs = [(f.state_var, f.const if f.has_const() else 0, bool(f.is_sgn)) for f in p.factors]
            if len(facs) > MAX_FACTORS:
                raise ValueError(f"a product with {len(facs)} factors; the engine takes {MAX_FACTORS}")
            width = sum(FACTOR_TO_WIDTH_DICT[v] for v, _, _ in facs) + W_S_MANT
            rows.append((TARGETS.index(target), _DEP_CODE[p.dependency], p.s_mantissa, p.s_exp,
                         max(0, width - W_ACCUMULATOR_U), facs, [FACTOR_TO_WIDTH_DICT[v] for v, _, _ in facs]))
    n = len(rows)
    fvar = np.zeros((n, MAX_FACTORS), np.int64)
    fconst = np.zeros((n, MAX_FACTORS), np.float64)
    fwidth = np.zeros((n, MAX_FACTORS), np.int64)
    fsgn = np.zeros((n, MAX_FACTORS), np.int64)
    for i, (*_, facs, widths) in enumerate(rows):
        for k, ((var, const, sgn), width) in enumerate(zip(facs, widths)):
            fvar[i, k], fconst[i, k], fwidth[i, k], fsgn[i, k] = _VAR_CODE[var], const, width, sgn
    col = lambda j: np.array([r[j] for r in rows], np.int64)  # noqa: E731
    x_imp = np.array([rule.x1_impulse, rule.x2_impulse], float)
    y_imp = np.array([rule.y1_impulse, rule.y2_impulse, rule.y3_impulse], float)
    x_tau = np.array([rule.x1_tau, rule.x2_tau], float)
    y_tau = np.array([rule.y1_tau, rule.y2_tau, rule.y3_tau], float)
    return RuleTables(
        target=col(0), dep=col(1), mant=col(2), sexp=col(3), shift=col(4),
        nf=np.array([len(r[5]) for r in rows], np.int64), fvar=fvar, fconst=fconst, fwidth=fwidth, fsgn=fsgn,
        decimate=-1 if rule.decimate_exponent is None else int(rule.decimate_exponent),
        t_epoch=int(rule.t_epoch),
        x_imp=x_imp, y_imp=y_imp, x_tau=x_tau, y_tau=y_tau, rng_seed=int(rule.rng_seed),
        x_frac=_impulse_frac(x_imp), y_frac=_impulse_frac(y_imp), x_keep=trace_keep(x_tau), y_keep=trace_keep(y_tau),
    )


def _impulse_frac(imp: np.ndarray) -> np.ndarray:
    """Lava's _decompose_impulses: the fraction of an impulse in 1/256 steps."""
    return np.round((imp - np.floor(imp)) * 2**8)


def trace_keep(taus: np.ndarray) -> np.ndarray:
    """e^(−1/τ) per trace, computed as Lava computes it (NumPy, τ as a column); 0 where τ = 0
    (Lava then leaves the trace at 0 in its history)."""
    out = np.zeros(len(taus))
    active = taus != 0
    if active.any():
        out[active] = np.exp(-1 / taus[active][:, np.newaxis])[:, 0]
    return out


class LearningRandoms:
    """Lava's random streams for one LearningDense, drawn ahead in blocks of steps.

    Trace streams (x: seeds s, s+1; y: s+2, s+3) advance twice per step; the value after k
    advances is stream[k]. The synaptic-variable stream (seed 2) advances once per epoch."""

    def __init__(self, rng_seed: int, t_epoch: int):
        seeds = (rng_seed, rng_seed + 1, rng_seed + 2, rng_seed + 3)
        self._gens = [np.random.default_rng(s) for s in seeds]
        self._cv = np.random.default_rng(2)
        self._last = [self._gens[0].random(1)[0], self._gens[1].integers(0, 128, size=1, dtype=int)[0],
                      self._gens[2].random(1)[0], self._gens[3].integers(0, 128, size=1, dtype=int)[0]]
        self._cv.random(1)  # the value drawn at construction is never used: run_lrn advances first
        self.t = 0
        self.t_epoch = t_epoch

    def block(self, n_steps: int):
        """Streams for the next n_steps: four arrays [2n + 1] (index 2j+1 / 2j+2 belong to the
        block's step j) and the epoch stream [epochs ending in the block]."""
        out = []
        for k, (gen, last) in enumerate(zip(self._gens, self._last)):
            fresh = gen.random(2 * n_steps) if k % 2 == 0 else gen.integers(0, 128, size=2 * n_steps, dtype=int)
            arr = np.concatenate([[last], fresh]).astype(np.float64)
            self._last[k] = arr[-1]
            out.append(arr)
        epochs = (self.t + n_steps) // self.t_epoch - self.t // self.t_epoch
        cv = self._cv.random(epochs)
        self.t += n_steps
        return (*out, cv)


@njit(inline="always")
def _stoch(values, r, p):
    """Lava's stochastic_round: values + [r < p]."""
    return values + (1.0 if r < p else 0.0)


@njit(inline="always")
def process_spikes(trace, tsp, idx, n_idx, within, imp, r_imp, fixed, frac, act, n_act):
    """Neurons idx[:n_idx] spiked: record the within-epoch time; a second spike in the epoch
    adds the impulse now (x traces use random 0, as Lava passes 0; y traces the stream value).
    Neurons new to this epoch are appended to act; returns the new count."""
    for q in range(n_idx):
        i = idx[q]
        if tsp[i] > 0:
            for r in range(trace.shape[0]):
                if fixed:
                    v = _stoch(trace[r, i] + math.floor(imp[r]), r_imp, frac[r])
                    trace[r, i] = min(max(v, 0.0), TRACE_MAX)
                else:
                    trace[r, i] += imp[r]
        else:
            act[n_act] = i
            n_act += 1
        tsp[i] = within
    return n_act


@njit(inline="always")
def trace_history(hist, tsp, act, n_act, E, keep, imp, frac, r_dec, r_imp, fixed):
    """Traces through one epoch, in place: hist[E] holds the traces (the state) on entry and on
    exit, hist[k] their value at within-epoch step k. Each step decays every trace (fixed:
    ⌊e^(−1/τ)·x⌋ + [r < frac], as Lava computes it: the same float product, and its fraction
    d − ⌊d⌋ equals Lava's d % 1 for d ≥ 0), then the neurons that
    spiked at k take their impulse. hist[0] is never read (a dependency at time 0 is 0)."""
    n_tr, n = hist.shape[1], hist.shape[2]
    for k in range(1, E + 1):
        src = E if k == 1 else k - 1
        for r in range(n_tr):
            if keep[r] == 0.0:
                if imp[r] != 0.0 or E > 1:
                    hist[k, r, :] = 0.0  # τ = 0: Lava leaves the history at 0
                continue
            row, kr = hist[k, r], keep[r]
            if src != k:
                row[:] = hist[src, r]
            # in place and branch-free, so that it vectorizes (two arrays that may be one would
            # not); fixed: a trace at 0 stays 0, its fraction 0 is never above r
            if fixed:
                for i in range(n):
                    d = kr * row[i]
                    f = np.floor(d)
                    row[i] = f + (1.0 if r_dec < d - f else 0.0)
            else:
                for i in range(n):
                    x = row[i]
                    row[i] = 0.0 if x == 0.0 else kr * x
        for q in range(n_act):
            i = act[q]
            if tsp[i] != k:
                continue
            for r in range(n_tr):
                if fixed:
                    v = _stoch(hist[k, r, i] + math.floor(imp[r]), r_imp, frac[r])
                    hist[k, r, i] = min(max(v, 0.0), TRACE_MAX)
                else:
                    hist[k, r, i] += imp[r]


@njit(inline="always")
def finish(target, old, acc, r_cv, fixed, sign_mode):
    """Fixed: saturate the accumulator, round stochastically to 8 bits, clip to the variable's
    range. Float: Lava bounds only by sign (weights ≥ 0 when excitatory; no upper bound) and
    keeps tag_2 ≥ 0."""
    if not fixed:
        v = old + acc
        if target == 0 and sign_mode == 1:
            return max(0.0, v)
        if target == 0 and sign_mode == 2:
            return min(0.0, v)
        if target == 1:
            return max(0.0, v)
        return v
    if target == 0 and sign_mode == 1:
        acc = max(0.0, acc)
    elif target == 0 and sign_mode == 2:
        acc = min(0.0, acc)
    elif target == 1:
        acc = max(0.0, acc)
    q = acc / 128.0
    acc = _stoch(math.floor(q), r_cv, q % 1.0)
    if target == 0:  # clip_weights(…, 8 bits): mixed [−256, 255], excitatory [0, 255], inhibitory [−255, 0]
        lo = 0.0 if sign_mode == 1 else (-255.0 if sign_mode == 2 else -256.0)
        hi = 0.0 if sign_mode == 2 else 255.0
        return min(max(acc, lo), hi)
    if target == 1:
        return min(max(acc, 0.0), 255.0)
    return min(max(acc, -257.0), 255.0)


@njit(inline="always")
def learn_epoch(t, wT, dT, tT, xh, tx, yh, ty, x0, y0, x_act, n_xact, y_act, n_yact, live, tb, update_all, update_x,
                update_y, x_gate, y_gate, r_xd, r_xi, r_yd, r_yi, r_cv, fixed):
    """Lava's run_lrn at the end of an epoch (step t): trace histories, every synapse a product
    touches updated from the old values by `update` (the rule compiled by rulegen.py), epoch
    reset. x_act / y_act list the pre / post neurons that spiked in the epoch (x0, y0 true).
    x_gate / y_gate (rulegen.zero_gate): a post / pre trace that is zero makes every x0 / y0
    product zero, so those synapses are skipped (−1: no such trace): a pre spike then visits
    the post neurons that spiked and those whose gate trace lives (`live`, scratch [n_post]),
    not all of them."""
    E = tb.t_epoch
    n_pre, n_post = wT.shape
    trace_history(xh, tx, x_act, n_xact, E, tb.x_keep, tb.x_imp, tb.x_frac,
                  r_xd, r_xi, fixed)
    trace_history(yh, ty, y_act, n_yact, E, tb.y_keep, tb.y_imp, tb.y_frac,
                  r_yd, r_yi, fixed)
    u = 0.0
    if tb.decimate >= 0 and (t // E) % (1 << tb.decimate) == 0:
        u = 1.0
    has_x = has_y = every = False
    for p in range(len(tb.dep)):
        has_x |= tb.dep[p] == 0
        has_y |= tb.dep[p] == 1
        every |= tb.dep[p] == 2 and u == 1.0
    if every:
        for i in range(n_pre):
            for j in range(n_post):
                update_all(i, j, wT, dT, tT, xh, yh, tx, ty, x0, y0, u, r_cv)
    else:
        if has_x:  # columns of pre neurons that spiked (each synapse reads only itself: any order)
            n_live = 0  # post neurons that did not spike but whose gate trace is alive in the epoch
            if x_gate >= 0 and n_xact:
                for j in range(n_post):
                    alive = False
                    for k in range(1, E + 1):
                        alive |= yh[k, x_gate, j] != 0.0
                    if alive and not y0[j]:
                        live[n_live] = j
                        n_live += 1
            for q in range(n_xact):
                i = x_act[q]
                k = tx[i]
                for p in range(n_yact):
                    update_all(i, y_act[p], wT, dT, tT, xh, yh, tx, ty, x0, y0, u, r_cv)
                if x_gate < 0:
                    for j in range(n_post):
                        if not y0[j]:
                            update_x(i, j, wT, dT, tT, xh, yh, tx, ty, x0, y0, u, r_cv)
                    continue
                for p in range(n_live):
                    j = live[p]
                    if yh[k, x_gate, j] != 0.0:
                        update_x(i, j, wT, dT, tT, xh, yh, tx, ty, x0, y0, u, r_cv)
        if has_y:  # rows of post neurons that spiked, minus what the columns did
            for q in range(n_yact):
                j = y_act[q]
                k = ty[j]
                for i in range(n_pre):
                    if not (has_x and x0[i]) and (y_gate < 0 or xh[k, y_gate, i] != 0.0):
                        update_y(i, j, wT, dT, tT, xh, yh, tx, ty, x0, y0, u, r_cv)
    for q in range(n_xact):
        tx[x_act[q]] = 0
        x0[x_act[q]] = False
    for q in range(n_yact):
        ty[y_act[q]] = 0
        y0[y_act[q]] = False
