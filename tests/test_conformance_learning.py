"""Conformance of learning: the engine must learn exactly what Lava's LearningDense learns.

Lava (fixed and float) and the engine run the same networks with the same input spikes, class
gates and learning-engine seed; spike trains, the learned weights and the adaptive thresholds
must be identical after ≥ 1,000 steps. Fixed point is identical by construction: the engine
replays Lava's integer arithmetic and its random streams (trace rounding seeded from rng_seed,
weight rounding from Lava's fixed seed 2). Float is identical too: the rule compiles to the same
operations in the same order as Lava's string evaluation. Cases: random small networks with each
rule (STDP, all-LTD, the gated supervised rule, with and without a pruning timer), the digits
network and the reference network on MNIST.
"""
from __future__ import annotations

import numpy as np
import pytest

from conftest import EXAMPLES, MNIST_SPEC
from neurokit.data import encode_rate, load_dataset
from neurokit.ir import load_network, network_from_dict
from neurokit.quant import compile_params
from neurokit.runner import execute
from neurokit.training import class_gates

MIN_STEPS = 1000


def small_plastic_network(seed: int, kind: str, pruning: bool, w_decay: float = 0.0, teacher: float = 0.0,
                          ltd_scale: float = 1.0) -> dict:
    """w_decay < 0: its magnitude, labelled group only (w_decay_labelled_only)."""
    rng = np.random.default_rng(seed)
    conn = {"name": "plastic", "source": "inp", "target": "out", "kind": "dense",
            "init": {"kind": "uniform", "low": 0.2, "high": 1.0},
            "learning": {"kind": kind, "a_pre": 0.05, "a_post": -0.04, "tau_pre_ms": int(rng.integers(5, 20)),
                         "tau_post_ms": int(rng.integers(5, 20)), "w_max": 1.5, "w_decay": abs(w_decay),
                         "w_decay_labelled_only": w_decay < 0, "teacher": teacher, "ltd_scale": ltd_scale}}
    if pruning:
        conn["pruning"] = {"tau_prun_ms": 181.0, "k_p": 1.0}  # reachable in both precisions
    return {"schema_version": 1, "name": f"plastic{seed}", "seed": seed, "populations": [
        {"name": "inp", "size": 12, "encoder": {"kind": "bernoulli", "max_rate_hz": 150, "presentation_ms": 50, "rest_ms": 10}},
        {"name": "out", "size": 6, "neuron": {"kind": "adaptive_lif", "tau_m_ms": 10, "tau_syn_ms": 2, "v_th": 2,
                                              "theta_plus": 0.2, "refractory_ms": 2}},
        {"name": "inh", "size": 6, "neuron": {"kind": "lif", "tau_m_ms": 5, "v_th": 1}}],
        "connections": [conn,
                        {"source": "out", "target": "inh", "kind": "one_to_one", "weight": 2},
                        {"source": "inh", "target": "out", "kind": "all_to_all_except_self", "sign": "inhibitory",
                         "weight": 1.5}]}


def random_samples():
    """20 random 12-pixel samples of classes 0-2 (the small plastic networks' input)."""
    from neurokit.data import Samples

    rng = np.random.default_rng(11)
    return Samples(rng.uniform(0, 1, (20, 12)).astype(np.float32), rng.integers(0, 3, 20), "random")


def compare(net, samples, precision: str, classes=(0, 1, 2), seed: int = 3, bounds=None, re_present=None):
    params = compile_params(net, precision)
    inputs = encode_rate(net, samples.flat, seed)
    assert inputs.shape[0] * inputs.shape[2] >= MIN_STEPS
    gates = class_gates(net, params, samples.labels, list(classes))
    runs = [execute(params, inputs, backend=b, learn=True, gates=gates, bounds=bounds, re_present=re_present,
                    rng_seed=seed, rasters=True, progress=False) for b in ("lava", "engine")]
    lava, engine = runs
    if re_present is not None:
        assert np.array_equal(lava.presentations, engine.presentations)
    for pop, r in lava.rasters.items():
        assert np.array_equal(r, engine.rasters[pop]), f"{pop}: first difference at {np.argwhere(r != engine.rasters[pop])[0]}"
    for label, w in lava.weights.items():
        assert np.array_equal(np.asarray(w, float), engine.weights[label]), label
        assert not np.array_equal(w, params.connections[0].signed_weights)  # it did learn
    for pop, th in lava.theta.items():
        assert np.array_equal(np.asarray(th, float), np.asarray(engine.theta[pop], float)), pop
    return lava


@pytest.mark.parametrize("precision", ["fixed", "float"])
@pytest.mark.parametrize("kind,pruning,w_decay", [("stdp", False, 0), ("all_ltd", False, 0), ("stdp_all_ltd", False, 0),
                                                  ("stdp_all_ltd", True, 0), ("stdp_all_ltd", False, 3 * 2**-6),
                                                  ("stdp", True, 2**-7), ("stdp_all_ltd", False, -2**-6)])
def test_small_networks_learn_identically(kind, pruning, w_decay, precision):
    net = network_from_dict(small_plastic_network(7, kind, pruning, w_decay))
    lava = compare(net, random_samples(), precision)
    assert lava.spike_counts["out"] > 20


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_teacher_bias_holds_v_at_its_fraction_of_threshold(precision):
    """The compiled teacher bias b gives the steady voltage v* = f·v_th of the neuron model:
    fixed v* = b·4096/δv (v keeps (4096 − δv)/4096 per step), float v* = b/δv."""
    from neurokit.quant import fixed as fx

    net = network_from_dict(small_plastic_network(7, "stdp_all_ltd", False, teacher=0.6))
    p = compile_params(net, precision).neurons["out"]
    if precision == "fixed":
        b = np.asarray(p.teacher_bias_mant, float) * 2.0**p.bias_exp
        steady, vth = b * fx.DECAY_UNITY / (p.dv + fx.DV_OFFSET), p.vth << fx.VTH_SHIFT
    else:
        steady, vth = np.asarray(p.teacher_bias_mant) / p.dv, p.vth
    assert np.allclose(steady / vth, 0.6, rtol=2e-3) and p.bias_mant == 0


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_taught_networks_learn_identically(precision):
    """The teacher's bias, written per sample into the labelled group (Lava: bias_mant.set), gives
    the same spikes, weights and θ on both backends; and it does teach: the labelled group's
    share of the spikes grows."""
    samples = random_samples()
    share = []
    for teacher in (0.0, 0.8):
        net = network_from_dict(small_plastic_network(7, "stdp_all_ltd", False, 2**-6, teacher))
        raster = compare(net, samples, precision).rasters["out"].sum(axis=2)  # [sample, neuron]
        labelled = np.array([raster[i, 2 * c:2 * c + 2].sum() for i, c in enumerate(samples.labels)])
        share.append(labelled.sum() / raster.sum())
    assert share[1] > share[0] + 0.05, share


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_scaled_all_ltd_learns_identically(precision):
    """ltd_scale (the other groups' mode register at g − s·g) gives the same spikes, weights and θ
    on both backends, taught; and the weights differ from those of the full all-LTD."""
    samples = random_samples()

    def taught(scale):
        return network_from_dict(small_plastic_network(7, "stdp_all_ltd", False, 2**-6, 0.6, ltd_scale=scale))

    scaled = compare(taught(0.25), samples, precision).weights["plastic"]
    net = taught(1.0)
    params = compile_params(net, precision)
    full = execute(params, encode_rate(net, samples.flat, 3), backend="engine", learn=True, rng_seed=3, progress=False,
                   gates=class_gates(net, params, samples.labels, [0, 1, 2])).weights["plastic"]
    assert not np.array_equal(np.asarray(scaled, float), np.asarray(full, float))


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_re_presented_samples_learn_identically(precision):
    """Diehl & Cook's re-presentation while learning (readout.re_present): a sample whose readout
    answer is too quiet is shown again, learning on, with the input faster and freshly drawn; the
    same samples are shown again on both backends, with the same spikes, weights and θ."""
    from neurokit.data import Samples
    from neurokit.training import re_presentations

    doc = small_plastic_network(7, "stdp_all_ltd", False, teacher=0.5)
    doc["readout"] = {"kind": "class_groups", "population": "out",
                      "re_present": {"min_spikes": 6, "rate_step_hz": 100, "max_presentations": 3,
                                     "while_learning": True}}
    net = network_from_dict(doc)
    rng = np.random.default_rng(11)
    samples = Samples(rng.uniform(0, 0.6, (20, 12)).astype(np.float32), rng.integers(0, 3, 20), "random")
    lava = compare(net, samples, precision, re_present=re_presentations(net, "out", samples, 3))
    assert 0 < (lava.presentations > 1).sum() < len(samples), lava.presentations  # some shown again, not all
    quiet = lava.counts["out"].sum(axis=1) < 6
    assert np.all(lava.presentations[quiet] == 3)  # a sample is shown again until it answers or runs out


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_bounded_weights_learn_identically(precision):
    """Per-synapse ranges the host enforces before every sample (freezing: lo = hi; Langevin
    ranges): the same on both backends, and frozen weights end where they were (the host clips
    once more after the last sample), while without the bounds they drift."""
    from neurokit.data import Samples

    net = network_from_dict(small_plastic_network(7, "stdp_all_ltd", False))
    rng = np.random.default_rng(11)
    samples = Samples(rng.uniform(0, 1, (20, 12)).astype(np.float32), rng.integers(0, 3, 20), "random")
    w0 = compile_params(net, precision).connections[0].weights.astype(float)
    frozen = rng.uniform(size=w0.shape) < 0.3
    top = 255.0 if precision == "fixed" else float(w0.max()) * 1.5
    lo, hi = np.where(frozen, w0, 0.0), np.where(frozen, w0, top)
    lava = compare(net, samples, precision, bounds={"plastic": (lo, hi)})
    w = np.asarray(lava.weights["plastic"], float)
    free = compare(net, samples, precision).weights["plastic"]
    assert not np.array_equal(np.asarray(free, float)[frozen], w0[frozen])
    assert np.array_equal(w[frozen], w0[frozen])
    assert not np.array_equal(w[~frozen], w0[~frozen])  # the others learned


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_digits_network_learns_identically(precision):
    net = load_network(EXAMPLES / "digits_3class.yaml")
    compare(net, load_dataset("digits", "train", samples=3, classes=[0, 1, 7], seed=2), precision, classes=(0, 1, 7))


def test_reference_network_learns_identically(mnist_root):
    net = load_network(EXAMPLES / "diehl_cook_3class.yaml")
    compare(net, load_dataset(MNIST_SPEC, "train", samples=2, classes=[0, 1, 7], seed=2), "fixed", classes=(0, 1, 7))
