"""Why the engine is Numba and not vectorised NumPy: the same fixed-point network both ways.

The NumPy candidate is the best case for NumPy: every sample of the batch at once (arrays
[samples, neurons]), the input drive of all steps as one float32 BLAS matmul per block of
samples (exact: the sums stay below 2^24), the neurons stepped with array operations.
For that to be exact the network must not carry θ between samples, so both run the reference
network with its adaptive threshold switched off (θ₊ = 0); the script checks that both give
the same spikes, then times them. The engine is also timed on the real (adaptive) reference
network, where samples must run in order.

    .venv/bin/python benchmarks/engine_choice.py [--samples 512]
"""
from __future__ import annotations

import argparse
import time

from pathlib import Path

import numpy as np

from neurokit.backends.engine import Engine
from neurokit.backends.engine.layout import INPUT, build_layout
from neurokit.data import encode_rate, load_dataset
from neurokit.ir import load_network, network_from_dict
from neurokit.quant import compile_params

ROOT = Path(__file__).resolve().parents[1]
MNIST = f"mnist:{ROOT.parent / 'shared' / 'data' / 'mnist-subset'}"  # ../shared beside the checkout


def numpy_batched(L, x: np.ndarray) -> np.ndarray:
    """Fixed-point NeurokitLIF + Dense over all samples at once; returns spikes [n, N, P]."""
    n, _, P = x.shape
    N = L.n_neurons
    u, v, refr, theta = (np.zeros((n, N), np.int64) for _ in range(4))
    prev = np.zeros((n, N), bool)
    out = np.zeros((n, N, P), bool)
    p = L.neuron
    W = [L.weights[o:o + s * t].reshape(s, t).astype(np.float64) for o, s, t in zip(L.w_off, L.n_src, L.n_tgt)]
    drive = {}
    for c in range(len(W)):
        if L.src[c] == INPUT:
            drive[c] = np.empty((n, P, L.n_tgt[c]), np.int64)
            for a in range(0, n, 32):
                xt = x[a:a + 32].transpose(0, 2, 1).astype(np.float32)
                drive[c][a:a + 32] = np.rint(xt @ W[c].astype(np.float32)).astype(np.int64)

    def decay(a, keep):
        prod = a * keep
        return np.sign(prod) * (np.abs(prod) >> 12)

    for j in range(P):
        if j == 0:
            u[:], v[:], refr[:] = 0, 0, 0
        a_in = np.zeros((n, N), np.int64)
        for c in range(len(W)):
            if L.src[c] == INPUT:
                acc = drive[c][:, j - 1] if j else np.zeros((n, L.n_tgt[c]), np.int64)
            else:
                acc = (prev[:, L.src[c]:L.src[c] + L.n_src[c]].astype(np.float64) @ W[c]).astype(np.int64)
            e = int(L.exp[c])
            a_in[:, L.tgt[c]:L.tgt[c] + L.n_tgt[c]] += acc << e if e > 0 else acc >> -e
        d = decay(u, p["u_keep"]) + (a_in << 6)
        u[:] = np.where(d > 2**23, d - 2**24, np.where(d <= -2**23, d + 2**24, d))
        v[:] = np.clip(decay(v, p["v_keep"]) + u + p["bias"], -2**23 + 1, 2**23 - 1)
        held = refr > 0
        v[held] = 0
        refr[held] -= 1
        theta[:] = (theta * p["theta_keep"]) >> 12
        s = v > p["vth"] + theta
        v[s] = 0
        refr[s] = np.broadcast_to(p["refractory"], s.shape)[s]
        theta[:] = np.minimum(theta + s * p["theta_plus"], 2**23 - 1)
        prev, out[:, :, j] = s, s
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=512)
    args = ap.parse_args()
    ref = load_network("examples/diehl_cook_3class.yaml")
    spec = ref.model_dump(mode="json")
    for pop in spec["populations"]:
        if pop.get("neuron", {}).get("kind") == "adaptive_lif":
            pop["neuron"]["theta_plus"] = 0.0
    flat = network_from_dict(spec)
    data = load_dataset(MNIST, "test", samples=args.samples, classes=[0, 1, 2], seed=0)
    x = encode_rate(ref, data.flat, seed=0)
    params = compile_params(flat, "fixed")
    Engine(params).run(x[:4])  # compile
    t = time.perf_counter()
    got = Engine(params).run(x, rasters=True)["rasters"]
    t_engine = time.perf_counter() - t
    t = time.perf_counter()
    spikes = numpy_batched(build_layout(params), x)
    t_numpy = time.perf_counter() - t
    L = build_layout(params)
    same = all(np.array_equal(got[name], spikes[:, L.population(name)]) for name in L.names)
    adaptive = compile_params(ref, "fixed")
    Engine(adaptive).run(x[:4])
    t = time.perf_counter()
    Engine(adaptive).run(x)
    t_adaptive = time.perf_counter() - t
    n = len(x)
    print(f"{n} MNIST samples x {ref.steps_per_sample} steps, reference network, fixed point")
    print(f"  identical spikes (NumPy vs Numba, theta_plus = 0): {same}")
    print(f"  NumPy, all samples batched (theta_plus = 0):  {n / t_numpy:9.1f} images/s")
    print(f"  Numba engine (theta_plus = 0, parallel):      {n / t_engine:9.1f} images/s")
    print(f"  Numba engine (real reference, in order):      {n / t_adaptive:9.1f} images/s")


if __name__ == "__main__":
    main()
