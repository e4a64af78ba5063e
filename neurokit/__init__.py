"""neurokit: write a spiking network once, train it with on-chip local rules, run it on Lava
(CPU simulator or Loihi 2) and cost one inference in energy on each neuromorphic chip.

Importing neurokit imports neither Lava nor torch: both load lazily where they are needed.
"""
__version__ = "0.1.0"

from neurokit.errors import NeurokitError, SpecError  # noqa: F401

API = ("load", "save", "import_network", "export", "dataset", "run", "train", "evaluate", "energy", "compile")
__all__ = ["NeurokitError", "SpecError", *API]


def __getattr__(name: str):
    """neurokit.load, neurokit.evaluate, …: the functions of neurokit.api, imported on first use."""
    if name in API:
        from neurokit import api

        return getattr(api, name)
    raise AttributeError(f"module 'neurokit' has no attribute {name!r}")
