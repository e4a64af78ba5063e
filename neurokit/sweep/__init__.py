"""Sweeps: one neurokit command over settings of a network and of its flags, on one machine or
a Dask cluster, with rows appended as runs end and finished runs skipped on resume."""
from neurokit.sweep.spec import Sweep, load_sweep, run_id

__all__ = ["Sweep", "load_sweep", "run_id"]
