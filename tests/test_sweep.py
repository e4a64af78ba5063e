"""`neurokit sweep`: runs expanded from the sweep file, rows identical under the local and the
Dask executor, resumable, and bad sweep files refused with one line."""
import json

import pytest
import yaml

from conftest import EXAMPLES, run_cli
from neurokit.errors import SpecError
from neurokit.sweep.spec import Sweep, run_id, set_path

SWEEP = EXAMPLES / "sweeps" / "digits_threshold.yaml"


def rows(out):
    return (out / "results.jsonl").read_text().splitlines()


def test_rows_are_byte_identical_under_the_local_and_the_dask_executor(tmp_path):
    local = run_cli("sweep", SWEEP, "--out", tmp_path / "local", "--json")
    dask = run_cli("sweep", SWEEP, "--out", tmp_path / "dask", "--executor", "dask", "--workers", "2", "--json")
    assert local.returncode == 0 and dask.returncode == 0, local.stderr + dask.stderr
    assert json.loads(dask.stdout)["ran"] == 12
    assert len(rows(tmp_path / "local")) == 12
    assert sorted(rows(tmp_path / "local")) == sorted(rows(tmp_path / "dask"))
    spikes = {json.loads(r)["result"]["spike_counts"]["exc"] for r in rows(tmp_path / "local")}
    assert len(spikes) == 12  # every setting and seed gives its own run


def test_a_stopped_sweep_resumes_where_it_stopped(tmp_path):
    out = tmp_path / "sweep"
    assert run_cli("sweep", SWEEP, "--out", out).returncode == 0
    full = rows(out)
    (out / "results.jsonl").write_text("\n".join(full[:7]) + "\n" + full[7][:40])  # killed while writing row 8
    proc = run_cli("sweep", SWEEP, "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) | {"out": None} == {"runs": 12, "skipped": 7, "ran": 5, "out": None,
                                                        "executor": "local"}
    assert sorted(rows(out)) == sorted(full)


def test_another_sweep_does_not_continue_in_a_sweeps_directory(tmp_path):
    out = tmp_path / "sweep"
    assert run_cli("sweep", SWEEP, "--out", out).returncode == 0
    other = yaml.safe_load(SWEEP.read_text())
    other["grid"]["arg:--seed"] = [7]
    other["network"] = str(EXAMPLES / "digits_3class.yaml")
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(other))
    proc = run_cli("sweep", tmp_path / "other.yaml", "--out", out)
    assert proc.returncode == 2 and "continues only its own work" in proc.stderr
    assert len(rows(out)) == 12


@pytest.mark.parametrize("change, message", [
    (lambda s: s["grid"].update({"populations.exc.neuron.v_th": [1]}), "a key is 'net:PATH'"),
    (lambda s: s.update(random={"samples": 2, "space": {"arg:--seed": {"low": 0, "high": 9}}}), "give one of them"),
    (lambda s: s.pop("network"), "network: needed"),
    (lambda s: s["grid"].update({"net:populations.nope.size": [3]}), "no list item named or numbered 'nope'"),
    (lambda s: s["grid"].update({"arg:--samples": [0]}), "--samples: must be an integer >= 1"),
])
def test_a_bad_sweep_is_one_line_and_exit_2(tmp_path, change, message):
    spec = yaml.safe_load(SWEEP.read_text())
    spec["network"] = str(EXAMPLES / "digits_3class.yaml")
    change(spec)
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(spec))
    proc = run_cli("sweep", tmp_path / "bad.yaml", "--out", tmp_path / "out")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists() or not (tmp_path / "out" / "results.jsonl").read_text()


def test_grid_random_and_settings_expand_in_a_fixed_order():
    s = Sweep.model_validate({"schema_version": 1, "command": ["run"], "settings": [{}, {"arg:--samples": 3}],
                              "grid": {"arg:--seed": [0, 1]}})
    assert s.runs() == [{"arg:--seed": 0}, {"arg:--seed": 1}, {"arg:--samples": 3, "arg:--seed": 0},
                        {"arg:--samples": 3, "arg:--seed": 1}]
    r = {"schema_version": 1, "command": ["run"],
         "random": {"samples": 5, "seed": 3, "space": {"arg:--seed": {"low": 0, "high": 100, "integer": True},
                                                        "arg:--precision": {"choices": ["fixed", "float"]}}}}
    a, b = Sweep.model_validate(r).runs(), Sweep.model_validate(r).runs()
    assert a == b and len(a) == 5 and all(isinstance(x["arg:--seed"], int) for x in a)
    assert len({run_id(x) for x in a}) == 5 and run_id({"a": 1, "b": 2}) == run_id({"b": 2, "a": 1})


def test_network_paths_by_name_or_index():
    net = {"populations": [{"name": "inp"}, {"name": "exc", "neuron": {"v_th": 1}}]}
    set_path(net, "populations.exc.neuron.v_th", 5)
    set_path(net, "populations[0].size", 9)
    assert net["populations"] == [{"name": "inp", "size": 9}, {"name": "exc", "neuron": {"v_th": 5}}]
    with pytest.raises(SpecError, match="'v_th' is a value; nothing lies below it"):
        set_path(net, "populations.exc.neuron.v_th.x", 1)


def test_the_regularisation_frontier_is_one_sweep_file(tmp_path):
    """The frontier's sweep file holds exactly the script's settings, and the script draws the
    frontier from a sweep's rows (here one small run of the same command)."""
    import subprocess
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "benchmarks"))
    import regularization_frontier as rf

    frontier = yaml.safe_load((REPO / "benchmarks" / "regularization_frontier.sweep.yaml").read_text())
    as_overrides = [{("tau_prun_ms" if k == "arg:--tau-prun-ms" else k.removeprefix("net:")): v for k, v in s.items()}
                    for s in frontier["settings"]]
    assert as_overrides == list(rf.SETTINGS.values()) and frontier["grid"] == {"arg:--seed": [0, 1, 2]}
    small = dict(frontier, network=str(EXAMPLES / "digits_3class.yaml"), settings=[{}], grid={"arg:--seed": [0]})
    small["command"] = [{"mnist:../shared/data/mnist-subset": "digits", "1800": "30", "300": "10"}.get(a, a)
                        for a in frontier["command"]]
    (tmp_path / "small.yaml").write_text(yaml.safe_dump(small))
    assert run_cli("sweep", tmp_path / "small.yaml", "--out", tmp_path / "sweep").returncode == 0
    proc = subprocess.run([sys.executable, REPO / "benchmarks" / "regularization_frontier.py", "--sweep-out",
                           tmp_path / "sweep", "--plot", tmp_path / "frontier.png"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "of 1 runs meet all three floors" in proc.stdout and (tmp_path / "frontier.png").stat().st_size > 1000
