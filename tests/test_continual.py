"""`neurokit experiment continual`: tasks learned one after another, the accuracy matrix, ACC and
BWT, with and without lateral inhibition limited to a radius (the real CLI, the digits set)."""
from __future__ import annotations

import json

import numpy as np

from conftest import EXAMPLES, run_cli


def test_two_tasks_give_the_matrix_acc_and_bwt(tmp_path):
    out = tmp_path / "continual"
    proc = run_cli("experiment", "continual", "--data", "digits", "--net", EXAMPLES / "digits_3class.yaml",
                   "--tasks", "0,1:7", "--mechanism", "none", "radius:1", "pruning:4000", "--seeds", "0,1", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["tasks"] == [[0, 1], [7]] and set(res["mechanisms"]) == {"none", "radius:1", "pruning:4000"}
    for r in res["mechanisms"].values():
        for run in r["seeds"]:
            m = np.array(run["matrix"])
            assert m.shape == (2, 2) and ((0 <= m) & (m <= 1)).all()
            assert m[0][0] > 0.5  # task 1 was learned before task 2 came
            assert run["bwt"] == round(m[1][0] - m[0][0], 4) and run["acc"] == round(m[1].mean(), 4)
            assert run["task1_kept"] == round(m[1][0], 4)
        assert np.allclose(r["matrix"], np.mean([s["matrix"] for s in r["seeds"]], axis=0), atol=1e-4)
    none, radius, pruning = (res["mechanisms"][k]["seeds"][0]["matrix"] for k in ("none", "radius:1", "pruning:4000"))
    assert none != radius and none != pruning  # each mechanism changes what is learned
    assert (out / "continual.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((out / "continual.json").read_text())["mechanisms"] == res["mechanisms"]


def test_unknown_or_unbuilt_mechanisms_are_refused_before_any_work(tmp_path):
    out = tmp_path / "never"
    for mechanism, words in (("freeze:0.1", "not built yet"), ("radius:-2", "whole number"), ("pruning:0", "ms > 0"),
                             ("bogus", "available")):
        proc = run_cli("experiment", "continual", "--data", "digits", "--net", EXAMPLES / "digits_3class.yaml",
                       "--tasks", "0,1:7", "--mechanism", mechanism, "--seeds", "0", "--out", out)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert mechanism in proc.stderr and words in proc.stderr
    assert not out.exists()
    proc = run_cli("experiment", "continual", "--data", "digits", "--net", EXAMPLES / "digits_3class.yaml",
                   "--tasks", "0,1", "--seeds", "0", "--out", out)
    assert proc.returncode == 2 and "at least two tasks" in proc.stderr
