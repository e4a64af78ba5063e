"""Local learning: rules as Loihi 2 microcode, and their float reference."""
from neurokit.learning.microcode import Microcode, class_groups, microcode, split_amplitude
from neurokit.learning.reference import pair_delta_w

__all__ = ["Microcode", "class_groups", "microcode", "split_amplitude", "pair_delta_w"]
