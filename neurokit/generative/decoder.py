"""The spiking VAE's decoder as an IR network, the part that runs on the chip.

    latent (given spikes) → hid (LIF without leak) → out (LI, one per pixel)

The latent is L Bernoulli bits, drawn on the host from the run's seed (`host_bits`): a bit of 1
is one spike at the sample's first step, a 0 none. The input is the `spikes` encoder whose sample
is one step long, so a sample *is* its bits; the decoder exports to NIR (whose Input takes spikes)
and the engine and Lava see the very same spikes.

The hidden synapses hold their current (no current decay): one latent spike drives a hidden
neuron for the whole window, u = W·z from the second step on, as a constant input would, at one
spike per bit instead of one per bit and step. The window is P = T + 2 steps (T = `steps`, and one
step of delay per connection). The pixel is read from the output's membrane potential at the
window's last step, x̂ = sigmoid(V(P − 1)), on the host. The output integrates without leak, its
current lasting one step, and is reset at step 1 (`reset_step`), so

    V(P − 1) = W_out · (hidden spikes of steps 0 … P − 2) + (P − 1) · bias

(the hidden spikes of a window's last step arrive at the next sample's step 0, which the
output's reset at step 1 discards; the hidden neurons, with no bias, are silent at step 0).
"""
from __future__ import annotations

import numpy as np

DEFAULTS = dict(latent=64, hidden=400, steps=16, v_th=1.0, dt_ms=1.0)
REST_STEPS = 2  # two connections, one step of delay each
LATENT, OUTPUT = "latent", "out"


def hidden_neuron(cfg: dict) -> dict:
    """The hidden neurons: IF whose synapses hold their current (no decay of u or v)."""
    return {"kind": "lif", "v_th": cfg["v_th"], "current_decay": 0.0, "voltage_decay": 0.0}


def output_neuron(cfg: dict) -> dict:
    """The outputs: LI integrating without leak, each step's input lasting one step."""
    return {"kind": "li", "tau_syn_ms": 0.0, "voltage_decay": 0.0}


def window_steps(cfg: dict) -> int:
    """P: the latent's step, then `steps` − 1 more, then one step of delay per connection."""
    return cfg["steps"] + REST_STEPS


def decoder_network(cfg: dict, n_pixels: int, w1=None, b1=None, w2=None, b2=None, seed: int = 0, name: str = "vae_decoder"):
    """The decoder; weights [target, source] (float, signed), or small random ones."""
    from neurokit.ir import network_from_dict

    L, H, dt = cfg["latent"], cfg["hidden"], cfg["dt_ms"]
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0, 1 / np.sqrt(L), (H, L)) if w1 is None else w1
    w2 = rng.normal(0, 1 / np.sqrt(H), (n_pixels, H)) if w2 is None else w2
    b1 = np.zeros(H) if b1 is None else b1
    b2 = np.zeros(n_pixels) if b2 is None else b2
    doc = {
        "schema_version": 1, "name": name, "dt_ms": dt,
        "populations": [
            {"name": "latent", "kind": "input", "size": L,
             "encoder": {"kind": "spikes", "presentation_ms": dt, "rest_ms": (window_steps(cfg) - 1) * dt}},
            {"name": "hid", "kind": "neurons", "size": H,
             "neuron": {**hidden_neuron(cfg), "bias": [float(b) for b in b1]}},
            {"name": "out", "kind": "neurons", "size": n_pixels, "reset_step": 1,
             "neuron": {**output_neuron(cfg), "bias": [float(b) for b in b2]}},
        ],
        "connections": [
            {"source": "latent", "target": "hid", "kind": "dense", "sign": "mixed", "weights": np.asarray(w1).tolist()},
            {"source": "hid", "target": "out", "kind": "dense", "sign": "mixed", "weights": np.asarray(w2).tolist()},
        ],
    }
    return network_from_dict(doc)


def host_bits(logits: np.ndarray, seed: int) -> np.ndarray:
    """z ~ Bernoulli(sigmoid(logits)) [n, L] as uint8, from a seeded generator (the host's draw)."""
    from neurokit.coding import sigmoid

    rng = np.random.default_rng([seed, 14])
    p = sigmoid(np.asarray(logits, np.float64))
    return (rng.random(p.shape) < p).astype(np.uint8)


def latent_samples(bits: np.ndarray):
    """bits [n, L] → the decoder's input samples (a bit of 1: one spike at the first step)."""
    from neurokit.data import Samples

    return Samples(np.asarray(bits, np.float32), np.zeros(len(bits), np.int64), "latent bits")


def run_decoder(net, bits: np.ndarray, *, backend: str, precision: str = "fixed", progress: bool = False,
                rasters: bool = False):
    """Pixels [n, pixels] in [0, 1], x̂ = sigmoid(V_out(t_end)), and the run of the deployed decoder."""
    from neurokit.coding import membrane_at_end, population_vote
    from neurokit.probes import Record
    from neurokit.runner import simulate

    res = simulate(net, latent_samples(bits), backend=backend, precision=precision, seed=0, progress=progress, rasters=rasters,
                   record=Record(what=("v",), pops=(OUTPUT,)))
    v = np.asarray(res.recorded[f"{OUTPUT}/v"], np.float64) / float(res.recorded[f"{OUTPUT}/scale"])
    return population_vote(membrane_at_end(v)), res
