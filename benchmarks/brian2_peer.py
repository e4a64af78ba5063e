"""Brian 2 peer of the reference network (examples/diehl_cook_3class.yaml), for bench_peers.py.

Runs inside benchmarks/.venv-brian2 (bash benchmarks/setup_peer.sh) and imports nothing from
neurokit. Same architecture and workload as neurokit's reference network, not the same numbers:

- input: 784 Poisson neurons, rate = pixel/255 * 63.75 Hz for 350 ms, then 150 ms of silence
  (500 steps of 1 ms per image); MNIST-subset images read from the IDX files, the classes kept
  and shuffled as neurokit.data.load_dataset does (same seed -> same images in the same order);
- exc: 30 current-based LIF, tau_m 100 ms, tau_syn 1 ms, v_th 13, refractory 5 ms, reset to 0,
  adaptive threshold theta += 0.05 per spike, relaxing with tau 4096 ms;
- inh: 30 LIF, tau_m 10 ms, instantaneous synapses, v_th 1, refractory 2 ms;
- S1 input -> exc dense, weights uniform in [0.05, 0.12]; S2 exc -> inh one-to-one (2.0);
  S3 inh -> exc all-to-all except self (-5.0);
- learning (training only): S1 pair-based STDP with per-synapse traces (tau 20 ms): a pre spike
  adds a_post * x_post (a_post = -0.01), a post spike adds gate * a_pre * x_pre (a_pre = 0.01),
  gate = +1 for the label's group of 10 neurons (STDP), -1 for the others (all-LTD); w clipped
  to [0, 0.25]. Inference builds S1 without any plasticity.
- v and the synaptic current of both layers are reset at the start of every image; theta and
  the traces carry over.

The whole run is one `run()` call: rates and gates come from TimedArrays indexed by image, so
no Python loop per image (this favours Brian's runtime mode). Modes:
- runtime: Cython code generation (numpy with --codegen numpy); a warm-up run of one extra
  image first compiles the code objects, its time is reported apart.
- cpp: C++ standalone, one thread (no OpenMP); compile time (make) is reported apart, the rate
  uses the simulation loop's own time (results/last_run_info.txt).

Prints one JSON object on the last line of stdout.

    benchmarks/.venv-brian2/bin/python benchmarks/brian2_peer.py --mode cpp --learn --images 200 [--neurons 400 ...]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time

import numpy as np

RAW = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "mnist-subset", "MNIST", "raw")
STEPS, SHOWN = 500, 350  # per image, dt = 1 ms


def read_idx(path: str) -> np.ndarray:
    with open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * k: 8 + 4 * k], "big") for k in range(ndim))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(split: str, classes: list[int], seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Images in [0, 1] (flat) and labels, filtered and shuffled like neurokit.data.load_dataset."""
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(f"{RAW}/{prefix}-images-idx3-ubyte").astype(np.float32) / 255.0
    labels = read_idx(f"{RAW}/{prefix}-labels-idx1-ubyte").astype(np.int64)
    keep = np.isin(labels, classes)
    images, labels = images[keep], labels[keep]
    order = np.random.default_rng(seed).permutation(len(labels))
    images, labels = images[order].reshape(len(order), -1), labels[order]
    reps = -(-n // len(labels))  # more images than the set holds: repeat it
    return np.tile(images, (reps, 1))[:n], np.tile(labels, reps)[:n]


def build_and_run(b2, images, labels, classes, learn: bool, seed: int, warmup: bool, p) -> dict:
    """Build the network (sizes and values from `p`, the command line) and run len(images) images
    (the first one apart when `warmup`)."""
    ms, Hz = b2.ms, b2.Hz
    N, group = p.neurons, p.neurons // len(classes)
    b2.defaultclock.dt = 1 * ms
    b2.seed(seed)
    n = len(images)
    gain = 1.0 / (1.0 - np.exp(-1.0))  # one input spike gives v the same charge as neurokit's CUBA step

    stim = b2.TimedArray(images * p.rate_hz * Hz, dt=STEPS * ms)  # [image, pixel]
    gates = -np.ones((n, N))
    for k, label in enumerate(labels):
        g = classes.index(int(label))
        gates[k, g * group:(g + 1) * group] = 1.0
    gate_ta = b2.TimedArray(gates, dt=STEPS * ms)               # [image, exc neuron]

    inp = b2.PoissonGroup(784, rates=f"stim(t, i) * int((t/ms) % {STEPS}.0 < {SHOWN - 0.5})",
                          name="inp")
    exc = b2.NeuronGroup(N, f"""
        dv/dt = -v/(100*ms) + I/ms : 1 (unless refractory)
        dI/dt = -I/(1*ms) : 1
        dtheta/dt = -theta/({p.tau_theta_ms}*ms) : 1
        gate = gate_ta(t, i) : 1
        """, threshold=f"v > {p.v_th} + theta", reset=f"v = 0; theta += {p.theta_plus}", refractory=5 * ms,
        method="exact", name="exc")
    inh = b2.NeuronGroup(N, "dv/dt = -v/(10*ms) : 1 (unless refractory)", threshold="v > 1",
                         reset="v = 0", refractory=2 * ms, method="exact", name="inh")
    exc.run_regularly("v = 0; I = 0", dt=STEPS * ms, name="exc_reset")   # start of every image
    inh.run_regularly("v = 0", dt=STEPS * ms, name="inh_reset")

    if learn:
        s1 = b2.Synapses(inp, exc, """
            w : 1
            dxpre/dt = -xpre/(20*ms) : 1 (event-driven)
            dxpost/dt = -xpost/(20*ms) : 1 (event-driven)
            """, on_pre=f"""
            I_post += w * {gain}
            xpre += 1
            w = clip(w - {p.a_pre} * xpost, 0, {p.w_max})
            """, on_post=f"""
            xpost += 1
            w = clip(w + gate_post * {p.a_pre} * xpre, 0, {p.w_max})
            """, name="S1")
    else:
        s1 = b2.Synapses(inp, exc, "w : 1", on_pre=f"I_post += w * {gain}", name="S1")
    s1.connect()
    s1.w = f"{p.w_low} + {p.w_high - p.w_low} * rand()"
    s2 = b2.Synapses(exc, inh, on_pre=f"v_post += {p.w_exc_inh}", name="S2")
    s2.connect(j="i")
    s3 = b2.Synapses(inh, exc, on_pre=f"I_post -= {p.w_inh} * {gain}", name="S3")
    s3.connect(condition="i != j")
    mons = {p.name: b2.SpikeMonitor(p, record=False, name=f"count_{p.name}") for p in (inp, exc, inh)}
    net = b2.Network(inp, exc, inh, s1, s2, s3, *mons.values())

    out = {}
    timed = n
    if warmup:  # first image: code generation and compilation
        t0 = time.perf_counter()
        net.run(STEPS * ms)
        out["warmup_s"] = time.perf_counter() - t0
        timed = n - 1
    t0 = time.perf_counter()  # (no local may be called t: Brian would see it in the namespace)
    net.run(timed * STEPS * ms)
    out["run_wall_s"] = time.perf_counter() - t0
    out.update(net=net, mons=mons, timed_images=timed)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["runtime", "cpp"], required=True)
    ap.add_argument("--learn", action="store_true", help="training (S1 plastic); default inference")
    ap.add_argument("--images", type=int, default=100)
    ap.add_argument("--classes", default="0,1,7")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--codegen", default="cython", choices=["cython", "numpy"], help="runtime mode only")
    # the network's size and values (defaults: the 3-class reference network's workload)
    ap.add_argument("--neurons", type=int, default=30, help="excitatory (and inhibitory) neurons")
    ap.add_argument("--rate-hz", type=float, default=63.75)
    ap.add_argument("--v-th", type=float, default=13.0)
    ap.add_argument("--theta-plus", type=float, default=0.05)
    ap.add_argument("--tau-theta-ms", type=float, default=4096.0)
    ap.add_argument("--w-low", type=float, default=0.05)
    ap.add_argument("--w-high", type=float, default=0.12)
    ap.add_argument("--w-max", type=float, default=0.25)
    ap.add_argument("--a-pre", type=float, default=0.01)
    ap.add_argument("--w-exc-inh", type=float, default=2.0)
    ap.add_argument("--w-inh", type=float, default=5.0)
    args = ap.parse_args()
    classes = [int(c) for c in args.classes.split(",")]

    import brian2 as b2

    b2.prefs.logging.console_log_level = "WARNING"
    report = {"brian2": b2.__version__, "mode": args.mode, "learn": args.learn, "steps_per_image": STEPS,
              "neurons": args.neurons}
    if args.mode == "runtime":
        b2.prefs.codegen.target = args.codegen
        report["codegen"] = args.codegen
        images, labels = load("train", classes, args.seed, args.images + 1)
        out = build_and_run(b2, images, labels, classes, args.learn, args.seed, warmup=True, p=args)
        report["first_image_incl_compile_s"] = round(out["warmup_s"], 3)
        sim_s = out["run_wall_s"]
    else:
        workdir = tempfile.mkdtemp(prefix="brian2_peer_")
        b2.set_device("cpp_standalone", directory=workdir, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0  # one thread
        report["codegen"] = "cpp_standalone, 1 thread (no OpenMP)"
        images, labels = load("train", classes, args.seed, args.images)
        t0 = time.perf_counter()
        out = build_and_run(b2, images, labels, classes, args.learn, args.seed, warmup=False, p=args)
        t_gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        b2.device.build(directory=workdir, compile=True, run=True, debug=False)
        t_build = time.perf_counter() - t0
        timers = b2.device.timers
        report["codegen_s"] = round(t_gen, 2)
        report["compile_make_s"] = round(timers["compile"]["make"] or 0.0, 2)
        report["binary_wall_s"] = round(timers["run_binary"], 3)
        report["build_total_s"] = round(t_build, 2)
        sim_s = b2.device._last_run_time  # the simulation loop only
    n = out["timed_images"]
    report["images"] = n
    report["sim_s"] = round(sim_s, 4)
    report["images_per_s"] = round(n / sim_s, 2)
    report["steps_per_s"] = round(n * STEPS / sim_s)
    counts = {k: int(m.num_spikes) for k, m in out["mons"].items()}
    report["spikes_per_image"] = {k: round(v / len(images), 2) for k, v in counts.items()}
    report["load_avg_1min"] = os.getloadavg()[0]
    if args.mode == "cpp":
        shutil.rmtree(workdir, ignore_errors=True)  # after the monitors' results were read
    print(json.dumps(report))


if __name__ == "__main__":
    main()
