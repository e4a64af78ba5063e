"""Data sets and spike encoders. Spec strings: `digits` (scikit-learn's 8x8 digits, embedded),
`mnist:ROOT` (torchvision's MNIST layout under ROOT),
`noise:white…` / `noise:blurred…` (generated noise, neurokit.data.noise)."""
from neurokit.data.datasets import Samples, load_dataset, parse_spec
from neurokit.data.encode import encode_rate

__all__ = ["Samples", "load_dataset", "parse_spec", "encode_rate"]
