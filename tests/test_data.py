import gzip
import os
import shutil
import subprocess
import sys

from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES, MNIST_SPEC, tiny_network
from neurokit.data import encode_rate, load_dataset
from neurokit.data.datasets import _mnist
from neurokit.data.idx import MNIST_FILES, read_idx
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


def test_digits_are_scikit_learns_without_importing_it():
    """The CSV read directly gives load_digits()'s arrays, in its order (the split indexes them)."""
    from sklearn.datasets import load_digits

    from neurokit.data import datasets

    ref = load_digits()
    order = np.random.default_rng(datasets._SPLIT_SEED).permutation(len(ref.target))
    n_test = int(round(len(ref.target) * datasets.DIGITS_TEST_FRACTION))
    for split, pick in (("test", order[:n_test]), ("train", order[n_test:])):
        images, labels = datasets._digits(split)
        assert np.array_equal(images, (ref.images[pick] / 16.0).astype(np.float32))
        assert np.array_equal(labels, ref.target[pick])


def test_mnist_subset_from_its_idx_files(mnist_root):
    train = load_dataset(MNIST_SPEC, "train")
    test = load_dataset(MNIST_SPEC, "test")
    assert train.images.shape == (6000, 28, 28) and len(test) == 2000
    counts = np.bincount(train.labels, minlength=10).tolist()
    assert counts == [617, 681, 581, 606, 597, 494, 627, 641, 578, 578]  # the data README's counts
    sub = load_dataset(MNIST_SPEC, "train", classes=[0, 1, 7], samples=50, seed=1)
    assert set(sub.labels.tolist()) <= {0, 1, 7} and len(sub) == 50
    assert sub.images.max() == 1.0  # bytes / 255


def test_the_idx_reader_gives_what_torchvision_gave(mnist_root):
    from torchvision.datasets import MNIST

    for split in ("train", "test"):
        ds = MNIST(str(mnist_root), train=split == "train", download=False)
        images, labels = _mnist(str(mnist_root), split, download=False)
        assert images.dtype == np.float32 and labels.dtype == np.int64
        assert np.array_equal(images, ds.data.numpy().astype(np.float32) / 255.0)
        assert np.array_equal(labels, ds.targets.numpy().astype(np.int64))


def test_loading_mnist_does_not_import_torch(mnist_root):
    code = ("import sys\nfrom neurokit.data import load_dataset\n"
            f"load_dataset({MNIST_SPEC!r}, 'test', samples=3)\n"
            "print('torch' in sys.modules, 'torchvision' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _raw_copy(mnist_root, tmp_path, gz=False):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in sum(MNIST_FILES.values(), ()):
        data = (mnist_root / "MNIST" / "raw" / name).read_bytes()
        (raw / (name + ".gz" if gz else name)).write_bytes(gzip.compress(data) if gz else data)
    return raw


def test_gzipped_mnist_files_read_the_same(mnist_root, tmp_path):
    _raw_copy(mnist_root, tmp_path, gz=True)
    a = load_dataset(f"mnist:{tmp_path}", "test", samples=100, seed=2)
    b = load_dataset(MNIST_SPEC, "test", samples=100, seed=2)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.labels, b.labels)


def test_download_goes_through_torchvision_then_the_reader(mnist_root, tmp_path, monkeypatch):
    import torchvision.datasets

    def fake_mnist(root, train, download):  # stands in for the network: copies the subset
        assert download
        _raw_copy(mnist_root, tmp_path / "dl")

    monkeypatch.setattr(torchvision.datasets, "MNIST", fake_mnist)
    got = load_dataset(f"mnist:{tmp_path / 'dl'}", "test", samples=5, download=True)
    assert np.array_equal(got.images, load_dataset(MNIST_SPEC, "test", samples=5).images)

    def offline(root, train, download):
        raise RuntimeError("Error downloading t10k-images-idx3-ubyte.gz:\nTried http://x/, got:\nno network")

    monkeypatch.setattr(torchvision.datasets, "MNIST", offline)
    with pytest.raises(DataError, match=r"^cannot download MNIST into .*: Error downloading .* no network$"):
        load_dataset(f"mnist:{tmp_path / 'off'}", "test", download=True)


def _idx(code=8, dims=(2, 3, 3), data=None) -> bytes:
    header = bytes([0, 0, code, len(dims)]) + np.array(dims, ">u4").tobytes()
    return header + (bytes(int(np.prod(dims))) if data is None else data)


@pytest.mark.parametrize("content, message", [
    (b"\0\0\x08", "3 bytes, shorter than the 4-byte IDX header"),
    (b"PK\x03\x04", "starts with 0x504b, not an IDX file (which starts with 0x0000)"),
    (_idx(code=0x0D), "data type 0x0d (float32); only 0x08 (unsigned byte, as in MNIST) is read"),
    (_idx(dims=(18,)), "1-D data; 3-D expected (images: count x rows x columns)"),
    (_idx()[:10], "header cut short: 10 bytes, 16 expected for 3-D data"),
    (_idx()[:-1], "the header declares 2x3x3 = 18 bytes of data, the file holds 17 (cut short)"),
    (_idx() + b"\0", "the header declares 2x3x3 = 18 bytes of data, the file holds 19 (trailing bytes)"),
    (_idx(dims=(2**32 - 1,) * 3, data=b""), "declares 4294967295x4294967295x4294967295 = 79,228,162,458,"),
    (gzip.compress(_idx(dims=(60000, 28, 28 * 28), data=b"")), "bytes of data; at most 1,073,741,824 are read"),
    (gzip.compress(_idx())[:-9], "broken gzip data"),
])
def test_bad_idx_files_say_what_is_wrong_in_one_line(tmp_path, content, message):
    path = tmp_path / "f-idx3-ubyte"
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        read_idx(path, 3, "images: count x rows x columns")
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("target", ["/dev/zero", "dir", "missing"])
def test_idx_reader_refuses_what_is_not_a_regular_file(tmp_path, target):
    path = Path(target) if target.startswith("/") else tmp_path / target
    if target == "dir":
        path.mkdir()
    message = {"/dev/zero": "not a regular file", "dir": "a directory", "missing": "cannot read: No such file"}
    with pytest.raises(DataError, match=f"^{path}: {message[target]}"):
        read_idx(path, 1)


def test_mismatched_mnist_files_are_caught(mnist_root, tmp_path):
    raw = _raw_copy(mnist_root, tmp_path)
    spec = f"mnist:{tmp_path}"
    shutil.copy(raw / "t10k-labels-idx1-ubyte", raw / "t10k-images-idx3-ubyte")  # labels in place of images
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte: 1-D data; 3-D expected"):
        load_dataset(spec, "test")
    shutil.copy(raw / "train-images-idx3-ubyte", raw / "t10k-images-idx3-ubyte")
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte: 2,000 labels for the 6,000 images .* one label per"):
        load_dataset(spec, "test")
    labels = bytearray((raw / "train-labels-idx1-ubyte").read_bytes())
    labels[8 + 5] = 10
    (raw / "train-labels-idx1-ubyte").write_bytes(labels)
    with pytest.raises(DataError, match="train-labels-idx1-ubyte: label 10 at index 5; labels must be 0..9"):
        load_dataset(spec, "train")
    os.remove(raw / "train-labels-idx1-ubyte")
    with pytest.raises(DataError, match="missing train-labels-idx1-ubyte\\); pass --download"):
        load_dataset(spec, "train")


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


def test_spikes_drawn_block_by_block_are_those_drawn_at_once(mnist_root):
    """RateInputs (what the runner hands the engine) gives encode_rate's spikes whatever the
    block sizes, counts them as it draws, and refuses blocks out of order."""
    from neurokit.data.encode import RateInputs
    from neurokit.ir import load_network

    net = load_network(EXAMPLES / "diehl_cook_3class.yaml")
    flat = load_dataset(MNIST_SPEC, "test", samples=70, seed=1).flat
    whole = encode_rate(net, flat, 5)
    lazy = RateInputs(net, flat, 5)
    blocks = np.concatenate([lazy[0:1], lazy[1:64], lazy[64:70]])
    assert np.array_equal(blocks, whole) and np.array_equal(lazy.counts, whole.sum(axis=2))
    assert whole.sum() > 1000 and not np.array_equal(whole, encode_rate(net, flat, 6))
    with pytest.raises(ValueError, match="in order"):
        RateInputs(net, flat, 5)[3:9]
