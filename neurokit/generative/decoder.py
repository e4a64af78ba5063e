"""The spiking VAE's decoder as an IR network, the part that runs on the chip.

    latent (given spikes) → hid (LIF, no leak) → out (LI, one per pixel)

The latent is L Bernoulli bits, drawn on the host from the run's seed (`draw_bits`); a bit of 1
spikes at each of the T steps of the sample, a 0 never (`spike_trains`). The input is the `spikes`
encoder, so the decoder exports to NIR (whose Input takes spikes) and the engine and Lava see the
very same trains. Each connection delays by one step; the pixel is read
from the output's membrane potential at the sample's last step, x̂ = sigmoid(V(t_end)), on the
host. The output integrates without leak and its current lasts one step, so
V(t_end) = W_out · (hidden spike counts) + P · bias.

The hidden neurons have no bias, and the window ends with REST_MS silent steps: once the latent
is silent a hidden neuron without bias cannot fire, so no spike is in flight when the next sample
starts (a spike of the last step would reach the next sample's output, which state resets do not
stop).
"""
from __future__ import annotations

import numpy as np

DEFAULTS = dict(latent=64, hidden=400, steps=16, hidden_voltage_decay=0.0, hidden_tau_syn_ms=0.0, v_th=1.0, dt_ms=1.0)
REST_MS = 2.0  # two connections: the last latent spikes reach the output two steps after the window
LATENT, OUTPUT = "latent", "out"


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
             "encoder": {"kind": "spikes", "presentation_ms": cfg["steps"] * dt, "rest_ms": REST_MS * dt}},
            {"name": "hid", "kind": "neurons", "size": H,
             "neuron": {"kind": "lif", "v_th": cfg["v_th"], "tau_syn_ms": cfg["hidden_tau_syn_ms"],
                        "voltage_decay": cfg["hidden_voltage_decay"], "bias": [float(b) for b in b1]}},
            {"name": "out", "kind": "neurons", "size": n_pixels,
             "neuron": {"kind": "li", "tau_syn_ms": 0.0, "voltage_decay": 0.0, "bias": [float(b) for b in b2]}},
        ],
        "connections": [
            {"source": "latent", "target": "hid", "kind": "dense", "sign": "mixed", "weights": np.asarray(w1).tolist()},
            {"source": "hid", "target": "out", "kind": "dense", "sign": "mixed", "weights": np.asarray(w2).tolist()},
        ],
    }
    return network_from_dict(doc)


def pixels(v_end: np.ndarray) -> np.ndarray:
    """x̂ = sigmoid(V(t_end)), the readout of the output neurons' membrane potential."""
    return 1.0 / (1.0 + np.exp(-np.clip(v_end, -60, 60)))


def draw_bits(logits: np.ndarray, seed: int) -> np.ndarray:
    """z ~ Bernoulli(sigmoid(logits)) [n, L] as uint8, from a seeded generator (the host's draw)."""
    rng = np.random.default_rng([seed, 14])
    p = 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))
    return (rng.random(p.shape) < p).astype(np.uint8)


def spike_trains(bits: np.ndarray, steps: int) -> np.ndarray:
    """bits [n, L] → the `spikes` encoder's samples [n, L · T]: a 1 spikes at every step."""
    return np.repeat(bits[:, :, None], steps, axis=2).reshape(len(bits), -1).astype(np.float32)


def run_decoder(net, bits: np.ndarray, *, backend: str, precision: str = "fixed", progress: bool = False,
                rasters: bool = False):
    """Pixels [n, pixels] in [0, 1] and the run (spike counts for energy) of the deployed decoder."""
    from neurokit.data import Samples
    from neurokit.probes import Record
    from neurokit.runner import simulate

    steps = net.presentation_steps
    samples = Samples(spike_trains(bits, steps), np.zeros(len(bits), np.int64), "latent bits")
    res = simulate(net, samples, backend=backend, precision=precision, seed=0, progress=progress, rasters=rasters,
                   record=Record(what=("v",), pops=(OUTPUT,)))
    v = np.asarray(res.recorded[f"{OUTPUT}/v"], np.float64) / float(res.recorded[f"{OUTPUT}/scale"])
    return pixels(v[:, :, -1]), res
