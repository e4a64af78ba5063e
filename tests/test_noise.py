"""Noise sets in neurokit.data: spec grammar, statistics, determinism."""
import numpy as np
import pytest

from conftest import MNIST_SPEC
from neurokit.data import load_dataset
from neurokit.errors import DataError


def test_white_noise_matches_the_reference_mean_and_shape_and_has_no_class():
    ref = load_dataset("digits", "train", classes=[0, 1, 7]).images
    s = load_dataset("noise:white:digits", "test", samples=400, classes=[0, 1, 7], seed=3)
    assert s.images.shape == (400, 8, 8) and set(s.labels.tolist()) == {-1}
    assert s.images.mean() == pytest.approx(ref.mean(), abs=0.005)
    assert 0 <= s.images.min() and s.images.max() <= 1
    # delta-correlated: neighbouring pixels are uncorrelated
    x = s.images - s.images.mean()
    assert abs(np.mean(x[:, :, 1:] * x[:, :, :-1]) / x.var()) < 0.03


def test_blurred_noise_is_the_same_noise_smoothed_at_the_same_mean():
    white = load_dataset("noise:white,mean=0.2", "test", samples=50, seed=5)
    blurred = load_dataset("noise:blurred,mean=0.2", "test", samples=50, seed=5)
    assert white.images.shape == blurred.images.shape == (50, 28, 28)  # default size
    np.testing.assert_allclose(blurred.images.mean(axis=(1, 2)), white.images.mean(axis=(1, 2)), rtol=1e-5)
    x = blurred.images - blurred.images.mean()
    assert np.mean(x[:, :, 1:] * x[:, :, :-1]) / x.var() > 0.8      # σ = 2 px: neighbours alike
    assert blurred.images.std() < 0.3 * white.images.std()
    from scipy.ndimage import gaussian_filter

    g = gaussian_filter(white.images[0].astype(float), 2.0)
    np.testing.assert_allclose(blurred.images[0], g * white.images[0].mean() / g.mean(), rtol=1e-5)


def test_noise_is_deterministic_in_seed_and_split():
    a = load_dataset("noise:white,size=10x12", "test", samples=4, seed=1)
    b = load_dataset("noise:white,size=10x12", "test", samples=4, seed=1)
    c = load_dataset("noise:white,size=10x12", "test", samples=4, seed=2)
    d = load_dataset("noise:white,size=10x12", "train", samples=4, seed=1)
    assert a.images.shape == (4, 10, 12) and np.array_equal(a.images, b.images)
    assert not np.array_equal(a.images, c.images) and not np.array_equal(a.images, d.images)


def test_mnist_reference_gives_28x28_noise_at_the_class_mean(mnist_root):
    ref = load_dataset(MNIST_SPEC, "train", classes=[0, 1, 7]).images
    s = load_dataset(f"noise:blurred:{MNIST_SPEC}", "test", samples=20, classes=[0, 1, 7], seed=0)
    assert s.images.shape == (20, 28, 28)
    assert s.images.mean() == pytest.approx(ref.mean(), abs=0.01)


@pytest.mark.parametrize("spec,message", [
    ("noise:pink", "kind 'pink' is not one of"),
    ("noise:white,mean=2", "mean in \\(0, 1\\)"),
    ("noise:white,colour=red", "unknown option 'colour=red'"),
    ("noise:white:noise:blurred", "reference must be an image set"),
    ("noise", "noise:KIND\\[,mean=M\\]"),
])
def test_bad_noise_specs_name_the_grammar(spec, message):
    with pytest.raises(DataError, match=message):
        load_dataset(spec, samples=3)


def test_noise_needs_a_sample_count():
    with pytest.raises(DataError, match="needs a number of samples"):
        load_dataset("noise:white")
