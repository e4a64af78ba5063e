"""Labelled image sets as float arrays in [0, 1], selected deterministically by a seed.

MNIST files on disk are read by neurokit.data.idx; torchvision (and with it torch) is imported
only to download them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neurokit.errors import DataError

DIGITS_TEST_FRACTION = 1 / 3
_SPLIT_SEED = 20150813  # fixed: the digits train/test split never depends on the user's seed


@dataclass(frozen=True)
class Samples:
    images: np.ndarray  # float32 [n, H, W] in [0, 1]
    labels: np.ndarray  # int64 [n]
    name: str

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def flat(self) -> np.ndarray:
        return self.images.reshape(len(self), -1)

    def __getitem__(self, block: "slice | np.ndarray") -> "Samples":
        """The samples of `block` (a slice or an array of indices), in order."""
        return Samples(self.images[block], self.labels[block], self.name)

    def epochs(self, n: int, seed: int) -> "Samples":
        """n passes over these samples: the first in this order, each later one reshuffled (seeded)."""
        rng = np.random.default_rng([seed, 20151])
        order = np.concatenate([np.arange(len(self))] + [rng.permutation(len(self)) for _ in range(n - 1)])
        name = self.name if n == 1 else f"{self.name} ×{n} epochs"
        return Samples(self.images[order], self.labels[order], name)


def parse_spec(spec: str) -> tuple[str, str | None]:
    """('digits', None), ('mnist', ROOT) or ('noise', REST) for `noise:REST` (neurokit.data.noise)."""
    kind, _, arg = spec.partition(":")
    if kind == "digits" and not arg:
        return "digits", None
    if kind == "mnist" and arg:
        return "mnist", arg
    if kind == "noise" and arg:
        from neurokit.data.noise import parse_noise

        parse_noise(arg)  # raises with the grammar when malformed
        return "noise", arg
    from neurokit.data.noise import GRAMMAR

    raise DataError(f"data spec {spec!r} not understood; use 'digits' or 'mnist:ROOT', or noise as {GRAMMAR}")


def load_dataset(
    spec: str,
    split: str = "train",
    *,
    samples: int | None = None,
    classes: list[int] | None = None,
    seed: int = 0,
    download: bool = False,
) -> Samples:
    """Load `split` of the set named by `spec`, keep `classes`, then draw `samples` of them in
    an order fixed by `seed` (all of them, shuffled, when `samples` is None)."""
    if split not in ("train", "test"):
        raise DataError(f"split must be 'train' or 'test', got {split!r}")
    kind, arg = parse_spec(spec)
    if kind == "noise":
        return _noise(spec, arg, split, samples, classes, seed, download)
    images, labels = _digits(split) if kind == "digits" else _mnist(arg, split, download)
    if classes is not None:
        missing = sorted(set(classes) - set(np.unique(labels).tolist()))
        if missing:
            raise DataError(f"{spec} ({split}) has no samples of class(es) {missing}")
        keep = np.isin(labels, classes)
        images, labels = images[keep], labels[keep]
    order = np.random.default_rng(seed).permutation(len(labels))
    if samples is not None:
        if samples < 1:
            raise DataError(f"--samples must be at least 1, got {samples}")
        if samples > len(order):
            raise DataError(f"{spec} ({split}) has {len(order)} matching samples, {samples} requested")
        order = order[:samples]
    return Samples(images[order], labels[order], f"{spec}:{split}")


def _digits(split: str) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits (1,797 images, 16 grey levels), read from the CSV that
    scikit-learn ships, without importing scikit-learn (≈ 1 s): the same arrays as
    `sklearn.datasets.load_digits()` (tested)."""
    import gzip
    import importlib.util

    spec = importlib.util.find_spec("sklearn")
    csv = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / "digits.csv.gz"
    with gzip.open(csv, "rt") as f:
        data = np.loadtxt(f, delimiter=",")
    images = (data[:, :-1].reshape(-1, 8, 8) / 16.0).astype(np.float32)
    labels = data[:, -1].astype(np.int64)
    order = np.random.default_rng(_SPLIT_SEED).permutation(len(labels))
    n_test = int(round(len(labels) * DIGITS_TEST_FRACTION))
    pick = order[:n_test] if split == "test" else order[n_test:]
    return images[pick], labels[pick]


def _mnist(root: str, split: str, download: bool) -> tuple[np.ndarray, np.ndarray]:
    from neurokit.data.idx import exists, mnist_paths, read_mnist

    root_path = Path(root).expanduser()
    raw = root_path / "MNIST" / "raw"
    missing = [p.name for p in mnist_paths(raw, split) if not exists(p)]
    if missing and not download:
        raise DataError(f"no MNIST files under {raw} (torchvision's layout; missing {', '.join(missing)}); "
                        f"pass --download to fetch them")
    if missing:
        from torchvision.datasets import MNIST  # lazy: imports torch, only to download

        try:
            MNIST(str(root_path), train=(split == "train"), download=True)
        except Exception as exc:  # network, disk or torchvision's own checks; the reader below judges the files
            if any(not exists(p) for p in mnist_paths(raw, split)):
                raise DataError(f"cannot download MNIST into {raw}: {' '.join(str(exc).split())}") from None
    images, labels = read_mnist(*mnist_paths(raw, split))
    return images.astype(np.float32) / 255.0, labels.astype(np.int64)  # as torchvision's tensors gave them


def _noise(spec: str, arg: str, split: str, samples: int | None, classes: list[int] | None, seed: int,
           download: bool) -> Samples:
    """Noise images labelled −1; μ and size from the reference's train split (of `classes`)."""
    from neurokit.data.noise import NO_CLASS, noise_images, parse_noise

    ns = parse_noise(arg)
    if samples is None or samples < 1:
        raise DataError(f"{spec}: noise is generated, so it needs a number of samples ≥ 1 (--samples), got {samples}")
    ref = None
    if ns.reference is not None and (ns.mean is None or ns.size is None):
        ref = load_dataset(ns.reference, "train", classes=classes, seed=0, download=download).images
    images, _ = noise_images(ns, samples, split, seed, ref)
    return Samples(images, np.full(samples, NO_CLASS, np.int64), f"{spec}:{split}")
