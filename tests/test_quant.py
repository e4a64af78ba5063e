import math

import numpy as np
import pytest

from conftest import EXAMPLES, tiny_network
from neurokit.errors import QuantizationError
from neurokit.ir import load_network, network_from_dict
from neurokit.quant import compile_params
from neurokit.quant import fixed as fx


@pytest.mark.parametrize("tau", [1.0, 5.0, 20.0, 100.0, 1000.0])
def test_decay_round_trip_within_half_an_lsb(tau):
    delta = 1 - math.exp(-1 / tau)
    for offset in (fx.DU_OFFSET, fx.DV_OFFSET):
        d = fx.decay_to_fixed(delta, offset, "x")
        assert abs((d + offset) / 4096 - delta) <= 0.5 / 4096


def test_decay_out_of_range_names_value_and_range():
    with pytest.raises(QuantizationError, match=r"tau_theta_ms: decay 1e-07 per step .* allowed"):
        fx.decay_to_fixed(1e-7, 0, "tau_theta_ms")
    with pytest.raises(QuantizationError, match="register 4096, allowed 0..4095"):
        fx.decay_to_fixed(1.0, fx.DV_OFFSET, "tau_m_ms")


def test_weights_mantissa_and_exponent():
    assert fx.weight_exponent(255, "w") == 0
    assert fx.weight_exponent(256, "w") == 1
    assert fx.weight_exponent(4335, "w") == 5
    mant = fx.weight_mantissas(np.array([0.0, 100.4, 4335.0]), 5, "w")
    assert mant.tolist() == [0, 3, 135]
    with pytest.raises(QuantizationError, match="needs exponent 8, allowed -8..7"):
        fx.weight_exponent(255 * 2**7 + 200, "w")
    with pytest.raises(QuantizationError, match="mantissa 300 out of range 0..255"):
        fx.weight_mantissas(np.array([300.0]), 0, "w")


def test_threshold_and_bias_ranges():
    assert fx.threshold_to_fixed(131071.2, "v") == 131071
    with pytest.raises(QuantizationError, match=r"131072 .* allowed 1..131071"):
        fx.threshold_to_fixed(131072, "v")
    with pytest.raises(QuantizationError, match="rounds to 0"):
        fx.threshold_to_fixed(0.3, "v")
    mant, exp = fx.bias_to_fixed(10000.0, "b")
    assert (mant, exp) == (2500, 2) and mant << exp == 10000  # 13-bit signed mantissa: at most 4095
    with pytest.raises(QuantizationError, match="exceeds"):
        fx.bias_to_fixed(4095 * 2**7 + 1000, "b")


def test_reference_network_scales_plastic_w_max_to_255():
    net = load_network(EXAMPLES / "diehl_cook_3class.yaml")
    params = compile_params(net, "fixed")
    exc = params.neurons["exc"]
    assert exc.scale == pytest.approx(255 / 0.25)
    assert exc.vth == round(13 * 1020)
    s1, s3 = (c for c in params.connections if c.target == "exc")
    assert s1.weights.dtype == np.int32 and s1.weights.max() <= round(0.12 * 1020)
    assert s1.weight_exp == 0 and s1.plastic
    assert s3.sign == -1 and s3.weight_exp == 5 and (s3.weights.max() << 5) == pytest.approx(5 * 1020, rel=0.02)
    # float precision: the same units without rounding
    fl = compile_params(net, "float")
    assert fl.neurons["exc"].vth == pytest.approx(13 * 1020)
    assert np.allclose(fl.connections[0].weights, net.weight_matrices()["S1"] * 1020)


def test_tiny_theta_step_raises_instead_of_vanishing():
    spec = tiny_network()
    spec["populations"][1]["neuron"]["theta_plus"] = 1e-6
    with pytest.raises(QuantizationError, match="theta_plus: .* rounds to 0"):
        compile_params(network_from_dict(spec), "fixed")


def test_threshold_overflow_shrinks_scale_to_fit():
    spec = tiny_network()
    spec["connections"] = spec["connections"][:1]
    spec["connections"][0]["init"] = {"kind": "uniform", "high": 5e-3}  # 255/5e-3 * v_th 4 > 17 bits
    params = compile_params(network_from_dict(spec), "fixed")
    assert params.neurons["exc"].vth == fx.VTH_MAX


def test_weight_range_too_wide_for_one_population_raises():
    spec = tiny_network()
    spec["connections"][0]["init"] = {"kind": "uniform", "high": 1e-3}  # inhibition is 3000x larger
    with pytest.raises(QuantizationError, match=r"connections\[S3\]: weight .* needs exponent 9"):
        compile_params(network_from_dict(spec), "fixed")
