"""Learning rules as Lava microcode: exact pre/post spike pairs through the real Lava runtime,
checked in sign and size against the float reference, in both precisions."""
import numpy as np
import pytest

from neurokit.errors import QuantizationError
from neurokit.ir import LearningRule, network_from_dict
from neurokit.learning import class_groups, microcode, pair_delta_w, split_amplitude
from neurokit.quant import compile_params
from neurokit.runner import execute

RULE = {"a_pre": 0.05, "a_post": -0.04, "tau_pre_ms": 10, "tau_post_ms": 8, "w_max": 1.0}
STEPS = 40


def pair_network(kind: str, **rule):
    """Input 0 is the plastic synapse's pre neuron; input 1 drives the post neuron to fire."""
    return network_from_dict({"schema_version": 1, "name": "pair", "populations": [
        {"name": "inp", "size": 2, "encoder": {"kind": "bernoulli", "max_rate_hz": 10, "presentation_ms": STEPS}},
        {"name": "post", "size": 1, "neuron": {"kind": "lif", "tau_m_ms": 1, "v_th": 1}}],
        "connections": [
            {"name": "plastic", "source": "inp", "target": "post", "kind": "dense", "weights": [[0.5, 0.0]],
             "learning": {"kind": kind, **RULE, **rule}},
            {"name": "drive", "source": "inp", "target": "post", "kind": "dense", "weights": [[0.0, 5.0]]}]})


def run_pairs(kind: str, precision: str, dts: list[int], gate_on: bool = True, **rule):
    """One sample per Δt: pre spike at step 15, post spike at 15 + Δt. Returns Δw (IR units)."""
    net = pair_network(kind, **rule)
    params = compile_params(net, precision)
    x = np.zeros((len(dts), 2, STEPS), bool)
    for i, dt in enumerate(dts):
        x[i, 0, 15] = True
        x[i, 1, 15 + dt - 1] = True  # the drive reaches the post neuron one step later
    gates = None
    if kind == "stdp_all_ltd":
        code = microcode(net.connections[0].learning, precision, params.neurons["post"].scale, 1.0)
        gates = {"plastic": np.full((len(dts), 1), code.gate_on if gate_on else code.gate_off)}
    deltas = []
    for i in range(len(dts)):  # one run per pair, so that each starts from the same weight
        g = None if gates is None else {"plastic": gates["plastic"][i:i + 1]}
        r = execute(params, x[i:i + 1], learn=True, gates=g, progress=False, rasters=True)
        assert np.flatnonzero(r.rasters["post"][0, 0]).tolist() == [15 + dts[i]]
        w0 = params.connections[0].weights[0, 0]
        deltas.append((r.weights["plastic"][0, 0] - w0) / params.neurons["post"].scale)
    return net.connections[0].learning, np.array(deltas)


DTS = [3, 8, -4]
LSB = 1 / 255  # one fixed-point weight step when w_max = 1


@pytest.mark.parametrize("precision", ["fixed", "float"])
@pytest.mark.parametrize("kind,gate_on,potentiates", [
    ("stdp", True, True), ("all_ltd", True, False), ("stdp_all_ltd", True, True), ("stdp_all_ltd", False, False),
])
def test_pairs_match_the_reference(kind, gate_on, potentiates, precision):
    rule, dw = run_pairs(kind, precision, DTS, gate_on)
    # the amplitudes the microcode realises (integer impulses: within 2 % of the requested ones)
    scale = 255 / rule.w_max
    realised = rule.model_copy(update={"a_pre": split_amplitude(rule.a_pre * scale, "a").value / scale,
                                       "a_post": -split_amplitude(-rule.a_post * scale, "a").value / scale})
    assert realised.a_pre == pytest.approx(rule.a_pre, rel=0.02)
    assert realised.a_post == pytest.approx(rule.a_post, rel=0.02)
    expected = np.array([pair_delta_w(realised, dt, potentiate=gate_on) for dt in DTS])
    assert (dw[0] > 0) == potentiates and (dw[1] > 0) == potentiates  # pre before post
    assert dw[2] < 0                                                     # post before pre: depression
    if precision == "float":
        assert dw == pytest.approx(expected, rel=1e-6)
    else:
        assert np.all(np.abs(dw - expected) <= 1.01 * LSB)  # stochastic rounding to 8 bits


@pytest.mark.parametrize("precision", ["fixed", "float"])
@pytest.mark.parametrize("scale", [0.0, 0.25])
def test_ltd_scale_scales_the_other_groups_all_ltd_only(scale, precision):
    """ltd_scale s: a neuron outside the labelled group depresses pre-before-post pairs by s times
    the full all-LTD; the labelled group's STDP and the post-before-pre depression are unchanged."""
    _, full = run_pairs("stdp_all_ltd", precision, DTS, gate_on=False)
    _, scaled = run_pairs("stdp_all_ltd", precision, DTS, gate_on=False, ltd_scale=scale)
    _, labelled = run_pairs("stdp_all_ltd", precision, DTS, gate_on=True, ltd_scale=scale)
    _, stdp = run_pairs("stdp_all_ltd", precision, DTS, gate_on=True)
    tol = 1e-9 if precision == "float" else 1.01 * LSB
    assert np.all(np.abs(scaled[:2] - scale * full[:2]) <= tol) and np.all(full[:2] < -2 * LSB)
    assert np.abs(scaled[2] - full[2]) <= tol and np.all(np.abs(labelled - stdp) <= tol)


def test_ltd_scale_is_refused_where_it_cannot_be_held():
    with pytest.raises(QuantizationError, match="ltd_scale: 0.3 is not a multiple of 1/8"):
        microcode(LearningRule(kind="stdp_all_ltd", ltd_scale=0.3, **RULE), "fixed", 255, 1.0, "connections[S1].learning")
    assert microcode(LearningRule(kind="stdp_all_ltd", ltd_scale=0.3, **RULE), "float", 255, 1.0).gate_off == pytest.approx(0.7)
    with pytest.raises(ValueError, match="ltd_scale needs kind stdp_all_ltd"):
        LearningRule(kind="stdp", ltd_scale=0.5, **RULE)
    with pytest.raises(ValueError, match="cannot go with w_decay_labelled_only"):
        LearningRule(kind="stdp_all_ltd", ltd_scale=0.5, w_decay=2**-6, w_decay_labelled_only=True, **RULE)


def test_amplitudes_split_into_a_literal_and_an_impulse():
    s = split_amplitude(10.2, "a")
    assert s.value == pytest.approx(10.2, rel=0.02) and s.impulse.is_integer() and 1 <= s.mantissa <= 7
    assert 1 <= s.impulse <= 64
    with pytest.raises(QuantizationError, match="outside what the learning engine can express"):
        split_amplitude(1e-4, "connections[S1].learning.a_pre")


def test_microcode_strings_differ_by_precision_for_the_gated_rule():
    rule = LearningRule(kind="stdp_all_ltd", **RULE)
    fixed, flt = microcode(rule, "fixed", 255, 1.0), microcode(rule, "float", 255, 1.0)
    assert "(y2 - 8)" in fixed.dw and "(y2 - 1)" in flt.dw
    assert (fixed.gate_on, fixed.gate_off, flt.gate_on) == (16, 0, 2)
    with pytest.raises(QuantizationError, match="w_min must be 0"):
        microcode(LearningRule(kind="stdp", **{**RULE, "w_min": 0.1}), "fixed", 255, 1.0)


def test_class_groups_split_evenly_or_refuse():
    assert [list(g) for g in class_groups(6, 3)] == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(QuantizationError, match="cannot be split into 4 equal class groups"):
        class_groups(30, 4)


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_adaptive_threshold_rises_by_theta_plus_per_spike(precision):
    net = network_from_dict({"schema_version": 1, "name": "theta", "populations": [
        {"name": "inp", "size": 1, "encoder": {"kind": "bernoulli", "max_rate_hz": 1000, "presentation_ms": 30, "rest_ms": 5}},
        {"name": "n", "size": 1, "neuron": {"kind": "adaptive_lif", "tau_m_ms": 2, "v_th": 1, "theta_plus": 0.25,
                                            "refractory_ms": 2}}],
        "connections": [{"source": "inp", "target": "n", "kind": "one_to_one", "weight": 3}]})
    params = compile_params(net, precision)
    x = np.ones((2, 1, 35), bool)
    x[:, :, 30:] = False
    r = execute(params, x, progress=False)
    spikes = int(r.counts["n"].sum())
    assert 0 < spikes < 60  # refractory and θ hold it below one spike per step
    # θ (in v units: << 6 in fixed point) holds θ₊ per spike, across samples
    theta = r.theta["n"][0] / (64 if precision == "fixed" else 1)
    assert theta == pytest.approx(params.neurons["n"].theta_plus * spikes)
    assert params.neurons["n"].theta_plus / params.neurons["n"].scale == pytest.approx(0.25, abs=0.5 / 85)
