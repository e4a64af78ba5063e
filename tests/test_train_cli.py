"""`neurokit train` / `evaluate` as subprocesses on Lava, on a handful of digits."""
import json

import numpy as np
import pytest

from conftest import EXAMPLES, run_cli
from neurokit.ir import load_network
from neurokit.quant import compile_params
from test_cli import assert_clean_failure


def test_train_then_evaluate_and_run_the_trained_directory(tmp_path):
    out = tmp_path / "trained"
    proc = run_cli("train", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--classes", "0,1,7",
                   "--train-samples", "6", "--seed", "3", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["samples"] == 6 and summary["spike_counts"]["exc"] > 0
    assert sorted(p.name for p in out.iterdir()) == [".neurokit-output.json", "network.yaml", "training_log.json", "weights_S1.png"]
    log = json.loads((out / "training_log.json").read_text())
    assert len(log["labels"]) == 6 and set(log["labels"]) <= {0, 1, 7}

    trained = load_network(out / "network.yaml")
    original = load_network(EXAMPLES / "digits_3class.yaml")
    s1 = trained.connections[0]
    assert s1.weights_scale == 255 / 1.5 and all(float(v).is_integer() for row in s1.weights for v in row)
    assert trained.readout.classes == [0, 1, 7]
    assert any(t > 0 for t in trained.population("exc").neuron.theta_init)  # θ was learned
    # the learned integers survive re-quantisation exactly, and differ from the initial weights
    learned = compile_params(trained, "fixed").connections[0].weights
    assert np.array_equal(learned, np.asarray(s1.weights, int))
    assert not np.array_equal(learned, compile_params(original, "fixed").connections[0].weights)

    proc = run_cli("evaluate", out, "--data", "digits", "--samples", "6", "--json")
    assert proc.returncode == 0, proc.stderr
    ev = json.loads(proc.stdout)
    assert 0 <= ev["accuracy"] <= 1 and ev["classes"] == [0, 1, 7]
    assert np.array(ev["confusion"]).shape == (3, 3)
    assert np.array(ev["confusion"]).sum() + ev["silent"] == 6
    assert set(ev["spike_counts"]) == {"input", "exc", "inh"}

    proc = run_cli("run", out, "--data", "digits", "--samples", "1", "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["spike_counts"]["exc"] >= 0


def test_train_refuses_bad_requests_without_writing(tmp_path):
    out = tmp_path / "never"
    for classes in ("0,1,x", "0,1,7,3", "0,0"):
        assert_clean_failure(run_cli("train", EXAMPLES / "digits_3class.yaml", "--data", "digits",
                                     "--classes", classes, "--train-samples", "3", "--out", out))
    assert not out.exists() and list(tmp_path.iterdir()) == []
    (line,) = assert_clean_failure(run_cli("evaluate", EXAMPLES / "digits_3class.yaml", "--data", "digits"))
    assert "pass --classes" in line


def test_engine_training_writes_the_network_lava_writes(tmp_path):
    outs = {}
    for backend in ("lava", "engine"):
        out = tmp_path / backend
        proc = run_cli("train", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--classes", "0,1,7",
                       "--train-samples", "4", "--seed", "5", "--out", out, "--backend", backend, "--json")
        assert proc.returncode == 0, proc.stderr
        outs[backend] = load_network(out / "network.yaml")
    lava, engine = outs["lava"], outs["engine"]
    assert lava.connections[0].weights == engine.connections[0].weights
    assert lava.population("exc").neuron.theta_init == engine.population("exc").neuron.theta_init


def test_learning_curve_experiment(tmp_path):
    out = tmp_path / "curve"
    proc = run_cli("experiment", "learning-curve", "--data", "digits", "--net", EXAMPLES / "digits_3class.yaml",
                   "--classes", "0,1,7", "--step", "5", "--max-train", "10", "--test-samples", "12",
                   "--seeds", "0,1", "--backend", "engine", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["train_images"] == [5, 10] and set(res["per_seed"]) == {"0", "1"}
    acc = np.array(list(res["per_seed"].values()))
    assert np.all((0 <= acc) & (acc <= 1))
    assert res["mean"] == pytest.approx(acc.mean(axis=0).round(4).tolist(), abs=1e-4)
    assert (out / "learning_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((out / "learning_curve.json").read_text())["std"] == res["std"]
    (line,) = assert_clean_failure(run_cli("experiment", "learning-curve", "--data", "digits", "--classes", "0,1,7",
                                           "--step", "30", "--max-train", "100", "--out", tmp_path / "bad"))
    assert "multiple of --step" in line and not (tmp_path / "bad").exists()
