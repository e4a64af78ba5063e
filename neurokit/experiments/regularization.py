"""`neurokit experiment regularization`: the "use it or lose it" experiment (METHODS.md §3).

The same network is trained twice with the same seed, without and with the pruning timer
(`pruning: {tau_prun_ms, k_p: 1}` on every plastic connection), and both are tested on four
sets of M images: white noise and blurred noise with the training images' mean intensity,
digits of the trained classes ("known") and of the other classes ("unknown"). The table holds
the total spikes of the excitatory (readout) population on each set; the accuracy is on the
known digits. Goes through neurokit.training / neurokit.runner only, so any backend that can
train runs it.
"""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import numpy as np

from neurokit.cli.common import writes_result_dir

NAME = "regularization"
DEFAULT_NET = Path(__file__).resolve().parents[2] / "examples" / "diehl_cook_3class.yaml"
DEFAULT_TAU_PRUN_MS = 7500.0
ALL_CLASSES = range(10)
SETS = ("white_noise", "blurred_noise", "known", "unknown")


def register(sub) -> None:
    from neurokit.cli.common import add_backend_args, count, index, positive_float

    p = sub.add_parser(NAME, help="train with and without pruning timers; spikes on noise and digits")
    p.add_argument("--data", required=True, help="data spec: 'digits' or 'mnist:ROOT'")
    p.add_argument("--classes", required=True, help="trained classes, e.g. 0,1,7 (the others are 'unknown')")
    p.add_argument("--train-samples", type=count, default=100)
    p.add_argument("--test-samples", type=count, default=100, help="images in each of the four test sets")
    p.add_argument("--net", default=str(DEFAULT_NET), help="network with a plastic connection "
                   "(default: examples/diehl_cook_3class.yaml)")
    p.add_argument("--tau-prun-ms", type=positive_float, default=DEFAULT_TAU_PRUN_MS,
                   help="τ_prun of the timer, ms (the nearest reachable value is used and reported)")
    p.add_argument("--neuron", type=index, default=0, help="excitatory neuron whose weights are drawn")
    p.add_argument("--download", action="store_true", help="allow downloading MNIST into ROOT")
    p.add_argument("--out", required=True, help="directory for results.json and the weight images (an earlier neurokit result there is replaced, anything else is refused)")
    add_backend_args(p)
    p.add_argument("--json", action="store_true", help="print results.json on stdout")
    p.set_defaults(handler=run)


def with_pruning(net, tau_prun_ms: float, k_p: float = 1.0):
    """`net` with a pruning timer on every plastic connection."""
    from neurokit.ir import Network

    data = net.model_dump(mode="python")
    for conn in data["connections"]:
        if conn.get("learning") is not None:
            conn["pruning"] = {"tau_prun_ms": tau_prun_ms, "k_p": k_p}
    return Network.model_validate(data)


def timer_summary(net, precision: str) -> dict:
    """What the timer realises on each plastic connection (raises QuantizationError early)."""
    from neurokit.learning import microcode
    from neurokit.quant import compile_params

    params = compile_params(net, precision)
    out = {}
    for c in net.connections:
        if getattr(c, "pruning", None) is not None and c.learning is not None:
            code = microcode(c.learning, precision, params.neurons[c.target].scale, net.dt_ms,
                             f"connections[{c.label}].learning", pruning=c.pruning)
            out[c.label] = code.pruning.summary() if code.pruning else None
    return out


def build_test_sets(data: str, classes: list[int], m: int, seed: int, download: bool) -> dict:
    """The four test sets of `m` images each (noise with the mean of the trained classes)."""
    from neurokit.data import load_dataset

    unknown = [c for c in ALL_CLASSES if c not in classes]
    return {
        "white_noise": load_dataset(f"noise:white:{data}", "test", samples=m, classes=classes, seed=seed,
                                    download=download),
        "blurred_noise": load_dataset(f"noise:blurred:{data}", "test", samples=m, classes=classes, seed=seed,
                                      download=download),
        "known": load_dataset(data, "test", samples=m, classes=classes, seed=seed, download=download),
        "unknown": load_dataset(data, "test", samples=m, classes=unknown, seed=seed, download=download),
    }


def run_experiment(net, data: str, classes: list[int], *, train_samples: int, test_samples: int, seed: int,
                   tau_prun_ms: float, backend: str, precision: str, download: bool = False,
                   progress: bool = True) -> dict:
    """Train without/with the timer, test both on the four sets; returns results and weights."""
    from neurokit.data import load_dataset
    from neurokit.runner import simulate
    from neurokit.training import evaluate, readout_population, train

    pruned_net = with_pruning(net, tau_prun_ms)
    timers = timer_summary(pruned_net, precision)  # fails before a long training if unreachable
    train_set = load_dataset(data, "train", samples=train_samples, classes=classes, seed=seed, download=download)
    sets = build_test_sets(data, classes, test_samples, seed, download)
    pop = readout_population(net)
    table = {name: {} for name in SETS}
    accuracy, weights, pruned, wall = {}, {}, {}, {}
    for variant, variant_net in (("without", net), ("with", pruned_net)):
        t0 = time.perf_counter()
        trained = train(variant_net, train_set, classes, backend=backend, precision=precision, seed=seed,
                        progress=progress)
        w = {k: np.abs(v) for k, v in (trained.result.weights or {}).items()}
        weights[variant] = w
        pruned[variant] = {k: float(np.mean(v == 0)) for k, v in w.items()}
        for name, samples in sets.items():
            if name == "known":
                ev = evaluate(trained.network, samples, classes, backend=backend, precision=precision, seed=seed,
                              progress=progress)
                accuracy[variant] = ev.accuracy
                counts = ev.result.counts[pop]
            else:
                counts = simulate(trained.network, samples, backend=backend, precision=precision, seed=seed,
                                  progress=progress).counts[pop]
            table[name][variant] = int(counts.sum())
        wall[variant] = round(time.perf_counter() - t0, 2)
    return {
        "table": table, "accuracy": accuracy, "pruned_fraction": pruned, "timer": timers,
        "population": pop, "network": net.name, "data": data, "classes": classes,
        "train_samples": len(train_set), "test_samples": test_samples, "seed": seed, "backend": backend,
        "precision": precision, "wall_time_s": wall,
    }, weights


def weight_figure(without: np.ndarray, with_: np.ndarray, shape, neuron: int, pruned: dict) -> bytes:
    """The incoming weights of one excitatory neuron as images, without and with the timer."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from neurokit.plots import png_bytes

    fig, axes = plt.subplots(1, 2, figsize=(6, 3.2))
    vmax = float(max(without.max(), with_.max())) or 1.0
    for ax, w, title in ((axes[0], without, "without pruning"), (axes[1], with_, "with pruning")):
        im = ax.imshow(w.reshape(shape), cmap="hot_r", vmin=0, vmax=vmax)
        ax.set_title(f"{title}\n{np.mean(w == 0):.0%} of weights zero", fontsize=9)
        ax.set_xticks([]), ax.set_yticks([])
    fig.colorbar(im, ax=list(axes), shrink=0.8, label="weight (weight units)")
    fig.suptitle(f"excitatory neuron {neuron}", fontsize=10)
    return png_bytes(plt, fig)


@writes_result_dir(NAME, inputs=("net",))
def run(args, out) -> int:
    from neurokit.cli.common import parse_classes, print_json
    from neurokit.errors import DataError
    from neurokit.trained import load_any

    net = load_any(args.net)
    classes = parse_classes(args.classes)
    plastic = [c for c in net.connections if getattr(c, "learning", None) is not None]
    n_post = net.population(plastic[0].target).size if plastic else 0
    if plastic and not args.neuron < n_post:  # checked before the work, not after it
        raise DataError(f"--neuron must be in 0..{n_post - 1}, got {args.neuron}")
    results, weights = run_experiment(
        net, args.data, classes, train_samples=args.train_samples, test_samples=args.test_samples,
        seed=args.seed, tau_prun_ms=args.tau_prun_ms, backend=args.backend, precision=args.precision,
        download=args.download, progress=not args.json)
    files = {}
    shape = net.input_population.shape
    label = next(iter(weights["with"]), None)
    if label is not None:
        w0, w1 = weights["without"][label][args.neuron], weights["with"][label][args.neuron]
        results["weight_image"] = {"connection": label, "neuron": args.neuron, "file": "weights_neuron.png"}
        if shape:
            files["weights_neuron.png"] = weight_figure(w0, w1, shape, args.neuron, results["pruned_fraction"])
        buf = io.BytesIO()
        np.savez_compressed(buf, without=weights["without"][label], with_pruning=weights["with"][label])
        files["weights.npz"] = buf.getvalue()
    files["results.json"] = json.dumps(results, indent=1).encode()
    out.commit(files)
    if args.json:
        print_json(results)
        return 0
    print(f"{'test set':<15}{'without':>10}{'with':>10}   (total {results['population']} spikes)")
    for name in SETS:
        row = results["table"][name]
        print(f"{name:<15}{row['without']:>10}{row['with']:>10}")
    acc = results["accuracy"]
    print(f"accuracy on known classes: {acc['without']:.3f} without, {acc['with']:.3f} with pruning")
    for lbl, frac in results["pruned_fraction"]["with"].items():
        print(f"{lbl}: {frac:.1%} of weights pruned to zero (without the timer: "
              f"{results['pruned_fraction']['without'][lbl]:.1%}); wrote {args.out}/")
    return 0
