"""Diehl & Cook's re-presentation at inference (readout.re_present, `evaluate --re-present`)."""
from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from conftest import EXAMPLES, run_cli
from neurokit import api
from neurokit.errors import SpecError
from neurokit.ir import RePresent, network_from_dict
from neurokit.re_present import simulate_until_answered, with_rate

CLASSES = [0, 1, 7]


@pytest.fixture(scope="module")
def trained():
    net = network_from_dict(yaml.safe_load((EXAMPLES / "digits_3class.yaml").read_text()))
    samples = api.dataset("digits", "train", samples=40, classes=CLASSES, seed=0)
    return api.train(net, samples, CLASSES, backend="engine", seed=0, progress=False).network


def _re_presenting(net, **rp):
    return net.model_copy(update={"readout": net.readout.model_copy(update={"re_present": RePresent(**rp)})})


def test_trained_network_keeps_its_re_presentation():
    doc = yaml.safe_load((EXAMPLES / "digits_3class.yaml").read_text())
    doc["readout"] = {"kind": "class_groups", "population": "exc", "re_present": {"min_spikes": 3}}
    samples = api.dataset("digits", "train", samples=6, classes=CLASSES, seed=0)
    net = api.train(network_from_dict(doc), samples, CLASSES, backend="engine", seed=0, progress=False).network
    assert net.readout.re_present == RePresent(min_spikes=3)


@pytest.mark.parametrize("backend", ["engine", "lava"])
def test_a_sample_that_never_answers_is_read_from_its_last_presentation(trained, backend):
    """With a spike count no sample reaches, every sample is shown max_presentations times, and
    the counts read are exactly those of one run at the last presentation's rate and seed."""
    samples = api.dataset("digits", "test", samples=3 if backend == "lava" else 12, classes=CLASSES, seed=0)
    net = _re_presenting(trained, min_spikes=10**6, rate_step_hz=40, max_presentations=3)
    shown = simulate_until_answered(net, samples, backend=backend, precision="fixed", seed=5, progress=False)
    assert shown.presentations.tolist() == [3] * len(samples)
    base = trained.populations[0].encoder.max_rate_hz
    last = api.run(with_rate(trained, base + 80), samples, backend=backend, seed=5 + 2)
    for pop, counts in last.counts.items():
        assert np.array_equal(shown.result.counts[pop], counts), pop
    first = api.run(trained, samples, backend=backend, seed=5)
    assert sum(shown.earlier_spikes.values()) > sum(first.spike_counts.values())  # two earlier presentations


def test_only_quiet_samples_are_shown_again(trained):
    samples = api.dataset("digits", "test", samples=40, classes=CLASSES, seed=1)
    once = api.run(trained, samples, backend="engine", seed=0).counts["exc"].sum(axis=1)
    need = int(np.median(once)) + 1   # about half the samples fall short of it
    ev = api.evaluate(_re_presenting(trained, min_spikes=need), samples, backend="engine", progress=False)
    again = simulate_until_answered(_re_presenting(trained, min_spikes=need), samples, backend="engine",
                                    precision="fixed", seed=0, progress=False)
    quiet = once < need
    assert 0 < quiet.sum() < len(samples)
    assert np.all(again.presentations[~quiet] == 1) and np.all(again.presentations[quiet] >= 2)
    assert ev.presentations == pytest.approx(again.presentations.mean())
    plain = api.evaluate(trained, samples, backend="engine", progress=False)
    assert plain.presentations == 1.0 and ev.silent <= plain.silent


def test_re_presentation_needs_a_rate_encoder_and_a_rate_the_step_can_carry():
    doc = yaml.safe_load((EXAMPLES / "digits_3class.yaml").read_text())
    doc["readout"] = {"kind": "class_groups", "population": "exc",
                      "re_present": {"rate_step_hz": 200, "max_presentations": 8}}
    with pytest.raises(SpecError, match=r"readout.re_present: the last presentation's rate, .* exceeds one spike"):
        network_from_dict(doc)
    doc["readout"]["re_present"] = {}
    doc["populations"][0]["encoder"] = {"kind": "ttfs", "delta_ms": 10, "presentation_ms": 50}
    with pytest.raises(SpecError, match=r"readout.re_present: .* the 'ttfs' encoder has none"):
        network_from_dict(doc)


def test_cli_evaluate_re_presents_and_reports_presentations(tmp_path):
    out = tmp_path / "run"
    assert run_cli("train", str(EXAMPLES / "digits_3class.yaml"), "--data", "digits", "--classes", "0,1,7",
                   "--train-samples", "30", "--backend", "engine", "--out", str(out)).returncode == 0
    res = run_cli("evaluate", str(out), "--data", "digits", "--samples", "20", "--backend", "engine",
                  "--re-present", "1000", "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["presentations"] == 8.0   # the default max_presentations: nobody fires 1,000 spikes
    doc = yaml.safe_load((EXAMPLES / "digits_3class.yaml").read_text())
    del doc["readout"]
    (tmp_path / "no_readout.yaml").write_text(yaml.safe_dump(doc))
    bad = run_cli("evaluate", str(tmp_path / "no_readout.yaml"), "--data", "digits", "--classes", "0,1,7",
                  "--re-present", "5")
    assert bad.returncode == 2 and "no readout" in bad.stderr and "Traceback" not in bad.stderr
    bad = run_cli("evaluate", str(out), "--data", "digits", "--re-present", "-1")
    assert bad.returncode == 2 and "--re-present" in bad.stderr


def test_training_shows_quiet_samples_again_only_when_asked():
    doc = yaml.safe_load((EXAMPLES / "digits_3class.yaml").read_text())
    samples = api.dataset("digits", "train", samples=12, classes=CLASSES, seed=0)
    shown = {}
    for learning in (False, True):
        doc["readout"] = {"kind": "class_groups", "population": "exc",
                          "re_present": {"min_spikes": 60, "max_presentations": 3, "while_learning": learning}}
        result = api.train(network_from_dict(doc), samples, CLASSES, backend="engine", seed=0, progress=False).result
        shown[learning] = result.presentations
        quiet = result.counts["exc"].sum(axis=1) < 60
    assert shown[False].max() == 1
    assert quiet.any() and np.all(shown[True][quiet] == 3)  # shown until it answers or runs out
    assert shown[True].min() == 1 or not (~quiet).any()


def test_probes_record_the_run_of_every_sample_not_a_re_run(trained):
    """Inside `recording`, the second runs of the quiet samples record nothing: the probes keep
    the first presentation of every sample (a re-run would have replaced them with a subset)."""
    from neurokit.probes import Record
    from neurokit.runner import recording

    samples = api.dataset("digits", "test", samples=10, classes=CLASSES, seed=1)
    with recording(Record(what=("spikes",), samples=(0, 9))) as rec:
        ev = api.evaluate(_re_presenting(trained, min_spikes=10**6, max_presentations=2), samples,
                          backend="engine", progress=False)
    assert ev.presentations == 2.0                        # every sample was shown again
    first = api.run(trained, samples, backend="engine", seed=0, rasters=True)
    assert list(rec.result.recorded["samples"]) == [0, 9]
    assert np.array_equal(rec.result.recorded["exc/spikes"], first.rasters["exc"][[0, 9]])
