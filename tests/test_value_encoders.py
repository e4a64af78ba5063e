"""The regression seed's encoders for real values: periodic rate, time to first spike, Gaussian
population coding (ir/encoders.py)."""
import numpy as np
import pytest

from neurokit.data import Samples
from neurokit.data.encode import input_spikes
from neurokit.errors import SpecError
from neurokit.ir import network_from_dict
from neurokit.runner import simulate


def _net(encoder: dict, size: int = 1, **kw):
    return network_from_dict({
        "schema_version": 1, "name": "enc", "dt_ms": kw.get("dt_ms", 1.0),
        "populations": [{"name": "x", "kind": "input", "size": size, "encoder": encoder},
                        {"name": "h", "size": 3, "neuron": {"kind": "lif", "tau_m_ms": 10, "tau_syn_ms": 2, "v_th": 1}},
                        {"name": "y", "size": 1, "neuron": {"kind": "li", "tau_m_ms": 20}}],
        "connections": [{"source": "x", "target": "h", "kind": "dense", "sign": "mixed",
                         "weights": np.linspace(-0.5, 1.5, 3 * size).reshape(3, size).tolist()},
                        {"source": "h", "target": "y", "kind": "dense", "weights": [[0.5, 0.3, 0.2]]}]})


def test_periodic_rate_gives_round_x_f_t_spikes():
    """The seed's worked example: x = 0.7 at f_max = 100 Hz is 70 Hz, 9 spikes in 128 ms."""
    net = _net({"kind": "periodic", "max_rate_hz": 100, "presentation_ms": 128, "rest_ms": 5})
    x = np.array([[0.7], [0.0], [1.0], [0.25]])
    counts = input_spikes(net, x, 0, "fixed").sum(axis=2)[:, 0]
    assert counts.tolist() == [9, 0, 13, 3]  # round(x · 100 Hz · 0.128 s)
    gaps = np.diff(np.flatnonzero(input_spikes(net, x[:1], 0, "fixed")[0, 0]))
    assert set(gaps.tolist()) <= {14, 15}  # evenly spaced: 1 / 70 Hz = 14.3 ms


def test_time_to_first_spike_is_one_spike_at_t0_plus_1_minus_x_delta():
    net = _net({"kind": "ttfs", "t0_ms": 2, "delta_ms": 10, "presentation_ms": 20})
    s = input_spikes(net, np.array([[1.0], [0.7], [0.0]]), 0, "fixed")
    assert [np.flatnonzero(r[0]).tolist() for r in s] == [[2], [5], [12]]


def test_gaussian_population_peaks_at_the_nearest_centre():
    net = _net({"kind": "gaussian", "neurons_per_value": 5, "sigma": 0.15, "max_rate_hz": 200,
                "presentation_ms": 50}, size=10)
    counts = input_spikes(net, np.array([[0.3, 1.0]]), 0, "fixed").sum(axis=2)[0].reshape(2, 5)
    assert counts[0].argmax() == 1 and counts[1].argmax() == 4  # centres 0, .25, .5, .75, 1
    assert counts[0, 4] == 0 and counts[1, 4] == 10  # 200 Hz x 50 ms at the centre


def test_encoder_problems_are_named():
    with pytest.raises(SpecError, match=r"t0_ms \+ delta_ms = 25 ms must fall inside presentation_ms"):
        _net({"kind": "ttfs", "t0_ms": 5, "delta_ms": 20, "presentation_ms": 20})
    with pytest.raises(SpecError, match="not a multiple of encoder.neurons_per_value = 4"):
        _net({"kind": "gaussian", "neurons_per_value": 4, "sigma": 0.2, "max_rate_hz": 100,
              "presentation_ms": 20}, size=10)


@pytest.mark.parametrize("encoder", [
    {"kind": "periodic", "max_rate_hz": 300, "presentation_ms": 30, "rest_ms": 3},
    {"kind": "gaussian", "neurons_per_value": 3, "sigma": 0.2, "max_rate_hz": 300, "rate": "bernoulli",
     "presentation_ms": 30},
])
def test_engine_equals_lava_with_value_encoders(encoder):
    size = 2 * encoder.get("neurons_per_value", 1)
    net = _net(encoder, size=size)
    x = np.random.default_rng(1).uniform(0, 1, (4, 2))
    samples = Samples(x, np.zeros(4, np.int64), "values")
    runs = [simulate(net, samples, backend=b, precision="fixed", seed=3, rasters=True, progress=False)
            for b in ("lava", "engine")]
    assert runs[0].rasters["h"].sum() > 0
    for pop in runs[0].rasters:
        assert np.array_equal(runs[0].rasters[pop], runs[1].rasters[pop]), pop
