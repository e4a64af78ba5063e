"""The gradient path: the SLAYER-trained MNIST classifier (examples/slayer_mnist/) imported from
SLAYER's own export, against SLAYER's recorded output (slayer_float.json)."""
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import neurokit as nk
from conftest import MNIST_ROOT
from neurokit.data import Samples
from neurokit.data.datasets import _mnist
from neurokit.ir import network_to_dict

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "slayer_mnist"


@pytest.fixture(scope="module")
def slayer():
    net = nk.import_network(EXAMPLE / "mnist_dense.net")
    images, labels = _mnist(str(MNIST_ROOT), "test", False)  # file order, as SLAYER evaluated them
    ref = json.loads((EXAMPLE / "slayer_float.json").read_text())
    return net, Samples(images, labels, "mnist-subset:test"), ref


def test_engine_gives_slayers_output_spikes(slayer):
    """SLAYER's forward pass is Loihi's integer CUBA neuron: the engine's fixed-point output
    spike counts equal SLAYER's on every test digit, so the accuracy is SLAYER's."""
    net, test, ref = slayer
    assert np.array_equal(test.labels, ref["labels"])
    r = nk.run(net, test, backend="engine")
    counts = r.counts[net.readout.population]
    assert np.array_equal(counts, np.asarray(ref["output_spike_counts"]))
    ev = nk.evaluate(net, test, backend="engine")
    assert ev.accuracy == pytest.approx(ref["accuracy"], abs=1e-9) and ev.accuracy > 0.9


def test_lava_fixed_point_equals_the_engine(slayer):
    net, test, _ = slayer
    few = Samples(test.images[:6], test.labels[:6], "six")
    lava, engine = nk.run(net, few, backend="lava"), nk.run(net, few, backend="engine")
    assert sum(int(c.sum()) for c in lava.counts.values()) > 100
    for pop in lava.counts:
        assert np.array_equal(lava.counts[pop], engine.counts[pop]), pop


def test_the_same_network_through_nir(slayer, tmp_path):
    net, test, _ = slayer
    nk.export(net, tmp_path / "mnist.nir")
    again = nk.load(tmp_path / "mnist.nir")
    assert network_to_dict(again) == network_to_dict(net)
    few = Samples(test.images[:50], test.labels[:50], "fifty")
    a, b = nk.run(net, few, backend="engine"), nk.run(again, few, backend="engine")
    assert all(np.array_equal(a.counts[p], b.counts[p]) for p in a.counts)


def test_readme_python_example_runs(tmp_path):
    """README's "From Python" block, as written (its output file moved into tmp_path)."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"## From Python.*?```python\n(.*?)```", text, re.S).group(1)
    block = block.replace("/tmp/", f"{tmp_path}/")
    proc = subprocess.run([sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    accuracy, cores = proc.stdout.split()
    assert float(accuracy) > 0.85 and int(cores) >= 3
    assert (tmp_path / "mnist_dense.nir").is_file()
