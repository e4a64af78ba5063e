"""`neurokit experiment regularization` end to end on Lava, tiny (digits, a few samples)."""
import json

from conftest import EXAMPLES, run_cli


def test_regularization_experiment_writes_table_accuracy_and_weight_images(tmp_path):
    out = tmp_path / "reg"
    r = run_cli("experiment", "regularization", "--data", "digits", "--classes", "0,1,7", "--train-samples", 4,
                "--test-samples", 2, "--seed", 1, "--net", EXAMPLES / "digits_3class.yaml", "--out", out, "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert set(res["table"]) == {"white_noise", "blurred_noise", "known", "unknown"}
    for row in res["table"].values():
        assert set(row) == {"without", "with"} and all(isinstance(v, int) and v >= 0 for v in row.values())
    assert set(res["accuracy"]) == {"without", "with"}
    assert all(0 <= a <= 1 for a in res["accuracy"].values())
    assert res["timer"]["S1"]["dw_term"] == "- 5 * 2^-7 * u7 * w * t"  # 7500 ms in fixed point
    assert 0 <= res["pruned_fraction"]["with"]["S1"] <= 1
    assert sorted(p.name for p in out.iterdir()) == [".neurokit-output.json", "results.json", "weights.npz", "weights_neuron.png"]
    assert (out / "weights_neuron.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((out / "results.json").read_text())["table"] == res["table"]


def test_unreachable_tau_fails_before_training(tmp_path):
    r = run_cli("experiment", "regularization", "--data", "digits", "--classes", "0,1,7", "--train-samples", 2,
                "--test-samples", 1, "--net", EXAMPLES / "digits_3class.yaml", "--precision", "float",
                "--out", tmp_path / "x", timeout=120)
    assert r.returncode == 2 and "tau_prun_ms: 7500 ms cannot be realised" in r.stderr
    assert "nearest reachable: 5793" in r.stderr and not (tmp_path / "x").exists()
