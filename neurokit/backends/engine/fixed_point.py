"""Bit-accurate arithmetic of the two Lava models neurokit runs in `fixed_pt`: one Dense output
(lava/proc/dense/models.py, AbstractPyDenseModelBitAcc) and one NeurokitLIF step
(AbstractPyLifModelFixed.subthr_dynamics plus neurokit's refractory clamp and θ,
neurokit/backends/lava/processes/neuron_models.py). All values are int64 here; where Lava
holds an int32 (Dense output, summed input, u, the v sum) the result is wrapped like an
int32, so that even overflow matches.

Parameters per neuron (layout.py): u_keep = 4096 − (du + 1), v_keep = 4096 − dv,
vth = vth_mant << 6, bias = bias_mant << bias_exp, θ₊ << 6, θ_keep = 4096 − δθ.
"""
from neurokit.backends.engine.jit import njit

from neurokit.quant.fixed import ACT_SHIFT, DECAY_BITS, UV_BITS

UV_MAX = 1 << (UV_BITS - 1)  # 2^23: |u|, |v| stay within 24 bits


@njit(inline="always")
def wrap_i32(x):
    """x as an int32 would hold it: ((x + 2^31) mod 2^32) − 2^31."""
    return ((x + 2147483648) & 0xFFFFFFFF) - 2147483648


@njit(inline="always")
def decay(x, keep):
    """x · keep / 4096 rounded toward zero, as Lava does it: sign(x) · (|x · keep| >> 12)."""
    p = x * keep
    if p < 0:
        return -((-p) >> DECAY_BITS)
    return p >> DECAY_BITS


@njit(inline="always")
def add_input(a_in, a_out):
    """Lava's InPort sums its Dense outputs into an int32 vector."""
    return wrap_i32(a_in + a_out)


@njit(inline="always")
def dense_finish(acc, exp):
    """a_out = acc << exp (exp > 0) or acc >> −exp (an arithmetic, flooring shift), then sent
    through an int32 channel."""
    if exp > 0:
        return wrap_i32(acc << exp)
    return wrap_i32(acc >> -exp)


@njit
def dense_output(out, w, w_off, n_tgt, active, n_active, exp):
    """out[i] = finish(Σ_{j ∈ active} W[i, j]) for one Dense: W^T rows of the spiking sources
    added (integers: order does not matter)."""
    for i in range(n_tgt):
        out[i] = 0
    for a in range(n_active):
        row = w_off + active[a] * n_tgt
        for i in range(n_tgt):
            out[i] += w[row + i]
    for i in range(n_tgt):
        out[i] = dense_finish(out[i], exp)


@njit(inline="always")
def theta_decay(theta, keep):
    """θ ← θ · θ_keep >> 12 (θ ≥ 0)."""
    return (theta * keep) >> DECAY_BITS


@njit(inline="always")
def lif_step(st_u, st_v, st_refr, st_theta, n, a_in, prm):
    """One NeurokitLIF fixed step of neuron n, in Lava's order; returns the spike.

        u ← wrap24(wrap32(decay(u, u_keep)) + wrap32(a_in << 6))
              wrap24(d) = d − 2^24 if d > 2^23;  d + 2^24 if d ≤ −2^23;  else d
        v ← clip(decay(v, v_keep) + u + bias, −2^23 + 1, 2^23 − 1)
        if refractory > 0:  v ← 0, refractory ← refractory − 1
        θ ← θ · θ_keep >> 12                                  (θ ≥ 0)
        spike = v > vth + θ;  on a spike: v ← 0, refractory ← R, θ ← min(θ + θ₊, 2^23 − 1)
    """
    u_keep, v_keep, vth, bias, refractory, theta_plus, theta_keep = prm
    d = wrap_i32(wrap_i32(decay(st_u[n], u_keep[n])) + wrap_i32(a_in << ACT_SHIFT))
    if d > UV_MAX:
        d -= 2 * UV_MAX
    elif d <= -UV_MAX:
        d += 2 * UV_MAX
    st_u[n] = d
    v = wrap_i32(wrap_i32(decay(st_v[n], v_keep[n])) + d + bias[n])
    v = min(max(v, -UV_MAX + 1), UV_MAX - 1)
    if st_refr[n] > 0:
        v = 0
        st_refr[n] -= 1
    theta = theta_decay(st_theta[n], theta_keep[n])
    spike = v > vth[n] + theta
    if spike:
        v = 0
        st_refr[n] = refractory[n]
        theta = min(theta + theta_plus[n], UV_MAX - 1)
    st_v[n] = v
    st_theta[n] = theta
    return spike
