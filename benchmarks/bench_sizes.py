"""How the engine's cost grows with the network, against Brian 2 C++ standalone at each size.

For each ten-class network examples/mnist_10class_N.yaml (N excitatory and N inhibitory neurons,
784 inputs, 500 steps of 1 ms per image), in one run:
- neurokit engine, training (online, the supervised rule) and inference on --images MNIST-subset
  training images, after a warm-up call (Numba loads or compiles its kernels): seconds per image,
  simulated steps per second, spikes per image, synapses;
- Brian 2 2.9.0, C++ standalone, one thread (benchmarks/brian2_peer.py in benchmarks/.venv-brian2,
  made by `bash benchmarks/setup_peer.sh`), training, same sizes, the same values of the network
  where the two models share them (threshold, θ, rates, inhibition; the peer's own weight scale);
  skipped with a message when that venv is missing.

Writes a JSON file and a plot (seconds per training image against synapses, log-log, with the
spikes per image beside each point):

    .venv/bin/python benchmarks/bench_sizes.py [--sizes 100,400,1600] [--images 200] \
        [--out runs/bench_sizes.json] [--plot runs/engine_scaling.png]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MNIST = f"mnist:{ROOT.parent / 'shared' / 'data' / 'mnist-subset'}"
PEER_PY = ROOT / "benchmarks" / ".venv-brian2" / "bin" / "python"
PEER = ROOT / "benchmarks" / "brian2_peer.py"
CLASSES = list(range(10))


def engine(n: int, images: int) -> dict:
    from neurokit.data import load_dataset
    from neurokit.data.encode import RateInputs
    from neurokit.ir import load_network
    from neurokit.quant import compile_params
    from neurokit.runner import execute
    from neurokit.training import class_gates

    net = load_network(ROOT / "examples" / f"mnist_10class_{n}.yaml")
    samples = load_dataset(MNIST, "train", samples=images, classes=CLASSES, seed=0)
    params = compile_params(net, "fixed")
    gates = class_gates(net, params, samples.labels, CLASSES)
    synapses = sum(int(np.count_nonzero(c.weights)) for c in params.connections)

    def train(k):
        inputs = RateInputs(net, samples.flat[:k], 0)
        g = {label: v[:k] for label, v in gates.items()}
        return execute(params, inputs, backend="engine", learn=True, gates=g, labels=samples.labels[:k],
                       progress=False)

    t0 = time.perf_counter()
    train(2)  # warm-up: loads (or compiles) the kernels
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = train(images)
    learn_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    execute(params, RateInputs(net, samples.flat, 0), backend="engine", progress=False)
    infer_s = time.perf_counter() - t0
    spikes = {k: round(v / images, 1) for k, v in result.spike_counts.items()}
    return {"neurons": n, "synapses": synapses, "images": images, "warmup_s": round(warm, 2),
            "train_s_per_image": round(learn_s / images, 5), "train_steps_per_s": round(images * 500 / learn_s),
            "infer_images_per_s": round(images / infer_s, 1), "spikes_per_image": spikes}


def brian(n: int, images: int, net_path: Path) -> dict | None:
    if not PEER_PY.exists():
        print("  (Brian 2 skipped: run `bash benchmarks/setup_peer.sh` first)")
        return None
    import yaml

    spec = yaml.safe_load(net_path.read_text())
    pops = {p["name"]: p for p in spec["populations"]}
    exc = pops["exc"]["neuron"]
    conns = {c["name"]: c for c in spec["connections"]}
    args = ["--mode", "cpp", "--learn", "--images", str(images), "--classes", ",".join(map(str, CLASSES)),
            "--neurons", str(n), "--rate-hz", str(pops["input"]["encoder"]["max_rate_hz"]),
            "--v-th", str(exc["v_th"]), "--theta-plus", str(exc["theta_plus"]),
            "--tau-theta-ms", str(exc.get("tau_theta_ms") or 1e12),
            "--w-exc-inh", str(conns["S2"]["weight"]), "--w-inh", str(conns["S3"]["weight"])]
    proc = subprocess.run([str(PEER_PY), str(PEER), *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        print(f"  (Brian 2 failed: {proc.stderr.strip().splitlines()[-1:]})")
        return None
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"sim_s_per_image": round(out["sim_s"] / out["images"], 5), "steps_per_s": out["steps_per_s"],
            "spikes_per_image": out["spikes_per_image"], "compile_make_s": out.get("compile_make_s")}


def plot(rows: list[dict], path: Path) -> None:
    from neurokit.plots import figure, save_figure

    plt, fig = figure(figsize=(6.5, 4))
    ax = fig.add_subplot(111)
    syn = [r["engine"]["synapses"] for r in rows]
    ax.loglog(syn, [r["engine"]["train_s_per_image"] for r in rows], "o-", label="neurokit engine, training")
    ax.loglog(syn, [1 / r["engine"]["infer_images_per_s"] for r in rows], "s-", label="neurokit engine, inference")
    peers = [(s, r["brian2"]["sim_s_per_image"]) for s, r in zip(syn, rows) if r.get("brian2")]
    if peers:
        ax.loglog(*zip(*peers), "^--", label="Brian 2 C++ standalone, training")
    for s, r in zip(syn, rows):
        sp = r["engine"]["spikes_per_image"]
        ax.annotate(f"N={r['neurons']}\n{sp.get('exc', 0):.0f} exc spikes", (s, r["engine"]["train_s_per_image"]),
                    fontsize=7, textcoords="offset points", xytext=(5, -18))
    ax.set_xlabel("synapses")
    ax.set_ylabel("seconds per image (500 steps)")
    ax.set_title("cost per image against network size (10 MNIST classes)")
    ax.legend(fontsize=7)
    save_figure(plt, fig, path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,400,1600")
    ap.add_argument("--images", type=int, default=200)
    ap.add_argument("--brian-images", type=int, default=50, help="Brian 2 is slower: fewer images")
    ap.add_argument("--out", type=Path, default=Path("runs/bench_sizes.json"))
    ap.add_argument("--plot", type=Path, default=Path("runs/engine_scaling.png"))
    args = ap.parse_args()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"N = {n}: engine …", flush=True)
        row = {"neurons": n, "engine": engine(n, args.images)}
        print(f"  {row['engine']}", flush=True)
        row["brian2"] = brian(n, args.brian_images, ROOT / "examples" / f"mnist_10class_{n}.yaml")
        if row["brian2"]:
            row["engine_over_brian2"] = round(row["brian2"]["sim_s_per_image"] / row["engine"]["train_s_per_image"], 2)
            print(f"  Brian 2: {row['brian2']}; engine {row['engine_over_brian2']}x Brian 2", flush=True)
        rows.append(row)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"load_avg_1min": os.getloadavg()[0], "rows": rows}, indent=1))
    plot(rows, args.plot)
    print(f"wrote {args.out} and {args.plot}")


if __name__ == "__main__":
    main()
