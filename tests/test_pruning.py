"""The pruning timer: its design (neurokit.learning.pruning) and real Lava runs of the probe
network (one silent neuron, each input on its own plastic synapse), against the prediction."""
import math

import numpy as np
import pytest

from neurokit.errors import QuantizationError
from neurokit.experiments.timer_probe import probe_network, run_probe, spike_raster
from neurokit.ir.learning import LearningRule, Pruning
from neurokit.learning import microcode
from neurokit.learning.pruning import (
    TAU_TOLERANCE, design, exact_factor, reachable_taus, realised_factors, timer_trajectory,
)

RULE = LearningRule(kind="stdp", a_pre=0.05, a_post=-0.05, tau_pre_ms=10, tau_post_ms=10, w_max=1.0)
LAVA_ROUNDING_SEED = 2  # lava ConnVarRandom's default seed: one uniform number per learning epoch


def test_published_tau_in_fixed_point_is_realised_within_tolerance():
    code = design(Pruning(tau_prun_ms=7500, k_p=1), "fixed", 1.0, 1)
    assert code.dt == "2 * u7 - x0 * t" and code.dw_term == "- 5 * 2^-7 * u7 * w * t"
    assert code.tau_eff_ms == pytest.approx(128 * math.sqrt(2**14 / 5))  # M · sqrt(k_p / c)
    assert abs(code.tau_eff_ms / 7500 - 1) < TAU_TOLERANCE


def test_unreachable_tau_is_rejected_with_the_nearest_values():
    with pytest.raises(QuantizationError, match=r"7500 ms cannot be realised.*float.*nearest reachable: 5793"):
        design(Pruning(tau_prun_ms=7500, k_p=1), "float", 1.0, 1)
    with pytest.raises(QuantizationError, match="connections\\[S1\\].pruning.tau_prun_ms"):
        microcode(RULE, "float", 255, 1.0, "connections[S1].learning", pruning=Pruning(tau_prun_ms=300))


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_every_reachable_tau_designs_to_itself(precision):
    taus = reachable_taus(1.0, precision)
    assert taus == sorted(taus) and len(taus) >= 10
    for tau in taus:
        assert design(Pruning(tau_prun_ms=tau, k_p=1), precision, 1.0, 1).tau_eff_ms == pytest.approx(tau)


def test_realised_curve_stays_near_the_gaussian_and_k_p_zero_is_off():
    code = design(Pruning(tau_prun_ms=7500, k_p=1), "fixed", 1.0, 1)
    n = np.arange(1, 300)  # at the n-th macro-epoch boundary, n − ½ macro-epochs after the spike on average
    dev = np.abs(realised_factors(code.c, 299, "fixed")[1:]
                 - exact_factor((n - 0.5) * code.macro_steps, code.tau_eff_ms, 1))
    assert dev.max() < 0.01
    assert design(Pruning(tau_prun_ms=7500, k_p=0), "fixed", 1.0, 1) is None


def test_without_pruning_the_rule_strings_are_unchanged():
    plain = microcode(RULE, "fixed", 255, 1.0)
    timed = microcode(RULE, "fixed", 255, 1.0, pruning=Pruning(tau_prun_ms=7500))
    assert plain.dt is None and plain.pruning is None and "u" not in plain.dw
    assert timed.dw == plain.dw + " - 5 * 2^-7 * u7 * w * t" and timed.dt == "2 * u7 - x0 * t"


# -- real Lava runs -------------------------------------------------------------------------
T = 700
SPIKES = {1: [66], 2: [98], 3: [130, 322], 4: [402], 5: list(range(5, T, 3)), 6: [642]}  # 0: silent
N = 7


def _run(precision, tau, pruning=True):
    net = probe_network(N, [0.8] * N, tau, steps=T, pruning=pruning)
    w, scale = run_probe(net, precision, spike_raster(N, T, SPIKES))
    code = microcode(net.connections[0].learning, precision, scale, net.dt_ms,
                     pruning=net.connections[0].pruning).pruning
    return w, 0.8 * scale, code


def test_float_lava_follows_the_realised_curve_exactly():
    w, w0, code = _run("float", 362)
    pred = np.array([timer_trajectory(code, w0, SPIKES.get(i, []), T)[-1] for i in range(N)])
    np.testing.assert_allclose(w, pred, rtol=1e-9, atol=1e-9)
    # the silent synapse has decayed for 700 steps, ≈ exp(−(700/362)²) of w0
    assert w[0] / w0 == pytest.approx(float(exact_factor(T, code.tau_eff_ms, 1)), abs=0.03)


def test_fixed_lava_is_bit_exact_with_the_replayed_microcode_and_near_its_mean():
    w, w0, code = _run("fixed", 300)
    randoms = np.random.default_rng(LAVA_ROUNDING_SEED).random(T + 1)[1:]
    replay = [timer_trajectory(code, round(w0), SPIKES.get(i, []), T, randoms=randoms)[-1] for i in range(N)]
    assert w.tolist() == replay
    mean = np.array([timer_trajectory(code, w0, SPIKES.get(i, []), T)[-1] for i in range(N)])
    assert np.all(np.abs(w - mean) <= 3)  # stochastic rounding: a few LSB around the mean curve


@pytest.mark.parametrize("precision,tau", [("fixed", 300), ("float", 362)])
def test_a_pre_spike_restarts_the_timer(precision, tau):
    w, w0, code = _run(precision, tau)
    # input 6 fired at step 642: it decayed for 642 steps, then restarted and lost little since
    first = timer_trajectory(code, w0, [], 642)[-1]
    assert w[6] == pytest.approx(first * float(realised_factors(code.c, (T - 642) // code.macro_steps + 1,
                                                                  precision)[-1]), abs=2)
    assert w[4] > 3 * w[0] and w[3] > w[0]      # later last spike, larger weight
    # an input that fires in every macro-epoch (here every 3 steps) has t = 0 at every boundary
    assert w[5] == pytest.approx(round(w0) if precision == "fixed" else w0)


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_without_pruning_a_silent_synapse_keeps_its_weight(precision):
    w, w0, _ = _run(precision, 300, pruning=False)
    assert np.all(w == (round(w0) if precision == "fixed" else w0))


def test_docs_rejection_bands_hold():
    """docs/pruning.md: in fixed point every τ from 15 ms to 34.86 s is realised within 6 %, and
    34.86–35.70 s, 40.25–43.72 s and above 49.30 s are refused (the gaps of 15.5 % and 22.5 %)."""
    def realised(tau):
        try:
            design(Pruning(tau_prun_ms=tau, k_p=1), "fixed", 1.0, 1)
            return True
        except QuantizationError:
            return False

    taus = np.array(reachable_taus(1.0, "fixed"))
    gaps = taus[1:] / taus[:-1] - 1
    assert len(taus) == 96 and gaps[taus[1:] <= 32768].max() < 0.12
    assert np.round(gaps[taus[:-1] >= 32768], 3).tolist() == [0.155, 0.225]
    assert all(realised(t) for t in np.geomspace(15, 34850, 60))
    assert all(realised(t) for t in (35710, 40240, 43730, 49290))
    assert not any(realised(t) for t in (34870, 35690, 40260, 43710, 49310, 60000))
