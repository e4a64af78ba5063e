"""Peer benchmark of issue 6 on the reference network (examples/diehl_cook_3class.yaml: 784 Poisson
inputs -> 30 adaptive excitatory <-> 30 inhibitory, 500 steps of 1 ms per image), in one run:

- neurokit engine, training: `execute(..., backend="engine", learn=True, gates=class_gates(...))`
  on all MNIST-subset training images of --classes, online, inputs encoded beforehand;
- neurokit engine, inference: `execute(..., backend="engine")` on the same images (batched);
- neurokit Lava backend (Lava's CPU simulator, fixed point), training and inference, on
  --lava-small and --lava-large images: the marginal rate (difference of images over the
  difference of wall time) leaves Lava's start-up out, in Lava's favour. The engine is run on
  the same images and its learned weights, thresholds and spike counts are compared with Lava's;
- Brian 2 2.9.0, runtime (Cython) and C++ standalone (one thread), training and inference, by
  running benchmarks/brian2_peer.py in benchmarks/.venv-brian2 (bash benchmarks/setup_peer.sh);
  skipped with a message when that venv is missing;
- end to end: `neurokit.training.train(..., backend="engine")` on all those images (encoding
  included), then `evaluate` on --test-samples test images: time and accuracy.

Every engine figure follows a warm-up call (Numba compiles or loads its kernels on first use; that
time is reported apart). Writes --out (default runs/peers.json; benchmarks/results/peers.json holds the docs' figures) and
prints a table.

    .venv/bin/python benchmarks/bench_peers.py
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MNIST = f"mnist:{ROOT.parent / 'shared' / 'data' / 'mnist-subset'}"  # ../shared beside the checkout
PEER_PY = ROOT / "benchmarks" / ".venv-brian2" / "bin" / "python"
PEER = ROOT / "benchmarks" / "brian2_peer.py"


def load() -> float:
    return round(os.getloadavg()[0], 2)


def machine() -> dict:
    import numba

    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    engine_dir = ROOT / "neurokit" / "backends" / "engine"  # which engine version was measured
    sources = {f.name: hashlib.sha256(f.read_bytes()).hexdigest()[:12] for f in sorted(engine_dir.glob("*.py"))}
    return {"cpu": cpu, "cores": os.cpu_count(), "numba_threads": numba.get_num_threads(),
            "python": platform.python_version(), "numpy": np.__version__, "numba": numba.__version__,
            "engine_sources_sha256": sources}


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def rate(images: int, seconds: float, steps: int, load_avg: float, **extra) -> dict:
    return {"images": images, "seconds": round(seconds, 4), "images_per_s": round(images / seconds, 3),
            "steps_per_s": round(images * steps / seconds), "load_avg_1min": load_avg, **extra}


def brian(mode: str, learn: bool, images: int, classes: str, seed: int) -> dict:
    cmd = [str(PEER_PY), str(PEER), "--mode", mode, "--images", str(images), "--classes", classes,
           "--seed", str(seed)] + (["--learn"] if learn else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"], "command": " ".join(cmd)}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classes", default="0,1,7")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=3, help="engine timings: best of")
    ap.add_argument("--lava-small", type=int, default=2)
    ap.add_argument("--lava-large", type=int, default=6)
    ap.add_argument("--brian-runtime-images", type=int, default=40)
    ap.add_argument("--brian-cpp-images", type=int, default=0, help="0: all training images")
    ap.add_argument("--test-samples", type=int, default=500)
    ap.add_argument("--no-brian", action="store_true", help="leave the Brian 2 peer out")
    ap.add_argument("--out", type=Path, default=Path("runs/peers.json"),
                    help="where to write the results (benchmarks/results/peers.json updates the docs' figures)")
    args = ap.parse_args()
    classes = [int(c) for c in args.classes.split(",")]

    from neurokit.data import Samples, encode_rate, load_dataset
    from neurokit.ir import load_network
    from neurokit.quant import compile_params
    from neurokit.runner import execute
    from neurokit.training import class_gates, evaluate, train

    report = {"command": " ".join(["python"] + sys.argv), "machine": machine(), "load_avg_1min_start": load()}
    net = load_network(ROOT / "examples" / "diehl_cook_3class.yaml")
    P = net.steps_per_sample
    data = load_dataset(MNIST, "train", classes=classes, seed=args.seed)
    n = len(data)
    params = compile_params(net, "fixed")
    x, t_enc = timed(lambda: encode_rate(net, data.flat, args.seed))
    gates = class_gates(net, params, data.labels, classes)

    def cut(k):
        return {c: g[:k] for c, g in gates.items()}

    report.update(network=net.name, precision="fixed", steps_per_image=P, classes=classes, train_images=n,
                  encode_s=round(t_enc, 2), input_spikes_per_image=round(float(x.sum()) / n, 2))
    print(f"{n} training images of classes {classes}; encoded in {t_enc:.1f} s", flush=True)

    # --- neurokit engine -------------------------------------------------------------------------
    engine = {}
    _, t_c = timed(lambda: (execute(params, x[:2], backend="engine", learn=True, gates=cut(2), progress=False),
                            execute(params, x[:2], backend="engine", progress=False)))
    engine["warmup_first_calls_s"] = round(t_c, 2)
    runs = []
    for _ in range(args.repeats):
        la = load()
        res, t = timed(lambda: execute(params, x, backend="engine", learn=True, gates=gates, rng_seed=args.seed,
                                       progress=False))
        runs.append((t, la))
    t, la = min(runs)
    engine["train"] = rate(n, t, P, la, runs_s=[round(r, 3) for r, _ in runs],
                           spikes_per_image={p: round(float(c.sum()) / n, 2) for p, c in res.counts.items()})
    runs = []
    for _ in range(args.repeats):
        la = load()
        res_i, t = timed(lambda: execute(params, x, backend="engine", progress=False))
        runs.append((t, la))
    t, la = min(runs)
    engine["infer"] = rate(n, t, P, la, runs_s=[round(r, 3) for r, _ in runs],
                           spikes_per_image={p: round(float(c.sum()) / n, 2) for p, c in res_i.counts.items()})
    report["engine"] = engine
    print("engine:", json.dumps(engine), flush=True)

    # --- neurokit Lava backend -------------------------------------------------------------------
    lava = {}
    for learn in (True, False):
        walls, la = {}, load()
        for k in (args.lava_small, args.lava_large):
            kw = {"learn": True, "gates": cut(k), "rng_seed": args.seed} if learn else {}
            res_l, walls[k] = timed(lambda: execute(params, x[:k], backend="lava", progress=False, **kw))
        k = args.lava_large
        res_e = execute(params, x[:k], backend="engine", progress=False, **kw)
        same = {"counts": all(np.array_equal(res_l.counts[p], res_e.counts[p]) for p in res_l.counts)}
        if learn:
            same["weights"] = all(np.array_equal(res_l.weights[c], res_e.weights[c]) for c in res_l.weights)
            same["theta"] = all(np.array_equal(np.asarray(v), np.asarray(res_e.theta[p]))
                                for p, v in (res_l.theta or {}).items() if v is not None)
        marginal = rate(args.lava_large - args.lava_small, walls[k] - walls[args.lava_small], P, la,
                        wall_s={str(j): round(w, 2) for j, w in walls.items()},
                        with_startup_images_per_s=round(k / walls[k], 3), engine_identical=same)
        lava["train" if learn else "infer"] = marginal
        print(f"lava {'train' if learn else 'infer'}:", json.dumps(marginal), flush=True)
    report["lava"] = lava

    # --- Brian 2 ---------------------------------------------------------------------------------
    if args.no_brian:
        report["brian2"] = {"skipped": "--no-brian"}
    elif not PEER_PY.exists():
        msg = f"skipped: no {PEER_PY.relative_to(ROOT)} (run: bash benchmarks/setup_peer.sh)"
        print("brian2:", msg)
        report["brian2"] = {"skipped": msg}
    else:
        b = {}
        for mode, m in (("runtime", args.brian_runtime_images), ("cpp", args.brian_cpp_images or n)):
            for learn in (True, False):
                key = f"{mode}_{'train' if learn else 'infer'}"
                la = load()
                b[key] = {**brian(mode, learn, m, args.classes, args.seed), "load_avg_1min_start": la}
                print(f"brian2 {key}:", json.dumps(b[key]), flush=True)
        report["brian2"] = b

    # --- end to end: train on all images, evaluate on test images (engine) ----------------------
    la = load()
    trained, t_train = timed(lambda: train(net, data, classes, backend="engine", seed=args.seed, progress=False))
    test = load_dataset(MNIST, "test", samples=args.test_samples, classes=classes, seed=args.seed)
    ev, t_eval = timed(lambda: evaluate(trained.network, test, classes, backend="engine", seed=args.seed,
                                        progress=False))
    report["train_all"] = {"images": n, "train_s_end_to_end": round(t_train, 2), "test_images": len(test),
                           "evaluate_s_end_to_end": round(t_eval, 2), "accuracy": round(ev.accuracy, 4),
                           "silent": ev.silent, "confusion": ev.confusion, "load_avg_1min": la}
    print("train_all:", json.dumps(report["train_all"]), flush=True)
    report["load_avg_1min_end"] = load()

    # --- ratios, targets, table ------------------------------------------------------------------
    et, ei = engine["train"], engine["infer"]
    bc = report["brian2"] if "skipped" not in report["brian2"] else {}
    ratios = {"train_engine_over_lava": et["images_per_s"] / lava["train"]["images_per_s"],
              "infer_engine_over_lava": ei["images_per_s"] / lava["infer"]["images_per_s"]}
    for key in ("cpp_train", "cpp_infer", "runtime_train", "runtime_infer"):
        if "images_per_s" in bc.get(key, {}):
            ratios[f"{key.split('_')[1]}_engine_over_brian2_{key.split('_')[0]}"] = \
                (et if key.endswith("train") else ei)["images_per_s"] / bc[key]["images_per_s"]
    report["ratios"] = {k: round(v, 2) for k, v in ratios.items()}
    report["targets"] = {
        "train_steps_per_s_ge_200k": et["steps_per_s"] >= 200_000,
        "train_faster_than_brian2_cpp": ratios.get("train_engine_over_brian2_cpp", 0) > 1,
        "train_ge_1000x_lava": ratios["train_engine_over_lava"] >= 1000,
        "infer_ge_2000_images_per_s": ei["images_per_s"] >= 2000,
        "infer_ge_1000x_lava": ratios["infer_engine_over_lava"] >= 1000,
        "train_all_under_15_s": t_train < 15,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")

    rows = [("engine", "train", et), ("Lava (marginal)", "train", lava["train"]),
            ("Brian 2 runtime (Cython)", "train", bc.get("runtime_train")),
            ("Brian 2 C++ standalone, 1 thread", "train", bc.get("cpp_train")),
            ("engine (batched)", "infer", ei), ("Lava (marginal)", "infer", lava["infer"]),
            ("Brian 2 runtime (Cython)", "infer", bc.get("runtime_infer")),
            ("Brian 2 C++ standalone, 1 thread", "infer", bc.get("cpp_infer"))]
    print("\n| mode | simulator | images | images/s | steps/s | engine × |\n|---|---|---|---|---|---|")
    for name, mode, r in rows:
        if not r or "images_per_s" not in r:
            print(f"| {mode} | {name} | – | skipped | | |")
            continue
        eng = et if mode == "train" else ei
        ratio = "–" if r is eng else f"{eng['images_per_s'] / r['images_per_s']:,.1f}"
        print(f"| {mode} | {name} | {r['images']} | {r['images_per_s']:,.2f} | {r['steps_per_s']:,} | {ratio} |")
    ta = report["train_all"]
    print(f"\ntrain on all {n} images (engine, end to end): {ta['train_s_end_to_end']} s; "
          f"accuracy on {ta['test_images']} test images: {ta['accuracy']:.3f}")
    print("targets:", json.dumps(report["targets"]))
    print(f"load average (1 min): start {report['load_avg_1min_start']}, end {report['load_avg_1min_end']}")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
