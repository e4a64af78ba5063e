"""README's own network, as a newcomer would use it: copied out of README.md, trained by plain
(unsupervised) STDP with the label-assignment readout, then evaluated."""
import json
import re

import pytest

from conftest import REPO, run_cli


def readme_network(tmp_path):
    text = (REPO / "README.md").read_text()
    spec = re.search(r"## A network file.*?```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "tiny.yaml"
    path.write_text(spec)
    return path


def test_the_readme_network_learns_three_digits_without_a_teacher(tmp_path):
    net = readme_network(tmp_path)
    accuracies = []
    for seed in (0, 1, 2):
        out = tmp_path / f"run{seed}"
        proc = run_cli("train", net, "--data", "digits", "--classes", "0,1,7", "--train-samples", "300",
                       "--seed", seed, "--backend", "engine", "--out", out, "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["readout"] == "label_assignment"
        ev = json.loads(run_cli("evaluate", out, "--data", "digits", "--backend", "engine", "--json").stdout)
        assert all(sum(col) > 0 for col in zip(*ev["confusion"])), f"seed {seed}: a class is never predicted"
        accuracies.append(ev["accuracy"])
    assert sum(accuracies) / 3 >= 0.80, accuracies


def test_class_groups_are_refused_for_an_unsupervised_rule(tmp_path):
    net = readme_network(tmp_path)
    net.write_text(net.read_text() + "readout: {kind: class_groups, population: exc}\n")
    proc = run_cli("train", net, "--data", "digits", "--classes", "0,1,7", "--train-samples", "5", "--backend",
                   "engine", "--out", tmp_path / "out")
    assert proc.returncode == 2 and "class_groups cannot work with the unsupervised rule 'stdp'" in proc.stderr
    assert not (tmp_path / "out").exists()
