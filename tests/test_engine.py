"""The engine's pieces against the things they copy (NumPy's summation order, Lava's weight
clipping), its state across calls, its errors, and that choosing it never imports Lava.
Spike-for-spike agreement with Lava itself is tests/test_conformance.py."""
import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import EXAMPLES, run_cli, tiny_network
from neurokit.backends.engine import Engine, float_point
from neurokit.backends.engine.layout import lava_dense_weights
from neurokit.data import encode_rate
from neurokit.errors import DataError
from neurokit.ir import network_from_dict
from neurokit.quant import compile_params


@pytest.mark.parametrize("rows", [1, 2, 3, 30])
def test_float_dense_sums_in_numpys_order(rows):
    """Lava's float Dense computes weights[:, s].sum(axis=1); the engine must get the same bits."""
    rng = np.random.default_rng(rows)
    for trial in range(200):
        n_src = int(rng.integers(1, 800))
        W = rng.uniform(-1, 1, (rows, n_src)) * 10.0 ** rng.integers(-3, 4)
        s = rng.random(n_src) < rng.uniform(0, 1)
        active = np.flatnonzero(s)
        out = np.empty(rows)
        float_point.dense_output(out, np.ascontiguousarray(W.T).ravel(), 0, rows, active, len(active), 0)
        assert np.array_equal(out, W[:, s].sum(axis=1)), (rows, n_src, len(active))


def test_pairwise_sum_differs_from_a_plain_loop_so_the_order_matters():
    a = np.random.default_rng(0).uniform(0, 1, 1000) * 1e3
    plain = 0.0
    for x in a:
        plain += x
    assert float_point.pairwise_sum(a, 0, len(a)) == a.sum() != plain


@pytest.mark.parametrize("excitatory", [True, False])
@pytest.mark.parametrize("bits", [8, 6, 3])
def test_dense_weights_are_lavas_clip_and_truncate(excitatory, bits):
    from lava.utils.weightutils import SignMode, clip_weights, truncate_weights

    w = np.random.default_rng(bits).integers(-300, 300, (7, 9)).astype(np.int32)
    mode = SignMode.EXCITATORY if excitatory else SignMode.INHIBITORY
    lava = truncate_weights(clip_weights(w, mode, num_bits=8), mode, bits)
    assert np.array_equal(lava_dense_weights(w, excitatory, bits), lava)


def _tiny(rest_ms=10.0):
    spec = tiny_network()
    spec["populations"][0]["encoder"]["rest_ms"] = rest_ms
    return network_from_dict(spec)


@pytest.mark.parametrize("precision", ["fixed", "float"])
def test_one_engine_run_equals_two_consecutive_runs(precision):
    """State (θ, the Dense buffers) carries across calls like one long Lava run."""
    net = _tiny(rest_ms=0.0)
    x = encode_rate(net, np.random.default_rng(1).uniform(0.3, 1, (9, 8)), seed=4)
    params = compile_params(net, precision)
    whole = Engine(params).run(x, rasters=True)
    eng = Engine(params)
    first, second = eng.run(x[:4], rasters=True), eng.run(x[4:], rasters=True)
    for pop in whole["rasters"]:
        joined = np.concatenate([first["rasters"][pop], second["rasters"][pop]])
        assert np.array_equal(joined, whole["rasters"][pop])
        assert np.array_equal(second["theta"][pop], whole["theta"][pop])
    assert whole["theta"]["exc"].max() > 0


def test_chunks_and_parallel_blocks_change_nothing():
    """A non-adaptive network with spikes at the samples' last steps runs in parallel blocks
    that guess the carry; small chunks force many guesses to be checked and fixed."""
    spec = tiny_network()
    spec["populations"][1]["neuron"] = {"kind": "lif", "tau_m_ms": 20, "v_th": 2, "bias": 0.3}
    spec["populations"][0]["encoder"]["rest_ms"] = 0
    net = network_from_dict(spec)
    x = encode_rate(net, np.random.default_rng(2).uniform(0.3, 1, (24, 8)), seed=5)
    params = compile_params(net, "fixed")
    eng = Engine(params)
    assert not eng.layout.adaptive
    big = eng.run(x, rasters=True)
    small = Engine(params).run(x, rasters=True, chunk=5)
    in_order = Engine(params)
    rows = [in_order.run(x[i:i + 1], rasters=True)["rasters"]["exc"] for i in range(len(x))]
    assert big["rasters"]["exc"][:-1, :, -1].any(), "no spike crosses a sample boundary: the guess is never wrong"
    assert np.array_equal(big["rasters"]["exc"], np.concatenate(rows))
    for pop in big["rasters"]:
        assert np.array_equal(big["rasters"][pop], small["rasters"][pop])


def test_wrong_inputs_give_a_clear_error():
    params = compile_params(_tiny(), "fixed")
    with pytest.raises(DataError, match=r"bool \[samples, 8, 50\]"):
        Engine(params).run(np.zeros((2, 7, 50), bool))


def test_choosing_the_engine_never_imports_lava():
    code = (
        "import sys, numpy as np\n"
        "sys.path.insert(0, 'tests')\n"
        "from conftest import tiny_network\n"
        "from neurokit.data import Samples\n"
        "from neurokit.ir import network_from_dict\n"
        "from neurokit.runner import simulate\n"
        "net = network_from_dict(tiny_network())\n"
        "s = Samples(np.full((2, 8), 0.8, np.float32), np.zeros(2, int), 'x')\n"
        "r = simulate(net, s, backend='engine', progress=False)\n"
        "assert r.spike_counts['exc'] > 0\n"
        "print(sorted(m for m in sys.modules if m == 'lava' or m.startswith('lava.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_cli_runs_the_engine():
    proc = run_cli("run", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--samples", "3",
                   "--backend", "engine", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["backend"] == "engine" and out["spike_counts"]["exc"] > 0


@pytest.mark.parametrize("kind,pruning,gates", [
    ("stdp_all_ltd", None, (0, 0)),          # x0·y1 and y0·x1·(y2 − g): y1 gates columns, x1 rows
    ("stdp_all_ltd", 7500.0, (-1, 0)),       # the timer's x0·t has no post trace: columns not gated
    ("stdp", None, (0, 0)),
])
def test_learning_skips_only_synapses_whose_products_are_zero(kind, pruning, gates):
    """rulegen.zero_gate finds the trace that zeroes every x0 (y0) product; the engine then skips
    those synapses. The conformance suite checks the learned weights against Lava; here, that the
    gate is found where it exists and refused where a product lacks it."""
    from neurokit.backends.engine.plastic import SIGN_MODES, tables_from_rule
    from neurokit.backends.engine.rulegen import compile_rule
    from neurokit.backends.lava.compat import install
    from neurokit.ir.learning import LearningRule, Pruning
    from neurokit.learning import microcode

    install()
    rule = LearningRule(kind=kind, a_pre=0.01, a_post=-0.01, tau_pre_ms=20, tau_post_ms=20, w_max=0.25)
    code = microcode(rule, "fixed", 1020.0, 1.0, pruning=Pruning(tau_prun_ms=pruning) if pruning else None)
    rule = compile_rule(tables_from_rule(code.lava_rule(0)), True, SIGN_MODES["excitatory"])
    assert (rule.x_gate, rule.y_gate) == gates


GATE_RULES = [  # products of every dependency, several targets, constants, sgn and u factors
    dict(dw="4 * 2^-4 * y0 * x1 * (y2 - 8) - 4 * 2^-4 * x0 * y1 - 5 * 2^-7 * u2 * w * t", dt="2 * u2 - x0 * t"),
    dict(dw="3 * x0 * y1 * w - 2 * y0 * x2 * x1 + 2^-3 * u1 * y1", dd="x0 * y2 * y1 - y0 * x1 * sgn(w)"),
    dict(dw="-x0 * y1 * (w - 3) + y0 * x1 * y3", dt="x0 * y3 * y1 - 5 * y0 * x1 * x2"),
]


@pytest.mark.parametrize("fixed", [True, False])
@pytest.mark.parametrize("t_epoch", [1, 3])
def test_skipping_zero_products_changes_no_synapse(fixed, t_epoch):
    """learn_epoch with the rule's zero gates equals learn_epoch with no gates (−1, −1), bit for
    bit and sign of zero included, on random states of several rules and both sign modes."""
    from neurokit.backends.engine.plastic import SIGN_MODES, learn_epoch, tables_from_rule
    from neurokit.backends.engine.rulegen import compile_rule
    from neurokit.backends.lava.compat import install

    install()
    from lava.magma.core.learning.learning_rule import Loihi2FLearningRule

    rng = np.random.default_rng(t_epoch)
    n_pre, n_post, E = 13, 11, t_epoch

    def values(shape, lo, hi):
        a = rng.integers(lo, hi, shape).astype(float)
        return a if fixed else a * 0.37

    for spec in GATE_RULES:
        rule = Loihi2FLearningRule(x1_impulse=40, x1_tau=4, x2_impulse=30, x2_tau=6, y1_impulse=40, y1_tau=5,
                                   y2_impulse=20, y2_tau=3, y3_impulse=10, y3_tau=8, t_epoch=E, rng_seed=0, **spec)
        tb = tables_from_rule(rule)
        for sign in ("excitatory", "mixed"):
            rule = compile_rule(tb, fixed, SIGN_MODES[sign])
            updates, x_gate, y_gate = (rule.update_all, rule.update_x, rule.update_y), rule.x_gate, rule.y_gate
            assert max(x_gate, y_gate) >= 0  # the rule has a gate to exercise
            for _ in range(20):
                w = values((n_pre, n_post), 0 if sign == "excitatory" else -50, 200)
                d, t = values((n_pre, n_post), 0, 30), values((n_pre, n_post), 0, 200)
                xh, yh = np.zeros((E + 1, 2, n_pre)), np.zeros((E + 1, 3, n_post))
                xh[E] = values((2, n_pre), 0, 100) * (rng.random((2, n_pre)) < 0.5)   # half the traces 0
                yh[E] = values((3, n_post), 0, 100) * (rng.random((3, n_post)) < 0.5)
                x0, y0 = rng.random(n_pre) < 0.4, rng.random(n_post) < 0.4
                tx = np.where(x0, rng.integers(1, E + 1, n_pre), 0)
                ty = np.where(y0, rng.integers(1, E + 1, n_post), 0)
                x_act, y_act = np.flatnonzero(x0), np.flatnonzero(y0)
                step, randoms = int(rng.integers(1, 20)) * E, rng.random(5)
                results = []
                for gates in ((x_gate, y_gate), (-1, -1)):
                    state = [a.copy() for a in (w, d, t, xh, tx, yh, ty, x0, y0)]
                    learn_epoch(step, *state, x_act, len(x_act), y_act, len(y_act), np.empty(n_post, np.int64), tb,
                                *updates, *gates,
                                *randoms, fixed)
                    results.append(state[:3])
                for gated, full in zip(*results):
                    np.testing.assert_array_equal(gated, full)
                    np.testing.assert_array_equal(np.signbit(gated), np.signbit(full))
