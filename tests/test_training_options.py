"""Training options beyond the rule's amplitudes: heterosynaptic weight decay (`w_decay`),
thresholds fixed after learning (`theta_fixed_after_learning`) and several epochs (`--epochs`)."""
from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from conftest import EXAMPLES, run_cli
from neurokit import api
from neurokit.errors import QuantizationError
from neurokit.ir import network_from_dict
from neurokit.learning import microcode


def _digits(**neuron_or_rule) -> dict:
    doc = yaml.safe_load((EXAMPLES / "digits_3class.yaml").read_text())
    for key, value in neuron_or_rule.items():
        target = doc["connections"][0]["learning"] if key == "w_decay" else doc["populations"][1]["neuron"]
        target[key] = value
    return doc


def test_w_decay_is_one_product_of_the_microcode_and_must_be_a_literal():
    rule = network_from_dict(_digits(w_decay=3 * 2**-6)).connections[0].learning
    code = microcode(rule, "fixed", 1000.0, 1.0)
    assert code.dw.endswith("- 3 * 2^-6 * y0 * w")
    without = microcode(rule.model_copy(update={"w_decay": 0.0}), "fixed", 1000.0, 1.0)
    assert "* w" not in without.dw
    with pytest.raises(QuantizationError, match=r"w_decay: 0.001 is not m · 2\^k"):
        microcode(rule.model_copy(update={"w_decay": 0.001}), "fixed", 1000.0, 1.0, "connections[S1].learning")


def test_w_decay_bounds_the_weights_of_neurons_that_fire():
    """Every post spike removes λ·w from all its synapses, silent inputs included: the weights of
    the firing neurons end lower than without the term, on the same samples and seed."""
    samples = api.dataset("digits", "train", samples=60, classes=[0, 1, 7], seed=0)
    sums = {}
    for lam in (0.0, 2**-4):
        net = network_from_dict(_digits(w_decay=lam))
        result = api.train(net, samples, [0, 1, 7], backend="engine", seed=0).result
        fired = result.counts["exc"].sum(axis=0) > 0
        sums[lam] = result.weights["S1"][fired].sum(axis=1).mean()
    assert sums[2**-4] < 0.8 * sums[0.0], sums


def test_theta_fixed_after_learning_keeps_the_learned_thresholds():
    samples = api.dataset("digits", "train", samples=30, classes=[0, 1, 7], seed=0)
    plain = api.train(network_from_dict(_digits()), samples, [0, 1, 7], backend="engine", seed=0).network
    fixed = api.train(network_from_dict(_digits(theta_fixed_after_learning=True)), samples, [0, 1, 7],
                      backend="engine", seed=0).network
    a, b = plain.population("exc").neuron, fixed.population("exc").neuron
    assert a.theta_init == b.theta_init and max(b.theta_init) > 0  # the same learning
    assert a.theta_plus == 0.05 and b.theta_plus == 0.0 and b.tau_theta_ms is None
    ends = [api.run(net, api.dataset("digits", "test", samples=20, classes=[0, 1, 7], seed=k), backend="engine")
            .theta["exc"] for net in (fixed, plain) for k in (0, 1)]
    assert np.array_equal(ends[0], ends[1])          # fixed: θ at the end of any run is the learned θ
    assert not np.array_equal(ends[2], ends[3])      # adaptive: it depends on what the run saw


def test_epochs_repeat_the_samples_reshuffled():
    samples = api.dataset("digits", "train", samples=50, seed=3)
    three = samples.epochs(3, seed=3)
    assert len(three) == 150 and np.array_equal(three.labels[:50], samples.labels)
    for k in (1, 2):
        part = three.labels[50 * k:50 * (k + 1)]
        assert sorted(part.tolist()) == sorted(samples.labels.tolist())
        assert not np.array_equal(three.images[50 * k:50 * (k + 1)], samples.images)
    assert samples.epochs(1, seed=3) is not samples and samples.epochs(1, seed=3).name == samples.name


def test_train_cli_takes_epochs(tmp_path):
    out = tmp_path / "trained"
    proc = run_cli("train", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--classes", "0,1,7",
                   "--train-samples", "20", "--epochs", "2", "--backend", "engine", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["samples"] == 40
    log = json.loads((out / "training_log.json").read_text())
    assert log["samples"] == 40 and "×2 epochs" in log["data"]


def test_labelled_only_decay_goes_through_the_class_gate():
    """w_decay_labelled_only multiplies the decay by y2 (16 in the labelled group, fixed point, where
    w·y2 is shifted right by 5; 2 in float), with the literal chosen so that λ is what is asked."""
    rule = network_from_dict(_digits(w_decay=2**-7)).connections[0].learning
    gated = rule.model_copy(update={"w_decay_labelled_only": True})
    assert microcode(gated, "fixed", 1000.0, 1.0).dw.endswith("- 1 * 2^-6 * y0 * w * y2")   # 2^-6 · 16 / 32
    assert microcode(gated.model_copy(update={"w_decay": 2**-6}), "float", 1000.0, 1.0).dw.endswith(
        "- 1 * 2^-7 * y0 * w * y2")                                                         # 2^-7 · 2
    with pytest.raises(QuantizationError, match=r"literal 0.00390625 in float .* from 0.015625 up"):
        microcode(gated, "float", 1000.0, 1.0)  # λ = 2^-7 would need 2^-8
    with pytest.raises(ValueError, match="w_decay_labelled_only needs kind stdp_all_ltd and a w_decay > 0"):
        type(rule).model_validate({**rule.model_dump(), "w_decay": 0.0, "w_decay_labelled_only": True})
