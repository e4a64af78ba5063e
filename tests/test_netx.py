"""lava-dl netx files in and out: SLAYER's tinynet runs bit-exactly, and round trips are lossless."""
from pathlib import Path

import h5py
import numpy as np
import pytest

from neurokit.data.encode import input_spikes
from neurokit.errors import SpecError
from neurokit.interop.netx import read_netx, write_netx
from neurokit.ir import Network, network_to_dict
from neurokit.quant import compile_params
from neurokit.runner import execute

TINY = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "lava-dl" / "tinynet"


def _tiny_output(backend: str) -> tuple[np.ndarray, np.ndarray]:
    # the fixture drives the input layer's bias directly (input_bias.npy, in Lava's [W, H, C])
    net = read_netx(TINY / "tiny.net", steps=16, gain=1.0, offset=0.0)
    bias = np.load(TINY / "input_bias.npy").transpose(2, 1, 0).reshape(1, -1)
    params = compile_params(net, "fixed")
    r = execute(params, input_spikes(net, bias, 0, "fixed"), backend=backend, rasters=True, progress=False)
    truth = np.load(TINY / "output.npy")[0].reshape(36, 16)
    return r.rasters[net.readout.population][0], truth


@pytest.mark.parametrize("backend", ["engine", "lava"])
def test_tinynet_output_equals_slayer(backend):
    """lava-dl's own check (tests/lava/lib/dl/netx/test_hdf5.py::test_tinynet): Lava's output at
    steps 2..16 equals SLAYER's at 1..15; one step of the IR's run is one Lava step."""
    out, truth = _tiny_output(backend)
    assert truth.sum() > 50  # the comparison has spikes in it
    assert np.array_equal(out[:, 2:17], truth[:, 1:16])


def test_tinynet_structure():
    net = read_netx(TINY / "tiny.net")
    assert [p.name for p in net.populations] == ["input", "layer1", "layer2"]
    assert [p.shape for p in net.populations] == [[3, 16, 16], [24, 6, 6], [36, 1, 1]]
    assert [p.reset_step for p in net.neuron_populations] == [1, 2]
    enc = net.input_population.encoder
    assert (enc.kind, enc.threshold, enc.voltage_decay, enc.gain, enc.offset) == ("integrate_fire", 25, 0.25, 36, 34)
    conv = net.connections[0]
    assert conv.kind == "conv2d" and list(np.shape(conv.weights)) == [24, 3, 5, 5] and conv.stride == [2, 2]
    assert net.readout.kind == "argmax" and net.readout.population == "layer2"
    assert net.steps_per_sample == 32 + 2


def test_netx_round_trip_keeps_the_file(tmp_path):
    """netx -> IR -> netx: every layer dataset the netx loader reads comes back equal."""
    out = tmp_path / "tiny_again.net"
    write_netx(read_netx(TINY / "tiny.net"), out)
    with h5py.File(TINY / "tiny.net") as a, h5py.File(out) as b:
        assert sorted(a["layer"]) == sorted(b["layer"])
        for k in a["layer"]:
            la, lb = a["layer"][k], b["layer"][k]
            for key in ("type", "shape", "weight", "bias", "stride", "padding", "dilation", "groups", "kernelSize"):
                if key in la:
                    assert np.array_equal(np.asarray(la[key][()]), np.asarray(lb[key][()])), (k, key)
            for key in la["neuron"]:
                assert la["neuron"][key][()] == lb["neuron"][key][()], (k, key)


def _small_net() -> Network:
    rng = np.random.default_rng(1)
    return Network.model_validate({
        "schema_version": 1, "name": "small", "dt_ms": 1.0,
        "populations": [
            {"name": "pix", "kind": "input", "size": 64, "shape": [1, 8, 8],
             "encoder": {"kind": "integrate_fire", "threshold": 20, "gain": 30, "offset": 2, "voltage_decay": 0.125,
                         "fixed_scale": 1.0, "presentation_ms": 12, "rest_ms": 4}},
            {"name": "conv", "size": 4 * 6 * 6, "shape": [4, 6, 6], "fixed_scale": 1.0, "reset_step": 1,
             "neuron": {"kind": "lif", "current_decay": 0.5, "voltage_decay": 0.25, "v_th": 40,
                        "bias": np.repeat([3.0, -2.0, 0.0, 5.0], 36).tolist()}},
            {"name": "pool", "size": 4 * 3 * 3, "shape": [4, 3, 3], "fixed_scale": 1.0, "reset_step": 2,
             "neuron": {"kind": "lif", "current_decay": 1.0, "voltage_decay": 0.0, "v_th": 30}},
            {"name": "out", "size": 5, "fixed_scale": 1.0, "reset_step": 3,
             "neuron": {"kind": "lif", "current_decay": 0.25, "voltage_decay": 0.125, "v_th": 25, "bias": 1.0}},
        ],
        "connections": [
            {"kind": "conv2d", "source": "pix", "target": "conv", "sign": "mixed", "weight_exp": 0,
             "weights": rng.integers(-20, 40, (4, 1, 3, 3)).astype(float).tolist()},
            {"kind": "pool2d", "source": "conv", "target": "pool", "kernel_size": 2, "stride": 2, "weight": 16.0,
             "weight_exp": 0},
            {"kind": "dense", "source": "pool", "target": "out", "sign": "mixed", "weight_exp": 0,
             "weights": rng.integers(-30, 60, (5, 36)).astype(float).tolist()},
            {"kind": "dense", "name": "recurrent", "source": "out", "target": "out", "sign": "inhibitory",
             "weight_exp": 0, "weights": rng.integers(0, 20, (5, 5)).astype(float).tolist()},
        ],
        "readout": {"kind": "argmax", "population": "out", "classes": [4, 3, 2, 1, 0]},
    })


def test_ir_round_trip_is_identical(tmp_path):
    """IR -> netx -> IR: the same network, and the same spikes on the engine."""
    net = _small_net()
    write_netx(net, tmp_path / "small.net")
    again = read_netx(tmp_path / "small.net")
    assert network_to_dict(again) == network_to_dict(net)
    x = np.random.default_rng(2).uniform(0, 1, (6, 64))
    runs = [execute(compile_params(n, "fixed"), input_spikes(n, x, 0, "fixed"), backend="engine", progress=False)
            for n in (net, again)]
    assert sum(int(c.sum()) for c in runs[0].counts.values()) > 0
    for pop in runs[0].counts:
        assert np.array_equal(runs[0].counts[pop], runs[1].counts[pop])


def test_unsupported_layer_is_refused_by_name(tmp_path):
    path = tmp_path / "avg.net"
    with h5py.File(path, "w") as f:
        f.create_dataset("layer/0/type", (1,), "S10", [b"input"])
        f.create_dataset("layer/0/shape", data=np.array([4]))
        f.create_dataset("layer/1/type", (1,), "S10", [b"average"])
    with pytest.raises(SpecError, match=r"layer/1\.type: 'average' has no counterpart"):
        read_netx(path)


def test_export_refuses_what_netx_cannot_say(tmp_path):
    from neurokit.ir import load_network

    net = load_network(Path(__file__).resolve().parents[1] / "examples" / "diehl_cook_3class.yaml")
    with pytest.raises(SpecError) as e:
        write_netx(net, tmp_path / "dc.net")
    text = str(e.value)
    assert "learning: netx files hold no learning rules" in text
    assert "adaptive threshold has no netx counterpart" in text
    assert not (tmp_path / "dc.net").exists() and not list(tmp_path.iterdir())


def test_lava_dl_netx_loads_what_neurokit_exports(tmp_path):
    """The deployment path: lava-dl's own netx.hdf5.Network reads neurokit's export (a subprocess:
    lava-dl imports torch)."""
    import subprocess
    import sys

    out = tmp_path / "tiny.net"
    write_netx(read_netx(TINY / "tiny.net"), out)
    code = ("import neurokit.backends.lava.compat as c; c.ensure_lava_importable()\n"
            "from lava.lib.dl import netx\n"
            f"n = netx.hdf5.Network(net_config={str(out)!r})\n"
            "print(len(n), [type(b).__name__ for b in n.layers])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split("\n")[-2] == "3 ['Input', 'Conv', 'Conv']"


def test_tinynet_through_nir(tmp_path):
    """A netx conv net with a bias per channel goes on to NIR (one Conv2d bias per channel) and
    comes back the same network."""
    from neurokit.interop.nir import from_nir, write_nir

    net = read_netx(TINY / "tiny.net")
    write_nir(net, tmp_path / "tiny.nir")
    assert network_to_dict(from_nir(tmp_path / "tiny.nir", dt_ms=None)) == network_to_dict(net)
