"""PyTorch twin of the IR's float CUBA dynamics, for training by surrogate gradient.

Exactly the update of neurokit.ir.neurons (forward Euler, one step of `dt`):

    u[t] = u[t-1] · (1 − δu) + I[t]            I[t]: the input that arrives at step t
    v[t] = v[t-1] · (1 − δv) + u[t] + bias
    s[t] = v[t] > v_th;  then v ← 0

and every connection delays by one step (`delayed`), so a trained twin's spikes are the ones
the engine and Lava produce in float. The spike's gradient is a fast sigmoid,
∂s/∂v = 1 / (1 + 5·|v − v_th|)² (Zenke & Ganguli's SuperSpike), since the step has none.
"""
from __future__ import annotations

import functools


@functools.cache
def _spike_fn():
    import torch

    class Spike(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return (x > 0).to(x.dtype)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g / (1.0 + 5.0 * x.abs()) ** 2

    return Spike


def spike(x):
    """Heaviside of x = v − v_th, with the fast-sigmoid surrogate gradient."""
    return _spike_fn().apply(x)


def delayed(s):
    """[B, n, P] → the same train one step later (what a connection delivers)."""
    import torch

    return torch.nn.functional.pad(s, (1, 0))[:, :, :s.shape[2]]


def cuba(current, neuron, bias, dt_ms: float, spiking: bool):
    """current [B, n, P], the input arriving at each step (delayed by the caller where it comes through
    a connection) → (spikes [B, n, P] or None, v [B, n, P]); state starts
    at rest, as at each sample's start on the engine and Lava."""
    import torch

    du, dv = neuron.current_decay_per_step(dt_ms), neuron.voltage_decay_per_step(dt_ms)
    B, n, P = current.shape
    u = current.new_zeros(B, n)
    v = current.new_zeros(B, n)
    spikes, vs = [], []
    for t in range(P):
        u = u * (1 - du) + current[:, :, t]
        v = v * (1 - dv) + u + bias
        if spiking:
            s = spike(v - neuron.v_th)
            v = v * (1 - s.detach())
            spikes.append(s)
        vs.append(v)
    return (torch.stack(spikes, 2) if spiking else None), torch.stack(vs, 2)
