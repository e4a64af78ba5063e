"""Energy: every count and formula against a hand-computed case, a pruned network against its
unpruned twin on Lava, Loihi 2's unknowns, and the `neurokit energy` command."""
import json

import numpy as np
import pytest
import yaml

from conftest import run_cli
from neurokit.data import Samples, encode_rate
from neurokit.energy import ann_macs, count_events, estimate, load_profile, profile_from_dict, with_assumptions
from neurokit.ir import network_from_dict
from neurokit.mapping import map_network
from neurokit.quant import compile_params
from neurokit.runner import RunResult, simulate

PJ = 1e-12


def hand_net(plastic=False):
    """inp (3) -> out (2), weights [[1, 0, 2], [0, 0, 3]]: fan-outs 1, 0, 2; 10 steps of 1 ms."""
    c = {"name": "S", "source": "inp", "target": "out", "kind": "dense", "weights": [[1, 0, 2], [0, 0, 3]]}
    if plastic:
        c["learning"] = {"kind": "stdp", "a_pre": 0.1, "a_post": -0.1, "tau_pre_ms": 5, "tau_post_ms": 5, "w_max": 3}
    return network_from_dict({"schema_version": 1, "name": "hand", "populations": [
        {"name": "inp", "size": 3, "encoder": {"kind": "bernoulli", "max_rate_hz": 100, "presentation_ms": 8, "rest_ms": 2}},
        {"name": "out", "size": 2, "neuron": {"kind": "lif", "tau_m_ms": 10, "v_th": 1}}], "connections": [c]})


def hand_run():
    """Two samples. Sample 0: input 0 fires at steps 0, 1; input 2 at step 1; out 0 at step 2.
    Sample 1: input 2 fires at step 4 only; nothing else."""
    inp = np.zeros((2, 3, 10), bool)
    inp[0, 0, [0, 1]] = True
    inp[0, 2, 1] = True
    inp[1, 2, 4] = True
    out = np.zeros((2, 2, 10), bool)
    out[0, 0, 2] = True
    result = RunResult({"out": out.sum(axis=2)}, inp.sum(axis=2), np.zeros(2, int), "inp", {"out": out})
    return result, inp


def test_counts_by_hand():
    result, inp = hand_run()
    c = count_events(result, compile_params(hand_net(), "fixed"), input_raster=inp)
    # spikes: inp 3 and 1 -> 2 per inference; out 1 and 0 -> 0.5
    assert c.spikes == {"inp": 2.0, "out": 0.5}
    # events: sample 0: 2 spikes of input 0 x 1 + 1 of input 2 x 2 = 4; sample 1: 1 x 2 = 2 -> 3
    assert c.synaptic_events == {"S": 3.0}
    # active (i, t): sample 0: out0 receives at t=1, 2 (pre at 0, 1), spikes at 2; out1 receives at t=2
    # -> {(0,1), (0,2), (1,2)} = 3; sample 1: both receive at t=5 -> 2. Mean 2.5 of 2 x 10 updates.
    assert c.activity_exact and c.neuron_updates_active == {"out": 2.5}
    assert c.neuron_updates_inactive == {"out": 17.5}
    assert c.model_time_s == pytest.approx(0.010)
    # without rasters: the bound min(20, events into + own spikes) = 3 + 0.5
    bound = count_events(RunResult(result.counts, result.input_counts, None, "inp"), compile_params(hand_net(), "fixed"))
    assert not bound.activity_exact and bound.neuron_updates_active == {"out": 3.5}


def test_learning_updates_by_hand():
    result, inp = hand_run()
    params = compile_params(hand_net(plastic=True), "fixed")
    assert count_events(result, params, input_raster=inp).learning_updates == {"out": 0.0}
    c = count_events(result, params, input_raster=inp, learning=True)
    # plastic: all 6 synapses stored; each pre spike touches 2, each post spike 3.
    # sample 0: 3 pre x 2 + 1 post x 3 = 9; sample 1: 1 x 2 = 2 -> 5.5
    assert c.learning_updates == {"out": 5.5}


def test_loihi_formula_by_hand():
    result, inp = hand_run()
    net = hand_net()
    loihi = load_profile("loihi")
    m = map_network(net, loihi)
    c = count_events(result, compile_params(net, "fixed"), input_raster=inp, mapping=m, profile=loihi)
    r = estimate(c, loihi, net, mapping=m)
    assert r.breakdown["synaptic_events"] == pytest.approx(3 * 23.6 * PJ)
    assert r.breakdown["neuron_updates"] == pytest.approx((2.5 * 81 + 17.5 * 52) * PJ)
    assert r.breakdown["learning_updates"] == 0
    assert r.breakdown["routing"] == 0  # the only source is the off-chip input
    assert r.joules_per_inference == pytest.approx((3 * 23.6 + 2.5 * 81 + 17.5 * 52) * PJ)
    assert r.by_population == {"inp": 0.0, "out": pytest.approx(r.joules_per_inference)}
    assert "static" in r.not_modelled
    # ANN twin: 3 x 2 dense MACs x 4.6 pJ (ann-45nm)
    assert r.ann_macs == 6 and r.ann_equivalent_joules == pytest.approx(6 * 4.6 * PJ)


def test_survey_spinnaker_truenorth_and_static_power_by_hand():
    result, inp = hand_run()
    net = hand_net()
    c = count_events(result, compile_params(net, "fixed"), input_raster=inp)
    survey = estimate(c, load_profile("survey"), net)
    assert survey.breakdown == {"spikes": pytest.approx(2.5 * 0.1 * PJ)}
    assert survey.by_population == {"inp": pytest.approx(0.2 * PJ), "out": pytest.approx(0.05 * PJ)}
    spin = estimate(c, load_profile("spinnaker2"), net)
    assert spin.joules_per_inference == pytest.approx(3 * 450 * PJ + 20 * 2.19e-9)
    assert estimate(c, load_profile("truenorth"), net).joules_per_inference == pytest.approx(3 * 26 * PJ)
    static = profile_from_dict({"name": "leaky", "title": "t", "kind": "model", "sources": {"s": "test"},
                                "energy": {"static_power": {"value": 2, "unit": "mW", "source": "s", "where": "x", "kind": "derived"}}})
    leaky = estimate(c, static, net)
    assert leaky.breakdown["static"] == pytest.approx(2e-3 * 0.010)
    # what the profile does not mention is unknown, never 0 J (a count of 0 costs 0 J)
    assert {k for k, v in leaky.breakdown.items() if v is None} == {"synaptic_events", "neuron_updates", "spikes",
                                                                     "routing"}
    assert leaky.breakdown["learning_updates"] == 0.0
    assert leaky.joules_per_inference is None and "no figure" in leaky.unknown["synaptic_events"]


def test_loihi2_is_unknown_unless_the_user_assumes_loihi_energies():
    result, inp = hand_run()
    net = hand_net()
    loihi2 = load_profile("loihi2")
    m = map_network(net, loihi2)
    c = count_events(result, compile_params(net, "fixed"), input_raster=inp, mapping=m, profile=loihi2)
    r = estimate(c, loihi2, net, mapping=m)
    assert r.joules_per_inference is None and r.known_joules_per_inference == 0
    assert r.breakdown["synaptic_events"] is None and "no per-operation energies" in r.unknown["synaptic_events"]
    assumed, said = with_assumptions(loihi2, ["loihi-energies"])
    c2 = count_events(result, compile_params(net, "fixed"), input_raster=inp, mapping=m, profile=assumed)
    r2 = estimate(c2, assumed, net, assumptions=said, mapping=m)
    assert r2.joules_per_inference == pytest.approx((3 * 23.6 + 2.5 * 81 + 17.5 * 52) * PJ)
    assert said and said[0].startswith("ASSUMPTION")


def test_routing_energy_on_loihi_by_hand():
    # a (1 neuron) -> b (2048 neurons = 2 cores). a on core 0, b on cores 1, 2: all in tile 0
    # (4 cores per tile): 2 within-tile messages per spike of a, 1.7 pJ each.
    net = network_from_dict({"schema_version": 1, "name": "r", "populations": [
        {"name": "inp", "size": 1, "encoder": {"kind": "bernoulli", "max_rate_hz": 100, "presentation_ms": 2}},
        {"name": "a", "size": 1, "neuron": {"kind": "lif", "tau_m_ms": 10, "v_th": 1}},
        {"name": "b", "size": 2048, "neuron": {"kind": "lif", "tau_m_ms": 10, "v_th": 1}}],
        "connections": [{"source": "a", "target": "b", "kind": "dense", "init": {"kind": "constant", "value": 1}}]})
    loihi = load_profile("loihi")
    m = map_network(net, loihi)
    result = RunResult({"a": np.array([[3]]), "b": np.zeros((1, 2048), int)}, np.zeros((1, 1)), None, "inp")
    c = count_events(result, compile_params(net, "fixed"), mapping=m, profile=loihi)
    assert c.routing["a"]["messages_within_tile"] == 6
    assert estimate(c, loihi, net, mapping=m).breakdown["routing"] == pytest.approx(6 * 1.7 * PJ)


def test_ann_macs_count_the_topology():
    net = network_from_dict({"schema_version": 1, "name": "t", "populations": [
        {"name": "inp", "size": 5, "encoder": {"kind": "bernoulli", "max_rate_hz": 100, "presentation_ms": 2}},
        {"name": "e", "size": 4, "neuron": {"kind": "lif", "tau_m_ms": 10, "v_th": 1}},
        {"name": "i", "size": 4, "neuron": {"kind": "lif", "tau_m_ms": 10, "v_th": 1}}],
        "connections": [
            {"source": "inp", "target": "e", "kind": "dense", "init": {"kind": "constant", "value": 1}},
            {"source": "e", "target": "i", "kind": "one_to_one", "weight": 1},
            {"source": "i", "target": "e", "kind": "all_to_all_except_self", "weight": 1, "sign": "inhibitory"},
            {"name": "sp", "source": "inp", "target": "i", "kind": "sparse", "pre": [0, 1], "post": [0, 0], "weights": [1, 1]}]})
    assert ann_macs(net) == 5 * 4 + 4 + 4 * 3 + 2


def twin(prune: bool):
    """8 inputs -> 4 neurons; the pruned twin zeroes the right half of every row of S1."""
    w = np.full((4, 8), 0.8)
    if prune:
        w[:, 4:] = 0.0
    return network_from_dict({"schema_version": 1, "name": "twin", "dt_ms": 1.0, "populations": [
        {"name": "inp", "size": 8, "encoder": {"kind": "bernoulli", "max_rate_hz": 300, "presentation_ms": 30, "rest_ms": 5}},
        {"name": "exc", "size": 4, "neuron": {"kind": "lif", "tau_m_ms": 10, "tau_syn_ms": 1, "v_th": 2}}],
        "connections": [{"name": "S1", "source": "inp", "target": "exc", "kind": "dense", "weights": w.tolist()}]})


def test_pruned_network_fires_fewer_synaptic_events_than_its_twin_on_lava():
    samples = Samples(np.random.default_rng(3).uniform(0.4, 1, (2, 8)).astype(np.float32), np.zeros(2, int), "random")
    loihi = load_profile("loihi")
    out = {}
    for prune in (False, True):
        net = twin(prune)
        params = compile_params(net, "fixed")
        result = simulate(net, samples, precision="fixed", seed=0, rasters=True, progress=False)
        c = count_events(result, params, input_raster=encode_rate(net, samples.flat, 0))
        out[prune] = (c, estimate(c, loihi, net), result)
    (full, e_full, r_full), (pruned, e_pruned, r_pruned) = out[False], out[True]
    assert np.array_equal(r_full.input_counts, r_pruned.input_counts)  # the same input spikes
    n_in = r_full.input_counts.sum(axis=1).mean()
    assert full.synaptic_events["S1"] == pytest.approx(4 * n_in)
    kept = r_full.input_counts[:, :4].sum(axis=1).mean()  # spikes of the inputs whose synapses remain
    assert pruned.synaptic_events["S1"] == pytest.approx(4 * kept)
    assert pruned.synaptic_events["S1"] < full.synaptic_events["S1"]
    assert e_pruned.breakdown["synaptic_events"] < e_full.breakdown["synaptic_events"]
    assert e_full.ann_macs == e_pruned.ann_macs == 32
    # rasters give the exact active count, never above the bound
    assert full.activity_exact and full.neuron_updates_active["exc"] <= full.synaptic_events["S1"] + full.spikes["exc"]


def small_digits_net(tmp_path):
    spec = {"schema_version": 1, "name": "tiny_digits", "populations": [
        {"name": "input", "size": 64, "shape": [8, 8],
         "encoder": {"kind": "poisson", "max_rate_hz": 100, "presentation_ms": 20, "rest_ms": 5}},
        {"name": "exc", "size": 6, "neuron": {"kind": "lif", "tau_m_ms": 20, "tau_syn_ms": 1, "v_th": 3}},
        {"name": "inh", "size": 6, "neuron": {"kind": "lif", "tau_m_ms": 5, "v_th": 1}}],
        "connections": [
            {"name": "S1", "source": "input", "target": "exc", "kind": "dense", "init": {"kind": "uniform", "high": 1.0}},
            {"name": "S2", "source": "exc", "target": "inh", "kind": "one_to_one", "weight": 2},
            {"name": "S3", "source": "inh", "target": "exc", "kind": "all_to_all_except_self", "sign": "inhibitory", "weight": 3}]}
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_cli_energy_json_keys_one_profile_and_all(tmp_path):
    net = small_digits_net(tmp_path)
    out = run_cli("energy", net, "--profile", "loihi", "--data", "digits", "--samples", "2", "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert {"joules_per_inference", "breakdown", "counts", "ann_equivalent_joules", "by_population"} <= d.keys()
    assert {"spikes", "synaptic_events", "neuron_updates", "learning_updates", "model_time_s"} <= d["counts"].keys()
    assert set(d["counts"]["spikes"]) == {"input", "exc", "inh"} and d["samples"] == 2
    assert d["joules_per_inference"] == pytest.approx(sum(d["breakdown"].values()))
    assert d["ann_equivalent_joules"] == pytest.approx((64 * 6 + 6 + 30) * 4.6e-12)
    png = tmp_path / "e.png"
    out = run_cli("energy", net, "--profile", "all", "--data", "digits", "--samples", "2", "--json", "--plot", png)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert {"loihi", "loihi2", "truenorth", "spinnaker", "spinnaker2", "ann-45nm", "survey"} <= set(d["profiles"])
    assert d["profiles"]["loihi2"]["joules_per_inference"] is None
    assert d["profiles"]["truenorth"]["mapping"]["fits"] is False  # 8-bit weights; energy is still given
    assert d["profiles"]["truenorth"]["joules_per_inference"] > 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args, says", [
    (["--profile", "loihi3"], "unknown hardware profile 'loihi3'"),
    (["--profile", "loihi", "--samples", "0"], "argument --samples: must be an integer >= 1"),
    (["--profile", "loihi", "--assume", "magic"], "--assume 'magic'"),
    (["--profile", "loihi", "--data", "cifar"], "data spec 'cifar' not understood"),
])
def test_cli_energy_bad_input_is_one_line_and_exit_2(tmp_path, args, says):
    net = small_digits_net(tmp_path)
    base = ["--data", "digits"] if "--data" not in args else []
    out = run_cli("energy", net, *base, *args)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and says in out.stderr, out.stderr
