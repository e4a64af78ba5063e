"""Backends: each turns a quantised or float network into something that runs.

`get_backend(name)` is the one entry point; a backend module is imported only when chosen,
so that choosing the engine never imports Lava.
"""
from __future__ import annotations

from neurokit.errors import BackendUnavailable

BACKENDS = ("auto", "lava", "loihi2", "engine")


def choose_backend(name: str, params, learn: bool = False) -> str:
    """`auto`: the engine wherever it runs the work (the same spikes and weights as Lava, tested
    spike for spike by the conformance suites), Lava's CPU simulator otherwise (learning on more
    than one plastic connection). Any other name is kept."""
    if name != "auto":
        return name
    if learn and sum(c.plastic for c in params.connections) != 1:
        return "lava"
    return "engine"


def check_backend(name: str) -> None:
    """Raise BackendUnavailable, with what is missing, when backend `name` cannot run here."""
    if name == "auto":
        return
    if name not in BACKENDS:
        raise BackendUnavailable(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    if name == "engine":
        try:
            import numba  # noqa: F401
        except ImportError as exc:
            raise BackendUnavailable(f"--backend engine needs numba ({exc}); pip install numba") from exc
        return
    from neurokit.backends.lava.compat import ensure_lava_importable

    ensure_lava_importable()
    if name == "loihi2":
        from lava.utils.loihi import is_installed

        if not is_installed():
            raise BackendUnavailable(
                "--backend loihi2 needs Intel's Lava-Loihi extension (module "
                "lava.utils.loihi2_profiler), which is not installed here; use --backend lava "
                "for Lava's CPU simulator"
            )
