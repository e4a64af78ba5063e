"""Loihi 2 mapping: a dense 784-128-64-10 network lands on 3 + 1 + 1 cores, as Lava's own Loihi 2
partitioner placed lava-dl's MNIST tutorial network (its table lists the layers output first:
1 + 1 + 3). The per-core figures and the storage rule are in neurokit/hw_profiles/loihi2.yaml and
docs/mapping_loihi2.md; nothing here names the network."""
import json
import math

import numpy as np
import pytest

from conftest import run_cli
from neurokit.energy import load_profile
from neurokit.ir import save_network
from neurokit.ir.io import network_from_dict
from neurokit.mapping import map_network, synapses_of
from neurokit.quant import compile_params

SIZES = (784, 128, 64, 10)
NAMES = ("pixels", "hidden1", "hidden2", "output")


def mlp(weights=None, sign="mixed", seed=0):
    """An imported-style 784-128-64-10 dense network: integer weights in -128..127, weight_exp 0."""
    rng = np.random.default_rng(seed)
    pops = [{"name": NAMES[0], "kind": "input", "size": SIZES[0],
             "encoder": {"kind": "integrate_fire", "presentation_ms": 32}}]
    conns = []
    for i in range(1, len(SIZES)):
        pops.append({"name": NAMES[i], "kind": "neurons", "size": SIZES[i], "fixed_scale": 1.0,
                     "neuron": {"kind": "lif", "current_decay": 0.1, "voltage_decay": 0.1, "v_th": 64}})
        w = rng.integers(-128, 128, size=(SIZES[i], SIZES[i - 1])) if weights is None else weights(i, rng)
        conns.append({"kind": "dense", "source": NAMES[i - 1], "target": NAMES[i], "sign": sign,
                      "weight_exp": 0, "weights": w.tolist()})
    return network_from_dict({"schema_version": 1, "name": "mlp", "populations": pops, "connections": conns})


@pytest.fixture(scope="module")
def net():
    return mlp()


@pytest.fixture(scope="module")
def loihi2():
    return load_profile("loihi2")


def words(n_rows, n_neurons, bits=9, word=32):
    """Dense rows: one row of whole 32-bit words per input axon."""
    return n_rows * math.ceil(n_neurons * bits / word)


def test_784_128_64_10_takes_3_1_1_cores_like_lavas_partitioner(net, loihi2):
    m = map_network(net, loihi2)
    assert {n: p.cores for n, p in m.placements.items()} == {"hidden1": 3, "hidden2": 1, "output": 1}
    assert m.total_cores == 5 and m.chips_used == 1
    s = m.summary()
    assert "synaptic_memory_per_core" not in s["limits_not_checked"]
    assert "input_axons_per_core" not in s["limits_not_checked"]
    use = {n: p.usage for n, p in m.placements.items()}
    # split by output neurons: every hidden1 core keeps all 784 input axons (the tutorial's AxonIn 4.90%)
    assert use["hidden1"]["input_axons_per_core"] == 784
    assert s["populations"]["hidden1"]["usage"]["input_axons_per_core"]["percent"] == 4.9
    # 9-bit mixed-sign weights (8 bits of magnitude and a sign) packed in 32-bit words per row
    assert use["hidden1"]["synaptic_memory_per_core"] == words(784, 43) * 4          # 43, 43, 42 neurons
    assert use["hidden2"]["synaptic_memory_per_core"] == words(128, 64) * 4
    assert use["output"]["synaptic_memory_per_core"] == words(64, 10) * 4 == 192 * 4  # the tutorial's 1.60%
    assert s["populations"]["output"]["usage"]["synaptic_memory_per_core"]["percent"] == 1.6
    # why 3: the whole layer is 784 x 36 = 28224 words, two halves 784 x 18 = 14112 > 12000 each
    assert words(784, 64) > 12000 >= words(784, 43)


def test_mixed_sign_weights_are_counted_with_their_sign_bit(net):
    widths = {s.target: s.weight_bits for s in synapses_of(compile_params(net, "fixed"))}
    assert widths == {"hidden1": 9, "hidden2": 9, "output": 9}  # |-128| needs 8 bits, and a sign


def test_narrower_weights_need_fewer_cores(loihi2):
    """The rule, not the network: 7-bit excitatory weights fit the first layer in 2 cores."""
    net = mlp(lambda i, rng: rng.integers(0, 128, size=(SIZES[i], SIZES[i - 1])), sign="excitatory")
    m = map_network(net, loihi2)
    assert {n: p.cores for n, p in m.placements.items()} == {"hidden1": 2, "hidden2": 1, "output": 1}
    assert m.placements["hidden1"].usage["synaptic_memory_per_core"] == words(784, 64, bits=7) * 4


def test_a_dense_layer_keeps_its_zeros_on_loihi2_but_not_on_loihi(loihi2):
    """Lava's Dense stores the full matrix: zero weights free no Loihi 2 memory or axons."""
    def half_zero(i, rng):
        w = rng.integers(-128, 128, size=(SIZES[i], SIZES[i - 1]))
        w[:, ::2] = 0  # every other source has no synapse at all
        return w

    net = mlp(half_zero)
    m2 = map_network(net, loihi2)
    assert m2.placements["hidden1"].cores == 3
    assert m2.placements["hidden1"].usage["input_axons_per_core"] == 784
    m1 = map_network(net, load_profile("loihi"))
    assert m1.placements["hidden1"].usage["input_axons_per_core"] == 392


def test_loihi2_profile_gives_sourced_per_core_limits(loihi2):
    lim = loihi2.limits
    assert lim.input_axons_per_core.value == 16000 and lim.input_axons_per_core.kind == "derived"
    assert lim.synaptic_memory_per_core.value == 12000 * 32 / 8 / 1024 and lim.synaptic_memory_per_core.unit == "KB"
    assert lim.synaptic_word_bits.value == 32 and lim.synaptic_word_bits.unit == "bit"
    for fig in (lim.input_axons_per_core, lim.synaptic_memory_per_core, lim.synaptic_word_bits):
        assert fig.source == "lavadl" and "ipynb" in fig.where
    for fig in (lim.synaptic_memory_per_core, lim.synaptic_word_bits):
        assert fig.note.startswith("ASSUMPTION")
    assert "lava-dl" in loihi2.sources["lavadl"]
    assert not any("not published in the brief; the mapping checks only" in n for n in loihi2.notes)


def test_cli_compile_json_reports_the_same_cores(net, tmp_path):
    path = save_network(net, tmp_path / "mlp.yaml")
    out = run_cli("compile", path, "--profile", "loihi2", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["fits"] is True and data["cores"] == 5 and data["chips"] == 1
    assert {n: p["cores"] for n, p in data["populations"].items()} == {"hidden1": 3, "hidden2": 1, "output": 1}
    assert data["populations"]["hidden1"]["usage"]["synaptic_memory_per_core"]["limit"] == 48000
