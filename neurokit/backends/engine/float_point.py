"""The float models neurokit runs in `floating_pt`, operation for operation, so that results
are identical to the last bit: Lava's float Dense (`weights[:, s].sum(axis=1)`) and NeurokitLIF
(AbstractPyLifModelFloat.subthr_dynamics plus refractory and θ).

NumPy's `weights[:, s].sum(axis=1)` adds the chosen columns one after another, left to right,
when the matrix has two or more rows, and uses its pairwise summation when it has one row
(checked in tests/test_engine_units.py against NumPy itself). Both orders are copied here.
"""
import numpy as np

from neurokit.backends.engine.jit import njit

PAIRWISE_BLOCK = 128  # NumPy's PW_BLOCKSIZE


@njit
def _pairwise_block(a, lo, n):
    """NumPy's pairwise_sum for n ≤ 128: a plain loop below 8, else 8 running sums."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit
def pairwise_sum(a, lo, n):
    """NumPy's pairwise_sum over a[lo:lo+n] (numpy/core/src/umath/loops_utils.h.src):
    above 128 values, sum(first n2) + sum(rest) with n2 = n/2 rounded down to a multiple of 8.
    Evaluated with an explicit stack (Numba cannot cache recursive functions)."""
    if n <= PAIRWISE_BLOCK:
        return _pairwise_block(a, lo, n)
    st_lo = np.empty(128, np.int64)
    st_n = np.empty(128, np.int64)
    st_join = np.empty(128, np.bool_)
    vals = np.empty(128)
    sp, nv = 1, 0
    st_lo[0], st_n[0], st_join[0] = lo, n, False
    while sp > 0:
        sp -= 1
        l, m, join = st_lo[sp], st_n[sp], st_join[sp]
        if join:
            vals[nv - 2] = vals[nv - 2] + vals[nv - 1]
            nv -= 1
        elif m <= PAIRWISE_BLOCK:
            vals[nv] = _pairwise_block(a, l, m)
            nv += 1
        else:
            m2 = m // 2
            m2 -= m2 % 8
            st_lo[sp], st_n[sp], st_join[sp] = l, m, True          # then add the two halves
            st_lo[sp + 1], st_n[sp + 1], st_join[sp + 1] = l + m2, m - m2, False
            st_lo[sp + 2], st_n[sp + 2], st_join[sp + 2] = l, m2, False  # first half first
            sp += 3
    return vals[0]


@njit(inline="always")
def add_input(a_in, a_out):
    """Lava's float InPort: a_in = (0 + a_1) + a_2 + … in connection order."""
    return a_in + a_out


@njit(inline="always")
def dense_finish(acc, exp):
    """Float Dense has no weight exponent."""
    return acc


@njit
def dense_output(out, w, w_off, n_tgt, active, n_active, exp):
    """out[i] = Σ_{j ∈ active} W[i, j] in NumPy's order (see the module docstring)."""
    if n_tgt == 1:
        buf = np.empty(n_active)
        for a in range(n_active):
            buf[a] = w[w_off + active[a]]
        out[0] = pairwise_sum(buf, 0, n_active) if n_active > 1 else (buf[0] if n_active == 1 else 0.0)
        return
    for i in range(n_tgt):
        out[i] = 0.0
    o = out[:n_tgt]
    for a in range(n_active):
        row = w_off + active[a] * n_tgt
        wr = w[row:row + n_tgt]  # slices: the compiler sees two arrays and vectorizes
        for i in range(n_tgt):
            o[i] += wr[i]


@njit(inline="always")
def theta_decay(theta, keep):
    """θ ← θ · (1 − δθ)."""
    return theta * keep


@njit(inline="always")
def lif_step_all(st_u, st_v, st_refr, st_theta, a_in, prm, spikes):
    """One NeurokitLIF float step of every neuron; spikes[n] ← neuron n's spike.

        u ← u·(1 − δu) + a_in          v ← v·(1 − δv) + u + bias
        if refractory > 0:  v ← 0, refractory ← refractory − 1
        θ ← θ·(1 − δθ);  spike = v > vth + θ;  on a spike: v ← 0, refractory ← R, θ ← θ + θ₊

    Lava's operations in Lava's order, without branches (so that the loop vectorizes)."""
    u_keep, v_keep, vth, bias, refractory, theta_plus, theta_keep = prm
    for n in range(st_u.shape[0]):
        u = st_u[n] * u_keep[n]
        u += a_in[n]
        st_u[n] = u
        v = st_v[n] * v_keep[n] + u + bias[n]
        refractory_now = st_refr[n] > 0
        v = 0.0 if refractory_now else v
        refr = st_refr[n] - (1 if refractory_now else 0)
        theta = theta_decay(st_theta[n], theta_keep[n])
        spike = v > vth[n] + theta
        st_v[n] = 0.0 if spike else v
        st_refr[n] = refractory[n] if spike else refr
        st_theta[n] = theta + theta_plus[n] if spike else theta
        spikes[n] = spike
