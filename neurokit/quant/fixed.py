"""Loihi-style fixed-point arithmetic as pure functions. Bit widths are those of Lava's
bit-accurate models (lava/proc/lif/models.py, lava/proc/dense/models.py, lava/utils/weightutils.py).

Nothing here wraps or zeroes silently: a value that does not fit raises QuantizationError with
the value and the allowed range.
"""
from __future__ import annotations

import numpy as np

from neurokit.errors import QuantizationError

DECAY_BITS = 12                # du, dv: unsigned 12-bit, 4096 = "1.0"
DECAY_UNITY = 1 << DECAY_BITS
DECAY_MAX = DECAY_UNITY - 1
DU_OFFSET = 1                  # Lava adds 1 to du (ds_offset), 0 to dv (dm_offset)
DV_OFFSET = 0
VTH_BITS = 17                  # unsigned threshold mantissa
VTH_MAX = (1 << VTH_BITS) - 1
VTH_SHIFT = 6                  # vth and synaptic input are left-shifted by 6 to MSB-align with v
ACT_SHIFT = 6
UV_BITS = 24                   # u, v and θ are 24-bit signed
UV_MAX = (1 << (UV_BITS - 1)) - 1
BIAS_MANT_BITS = 13            # signed
BIAS_MANT_MAX = (1 << (BIAS_MANT_BITS - 1)) - 1
BIAS_EXP_MAX = 7
WEIGHT_BITS = 8                # magnitude of a single-sign synapse group: 0..255
WEIGHT_MAX = (1 << WEIGHT_BITS) - 1
WEIGHT_EXP_MIN, WEIGHT_EXP_MAX = -8, 7  # Loihi's weight exponent range
NUM_WEIGHT_BITS = 8            # what neurokit's Lava build passes to a single-sign Dense,
MIXED_WEIGHT_BITS = 9          # and to a mixed one: Lava then truncates 8 − 9 + 1 = 0 bits (as lava-dl's netx does)
MIXED_MIN = -(1 << WEIGHT_BITS)  # a mixed-sign synapse group: 8 bits and a sign, -256..255
NO_SPIKE_VTH = 1 << 18         # threshold mantissa of a non-spiking (LI) neuron: vth << 6 = 2^24 > any v


def decay_to_fixed(delta: float, offset: int, what: str) -> int:
    """Fraction lost per step δ ∈ [0, 1] -> 12-bit register d with (d + offset)/4096 ≈ δ.
    δ = 0 with an offset gives d = −offset: no decay at all (lava-dl's netx writes du = −1 for a
    current that never decays, iDecay = 0)."""
    d = int(round(delta * DECAY_UNITY)) - offset
    if delta == 0:
        return -offset
    if not 0 <= d <= DECAY_MAX or (delta > 0 and d + offset == 0):
        lo, hi = max(offset, 1) / DECAY_UNITY, (DECAY_MAX + offset) / DECAY_UNITY
        raise QuantizationError(
            f"{what}: decay {delta:.6g} per step is not representable in 12 bits; "
            f"allowed {lo:.6g}..{hi:.6g} per step (register {d}, allowed 0..{DECAY_MAX})"
        )
    return d


def weight_exponent(max_abs: float, what: str) -> int:
    """Smallest exponent e >= 0 such that max_abs / 2^e fits the 8-bit magnitude."""
    if max_abs <= WEIGHT_MAX:
        return 0
    e = int(np.ceil(np.log2(max_abs / WEIGHT_MAX)))
    if round(max_abs / 2**e) > WEIGHT_MAX:
        e += 1
    if e > WEIGHT_EXP_MAX:
        raise QuantizationError(
            f"{what}: weight {max_abs:.6g} (in threshold units) needs exponent {e}, allowed "
            f"{WEIGHT_EXP_MIN}..{WEIGHT_EXP_MAX} (largest weight {WEIGHT_MAX << WEIGHT_EXP_MAX})"
        )
    return e


def weight_mantissas(w_scaled: np.ndarray, exp: int, what: str, mixed: bool = False) -> np.ndarray:
    """Round w / 2^exp to integer mantissas 0..255 (one sign) or −256..255 (mixed signs); raise
    on anything out of range."""
    mant = np.rint(np.asarray(w_scaled, dtype=np.float64) / 2.0**exp).astype(np.int32)
    lo = MIXED_MIN if mixed else 0
    if mant.size and (mant.min() < lo or mant.max() > WEIGHT_MAX):
        bad = mant.max() if mant.max() > WEIGHT_MAX else mant.min()
        raise QuantizationError(f"{what}: weight mantissa {bad} out of range {lo}..{WEIGHT_MAX} (exponent {exp})")
    return mant


def threshold_to_fixed(v_th_scaled: float, what: str) -> int:
    vth = int(round(v_th_scaled))
    if not 1 <= vth <= VTH_MAX:
        raise QuantizationError(
            f"{what}: threshold {v_th_scaled:.6g} (in weight units) rounds to {vth}, allowed "
            f"1..{VTH_MAX}; change the ratio of threshold to the largest incoming weight"
        )
    return vth


def bias_to_fixed(bias_v_units, what: str):
    """A bias in v units (already <<6) -> (mantissa, exponent) with mant << exp ≈ bias; for an
    array of per-neuron biases, mantissas with the one exponent that fits them all."""
    for exp in range(BIAS_EXP_MAX + 1):
        mant = np.rint(np.asarray(bias_v_units, np.float64) / 2**exp).astype(np.int64)
        if np.all(np.abs(mant) <= BIAS_MANT_MAX):
            return (int(mant), exp) if mant.ndim == 0 else (mant, exp)
    bias_v_units = float(np.max(np.abs(bias_v_units)))
    raise QuantizationError(
        f"{what}: bias {bias_v_units:.6g} exceeds {BIAS_MANT_MAX << BIAS_EXP_MAX} "
        f"(13-bit mantissa, exponent 0..{BIAS_EXP_MAX})"
    )


def bias_v_units(bias_v_units: np.ndarray, what: str) -> np.ndarray:
    """bias_to_fixed for each value on its own (its smallest exponent, not one shared by all):
    the value Loihi adds to v, mantissa << exponent, as int64 (the integrate-and-fire encoder's
    per-input currents)."""
    out = np.zeros(bias_v_units.shape, np.int64)
    todo = np.ones(bias_v_units.shape, bool)
    for e in range(BIAS_EXP_MAX + 1):
        mant = np.rint(bias_v_units / 2**e).astype(np.int64)
        fits = todo & (np.abs(mant) <= BIAS_MANT_MAX)
        out[fits] = mant[fits] << e
        todo &= ~fits
    if todo.any():
        raise QuantizationError(f"{what}: current {bias_v_units[todo].flat[0] / 64:.6g} exceeds the bias range "
                                f"({BIAS_MANT_MAX} << {BIAS_EXP_MAX})")
    return out


def theta_to_fixed(theta: np.ndarray, scale: float, what: str) -> np.ndarray:
    """Threshold offsets θ (IR voltage units) -> the 24-bit θ register in v units (θ · scale << 6),
    0..UV_MAX − 1 (Lava's adaptive model caps θ there); a larger θ would wrap, so it raises."""
    theta = np.asarray(theta, dtype=np.float64)
    reg = np.rint(theta * scale * (1 << VTH_SHIFT))
    top = UV_MAX - 1
    if reg.size and (reg.min() < 0 or reg.max() > top):
        k = int(np.argmax(reg)) if reg.max() > top else int(np.argmin(reg))
        raise QuantizationError(f"{what}[{k}]: {theta[k]:.6g} does not fit the 24-bit threshold register; "
                                f"allowed 0..{top / (scale * (1 << VTH_SHIFT)):.6g} for this population")
    return reg.astype(np.int32)
