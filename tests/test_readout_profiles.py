"""The class_profiles readout: each neuron votes for every class with the share of its training
response that class drew (neurokit.training.class_profiles, predict)."""
import json

import numpy as np
import pytest

import neurokit as nk
from conftest import EXAMPLES, run_cli
from neurokit.errors import SpecError
from neurokit.ir import Readout, load_network, network_from_dict
from neurokit.training import class_profiles, predict


def test_profiles_are_each_neurons_share_of_its_mean_response():
    labels = np.array([0, 0, 1, 1, 7])
    counts = np.array([[4, 0, 0],   # neuron 0 answers 0 and 1 alike, neuron 1 only 1, neuron 2 never
                       [2, 0, 0],
                       [3, 2, 0],
                       [3, 4, 0],
                       [0, 1, 0]])
    p = class_profiles(counts, labels, [0, 1, 7])
    # neuron 0: means 3, 3, 0 → ½, ½, 0; neuron 1: 0, 3, 1 → 0, ¾, ¼; neuron 2: zeros
    assert np.allclose(p, [[0.5, 0.5, 0], [0, 0.75, 0.25], [0, 0, 0]])
    readout = Readout(kind="class_profiles", population="exc", classes=[0, 1, 7], profiles=p.tolist())
    # votes Σ_n c_n·P[n, k]: [2·½, 2·½ + 1·¾, ¼] → class 1, though neuron 0 fired most (label_assignment
    # would say 0); a sample of only the never-firing neuron is silent
    assert predict(np.array([[2, 1, 0], [4, 0, 0], [0, 0, 3]]), [0, 1, 7], readout) == [1, 0, None]


def _with_readout(readout: dict) -> dict:
    net = nk.load(EXAMPLES / "digits_3class.yaml").model_dump(mode="python")
    return {**net, "readout": readout}


@pytest.mark.parametrize("readout, message", [
    ({"kind": "class_profiles", "population": "exc", "classes": [0, 1, 7], "profiles": [[1, 0, 0]] * 29},
     r"readout.profiles: needs one row per neuron of 'exc' and one column per class of readout.classes \(30 × 3\), got 29 × 3"),
    ({"kind": "class_profiles", "population": "exc", "classes": [0, 1, 7], "profiles": [[1, 0]] + [[1, 0, 0]] * 29},
     r"readout.profiles: .* got rows of unequal length"),
    ({"kind": "class_profiles", "population": "exc", "classes": [0, 1, 7], "profiles": [[1, 0, 0]] * 3 + [[1.5, -0.5, 0]] + [[1, 0, 0]] * 26},
     r"readout.profiles\[3\]: shares of a response cannot be negative"),
    ({"kind": "class_groups", "population": "exc", "classes": [0, 1, 7], "profiles": [[1, 0, 0]] * 30},
     r"readout.profiles: only a class_profiles readout has profiles"),
])
def test_bad_profiles_are_refused_by_path(readout, message):
    with pytest.raises(SpecError, match=message):
        network_from_dict(_with_readout(readout))


def test_trained_profiles_are_the_networks_answers_to_its_training_digits(tmp_path):
    """`neurokit train` on the engine with a class_profiles readout (the supervised rule, class
    gates as usual) stores the profiles of the trained network's own answers to the training
    digits, with learning off, and `evaluate` reads through them."""
    spec = tmp_path / "net.json"
    spec.write_text(json.dumps(_with_readout({"kind": "class_profiles", "population": "exc"})))
    out = tmp_path / "trained"
    proc = run_cli("train", spec, "--data", "digits", "--classes", "0,1,7", "--train-samples", "60", "--seed", "2",
                   "--backend", "engine", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["readout"] == "class_profiles"
    trained = load_network(out / "network.yaml")
    stored = np.asarray(trained.readout.profiles)
    assert stored.shape == (30, 3) and np.allclose(stored.sum(1)[stored.sum(1) > 0], 1)

    digits = nk.dataset("digits", "train", samples=60, classes=[0, 1, 7], seed=2)
    answers = nk.run(trained, digits, backend="engine", seed=3)  # the labelling run: learning off, seed + 1
    assert np.allclose(stored, class_profiles(answers.counts["exc"], digits.labels, [0, 1, 7]))
    assert (stored > 0).sum() > 30  # neurons answer more than one class: the votes are soft

    ev = json.loads(run_cli("evaluate", out, "--data", "digits", "--samples", "30", "--backend", "engine",
                            "--json").stdout)
    test = nk.dataset("digits", "test", samples=30, classes=[0, 1, 7], seed=0)
    counts = nk.run(trained, test, backend="engine", seed=0).counts["exc"]
    expected = predict(counts, [0, 1, 7], trained.readout)
    assert ev["accuracy"] == pytest.approx(np.mean([p == y for p, y in zip(expected, test.labels.tolist())]))


def test_a_re_presenting_readout_is_labelled_as_it_is_read(tmp_path):
    """With readout.re_present, the labelling digits are re-presented too: the profiles are those of
    each digit's last presentation, as evaluate reads it."""
    from neurokit.re_present import simulate_until_answered

    spec = tmp_path / "net.json"
    spec.write_text(json.dumps(_with_readout({"kind": "class_profiles", "population": "exc",
                                              "re_present": {"min_spikes": 40, "max_presentations": 3}})))
    out = tmp_path / "trained"
    proc = run_cli("train", spec, "--data", "digits", "--classes", "0,1,7", "--train-samples", "40", "--seed", "1",
                   "--backend", "engine", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    trained = load_network(out / "network.yaml")
    digits = nk.dataset("digits", "train", samples=40, classes=[0, 1, 7], seed=1)
    shown = simulate_until_answered(trained, digits, backend="engine", precision="fixed", seed=2, progress=False)
    assert shown.presentations.max() > 1  # some digits were shown again, so the two labellings differ
    stored = np.asarray(trained.readout.profiles)
    assert np.allclose(stored, class_profiles(shown.result.counts["exc"], digits.labels, [0, 1, 7]))
    once = nk.run(trained, digits, backend="engine", seed=2).counts["exc"]
    assert not np.allclose(stored, class_profiles(once, digits.labels, [0, 1, 7]))


def test_an_untrained_profile_readout_is_refused_before_running(tmp_path):
    spec = tmp_path / "net.json"
    spec.write_text(json.dumps(_with_readout({"kind": "class_profiles", "population": "exc"})))
    proc = run_cli("evaluate", spec, "--data", "digits", "--classes", "0,1,7", "--samples", "3", "--backend", "engine")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "readout.profiles: a class_profiles readout learns them in training; train the network first" in proc.stderr
