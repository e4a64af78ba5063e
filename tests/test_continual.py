"""`neurokit experiment continual`: tasks learned one after another, the accuracy matrix, ACC and
BWT, with and without lateral inhibition limited to a radius (the real CLI, the digits set)."""
from __future__ import annotations

import json

import numpy as np

from conftest import EXAMPLES, run_cli


def test_two_tasks_give_the_matrix_acc_and_bwt(tmp_path):
    out = tmp_path / "continual"
    proc = run_cli("experiment", "continual", "--data", "digits", "--net", EXAMPLES / "digits_3class.yaml",
                   "--tasks", "0,1:7", "--mechanism", "none", "radius:1", "pruning:4000", "freeze:20", "langevin:d10-d90",
                   "--langevin-samples", "20", "--langevin-block", "5", "--seeds", "0,1", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["tasks"] == [[0, 1], [7]]
    assert set(res["mechanisms"]) == {"none", "radius:1", "pruning:4000", "freeze:20", "langevin:d10-d90"}
    for r in res["mechanisms"].values():
        for run in r["seeds"]:
            m = np.array(run["matrix"])
            assert m.shape == (2, 2) and ((0 <= m) & (m <= 1)).all()
            assert m[0][0] > 0.5  # task 1 was learned before task 2 came
            # (the scores come from the unrounded matrix: equal to within the matrix's 4 decimals)
            assert abs(run["bwt"] - (m[1][0] - m[0][0])) <= 2e-4 and abs(run["acc"] - m[1].mean()) <= 2e-4
            assert run["task1_kept"] == round(m[1][0], 4)
        assert np.allclose(r["matrix"], np.mean([s["matrix"] for s in r["seeds"]], axis=0), atol=1e-4)
    mechanisms = [res["mechanisms"][k]["seeds"][0]["matrix"] for k in res["mechanisms"]]
    assert all(m != mechanisms[0] for m in mechanisms[1:3])  # radius and pruning change what is learned
    for k in ("freeze:20", "langevin:d10-d90"):  # applied after task 1: task 1 is learned as without them
        assert res["mechanisms"][k]["seeds"][0]["matrix"][0] == mechanisms[0][0]
    assert (out / "continual.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((out / "continual.json").read_text())["mechanisms"] == res["mechanisms"]


def test_unknown_or_unbuilt_mechanisms_are_refused_before_any_work(tmp_path):
    out = tmp_path / "never"
    for mechanism, words in (("freeze:0", "0 < P < 100"), ("langevin:90-10", "LO-HI"), ("langevin:q2", "LO-HI"),
                             ("radius:-2", "whole number"), ("pruning:0", "ms > 0"), ("bogus", "available")):
        proc = run_cli("experiment", "continual", "--data", "digits", "--net", EXAMPLES / "digits_3class.yaml",
                       "--tasks", "0,1:7", "--mechanism", mechanism, "--seeds", "0", "--out", out)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert mechanism in proc.stderr and words in proc.stderr
    assert not out.exists()
    proc = run_cli("experiment", "continual", "--data", "digits", "--net", EXAMPLES / "digits_3class.yaml",
                   "--tasks", "0,1", "--seeds", "0", "--out", out)
    assert proc.returncode == 2 and "at least two tasks" in proc.stderr
