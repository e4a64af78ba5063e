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
    o = out[:n_tgt]
    for a in range(n_active):
        row = w_off + active[a] * n_tgt
        wr = w[row:row + n_tgt]  # slices: the compiler sees two arrays and vectorizes
        for i in range(n_tgt):
            o[i] += wr[i]
    for i in range(n_tgt):
        out[i] = dense_finish(out[i], exp)


@njit(inline="always")
def theta_decay(theta, keep):
    """θ ← θ · θ_keep >> 12 (θ ≥ 0)."""
    return (theta * keep) >> DECAY_BITS


@njit(inline="always")
def decay(x, keep):
    """x · keep / 4096 rounded toward zero, as Lava does it: sign(x) · (|x · keep| >> 12),
    without a branch (s = −1 for a negative product, 0 otherwise), so that loops vectorize."""
    p = x * keep
    s = p >> 63
    return ((((p ^ s) - s) >> DECAY_BITS) ^ s) - s


@njit(inline="always")
def lif_step_all(st_u, st_v, st_refr, st_theta, a_in, prm, spikes):
    """One NeurokitLIF fixed step of every neuron, in Lava's order; spikes[n] ← neuron n's spike.

        u ← wrap24(wrap32(decay(u, u_keep)) + wrap32(a_in << 6))
              wrap24(d) = d − 2^24 if d > 2^23;  d + 2^24 if d ≤ −2^23;  else d
        v ← clip(decay(v, v_keep) + u + bias, −2^23 + 1, 2^23 − 1)
        if refractory > 0:  v ← 0, refractory ← refractory − 1
        θ ← θ · θ_keep >> 12                                  (θ ≥ 0)
        spike = v > vth + θ;  on a spike: v ← 0, refractory ← R, θ ← min(θ + θ₊, 2^23 − 1)

    Written without branches, so that the loop runs on vector instructions (≈ 20× a loop of
    branching steps); a neuron at rest simply comes out at rest."""
    u_keep, v_keep, vth, bias, refractory, theta_plus, theta_keep = prm
    for n in range(st_u.shape[0]):
        d = wrap_i32(wrap_i32(decay(st_u[n], u_keep[n])) + wrap_i32(a_in[n] << ACT_SHIFT))
        d = d - (2 * UV_MAX if d > UV_MAX else 0) + (2 * UV_MAX if d <= -UV_MAX else 0)
        st_u[n] = d
        v = wrap_i32(wrap_i32(decay(st_v[n], v_keep[n])) + d + bias[n])
        v = min(max(v, -UV_MAX + 1), UV_MAX - 1)
        refractory_now = st_refr[n] > 0
        v = 0 if refractory_now else v
        refr = st_refr[n] - (1 if refractory_now else 0)
        theta = theta_decay(st_theta[n], theta_keep[n])
        spike = v > vth[n] + theta
        st_v[n] = 0 if spike else v
        st_refr[n] = refractory[n] if spike else refr
        st_theta[n] = min(theta + theta_plus[n], UV_MAX - 1) if spike else theta
        spikes[n] = spike
