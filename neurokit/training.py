"""Supervised on-chip-style training and evaluation of a class-group network.

Training runs the network with learning on: for each sample of class c (the k-th of
`classes`), the mode register of the supervised rule marks group k for STDP and every other
neuron for all-LTD. The learned weights (integers in fixed point) and the adaptive thresholds
θ are written back into the IR, so the trained network is an ordinary network file.
Evaluation runs with learning off and predicts the class whose group fired most.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neurokit.data import Samples
from neurokit.data.encode import RePresentations, input_spikes
from neurokit.errors import SpecError
from neurokit.ir import AdaptiveLIF, Network, Readout
from neurokit.learning import class_groups, microcode
from neurokit.quant import compile_params
from neurokit.quant.fixed import VTH_SHIFT
from neurokit.runner import RunResult, execute


def readout_population(net: Network) -> str:
    if net.readout is not None:
        return net.readout.population
    plastic = [c.target for c in net.connections if getattr(c, "learning", None) is not None]
    if not plastic:
        raise SpecError(["readout: the network has neither a readout nor a plastic connection"])
    return plastic[0]


def class_gates(net: Network, params, labels: np.ndarray, classes: list[int]) -> dict[str, np.ndarray]:
    """y2 register values per sample for each gated connection: on for the label's group."""
    gates = {}
    for c in net.connections:
        rule = getattr(c, "learning", None)
        if rule is None or rule.kind != "stdp_all_ltd":
            continue
        code = microcode(rule, params.precision, params.neurons[c.target].scale, net.dt_ms)
        groups = class_groups(net.population(c.target).size, len(classes))
        g = np.full((len(labels), net.population(c.target).size), code.gate_off, dtype=float)
        for i, label in enumerate(labels):
            g[i, list(groups[classes.index(int(label))])] = code.gate_on
        gates[c.label] = g
    return gates


SUPERVISED_RULES = ("stdp_all_ltd",)


def readout_kind(net: Network) -> str:
    """The network's readout, or the one its rule calls for: class groups for the supervised
    rule (it teaches group k the k-th class), label assignment for an unsupervised one. A
    class-groups readout on an unsupervised rule is refused: nothing ties a group to a class."""
    rules = {c.learning.kind for c in net.connections if getattr(c, "learning", None) is not None}
    supervised = bool(rules & set(SUPERVISED_RULES))
    if net.readout is None:
        return "class_groups" if supervised else "label_assignment"
    if net.readout.kind == "class_groups" and rules and not supervised:
        raise SpecError([f"readout.kind: class_groups cannot work with the unsupervised rule {sorted(rules)[0]!r} "
                         "(no neuron is taught a class); use label_assignment, or the supervised rule stdp_all_ltd"])
    return net.readout.kind


@dataclass
class Training:
    network: Network          # the trained network (learned weights and thresholds)
    result: RunResult         # spikes during training
    readout: str              # the readout kind it was given (readout_kind)


def train(net: Network, samples: Samples, classes: list[int], *, backend: str = "lava",
          precision: str = "fixed", seed: int = 0, progress: bool = True, bounds: dict | None = None) -> Training:
    """Learn `samples` online. `bounds`: connection label -> (lo, hi), each weight's range in the
    compiled weights' units [post, pre] (compile_params), which the host enforces before every
    sample (neurokit.experiments.continual: frozen weights, Langevin ranges)."""
    unknown = sorted(set(np.unique(samples.labels).tolist()) - set(classes))
    if unknown:
        raise SpecError([f"training samples have classes {unknown} outside --classes {classes}"])
    pop = readout_population(net)
    kind = readout_kind(net)
    if kind == "class_groups":
        class_groups(net.population(pop).size, len(classes))  # raises early if it cannot split
    params = compile_params(net, precision)
    inputs = input_spikes(net, samples.flat, seed, precision)
    result = execute(params, inputs, backend=backend, learn=True, labels=samples.labels, rng_seed=seed,
                     gates=class_gates(net, params, samples.labels, classes), bounds=bounds, progress=progress,
                     re_present=re_presentations(net, pop, samples, seed), desc=f"training {backend}/{precision}")
    readout = Readout(kind=kind, population=pop, classes=classes,
                      re_present=net.readout.re_present if net.readout is not None else None)
    trained = _learned_network(net, params, result, readout, samples, seed)
    if kind in ("label_assignment", "class_profiles"):  # each neuron's answers to the training images, learning off
        from neurokit.re_present import simulate_until_answered

        # read as the network will be read: a re-presenting readout re-presents the labelling digits too
        labelling = simulate_until_answered(trained, samples, backend=backend, precision=precision, seed=seed + 1,
                                            progress=progress).result
        if kind == "label_assignment":
            readout.labels = assign_labels(labelling.counts[pop], samples.labels, classes)
        else:
            readout.profiles = class_profiles(labelling.counts[pop], samples.labels, classes).tolist()
        trained = Network.model_validate({**trained.model_dump(mode="python"), "readout": readout.model_dump()})
    return Training(trained, result, kind)


def re_presentations(net: Network, pop: str, samples: Samples, seed: int):
    """Diehl & Cook show a training sample again, faster, while the readout answers it with fewer
    than min_spikes spikes (readout.re_present.while_learning); None when the network does not ask."""
    rp = net.readout.re_present if net.readout is not None else None
    if rp is None or not rp.while_learning:
        return None
    enc = net.input_population.encoder
    if enc.kind not in ("poisson", "bernoulli"):
        raise SpecError([f"readout.re_present: learning shows samples again with freshly drawn Poisson or Bernoulli "
                         f"spikes; the {enc.kind!r} encoder is not drawn"])
    return RePresentations(pop, rp, net, samples.flat, seed)


def _learned_network(net, params, result, readout: Readout, samples, seed) -> Network:
    data = net.model_dump(mode="python")
    for i, c in enumerate(net.connections):
        if c.label in result.weights:
            w = np.abs(result.weights[c.label])
            conn = data["connections"][i]
            conn["weights"] = (w.astype(int) if params.precision == "fixed" else w).tolist()
            conn["weights_scale"] = params.neurons[c.target].scale
            conn["init"] = None
    for i, p in enumerate(net.populations):
        theta = result.theta.get(p.name) if result.theta else None
        if theta is not None and isinstance(getattr(p, "neuron", None), AdaptiveLIF):
            units = params.neurons[p.name].scale * ((1 << VTH_SHIFT) if params.precision == "fixed" else 1)
            neuron = data["populations"][i]["neuron"]
            neuron["theta_init"] = (np.asarray(theta, float) / units).tolist()
            if p.neuron.theta_fixed_after_learning:  # the thresholds stay as learned from now on
                neuron["theta_plus"], neuron["tau_theta_ms"] = 0.0, None
    data["readout"] = readout.model_dump()
    data["metadata"] = {**net.metadata, "trained": {
        "data": samples.name, "samples": len(samples), "classes": readout.classes, "precision": params.precision,
        "seed": seed}}
    return Network.model_validate(data)


def mean_responses(counts: np.ndarray, labels: np.ndarray, classes: list[int]) -> np.ndarray:
    """[class, neuron]: each neuron's mean spike count over the labelling samples of each class."""
    return np.stack([counts[labels == c].mean(axis=0) if np.any(labels == c) else np.zeros(counts.shape[1])
                     for c in classes])


def assign_labels(counts: np.ndarray, labels: np.ndarray, classes: list[int]) -> list[int]:
    """Diehl & Cook's labels: the class with the highest mean response of each neuron over the
    labelling samples (−1 for a neuron that never fired)."""
    return [classes[int(np.argmax(m))] if m.max() > 0 else -1 for m in mean_responses(counts, labels, classes).T]


def class_profiles(counts: np.ndarray, labels: np.ndarray, classes: list[int]) -> np.ndarray:
    """[neuron, class]: P[n, k] = r̄[k, n] / Σ_j r̄[j, n], the share of neuron n's mean response r̄
    that class k drew (a row of zeros for a neuron that never fired)."""
    mean = mean_responses(counts, labels, classes)
    total = mean.sum(axis=0)
    return (mean / np.where(total > 0, total, 1)).T


@dataclass
class Evaluation:
    accuracy: float
    confusion: list[list[int]]   # rows: true class, columns: predicted class (order of `classes`)
    silent: int                  # samples on which the readout population did not fire
    predictions: list[int | None]
    result: RunResult            # each sample's last presentation (neurokit.re_present)
    presentations: float = 1.0   # mean presentations per sample (readout.re_present; 1 without)
    spike_counts: dict[str, int] | None = None  # spikes per population over every presentation


def predict(counts: np.ndarray, classes: list[int], readout: Readout | None = None) -> list[int | None]:
    """The class of each sample (None when the population stayed silent): the group that fired
    most (class_groups), the class whose labelled neurons fired most on average
    (label_assignment), the class with most profile-weighted spikes (class_profiles), or the neuron
    that fired most (argmax: its own classes, not `classes`)."""
    if readout is not None and readout.kind == "argmax":
        votes = counts
        classes = argmax_classes(readout, counts.shape[1])
    elif readout is not None and readout.kind == "label_assignment":
        labels = np.asarray(readout.labels)
        votes = np.stack([counts[:, labels == c].mean(axis=1) if np.any(labels == c) else np.zeros(len(counts))
                          for c in classes], axis=1)
    elif readout is not None and readout.kind == "class_profiles":
        votes = counts @ np.asarray(readout.profiles, dtype=float)  # Σ_n c_n·P[n, k]
    else:
        groups = class_groups(counts.shape[1], len(classes))
        votes = np.stack([counts[:, list(g)].sum(axis=1) for g in groups], axis=1)
    return [None if v.max() == 0 else classes[int(np.argmax(v))] for v in votes]


def argmax_classes(readout: Readout, size: int) -> list[int]:
    """The class each neuron of an argmax readout stands for."""
    return list(readout.classes) if readout.classes is not None else list(range(size))


def evaluate(net: Network, samples: Samples, classes: list[int] | None = None, *, backend: str = "lava",
             precision: str = "fixed", seed: int = 0, progress: bool = True) -> Evaluation:
    from neurokit.re_present import simulate_until_answered

    classes = classes or (net.readout.classes if net.readout else None)
    if net.readout is not None and net.readout.kind == "argmax":
        classes = classes or argmax_classes(net.readout, net.population(net.readout.population).size)
    if not classes:
        raise SpecError(["readout.classes: the network was not trained; pass --classes"])
    learned = {"label_assignment": "labels", "class_profiles": "profiles"}.get(net.readout.kind if net.readout else "")
    if learned and getattr(net.readout, learned) is None:
        raise SpecError([f"readout.{learned}: a {net.readout.kind} readout learns them in training; train the network first"])
    pop = readout_population(net)
    shown = simulate_until_answered(net, samples, backend=backend, precision=precision, seed=seed, progress=progress)
    result = shown.result
    preds = predict(result.counts[pop], classes, net.readout)
    index = {c: k for k, c in enumerate(classes)}
    confusion = np.zeros((len(classes), len(classes)), int)
    for label, pred in zip(samples.labels.tolist(), preds):
        if pred is not None and label in index and pred in index:
            confusion[index[label], index[pred]] += 1
    correct = sum(int(p == label) for p, label in zip(preds, samples.labels.tolist()))
    return Evaluation(correct / len(samples), confusion.tolist(), preds.count(None), preds, result,
                      float(shown.presentations.mean()), shown.spike_counts)
