"""The pruning timer ("use it or lose it", METHODS.md §3) as Loihi 2 learning-engine microcode.

Exact rule, t_s the last spike of the presynaptic neuron:

    w(t) = w(t_s) · exp(−k_p · ((t − t_s) / τ_prun)²)

Microcode. The tag t of each synapse counts macro-epochs since the last pre spike; a
macro-epoch is 2^K learning epochs, M = t_epoch · 2^K time steps (`uK` fires once per macro-
epoch):

    dt  = "2 * uK - x0 * t"                       t ← t + 2 per macro-epoch, 0 at a pre spike
    dw += "- m * 2^e * uK * w * t"                w ← w · (1 − c · t)

At the n-th macro-epoch boundary after a pre spike t = 2(n − 1), so w shrinks by c·2(n − 1)
and, since Σ_{n=1..N} 2(n − 1) = N(N − 1) = (N − ½)² − ¼,

    w_N = w(t_s) · Π_{n=1..N} (1 − 2c (n − 1))  ≈  w(t_s) · exp(−c (N − ½)²).

A spike falls anywhere inside its macro-epoch, so at the N-th boundary (N − ½) macro-epochs have
passed on average: the timer follows the Gaussian in steps of one macro-epoch. A synapse whose
input fires in every macro-epoch before its last learning epoch has t = 0 at every boundary and
keeps its weight (dw reads t before dt resets it, so a spike in the uK epoch itself still costs
2c); the exact rule takes k_p (Δ/τ)² per inter-spike interval Δ, almost nothing. Matching
exp(−c (N − ½)²) with exp(−k_p ((N − ½) M dt / τ)²) gives

    c = k_p (M dt / τ)²,        τ_eff = M · dt · sqrt(k_p / c).

c is the literal m·2^e times the hidden shift of the product w × t in fixed point: the
accumulator holds 15 bits, so a product of factors 9 + 9 bits wide (+ 4 for the mantissa) is
shifted right by 7 (LAVA_NOTES.md), c = m · 2^(e − 7); float has no shift, c = m · 2^e. The
literal needs m ∈ 1..7, e ∈ −7..8 and K is one decimal digit (u0..u9), so τ_eff takes discrete
values (`reachable_taus`). In fixed point t saturates at 255: from the 129th macro-epoch on the
decay is geometric, (1 − 255 c) per macro-epoch.

Choice: the nearest reachable τ_eff (in log) among the (K, m, e) whose curve stays within
SHAPE_TOL of the exact Gaussian and which give at least MIN_EPOCHS_PER_TAU macro-epochs per τ;
a request more than TAU_TOLERANCE away from every reachable value raises QuantizationError
naming the nearest reachable values. The realised τ_eff is reported in `PruningCode`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neurokit.errors import QuantizationError
from neurokit.ir.learning import Pruning

HIDDEN_SHIFT = {"fixed": 7, "float": 0}   # w (9 bits) × t (9 bits) + mantissa (4) − 15
T_MAX = {"fixed": 255, "float": math.inf}  # tag t saturates at 255 in fixed point
K_RANGE = range(0, 10)                     # uK: one decimal digit
MANTISSAS = range(1, 8)
EXPONENTS = range(-7, 9)
TAU_TOLERANCE = 0.06       # |τ_eff/τ − 1| allowed: fixed covers 10..32768 ms (dt 1 ms) within this
SHAPE_TOL = 0.03           # max |realised − exact| / w(t_s) at macro-epoch boundaries (N − ½ epochs)
MIN_EPOCHS_PER_TAU = 8     # time resolution: one macro-epoch ≤ τ/8


@dataclass(frozen=True)
class PruningCode:
    """One realisation of the timer: the strings and what they realise."""

    precision: str
    K: int                 # uK: one macro-epoch = t_epoch · 2^K steps
    mantissa: int
    exponent: int
    macro_steps: int       # M
    dt_ms: float
    k_p: float
    tau_requested_ms: float

    @property
    def c(self) -> float:
        """Decay coefficient per macro-epoch: c = m · 2^(e − shift)."""
        return self.mantissa * 2.0 ** (self.exponent - HIDDEN_SHIFT[self.precision])

    @property
    def tau_eff_ms(self) -> float:
        """τ_eff = M · dt · sqrt(k_p / c)."""
        return self.macro_steps * self.dt_ms * math.sqrt(self.k_p / self.c)

    @property
    def dt(self) -> str:
        return f"2 * u{self.K} - x0 * t"

    @property
    def dw_term(self) -> str:
        lit = f"{self.mantissa} * 2^{self.exponent}" if self.exponent else str(self.mantissa)
        return f"- {lit} * u{self.K} * w * t"

    def summary(self) -> dict:
        return {"tau_requested_ms": self.tau_requested_ms, "tau_eff_ms": round(self.tau_eff_ms, 3),
                "k_p": self.k_p, "macro_epoch_steps": self.macro_steps, "c": self.c,
                "dt": self.dt, "dw_term": self.dw_term, "precision": self.precision}


def realised_factors(c: float, n: int, precision: str) -> np.ndarray:
    """w_N / w(t_s) for N = 0..n: Π_{k=1..N} max(0, 1 − c · min(2(k − 1), T_MAX))."""
    t = np.minimum(2.0 * np.arange(n), T_MAX[precision])
    return np.concatenate([[1.0], np.cumprod(np.maximum(0.0, 1.0 - c * t))])


def exact_factor(elapsed_ms, tau_ms: float, k_p: float):
    """exp(−k_p · (elapsed / τ)²)."""
    return np.exp(-k_p * (np.asarray(elapsed_ms, float) / tau_ms) ** 2)


def shape_error(c: float, k_p: float, precision: str) -> float:
    """max_N |w_N − exp(−c (N − ½)²)| / w(t_s) over N ≥ 1, up to where the exact curve is below
    1e-4 (at the N-th boundary N − ½ macro-epochs have passed since the spike, on average)."""
    n = int(math.ceil(math.sqrt(9.3 / c))) + 2
    N = np.arange(1, n + 1)
    return float(np.max(np.abs(realised_factors(c, n, precision)[1:] - np.exp(-c * (N - 0.5) ** 2))))


def _candidates(k_p: float, precision: str, dt_ms: float, t_epoch: int):
    """Every admissible (τ_eff, M, K, m, e), one literal per distinct c."""
    seen, out = {}, []
    for e in EXPONENTS:
        for m in MANTISSAS:
            c = m * 2.0 ** (e - HIDDEN_SHIFT[precision])
            if c not in seen and c * MIN_EPOCHS_PER_TAU**2 <= k_p:
                seen[c] = (m, e)
    ok = {c: me for c, me in seen.items() if shape_error(c, k_p, precision) <= SHAPE_TOL}
    for K in K_RANGE:
        M = t_epoch * 2**K
        for c, (m, e) in ok.items():
            out.append((M * dt_ms * math.sqrt(k_p / c), M, K, m, e))
    return sorted(out)


def reachable_taus(k_p: float, precision: str, dt_ms: float = 1.0, t_epoch: int = 1) -> list[float]:
    """The distinct τ_eff (ms) the timer can realise for these settings, ascending."""
    return sorted({round(c[0], 6) for c in _candidates(k_p, precision, dt_ms, t_epoch)})


def design(pruning: Pruning, precision: str, dt_ms: float, t_epoch: int,
           what: str = "pruning") -> PruningCode | None:
    """The (K, m, e) realising `pruning` nearest in log τ; None when k_p = 0 (timer off)."""
    if pruning.k_p == 0:
        return None
    if precision not in HIDDEN_SHIFT:
        raise QuantizationError(f"{what}: precision must be 'fixed' or 'float', got {precision!r}")
    tau, k_p = pruning.tau_prun_ms, pruning.k_p
    cands = _candidates(k_p, precision, dt_ms, t_epoch)
    if not cands:
        raise QuantizationError(f"{what}.k_p: {k_p} is too small for the learning engine "
                                f"(no literal gives a decay within {SHAPE_TOL} of the Gaussian)")
    # nearest in log τ; among equal τ the smallest macro-epoch (finest staircase)
    best = min(cands, key=lambda c: (round(abs(math.log(c[0] / tau)), 9), c[1]))
    if abs(best[0] / tau - 1) > TAU_TOLERANCE:
        below = max((c[0] for c in cands if c[0] <= tau), default=None)
        above = min((c[0] for c in cands if c[0] >= tau), default=None)
        near = " or ".join(f"{v:.0f}" for v in (below, above) if v is not None)
        raise QuantizationError(
            f"{what}.tau_prun_ms: {tau:g} ms cannot be realised within {TAU_TOLERANCE:.0%} in {precision} "
            f"point with k_p={k_p:g}, epoch_steps={t_epoch}, dt={dt_ms:g} ms; nearest reachable: {near} ms "
            f"(reachable range {cands[0][0]:.0f}..{cands[-1][0]:.0f} ms; see docs/pruning.md)"
        )
    _, M, K, m, e = best
    return PruningCode(precision, K, m, e, M, dt_ms, k_p, tau)


def timer_trajectory(code: PruningCode, w0: float, pre_steps, n_steps: int, t_epoch: int = 1,
                     randoms: np.ndarray | None = None) -> np.ndarray:
    """The microcode replayed step by step: the weight after each Lava time step 1..n_steps.

    At each learning epoch (time_step % t_epoch == 0), with u = [time_step / t_epoch ≡ 0 mod 2^K]
    and x0 = [a pre spike reached the synapse in the epoch], from the values before the epoch:
        w ← max(0, w − u·c·w·t),   t ← min(T_MAX, t + 2u − x0·t).
    This is exact for float mode. With `randoms` (one uniform number per learning epoch: the
    stream of Lava's stochastic rounding) w of a fixed-mode code is replayed in Lava's integer
    arithmetic instead (`_fixed_step`); without, fixed mode gets the float recursion, its mean.
    t keeps the saturating recursion above, which differs from Lava only when a pre spike meets
    t ≥ 254 in a uK epoch (Lava's accumulator saturates before −x0·t: t becomes 0 or 1, not 2).
    """
    pre = np.zeros(n_steps + 1, bool)
    pre[[s for s in pre_steps if 1 <= s <= n_steps]] = True
    fixed = randoms is not None and code.precision == "fixed"
    w, t, x0, out, epoch = (int(w0) if fixed else float(w0)), 0, False, np.empty(n_steps), 0
    for step in range(1, n_steps + 1):
        x0 = x0 or pre[step]
        if step % t_epoch == 0:
            u = (step // t_epoch) % 2**code.K == 0
            if fixed:
                w = _fixed_step(code, w, t, u, randoms[epoch])
            elif u:
                w = max(0.0, w - code.c * w * t)
            t = min(T_MAX[code.precision], t + 2 * u - (t if x0 else 0))
            x0, epoch = False, epoch + 1
        out[step - 1] = w
    return out


def _fixed_step(code: PruningCode, w: int, t: int, u: bool, r: float) -> int:
    """One learning epoch of the decay product in Lava's fixed point (weights accumulate in
    units of 2^-7; the product −m·w·t is shifted right by 7, then left by e + 7; the sum is
    rounded to an integer weight stochastically: up when r < fraction)."""
    acc = w << 7
    if u:
        acc += ((-code.mantissa * w * t) >> HIDDEN_SHIFT["fixed"]) << (code.exponent + 7)
    acc = max(0, acc)
    return min(255, (acc >> 7) + int(r < (acc % 128) / 128))
