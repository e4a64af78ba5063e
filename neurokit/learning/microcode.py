"""Learning rules as Loihi 2 learning-engine microcode (Lava's `Loihi2FLearningRule`).

A rule is a sum of products evaluated at a pre spike (dependency x0) or a post spike (y0):

    stdp          dw = S_pre · y0 · x1              − S_post · x0 · y1
    all_ltd       dw = −S_pre · y0 · x1             − S_post · x0 · y1
    stdp_all_ltd  dw = S_pre · y0 · x1 · (y2 − g)   − S_post · x0 · y1

and, with `w_decay` λ > 0, one more product:  − λ · y0 · w  (λ a literal m · 2^k), or, with
`w_decay_labelled_only`, − L · y0 · w · y2: the class gate y2 keeps it to the labelled group. There
y2 is 16 in fixed point, and the product of w (9 bits) and y2 (7 bits) is shifted right by 5
(9 + 7 + 4 − 15): L = 2λ; in float y2 is 2: L = λ/2.

x1 (pre) and y1 (post) are traces with impulse I and time constant τ, so at a post spike Δt
after a pre spike x1 = I_x · exp(−Δt/τ_pre) and Δw = S_pre · I_x · exp(−Δt/τ_pre): we choose
S_pre · I_x = A_pre (in weight units), with S a literal m · 2^k that the engine can hold
(m ∈ 1..7, k ∈ −7..8) and I an integer ≤ 64 (7-bit traces in fixed point), within 2 %.

The supervised rule gates potentiation by a per-post-neuron mode register: y2 with impulse 0
and an effectively infinite τ, written once per sample (the class of the sample decides which
group potentiates). (y2 − g) is +1 or −1 times a power of two: in fixed point the product of
two 7-bit factors is shifted right by 3 (15-bit accumulator; LAVA_NOTES.md), so fixed uses
y2 ∈ {16, 0} with g = 8 (±8 >> 3 = ±1) and float uses y2 ∈ {2, 0} with g = 1. With `ltd_scale`
s < 1 the other groups' register holds g − s·g instead of 0, so their all-LTD is −s·S_pre·y0·x1
(fixed point: 8·s must be a whole number, the register an integer).

A pruning timer (neurokit.learning.pruning) adds a tag-counter rule `dt` and one decay product
to `dw`; without pruning the strings above are unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

from neurokit.errors import QuantizationError
from neurokit.ir import LearningRule
from neurokit.ir.learning import Pruning
from neurokit.learning.pruning import PruningCode, design

TRACE_MAX = 127            # 7-bit traces
IMPULSE_MAX = 64           # largest impulse: room for two overlapping spikes below 127
AMPLITUDE_TOLERANCE = 0.02 # largest relative error of a realised amplitude
MODE_TAU = 1e12            # "no decay" for the mode register (tau = 0 would zero it)
SCALE_MANTISSAS = range(1, 8)
SCALE_EXPONENTS = range(-7, 9)
GATE = {"fixed": (16, 8), "float": (2, 1)}  # (y2 in the labelled group, g); elsewhere y2 = g − ltd_scale·g


@dataclass(frozen=True)
class Scaled:
    """A rule amplitude split into a literal m·2^k and a trace impulse: m·2^k·impulse = amplitude."""

    mantissa: int
    exponent: int
    impulse: float

    @property
    def literal(self) -> str:
        return f"{self.mantissa} * 2^{self.exponent}" if self.exponent else str(self.mantissa)

    @property
    def value(self) -> float:
        return self.mantissa * 2.0**self.exponent * self.impulse


def split_amplitude(amplitude: float, what: str) -> Scaled:
    """Choose m·2^k and an integer impulse ≤ IMPULSE_MAX with m·2^k·impulse ≈ amplitude
    (smallest relative error, then the largest impulse). Impulses are integers because Lava's
    fixed-point learning model stores them in integer Vars: a fraction would be dropped the
    first time any of its Vars is set (its on_var_update re-reads them)."""
    best, best_key = None, None
    for k in SCALE_EXPONENTS:
        for m in SCALE_MANTISSAS:
            impulse = int(round(amplitude / (m * 2.0**k)))
            if not 1 <= impulse <= IMPULSE_MAX:
                continue
            key = (round(abs(m * 2.0**k * impulse - amplitude) / amplitude, 4), -impulse)
            if best_key is None or key < best_key:
                best, best_key = Scaled(m, k, float(impulse)), key
    if best is None or best_key[0] > AMPLITUDE_TOLERANCE:
        lo, hi = 2.0**-7, 7 * 2.0**8 * IMPULSE_MAX
        raise QuantizationError(
            f"{what}: amplitude {amplitude:.6g} (in weight units) is outside what the learning "
            f"engine can express ({lo:.3g}..{hi:.3g})"
        )
    return best


def scale_literal(value: float, what: str) -> str:
    """A factor the learning engine holds as a literal m · 2^k (m ∈ 1..7, k ∈ −7..8), within 2 %."""
    m, k = min(((m, k) for m in SCALE_MANTISSAS for k in SCALE_EXPONENTS),
               key=lambda mk: abs(mk[0] * 2.0 ** mk[1] - value))
    if abs(m * 2.0**k - value) > AMPLITUDE_TOLERANCE * value:
        raise QuantizationError(
            f"{what}: {value:.6g} is not m · 2^k within 2 % (m = 1..7, k = −7..8: {2.0**-7:.6g} = 2^-7, "
            f"{3 * 2.0**-7:.6g}, {2.0**-6:.6g}, …); choose such a value")
    return f"{m} * 2^{k}" if k else str(m)


def trace_tau_steps(tau_ms: float, dt_ms: float, what: str) -> int:
    """A trace time constant in whole steps (Lava's fixed-point model keeps τ in an integer Var)."""
    steps = tau_ms / dt_ms
    if abs(steps - round(steps)) > 1e-9 or round(steps) < 1:
        raise QuantizationError(f"{what}: {tau_ms} ms is {steps:g} steps; trace time constants must be "
                                f"a whole number of steps (≥ 1) of dt_ms={dt_ms}")
    return int(round(steps))


def _gate(rule: LearningRule, precision: str, what: str) -> tuple[float, float]:
    """y2 in the labelled group and elsewhere: (y2 − g) is +g there and −ltd_scale·g here."""
    on, g = GATE[precision]
    off = g - rule.ltd_scale * g
    if precision == "fixed" and off != int(off):
        raise QuantizationError(f"{what}.ltd_scale: {rule.ltd_scale:g} is not a multiple of 1/{g} in fixed point "
                                f"(the mode register holds integers); use 0, 1/{g}, 2/{g}, … 1")
    return float(on), float(off)


@dataclass(frozen=True)
class Microcode:
    """Everything Lava's Loihi2FLearningRule needs, and the gate values for y2."""

    dw: str
    x1_impulse: float
    x1_tau: float
    y1_impulse: float
    y1_tau: float
    t_epoch: int
    gated: bool
    gate_on: float = 0.0
    gate_off: float = 0.0
    dt: str | None = None                 # tag counter of the pruning timer
    pruning: PruningCode | None = None    # what the timer realises (τ_eff, strings)

    def lava_rule(self, rng_seed: int):
        from lava.magma.core.learning.learning_rule import Loihi2FLearningRule

        extra = dict(y2_impulse=0, y2_tau=MODE_TAU) if self.gated else {}
        if self.dt is not None:
            extra["dt"] = self.dt
        return Loihi2FLearningRule(
            dw=self.dw, x1_impulse=self.x1_impulse, x1_tau=self.x1_tau, y1_impulse=self.y1_impulse,
            y1_tau=self.y1_tau, t_epoch=self.t_epoch, rng_seed=rng_seed, **extra,
        )


def microcode(rule: LearningRule, precision: str, scale: float, dt_ms: float, what: str = "learning",
              pruning: Pruning | None = None) -> Microcode:
    """The microcode of `rule` for `precision`, with amplitudes in weight units (× `scale`), and
    the pruning timer when `pruning` is given (and k_p > 0)."""
    if rule.w_min != 0:
        raise QuantizationError(
            f"{what}.w_min: {rule.w_min} is not supported; the learning engine clips excitatory "
            f"weights to [0, w_max], so w_min must be 0"
        )
    pre = split_amplitude(rule.a_pre * scale, f"{what}.a_pre")
    post = split_amplitude(-rule.a_post * scale, f"{what}.a_post")
    depress = f"{post.literal} * x0 * y1"
    if rule.kind == "stdp":
        dw = f"{pre.literal} * y0 * x1 - {depress}"
    elif rule.kind == "all_ltd":
        dw = f"-{pre.literal} * y0 * x1 - {depress}"
    else:
        g = GATE[precision][1]
        dw = f"{pre.literal} * y0 * x1 * (y2 - {g}) - {depress}"
    if rule.w_decay_labelled_only:
        per_gate = 0.5 if precision == "fixed" else 2.0  # what y2 (in the labelled group) multiplies by
        try:
            literal = scale_literal(rule.w_decay / per_gate, what + ".w_decay")
        except QuantizationError:
            raise QuantizationError(
                f"{what}.w_decay: {rule.w_decay:g} with w_decay_labelled_only is the literal "
                f"{rule.w_decay / per_gate:g} in {precision} (the gate multiplies by {per_gate:g}), which the learning "
                f"engine cannot hold; use m · 2^k from {2.0**-7 * per_gate:g} up") from None
        dw = f"{dw} - {literal} * y0 * w * y2"
    elif rule.w_decay > 0:
        dw = f"{dw} - {scale_literal(rule.w_decay, what + '.w_decay')} * y0 * w"
    gate = _gate(rule, precision, what) if rule.kind == "stdp_all_ltd" else (0.0, 0.0)
    timer = None if pruning is None else design(
        pruning, precision, dt_ms, rule.epoch_steps, what.rsplit(".", 1)[0] + ".pruning")
    if timer is not None:
        dw = f"{dw} {timer.dw_term}"
    return Microcode(
        dw=dw, x1_impulse=pre.impulse, x1_tau=trace_tau_steps(rule.tau_pre_ms, dt_ms, f"{what}.tau_pre_ms"),
        y1_impulse=post.impulse, y1_tau=trace_tau_steps(rule.tau_post_ms, dt_ms, f"{what}.tau_post_ms"),
        t_epoch=rule.epoch_steps,
        gated=rule.kind == "stdp_all_ltd", gate_on=gate[0], gate_off=gate[1],
        dt=timer.dt if timer else None, pruning=timer,
    )


def class_groups(n_neurons: int, n_classes: int) -> list[range]:
    """Neurons of each class group: equal consecutive blocks (n_neurons must divide evenly)."""
    if n_classes < 1 or n_neurons % n_classes:
        raise QuantizationError(
            f"{n_neurons} neurons cannot be split into {n_classes} equal class groups"
        )
    size = n_neurons // n_classes
    return [range(k * size, (k + 1) * size) for k in range(n_classes)]
