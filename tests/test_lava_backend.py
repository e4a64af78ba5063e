"""The Lava backend on the real Lava runtime: small networks in both precisions, the 3.11
import fix, the watchdog."""
import time

import numpy as np
import pytest

from conftest import tiny_network
from neurokit.backends import check_backend
from neurokit.backends.lava.watchdog import run_isolated
from neurokit.data import Samples
from neurokit.errors import BackendUnavailable, RunError
from neurokit.ir import network_from_dict
from neurokit.runner import simulate


@pytest.fixture
def fixtures_on_path(monkeypatch):
    import os
    from pathlib import Path

    here = str(Path(__file__).parent)
    monkeypatch.setenv("PYTHONPATH", here + os.pathsep + os.environ.get("PYTHONPATH", ""))


def test_lava_imports_on_311_through_neurokit_and_runs_a_fixed_point_lif(fixtures_on_path):
    # v grows by the bias (100) each step and fires when v > vth << 6 = 640: every 7th step.
    spikes = run_isolated("lava_fixtures.failing:run_stock_lif", {"vth": 10, "bias": 100, "steps": 70})
    assert np.flatnonzero(spikes).tolist() == list(range(6, 70, 7))


def relay_network(tau_syn_ms=0.0):
    """Each input drives its own neuron with a weight above threshold: one spike out per spike in."""
    return network_from_dict({"schema_version": 1,
        "name": "relay",
        "populations": [
            {"name": "inp", "size": 5, "encoder": {"kind": "bernoulli", "max_rate_hz": 300, "presentation_ms": 60, "rest_ms": 5}},
            {"name": "out", "size": 5, "neuron": {"kind": "lif", "tau_m_ms": 1, "tau_syn_ms": tau_syn_ms, "v_th": 1}},
        ],
        "connections": [{"source": "inp", "target": "out", "kind": "one_to_one", "weight": 3}],
    })


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_relay_fires_once_per_input_spike(precision):
    rng = np.random.default_rng(0)
    samples = Samples(rng.uniform(0.2, 1, (3, 5)).astype(np.float32), np.zeros(3, int), "random")
    result = simulate(relay_network(), samples, precision=precision, seed=1, rasters=True, progress=False)
    assert np.array_equal(result.counts["out"], result.input_counts)
    r = result.rasters["out"]
    assert r.shape == (3, 5, 65)
    assert not r[:, :, 0].any()  # Dense delays a spike by one step


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_tiny_network_runs_and_inhibition_follows_excitation(precision):
    net = network_from_dict(tiny_network())
    rng = np.random.default_rng(2)
    samples = Samples(rng.uniform(0.3, 1, (2, 8)).astype(np.float32), np.zeros(2, int), "random")
    result = simulate(net, samples, precision=precision, seed=0, rasters=True, progress=False)
    assert set(result.counts) == {"exc", "inh"}
    assert result.spike_counts["exc"] > 0
    # S2 is one-to-one and strong: inh neuron i fires one step after exc neuron i
    exc, inh = result.rasters["exc"], result.rasters["inh"]
    assert np.array_equal(exc[:, :, :-1], inh[:, :, 1:]) and not inh[:, :, 0].any()
    assert len(result.per_sample) == 2 and sum(r["exc"] for r in result.per_sample) == result.spike_counts["exc"]


@pytest.mark.parametrize("mode", ["raise", "hang"])
def test_watchdog_turns_a_failing_model_into_an_error(fixtures_on_path, mode):
    t0 = time.monotonic()
    with pytest.raises(RunError) as info:
        run_isolated("lava_fixtures.failing:run_faulty", mode, stall_timeout_s=8, startup_timeout_s=60)
    elapsed = time.monotonic() - t0
    if mode == "raise":
        assert "deliberate failure in a process model" in str(info.value)
    else:
        assert "made no progress for 8 s" in str(info.value)
    assert elapsed < 60


def test_worker_errors_come_back_as_run_errors():
    with pytest.raises(RunError, match="ModuleNotFoundError"):
        run_isolated("no_such_module:fn", None)


def test_loihi2_backend_says_what_is_missing():
    with pytest.raises(BackendUnavailable, match="Lava-Loihi extension .* not installed"):
        check_backend("loihi2")
