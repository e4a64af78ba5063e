"""Issue 13: the decoders on hand-made arrays, and a small end-to-end regression run through the CLI."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neurokit.coding import (
    fit_linear,
    first_spike_times,
    membrane_at_end,
    population_vote,
    predict,
    rate_features,
    response_time,
)


def test_rate_features():
    np.testing.assert_array_equal(rate_features(np.array([[2, 4], [0, 8]]), 4.0), [[0.5, 1.0], [0.0, 2.0]])
    np.testing.assert_array_equal(rate_features(np.array([3, 6]), 3.0), [[1.0], [2.0]])
    with pytest.raises(ValueError):
        rate_features(np.array([1]), 0)


def test_first_spike_times():
    r = np.zeros((2, 2, 5), bool)
    r[0, 0, [2, 4]] = True
    r[1, 1, 0] = True
    np.testing.assert_array_equal(first_spike_times(r, 0.5), [[1.0, 2.5], [2.5, 0.0]])  # none: T = 5 · 0.5


def test_membrane_and_population_vote():
    v = np.arange(12, dtype=float).reshape(2, 2, 3)
    np.testing.assert_array_equal(membrane_at_end(v), [[2, 5], [8, 11]])
    np.testing.assert_allclose(population_vote(np.array([[0.0, np.log(3)]])), [[0.5, 0.75]])
    np.testing.assert_allclose(population_vote(np.array([[0.0, np.log(3)]]), "softmax"), [[0.25, 0.75]])
    with pytest.raises(ValueError):
        population_vote(v, "relu")


def test_fit_linear_exact():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 5.0]])
    y = 2 * X[:, 0] - 3 * X[:, 1] + 0.5
    w, b = fit_linear(X, y)
    np.testing.assert_allclose(w, [2, -3], atol=1e-12)
    assert b == pytest.approx(0.5)
    np.testing.assert_allclose(predict(X, w, b), y, atol=1e-12)
    # first spike: y = k1 − k2·t
    t = np.array([1.0, 2.0, 4.0])
    w, b = fit_linear(t, 10 - 2 * t)
    assert (b, w[0]) == pytest.approx((10, -2))


def test_response_time():
    tr = np.array([[0.0, 0.5, 0.98, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 0.0, 1.0, 0.0, 1.0]])
    np.testing.assert_array_equal(response_time(tr, 2.0), [6.0, 2.0, 10.0])


def test_cli_end_to_end(tmp_path: Path):
    exe = Path(sys.executable).with_name("neurokit")
    cmd = [str(exe), "experiment", "regression", "--task", "sine", "--encoders", "periodic",
           "--decoders", "membrane,rate", "--seeds", "0", "--hidden", "32", "--iterations", "80",
           "--samples", "200", "--out", str(tmp_path / "out"), "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=230, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr[-2000:]
    res = json.loads(proc.stdout)
    assert [(r["encoder"], r["decoder"]) for r in res["rows"]] == [("periodic", "membrane"), ("periodic", "rate")]
    for r in res["rows"]:
        assert {"encoder", "decoder", "mse", "r2", "response_ms", "spikes", "joules"} <= set(r)
        assert set(r["joules"]) == {"loihi", "spinnaker2", "survey"}
        assert 0 < r["response_ms"] <= 66 and r["spikes"] > 0
    assert {"mse", "r2", "macs", "joules"} <= set(res["ann"])
    membrane = res["rows"][0]
    assert membrane["mse"] < membrane["mse_predict_mean"]
    assert (tmp_path / "out" / "regression.json").exists() and (tmp_path / "out" / "regression.png").exists()


def test_input_noise_chosen_on_the_training_split_only():
    """Several σ: the kept one has the lowest validation MSE (the training split's held-out fifth), is
    recorded per seed, and does not move when the test split's targets are scrambled."""
    from neurokit.experiments.regression import DEFAULTS, evaluate, load_task

    cfg = dict(DEFAULTS, hidden=8, iterations=40, input_noise=(0.0, 0.3), noise_draws=4, ema=0.9)
    xtr, ytr, xte, yte = load_task("sine", 0, 60)
    row = evaluate("sine", "periodic", "membrane", 0, cfg, (xtr, ytr, xte, yte), energy=False)
    assert set(row["validation_mse"]) == {"0.0", "0.3"}
    assert row["input_noise"] == float(min(row["validation_mse"], key=row["validation_mse"].get))
    scrambled = evaluate("sine", "periodic", "membrane", 0, cfg, (xtr, ytr, xte, 1 - yte[::-1]), energy=False)
    for key in ("input_noise", "validation_mse", "readout"):
        assert scrambled[key] == row[key]
    assert scrambled["mse"] != row["mse"]


def test_fit_linear_cv_picks_the_ridge_on_the_folds():
    """Informative features: (nearly) no ridge; features that are pure noise: the strongest ridge
    (w → 0, the mean); α is free of the features' scale."""
    from neurokit.coding import fit_linear_cv
    from neurokit.experiments.regression_training import kfold

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 5))
    folds = kfold(120, 5, 0)
    y = X @ [1.0, -2.0, 0.5, 0.0, 3.0] + 0.01 * rng.normal(size=120)
    w, b, alpha = fit_linear_cv(X, y, folds)
    assert alpha <= 1e-3 and np.allclose(w, [1.0, -2.0, 0.5, 0.0, 3.0], atol=0.02)
    noise = rng.normal(size=120)
    w, b, alpha = fit_linear_cv(X, noise, folds)
    assert alpha == 10.0 and np.abs(w).max() < 0.05
    w2, b2, alpha2 = fit_linear_cv(1000 * X, noise, folds)
    assert alpha2 == alpha and np.allclose(predict(1000 * X, w2, b2), predict(X, w, b))
    assert sorted(np.concatenate(folds).tolist()) == list(range(120))


def test_train_cv_chooses_on_the_training_split_only():
    """--train-cv: σ and the stopping step are the argmin of the validation MSE averaged over the folds,
    the final network is trained on every training sample for that many steps, and nothing moves when
    the test split's targets are scrambled."""
    from neurokit.experiments.regression import DEFAULTS, evaluate, load_task

    cfg = dict(DEFAULTS, hidden=8, iterations=40, check_every=10, input_noise=(0.0, 0.3), noise_draws=4,
               train_cv=3, readout_cv=3)
    xtr, ytr, xte, yte = load_task("sine", 0, 60)
    row = evaluate("sine", "ttfs", "population", 0, cfg, (xtr, ytr, xte, yte), energy=False)
    curves = row["train_cv"]["validation_mse_per_check"]
    assert set(curves) == {"0.0", "0.3"} and all(len(c) == 5 for c in curves.values())  # steps 0, 10, …, 40
    best = min(curves, key=lambda s: min(curves[s]))
    assert row["input_noise"] == float(best)
    assert row["train_cv"]["steps"] == 10 * int(np.argmin(curves[best]))
    assert row["train_cv"]["folds"] == 3 and row["readout_cv"]["alpha"] in (0.0, 1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0)
    assert -1 < row["readout_cv"]["r2_least_squares"] <= 1
    scrambled = evaluate("sine", "ttfs", "population", 0, cfg, (xtr, ytr, xte, 1 - yte[::-1]), energy=False)
    for key in ("input_noise", "train_cv", "readout"):
        assert scrambled[key] == row[key]


@pytest.mark.parametrize("flag", ["--train-cv", "--readout-cv"])
@pytest.mark.parametrize("value, message", [("1", "must be 0 (off) or from 2 to 20"), ("21", "must be 0 (off) or from 2 to 20"),
                                            ("x", "invalid int value")])
def test_cv_flags_bad_values(tmp_path: Path, flag, value, message):
    exe = Path(sys.executable).with_name("neurokit")
    proc = subprocess.run([str(exe), "experiment", "regression", "--task", "sine", flag, value,
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_cv_flags_need_one_training_sample_per_fold(tmp_path: Path):
    exe = Path(sys.executable).with_name("neurokit")
    proc = subprocess.run([str(exe), "experiment", "regression", "--task", "sine", "--samples", "10", "--readout-cv", "9",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "needs at least one per fold" in proc.stderr and "Traceback" not in proc.stderr
