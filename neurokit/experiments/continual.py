"""`neurokit experiment continual`: learning new classes after old ones, and what is forgotten
(METHODS.md §4), on neurokit's own network and rules.

Tasks are groups of classes learned one after another (class-incremental: the network is tested
on all the classes it has ever met, with no task label). The network keeps one class group per
class of every task from the start; while task i is learned, only its samples are shown, so the
groups of old classes learn only by all-LTD, when they fire for a new digit — which is where the
forgetting comes from. After each task i the network (weights, thresholds) is tested on the
test digits of every task j:

    R[i][j]     accuracy on task j after learning task i
    ACC         = mean_j R[T−1][j]                                (T tasks)
    BWT         = mean_{j<T−1} (R[T−1][j] − R[j][j])             (backward transfer; < 0: forgetting)
    task1_kept  = R[T−1][0]                                       (the seed's "accuracy kept on task 1")

Mechanisms against forgetting (`--mechanism`, several allowed, each run on every seed):
  none        the network as given;
  radius:R    lateral inhibition only between neurons at most R apart (index distance) on every
              all-to-all-except-self connection (ir/connections.py), so a winner silences its
              neighbours, not the old class groups;
  pruning:τ   the "use it or lose it" timer (τ_prun = τ ms, k_p = 1) on the plastic connection:
              synapses whose input stays silent decay away and are free for the next task.
The seed's other mechanisms (freezing the largest weights, Langevin weight ranges) are not
built yet and are refused by name.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from neurokit.cli.common import writes_result_dir

NAME = "continual"
DEFAULT_NET = Path(__file__).resolve().parents[2] / "examples" / "mnist_10class_400_wdecay.yaml"
MECHANISMS = "none, radius:R (R ≥ 0 neurons), pruning:TAU_MS"


def register(sub) -> None:
    from neurokit.cli.common import add_backend_args, count

    p = sub.add_parser(NAME, help="learn tasks (class groups) one after another; accuracy matrix, ACC, BWT")
    p.add_argument("--data", required=True, help="data spec: 'digits' or 'mnist:ROOT'")
    p.add_argument("--tasks", default="0,1,2,3,4:5,6,7,8,9", help="classes of each task, tasks separated by ':' "
                   "(default: %(default)s)")
    p.add_argument("--mechanism", nargs="+", default=["none"], help=f"one or more of: {MECHANISMS} (default: none)")
    p.add_argument("--net", default=str(DEFAULT_NET), help="default: examples/mnist_10class_400_wdecay.yaml")
    p.add_argument("--train-per-task", type=count, default=None, help="training samples per task (default: all)")
    p.add_argument("--test-per-task", type=count, default=None, help="test samples per task (default: all)")
    p.add_argument("--epochs", type=count, default=1, help="passes over each task's samples (default: 1)")
    p.add_argument("--seeds", default="0,1,2", help="comma-separated seeds (default: %(default)s)")
    p.add_argument("--download", action="store_true")
    p.add_argument("--out", required=True, help="directory for continual.json and continual.png (an earlier "
                   "neurokit result there is replaced, anything else is refused)")
    add_backend_args(p)
    p.add_argument("--json", action="store_true", help="print the results on stdout")
    p.set_defaults(handler=run)


def parse_tasks(text: str) -> list[list[int]]:
    from neurokit.cli.common import parse_classes
    from neurokit.errors import DataError

    tasks = [parse_classes(part) for part in text.split(":")]
    flat = [c for t in tasks for c in t]
    if len(tasks) < 2 or len(set(flat)) != len(flat):
        raise DataError(f"--tasks {text!r}: give at least two tasks of distinct classes, e.g. 0,1,2,3,4:5,6,7,8,9")
    return tasks


def with_mechanism(net, mechanism: str):
    """The network `mechanism` changes (see the module docstring), or a DataError naming what is known."""
    from neurokit.errors import DataError
    from neurokit.ir import Network

    kind, _, arg = mechanism.partition(":")
    if kind == "none" and not arg:
        return net
    if kind == "radius":
        try:
            radius = int(arg)
        except ValueError:
            radius = -1
        if radius < 0:
            raise DataError(f"--mechanism {mechanism!r}: radius needs a whole number of neurons ≥ 0, e.g. radius:5")
        data = net.model_dump(mode="python")
        lateral = [c for c in data["connections"] if c["kind"] == "all_to_all_except_self"]
        if not lateral:
            raise DataError(f"--mechanism {mechanism!r}: network {net.name!r} has no all_to_all_except_self "
                            "connection to give a radius")
        for c in lateral:
            c["radius"] = radius
        return Network.model_validate(data)
    if kind == "pruning":
        try:
            tau = float(arg)
        except ValueError:
            tau = -1.0
        if not tau > 0:
            raise DataError(f"--mechanism {mechanism!r}: pruning needs τ_prun in ms > 0, e.g. pruning:7500")
        data = net.model_dump(mode="python")
        plastic = [c for c in data["connections"] if c.get("learning")]
        if not plastic:
            raise DataError(f"--mechanism {mechanism!r}: network {net.name!r} has no plastic connection to prune")
        for c in plastic:
            c["pruning"] = {"tau_prun_ms": tau, "k_p": 1.0}
        return Network.model_validate(data)
    raise DataError(f"--mechanism {mechanism!r} is not known; available: {MECHANISMS} (freeze and langevin "
                    "are not built yet)")


def learner_of(trained, original):
    """The trained network ready to learn again: learned weights and θ, but θ adapting as in
    `original` where training fixed it (theta_fixed_after_learning)."""
    from neurokit.ir import Network

    data = trained.model_dump(mode="python")
    for i, p in enumerate(original.populations):
        if getattr(getattr(p, "neuron", None), "theta_fixed_after_learning", False):
            data["populations"][i]["neuron"].update(theta_plus=p.neuron.theta_plus, tau_theta_ms=p.neuron.tau_theta_ms)
    return Network.model_validate(data)


def scores(matrix: np.ndarray) -> dict:
    T = len(matrix)
    return {"acc": round(float(matrix[-1].mean()), 4),
            "bwt": round(float(np.mean([matrix[-1][j] - matrix[j][j] for j in range(T - 1)])), 4),
            "task1_kept": round(float(matrix[-1][0]), 4)}


def continual(net, data: str, tasks: list[list[int]], mechanisms: list[str], seeds: list[int], *,
              train_per_task: int | None, test_per_task: int | None, epochs: int, backend: str, precision: str,
              download: bool = False, progress: bool = True) -> dict:
    from neurokit.data import load_dataset
    from neurokit.progress import progress_bar
    from neurokit.training import evaluate, train

    classes = [c for t in tasks for c in t]
    nets = {m: with_mechanism(net, m) for m in mechanisms}  # every mechanism checked before any work
    out: dict = {}
    with progress_bar(len(mechanisms) * len(seeds) * len(tasks), f"continual ({backend})", unit="task",
                      enabled=progress) as bar:
        for mechanism, start in nets.items():
            runs = []
            for seed in seeds:
                tests = [load_dataset(data, "test", samples=test_per_task, classes=t, seed=seed, download=download)
                         for t in tasks]
                learner, matrix = start, []
                for i, task in enumerate(tasks):
                    samples = load_dataset(data, "train", samples=train_per_task, classes=task, seed=seed,
                                           download=download).epochs(epochs, seed)
                    trained = train(learner, samples, classes, backend=backend, precision=precision,
                                    seed=seed * 1000 + i, progress=False).network
                    matrix.append([evaluate(trained, test, classes, backend=backend, precision=precision, seed=seed,
                                            progress=False).accuracy for test in tests])
                    learner = learner_of(trained, start)
                    bar.update(1)
                m = np.array(matrix)
                runs.append({"seed": seed, "matrix": m.round(4).tolist(), **scores(m)})
            mean = np.mean([r["matrix"] for r in runs], axis=0)
            out[mechanism] = {"matrix": mean.round(4).tolist(), **{k: round(float(np.mean([r[k] for r in runs])), 4)
                                                                    for k in ("acc", "bwt", "task1_kept")},
                              "seeds": runs}
    return {"network": net.name, "data": data, "tasks": tasks, "epochs": epochs, "train_per_task": train_per_task,
            "test_per_task": test_per_task, "backend": backend, "precision": precision, "seeds": seeds,
            "mechanisms": out}


def plot(results: dict) -> bytes:
    """One accuracy matrix per mechanism (row: after task i, column: task j)."""
    from neurokit.plots import figure, png_bytes

    mech = results["mechanisms"]
    plt, fig = figure(figsize=(3.2 * len(mech) + 0.6, 3.2))
    T = len(results["tasks"])
    for k, (name, r) in enumerate(mech.items()):
        ax = fig.add_subplot(1, len(mech), k + 1)
        ax.imshow(np.array(r["matrix"]), vmin=0, vmax=1, cmap="viridis")
        for i in range(T):
            for j in range(T):
                ax.text(j, i, f"{r['matrix'][i][j]:.2f}", ha="center", va="center", color="w", fontsize=8)
        ax.set_xticks(range(T), [f"task {j + 1}" for j in range(T)], fontsize=7)
        ax.set_yticks(range(T), [f"after {i + 1}" for i in range(T)], fontsize=7)
        ax.set_title(f"{name}\nACC {r['acc']:.3f}, BWT {r['bwt']:+.3f}", fontsize=9)
    fig.suptitle(f"{results['network']}: accuracy on task j after learning task i (mean of {len(results['seeds'])} "
                 "seeds)", fontsize=9)
    return png_bytes(plt, fig)


@writes_result_dir(NAME, inputs=("net",))
def run(args, out) -> int:
    from neurokit.cli.common import parse_seeds, print_json
    from neurokit.trained import load_any

    net = load_any(args.net)
    seeds = parse_seeds(args.seeds)
    t0 = time.perf_counter()
    results = continual(net, args.data, parse_tasks(args.tasks), args.mechanism, seeds,
                        train_per_task=args.train_per_task, test_per_task=args.test_per_task, epochs=args.epochs,
                        backend=args.backend, precision=args.precision, download=args.download,
                        progress=not args.json)
    results["wall_time_s"] = round(time.perf_counter() - t0, 1)
    out.commit({"continual.json": json.dumps(results, indent=1).encode(), "continual.png": plot(results)})
    if args.json:
        print_json(results)
    else:
        for name, r in results["mechanisms"].items():
            print(f"{name:>12}: ACC {r['acc']:.3f}  BWT {r['bwt']:+.3f}  task 1 kept {r['task1_kept']:.3f}  "
                  f"matrix {r['matrix']}")
        print(f"wrote {args.out}/continual.json and continual.png ({results['wall_time_s']} s)")
    return 0
