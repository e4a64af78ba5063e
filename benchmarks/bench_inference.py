"""Inference speed on the reference network (examples/diehl_cook_3class.yaml: 784 Poisson inputs
-> 30 adaptive excitatory <-> 30 inhibitory, 500 steps per image), fixed point: neurokit's engine
against neurokit's Lava backend (Lava's CPU simulator), same images, same input spikes.

Not a test: a script that prints one JSON object (and a Markdown table with --markdown).

- engine: `Engine(params).run(inputs)` on all MNIST-subset training images of classes 0-2,
  inputs encoded beforehand, after one warm-up call (Numba compiles on first use; the compile
  time is reported separately). Best of `--repeats`.
- engine end to end: `neurokit.runner.simulate(..., backend="engine")` on the same images,
  including input encoding (neurokit.data.encode_rate) and compilation of the parameters.
- lava: `simulate(..., backend="lava")` on `--lava-small` and `--lava-large` images; the
  marginal rate (large − small images over the difference in wall time) leaves out Lava's
  start-up, which favours Lava. The engine's spike counts on those images are checked equal.

    .venv/bin/python benchmarks/bench_inference.py --markdown
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MNIST = f"mnist:{ROOT.parent / 'shared' / 'data' / 'mnist-subset'}"  # ../shared beside the checkout


def machine() -> dict:
    import numba

    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    return {"cpu": cpu, "cores": os.cpu_count(), "numba_threads": numba.get_num_threads(),
            "threading_layer": _threading_layer(), "python": platform.python_version(),
            "numpy": np.__version__, "numba": numba.__version__, "load_avg_1min_at_start": os.getloadavg()[0]}


def _threading_layer() -> str:
    import numba

    try:
        return numba.threading_layer()
    except ValueError:
        return "not yet chosen"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--lava-small", type=int, default=4)
    ap.add_argument("--lava-large", type=int, default=14)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    from neurokit.backends.engine import Engine
    from neurokit.data import encode_rate, load_dataset
    from neurokit.ir import load_network
    from neurokit.quant import compile_params
    from neurokit.runner import simulate

    info = machine()
    net = load_network("examples/diehl_cook_3class.yaml")
    data = load_dataset(MNIST, "train", classes=[0, 1, 2], seed=0)
    params = compile_params(net, "fixed")
    t = time.perf_counter()
    x = encode_rate(net, data.flat, seed=0)
    t_encode = time.perf_counter() - t
    n, P = len(x), net.steps_per_sample

    t = time.perf_counter()
    Engine(params).run(x[:2])
    t_compile = time.perf_counter() - t
    runs = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        out = Engine(params).run(x)
        runs.append(time.perf_counter() - t)
    t_engine = min(runs)
    t = time.perf_counter()
    simulate(net, data, backend="engine", precision="fixed", seed=0, progress=False)
    t_e2e = time.perf_counter() - t

    from neurokit.data import Samples

    def subset(k):
        return Samples(data.images[:k], data.labels[:k], data.name)

    lava_t = {}
    for k in (args.lava_small, args.lava_large):
        t = time.perf_counter()
        res = simulate(net, subset(k), backend="lava", precision="fixed", seed=0, progress=False)
        lava_t[k] = time.perf_counter() - t
    same = all(np.array_equal(res.counts[p], out["counts"][p][:args.lava_large]) for p in res.counts)
    lava_rate = (args.lava_large - args.lava_small) / (lava_t[args.lava_large] - lava_t[args.lava_small])
    engine_rate = n / t_engine
    report = {
        "network": net.name, "precision": "fixed", "steps_per_image": P, "images": n, "machine": info,
        "engine_images_per_s": round(engine_rate, 1),
        "engine_steps_per_s": round(engine_rate * P),
        "engine_runs_s": [round(r, 3) for r in runs],
        "engine_first_call_compile_s": round(t_compile, 1),
        "engine_end_to_end_images_per_s": round(n / t_e2e, 1),
        "encode_rate_s": round(t_encode, 2),
        "lava_images_per_s": round(lava_rate, 3),
        "lava_steps_per_s": round(lava_rate * P),
        "lava_wall_s": {str(k): round(v, 1) for k, v in lava_t.items()},
        "engine_over_lava": round(engine_rate / lava_rate),
        "engine_end_to_end_over_lava": round(n / t_e2e / lava_rate),
        "lava_engine_counts_identical": bool(same),
    }
    print(json.dumps(report, indent=1))
    if args.markdown:
        print(f"\n| backend | images/s | steps/s | × Lava |\n|---|---|---|---|\n"
              f"| engine (inputs encoded) | {engine_rate:.0f} | {engine_rate * P:,.0f} | {engine_rate / lava_rate:,.0f} |\n"
              f"| engine end to end (`simulate`, incl. encoding) | {n / t_e2e:.0f} | {n / t_e2e * P:,.0f} | "
              f"{n / t_e2e / lava_rate:,.0f} |\n"
              f"| Lava CPU simulator (marginal) | {lava_rate:.2f} | {lava_rate * P:,.0f} | 1 |")


if __name__ == "__main__":
    main()
