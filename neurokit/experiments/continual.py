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
              synapses whose input stays silent decay away and are free for the next task;
  freeze:P    after each task but the last, the largest P % of the plastic weights onto the
              class groups met so far are frozen (with those frozen before): every later task
              learns with the rest only;
  langevin:LO-HI  after each task but the last, a noisy phase: the network keeps learning that
              task while the host adds σ·w_max·N(0, 1) to every weight after each block of samples,
              Δw = F(w) + σ·w_max·N(0, 1) (F: the learning rule), and the weights are recorded after
              every block; each weight onto a neuron of the classes learned so far is held for
              the next task between the LO and HI percentiles of its own walk (q1-q3 = 25-75,
              d10-d90 = 10-90); the groups of the classes still to come stay free.
Freezing and Langevin ranges are host-side: the learning engine has no per-synapse bounds, so
the host clips every weight into its range before each sample (`train(bounds=…)`; Lava: read,
clip, write the weights), like a chip's host would between samples.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from neurokit.cli.common import writes_result_dir

NAME = "continual"
DEFAULT_NET = Path(__file__).resolve().parents[2] / "examples" / "mnist_10class_400_wdecay.yaml"
MECHANISMS = ("none, radius:R (R ≥ 0 neurons), pruning:TAU_MS, freeze:P (percent), "
              "langevin:LO-HI (percentiles, or q1-q3, d10-d90)")
QUANTILES = {"q1-q3": (25.0, 75.0), "d10-d90": (10.0, 90.0)}


def register(sub) -> None:
    from neurokit.cli.common import add_backend_args, count, nonnegative_float

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
    p.add_argument("--langevin-sigma", type=nonnegative_float, default=0.02, help="langevin: noise σ per block, as a fraction "
                   "of the rule's w_max (default: %(default)s)")
    p.add_argument("--langevin-samples", type=count, default=300, help="langevin: samples of the noisy phase "
                   "(default: %(default)s)")
    p.add_argument("--langevin-block", type=count, default=10, help="langevin: samples between noise kicks and "
                   "recordings (default: %(default)s)")
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
    if kind in ("freeze", "langevin"):
        host_side(mechanism)  # checked here, applied between tasks (continual)
        if not any(getattr(c, "learning", None) for c in net.connections):
            raise DataError(f"--mechanism {mechanism!r}: network {net.name!r} has no plastic connection")
        return net
    raise DataError(f"--mechanism {mechanism!r} is not known; available: {MECHANISMS}")


def host_side(mechanism: str) -> tuple[str, tuple] | None:
    """(kind, args) of a host-side mechanism: ('freeze', (fraction,)) or ('langevin', (lo, hi)
    percentiles); None for the others; a DataError for a bad argument."""
    from neurokit.errors import DataError

    kind, _, arg = mechanism.partition(":")
    if kind == "freeze":
        try:
            percent = float(arg)
        except ValueError:
            percent = -1.0
        if not 0 < percent < 100:
            raise DataError(f"--mechanism {mechanism!r}: freeze needs the percentage of weights to freeze, "
                            "0 < P < 100, e.g. freeze:10")
        return kind, (percent / 100,)
    if kind == "langevin":
        pair = QUANTILES.get(arg.lower())
        if pair is None:
            lo, _, hi = arg.partition("-")
            try:
                pair = (float(lo), float(hi))
            except ValueError:
                pair = (-1.0, -1.0)
        if not 0 <= pair[0] < pair[1] <= 100:
            raise DataError(f"--mechanism {mechanism!r}: langevin needs a percentile range LO-HI with "
                            "0 ≤ LO < HI ≤ 100, or q1-q3 or d10-d90, e.g. langevin:d10-d90")
        return kind, pair
    return None


def learner_of(trained, original):
    """The trained network ready to learn again: learned weights and θ, but θ adapting as in
    `original` where training fixed it (theta_fixed_after_learning)."""
    from neurokit.ir import Network

    data = trained.model_dump(mode="python")
    for i, p in enumerate(original.populations):
        if getattr(getattr(p, "neuron", None), "theta_fixed_after_learning", False):
            data["populations"][i]["neuron"].update(theta_plus=p.neuron.theta_plus, tau_theta_ms=p.neuron.tau_theta_ms)
    return Network.model_validate(data)


def plastic_weights(net, precision: str):
    """(label, compiled weights [post, pre] as the learning engine holds them, their scale, the
    largest weight the rule allows in those units) of the network's plastic connection."""
    from neurokit.quant import compile_params

    params = compile_params(net, precision)
    c = next(c for c in params.connections if c.plastic)
    rule = next(x for x in net.connections if x.label == c.label).learning
    scale = params.neurons[c.target].scale
    top = 255.0 if precision == "fixed" else rule.w_max * scale  # 8-bit weights in fixed point
    return c.label, np.asarray(c.weights, float), scale, top


def with_weights(net, label: str, w: np.ndarray, scale: float, precision: str):
    """`net` with the plastic connection's compiled weights replaced by `w`."""
    from neurokit.ir import Network

    data = net.model_dump(mode="python")
    conn = data["connections"][next(i for i, c in enumerate(net.connections) if c.label == label)]
    weights = np.rint(w).astype(int) if precision == "fixed" else w
    conn.update(weights=weights.tolist(), weights_scale=scale, init=None)
    return Network.model_validate(data)


def freeze_bounds(net, fraction: float, learned: np.ndarray, frozen: np.ndarray | None, precision: str):
    """The largest `fraction` of the weights onto `learned` neurons (bool [post]: the class groups
    met so far), with those `frozen` before, held where they are (lo = hi = w); the rest free in
    [0, w_max]. Returns (bounds, frozen mask)."""
    label, w, _, top = plastic_weights(net, precision)
    candidates = np.flatnonzero(np.broadcast_to(learned[:, None], w.shape))
    k = max(1, int(round(fraction * candidates.size)))
    mask = np.zeros(w.shape, bool)
    mask.flat[candidates[np.argpartition(w.flat[candidates], -k)[-k:]]] = True
    mask |= frozen if frozen is not None else False
    return {label: (np.where(mask, w, 0.0), np.where(mask, w, top))}, mask


def langevin_bounds(net, original, samples, classes, pair: tuple, sigma: float, block: int, new: np.ndarray,
                    bounds: dict | None, *, seed: int, backend: str, precision: str):
    """The noisy phase: learn `samples` in blocks (within the ranges `bounds` set after earlier
    tasks), after each block w ← clip(w + σ·w_max·N(0, 1)), and record w. Each weight onto a
    `new` neuron (bool [post]: the groups of the task just learned) is then held between the
    percentiles `pair` of its recorded walk; every other weight keeps its range in `bounds`
    (none: free). The groups of classes still to come stay free: they never fired, so their walk
    is noise around their initial weights, and holding it would forbid the templates the next
    task needs."""
    from neurokit.training import train

    rng = np.random.default_rng(seed)
    label, w, scale, top = plastic_weights(net, precision)
    walk = []
    for k in range(0, len(samples), block):
        trained = train(net, samples[k:k + block], classes, backend=backend, precision=precision, seed=seed + k, progress=False,
                        bounds=bounds).network
        _, w, _, _ = plastic_weights(trained, precision)
        w = np.clip(w + sigma * top * rng.standard_normal(w.shape), 0, top)
        walk.append(w)
        net = with_weights(learner_of(trained, original), label, w, scale, precision)  # θ keeps adapting
    lo, hi = np.percentile(np.stack(walk), pair, axis=0)
    if precision == "fixed":
        lo, hi = np.floor(lo), np.ceil(hi)
    old_lo, old_hi = bounds[label] if bounds else (np.zeros_like(lo), np.full_like(hi, top))
    lo[~new], hi[~new] = old_lo[~new], old_hi[~new]
    return {label: (lo, hi)}


def learned_neurons(net, classes: list[int], tasks: list[list[int]]) -> np.ndarray:
    """Bool per neuron of the plastic connection's target: in the class group of a class of `tasks`."""
    from neurokit.learning.microcode import class_groups

    target = net.population(next(c for c in net.connections if getattr(c, "learning", None)).target)
    groups = class_groups(target.size, len(classes))
    out = np.zeros(target.size, bool)
    for c in (c for t in tasks for c in t):
        out[list(groups[classes.index(c)])] = True
    return out


def scores(matrix: np.ndarray) -> dict:
    T = len(matrix)
    return {"acc": round(float(matrix[-1].mean()), 4),
            "bwt": round(float(np.mean([matrix[-1][j] - matrix[j][j] for j in range(T - 1)])), 4),
            "task1_kept": round(float(matrix[-1][0]), 4)}


def continual(net, data: str, tasks: list[list[int]], mechanisms: list[str], seeds: list[int], *,
              train_per_task: int | None, test_per_task: int | None, epochs: int, backend: str, precision: str,
              download: bool = False, progress: bool = True, langevin: dict | None = None) -> dict:
    from neurokit.data import load_dataset
    from neurokit.progress import progress_bar
    from neurokit.training import evaluate, train

    classes = [c for t in tasks for c in t]
    langevin = {"sigma": 0.02, "samples": 300, "block": 10, **(langevin or {})}
    nets = {m: with_mechanism(net, m) for m in mechanisms}  # every mechanism checked before any work
    out: dict = {}
    with progress_bar(len(mechanisms) * len(seeds) * len(tasks), f"continual ({backend})", unit="task",
                      enabled=progress) as bar:
        for mechanism, start in nets.items():
            runs = []
            for seed in seeds:
                tests = [load_dataset(data, "test", samples=test_per_task, classes=t, seed=seed, download=download)
                         for t in tasks]
                learner, matrix, bounds, frozen = start, [], None, None
                host = host_side(mechanism)
                for i, task in enumerate(tasks):
                    samples = load_dataset(data, "train", samples=train_per_task, classes=task, seed=seed,
                                           download=download).epochs(epochs, seed)
                    trained = train(learner, samples, classes, backend=backend, precision=precision,
                                    seed=seed * 1000 + i, progress=False, bounds=bounds).network
                    matrix.append([evaluate(trained, test, classes, backend=backend, precision=precision, seed=seed,
                                            progress=False).accuracy for test in tests])
                    learner = learner_of(trained, start)
                    if host and i < len(tasks) - 1:
                        if host[0] == "freeze":
                            bounds, frozen = freeze_bounds(trained, host[1][0], learned_neurons(start, classes,
                                                           tasks[:i + 1]), frozen, precision)
                        else:
                            bounds = langevin_bounds(learner, start, samples[:langevin["samples"]], classes, host[1],
                                                     langevin["sigma"], langevin["block"],
                                                     learned_neurons(start, classes, [task]), bounds,
                                                     seed=seed * 1000 + i, backend=backend, precision=precision)
                    bar.update(1)
                m = np.array(matrix)
                runs.append({"seed": seed, "matrix": m.round(4).tolist(), **scores(m)})
            mean = np.mean([r["matrix"] for r in runs], axis=0)
            out[mechanism] = {"matrix": mean.round(4).tolist(), **{k: round(float(np.mean([r[k] for r in runs])), 4)
                                                                    for k in ("acc", "bwt", "task1_kept")},
                              "seeds": runs}
    return {"network": net.name, "data": data, "tasks": tasks, "epochs": epochs, "train_per_task": train_per_task,
            "langevin": langevin,
            "test_per_task": test_per_task, "backend": backend, "precision": precision, "seeds": seeds,
            "mechanisms": out}


def plot(results: dict) -> bytes:
    """One accuracy matrix per mechanism (row: after task i, column: task j)."""
    from neurokit.plots import figure, png_bytes

    mech = results["mechanisms"]
    plt, fig = figure(figsize=(3.2 * len(mech) + 0.6, 3.6))
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
    fig.subplots_adjust(top=0.78, wspace=0.35)  # room for the title above the mechanisms' titles
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
                        progress=not args.json,
                        langevin={"sigma": args.langevin_sigma, "samples": args.langevin_samples,
                                  "block": args.langevin_block})
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
