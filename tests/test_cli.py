"""The real CLI as a subprocess: good runs, and bad input (exit 2, one line per problem, no
traceback, nothing written)."""
import json

import yaml

from conftest import EXAMPLES, MNIST_SPEC, run_cli, tiny_network


def write_spec(tmp_path, spec, name="net.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def assert_clean_failure(proc, n_lines=1):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == n_lines, lines
    return lines


def test_validate_accepts_the_examples():
    for name in ("digits_3class.yaml", "diehl_cook_3class.yaml"):
        proc = run_cli("validate", EXAMPLES / name)
        assert proc.returncode == 0 and ": ok in fixed point (" in proc.stdout


def test_validate_reports_each_problem_with_path_and_line(tmp_path):
    spec = tiny_network()
    spec["connections"][1]["source"] = "exx"
    spec["connections"][0] = {"source": "inp", "target": "exc", "kind": "dense", "weights": [[0.5] * 7] * 4}
    lines = assert_clean_failure(run_cli("validate", write_spec(tmp_path, spec)), n_lines=2)
    assert "connections[0].weights: shape is 4x7, expected 4x8" in lines[0]
    assert "connections[1].source: unknown population 'exx'" in lines[1]
    assert all("net.yaml: line " in ln for ln in lines)


def test_run_json_has_counts_for_every_population(tmp_path):
    proc = run_cli("run", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--samples", "2",
                   "--precision", "fixed", "--json", "--raster", tmp_path / "raster.png")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["spike_counts"]) == {"input", "exc", "inh"}
    assert len(out["per_sample"]) == 2
    for pop in ("input", "exc", "inh"):
        assert sum(s[pop] for s in out["per_sample"]) == out["spike_counts"][pop]
    assert out["spike_counts"]["input"] > 0
    assert (tmp_path / "raster.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reference_network_on_the_mnist_subset(mnist_root):
    proc = run_cli("run", EXAMPLES / "diehl_cook_3class.yaml", "--data", MNIST_SPEC, "--samples", "2",
                   "--precision", "fixed", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["spike_counts"]["exc"] > 0 and out["spike_counts"]["input"] > 0


def test_bad_inputs_exit_2_with_one_line_and_write_nothing(tmp_path):
    raster = tmp_path / "raster.png"
    bad_spec = tiny_network()
    bad_spec["populations"][1]["neuron"]["tau_m_ms"] = 0
    cases = [
        ("run", EXAMPLES / "digits_3class.yaml", "--data", "cifar10"),
        ("run", EXAMPLES / "digits_3class.yaml", "--data", "mnist:/nonexistent"),
        ("run", tmp_path / "missing.yaml", "--data", "digits"),
        ("run", write_spec(tmp_path, bad_spec), "--data", "digits"),
        ("run", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--backend", "loihi2"),
        ("run", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--samples", "0"),
        ("run", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--precision", "double"),
    ]
    for args in cases:
        (line,) = assert_clean_failure(run_cli(*args, "--raster", raster))
        assert line.startswith("neurokit"), line
    assert list(tmp_path.iterdir()) == [tmp_path / "net.yaml"]


def test_schema_is_json():
    proc = run_cli("schema")
    assert proc.returncode == 0 and "schema_version" in json.loads(proc.stdout)["properties"]


def test_fixed_point_errors_name_the_network_file(tmp_path):
    """A value that cannot be quantised is found while compiling, after loading: the line still
    names the file, then the path in it."""
    spec = tiny_network()
    spec["populations"][0]["size"] = 64  # the digits' 8x8 pixels
    spec["populations"][2]["neuron"]["bias"] = 1.0e9
    path = write_spec(tmp_path, spec)
    for args in (("run", path, "--data", "digits", "--samples", "1"), ("validate", path)):
        lines = assert_clean_failure(run_cli(*args))
        assert lines[0].split(": error: ", 1)[1].startswith(f"{path}: populations[inh].neuron.bias: bias "), lines
