"""`neurokit experiment learning-curve`: accuracy against the number of training images
(METHODS.md §2: ≈ 80 % after 100 images of 3 MNIST classes, 80.0 ± 13.0 % published).

For each seed the training images are drawn in an order fixed by the seed and learned in steps
of `--step` images; after each step the network (weights and adaptive thresholds carried over)
is tested on the same `--test-samples` held-out images. A step continues from the previous
step's trained network with fresh input spikes and learning-engine random streams (seeded by
seed and step), so a curve is not bit-identical to one long training run.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from neurokit.cli.common import writes_result_dir

NAME = "learning-curve"
DEFAULT_NET = Path(__file__).resolve().parents[2] / "examples" / "diehl_cook_3class.yaml"


def register(sub) -> None:
    from neurokit.cli.common import add_backend_args, count

    p = sub.add_parser(NAME, help="accuracy after 100, 200, … training images, over several seeds")
    p.add_argument("--data", required=True, help="data spec: 'digits' or 'mnist:ROOT'")
    p.add_argument("--classes", required=True, help="classes to learn, e.g. 0,1,7")
    p.add_argument("--net", default=str(DEFAULT_NET), help="default: examples/diehl_cook_3class.yaml")
    p.add_argument("--step", type=count, default=100, help="training images per step")
    p.add_argument("--max-train", type=count, default=500, help="training images in all (a multiple of --step)")
    p.add_argument("--test-samples", type=count, default=300, help="held-out test images")
    p.add_argument("--seeds", default="0,1,2,3,4", help="comma-separated seeds (at least one)")
    p.add_argument("--download", action="store_true")
    p.add_argument("--out", required=True, help="directory for learning_curve.json and .png (an earlier neurokit result there is replaced, anything else is refused)")
    add_backend_args(p)
    p.add_argument("--json", action="store_true", help="print the results on stdout")
    p.set_defaults(handler=run)


def learning_curve(net, data: str, classes: list[int], *, step: int, max_train: int, test_samples: int,
                   seeds: list[int], backend: str, precision: str, download: bool = False,
                   progress: bool = True) -> dict:
    from neurokit.data import load_dataset
    from neurokit.errors import DataError
    from neurokit.progress import progress_bar
    from neurokit.training import evaluate, train

    if step < 1 or max_train < step or max_train % step:
        raise DataError(f"--max-train ({max_train}) must be a positive multiple of --step ({step})")
    steps = list(range(step, max_train + 1, step))
    per_seed: dict[str, list[float]] = {}
    with progress_bar(len(seeds) * len(steps), f"learning curve ({backend})", unit="step", enabled=progress) as bar:
        for seed in seeds:
            train_set = load_dataset(data, "train", samples=max_train, classes=classes, seed=seed, download=download)
            test_set = load_dataset(data, "test", samples=test_samples, classes=classes, seed=seed, download=download)
            trained, curve = net, []
            for k, n in enumerate(steps):
                chunk = train_set[n - step:n]
                trained = train(trained, chunk, classes, backend=backend, precision=precision,
                                seed=seed * 1000 + k, progress=False).network
                ev = evaluate(trained, test_set, classes, backend=backend, precision=precision, seed=seed,
                              progress=False)
                curve.append(ev.accuracy)
                bar.update(1)
            per_seed[str(seed)] = curve
    acc = np.array(list(per_seed.values()))
    return {
        "network": net.name, "data": data, "classes": classes, "backend": backend, "precision": precision,
        "test_samples": test_samples, "seeds": seeds, "train_images": steps,
        "mean": acc.mean(axis=0).round(4).tolist(), "std": acc.std(axis=0).round(4).tolist(),
        "per_seed": per_seed,
    }


def plot(results: dict) -> bytes:
    from neurokit.plots import figure, png_bytes

    plt, fig = figure(figsize=(5.5, 3.5))
    ax = fig.add_subplot(111)
    x, m, s = np.array(results["train_images"]), np.array(results["mean"]), np.array(results["std"])
    for curve in results["per_seed"].values():
        ax.plot(x, curve, color="0.8", lw=0.8)
    ax.plot(x, m, "o-", color="C0", label=f"mean of {len(results['seeds'])} seeds")
    ax.fill_between(x, m - s, m + s, color="C0", alpha=0.2, label="± 1 std")
    ax.set_xlabel("training images")
    ax.set_ylabel(f"test accuracy ({results['test_samples']} images)")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"{results['network']}: classes {results['classes']} ({results['backend']}, {results['precision']})")
    ax.legend(loc="lower right")
    return png_bytes(plt, fig)


@writes_result_dir(NAME, inputs=("net",))
def run(args, out) -> int:
    from neurokit.cli.common import parse_classes, parse_seeds, print_json
    from neurokit.trained import load_any

    net = load_any(args.net)
    seeds = parse_seeds(args.seeds)
    t0 = time.perf_counter()
    results = learning_curve(net, args.data, parse_classes(args.classes), step=args.step, max_train=args.max_train,
                             test_samples=args.test_samples, seeds=seeds, backend=args.backend,
                             precision=args.precision, download=args.download, progress=not args.json)
    results["wall_time_s"] = round(time.perf_counter() - t0, 1)
    out.commit({"learning_curve.json": json.dumps(results, indent=1).encode(),
                                "learning_curve.png": plot(results)})
    if args.json:
        print_json(results)
    else:
        for n, m, s in zip(results["train_images"], results["mean"], results["std"]):
            print(f"{n:>6} training images: accuracy {m:.3f} ± {s:.3f}")
        print(f"wrote {args.out}/learning_curve.json and learning_curve.png ({results['wall_time_s']} s)")
    return 0
