import subprocess
import sys

import numpy as np
import pytest

from conftest import MNIST_SPEC, tiny_network
from neurokit.data import encode_rate, load_dataset
from neurokit.errors import DataError
from neurokit.ir import network_from_dict


def test_digits_is_deterministic_with_a_seed_and_split_in_two():
    a = load_dataset("digits", "train", samples=20, seed=3)
    b = load_dataset("digits", "train", samples=20, seed=3)
    c = load_dataset("digits", "train", samples=20, seed=4)
    assert np.array_equal(a.images, b.images) and not np.array_equal(a.images, c.images)
    assert a.images.shape == (20, 8, 8) and 0 <= a.images.min() and a.images.max() <= 1
    train = load_dataset("digits", "train").flat
    test = load_dataset("digits", "test").flat
    assert len(train) + len(test) == 1797


def test_mnist_subset_through_torchvision(mnist_root):
    train = load_dataset(MNIST_SPEC, "train")
    test = load_dataset(MNIST_SPEC, "test")
    assert train.images.shape == (6000, 28, 28) and len(test) == 2000
    counts = np.bincount(train.labels, minlength=10).tolist()
    assert counts == [617, 681, 581, 606, 597, 494, 627, 641, 578, 578]  # the data README's counts
    sub = load_dataset(MNIST_SPEC, "train", classes=[0, 1, 7], samples=50, seed=1)
    assert set(sub.labels.tolist()) <= {0, 1, 7} and len(sub) == 50
    assert sub.images.max() == 1.0  # bytes / 255


def test_bad_specs_and_requests_are_clear():
    with pytest.raises(DataError, match="use 'digits' or 'mnist:ROOT'"):
        load_dataset("cifar")
    with pytest.raises(DataError, match="no MNIST files under .*pass --download"):
        load_dataset("mnist:/nonexistent")
    with pytest.raises(DataError, match="has no samples of class"):
        load_dataset("digits", classes=[11])
    with pytest.raises(DataError, match="599 matching samples, 1000 requested"):
        load_dataset("digits", "test", samples=1000)


def test_rate_encoding_matches_the_rate():
    net = network_from_dict(tiny_network())
    x = np.array([[0.0] * 4 + [0.5] * 4])
    spikes = encode_rate(net, np.repeat(x, 400, axis=0), seed=0)
    assert spikes.shape == (400, 8, 50) and not spikes[:, :, 40:].any()  # rest is silent
    assert not spikes[:, :4].any()
    p = spikes[:, 4:, :40].mean()
    assert p == pytest.approx(0.5 * 200 / 1000, abs=0.005)  # bernoulli: x * f_max * dt


def test_neurokit_and_a_digits_run_do_not_import_torch():
    code = ("import sys, neurokit, neurokit.runner, neurokit.cli.main\n"
            "from neurokit.data import load_dataset, encode_rate\n"
            "load_dataset('digits', samples=3)\n"
            "print('torch' in sys.modules, 'torchvision' in sys.modules, 'lava' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]
