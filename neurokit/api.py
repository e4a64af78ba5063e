"""The Python face of neurokit: what the `neurokit` command does, as functions. The CLI calls
these; they are re-exported at the package top (`neurokit.load`, `neurokit.evaluate`, …).

    import neurokit as nk

    net = nk.import_network("model.net")                     # or nk.load("net.yaml")
    test = nk.dataset("mnist:data", "test", samples=500)
    ev = nk.evaluate(net, test, backend="engine")             # ev.accuracy, ev.confusion
    reports = nk.energy(net, test, profiles=["loihi", "spinnaker2"])
    nk.export(net, "model.nir")

Data are `neurokit.data.Samples` (`dataset(spec, split, …)`); networks are `neurokit.ir.Network`.
"""
from __future__ import annotations

from pathlib import Path

from neurokit.errors import SpecError


def load(path) -> "Network":  # noqa: F821
    """A network file (.yaml/.yml/.json), a trained-network directory, or a .net / .nir file
    imported with the defaults of `import_network`."""
    from neurokit.trained import load_any

    return load_any(path)


def save(net, path) -> Path:
    """Write a network file (.yaml or .json), atomically."""
    from neurokit.ir import save_network

    return save_network(net, path)


def import_network(path, *, dt_ms: float | None = None, steps: int = 32, name: str | None = None,
                   gain: float | None = None, offset: float | None = None):
    """A lava-dl netx `.net` (Loihi's integers kept; dt_ms default 1) or a NIR `.nir` graph
    (discretised with `dt_ms`, required) as an IR network; see docs/interop.md."""
    path = Path(path)
    if path.suffix == ".net":
        from neurokit.interop.netx import read_netx

        return read_netx(path, dt_ms=dt_ms or 1.0, steps=steps, name=name, gain=gain, offset=offset)
    if path.suffix == ".nir":
        from neurokit.interop.nir import from_nir

        if dt_ms is None:
            raise SpecError(["dt_ms (--dt-ms): a NIR graph is in continuous time; give the step to simulate it with"])
        return from_nir(path, dt_ms=dt_ms, presentation_steps=steps, name=name)
    raise SpecError([f"{path}: import reads .net (lava-dl netx) or .nir (NIR) files"])


def export(net, path, to: str | None = None) -> Path:
    """Write `net` as a netx `.net` or a NIR `.nir` file (the format from `to` or the suffix);
    what the format cannot say is refused by name."""
    from neurokit.util import atomic_write_bytes

    path = Path(path)
    to = to or {".net": "netx", ".nir": "nir"}.get(path.suffix)
    if to not in ("netx", "nir"):
        raise SpecError([f"{path}: export writes netx (.net) or nir (.nir); say which with to="])
    atomic_write_bytes(path, export_bytes(net, to))
    return path


def export_bytes(net, to: str) -> bytes:
    """The whole file `export` writes, in format `to` ('netx' or 'nir'), checked before any byte
    is written."""
    if to == "netx":
        from neurokit.interop.netx import netx_bytes

        return netx_bytes(net)
    from neurokit.interop.nir import nir_bytes

    return nir_bytes(net)


def dataset(spec: str, split: str = "test", *, samples: int | None = None, classes=None, seed: int = 0,
            download: bool = False):
    """Samples of a data set: 'digits', 'mnist:ROOT' or a noise spec (neurokit.data)."""
    from neurokit.data import load_dataset

    return load_dataset(spec, split, samples=samples, classes=classes, seed=seed, download=download)


def run(net, samples, *, backend: str = "auto", precision: str = "fixed", seed: int = 0, rasters: bool = False,
        record=None, progress: bool = False):
    """Inference: a RunResult with the spike counts (and rasters, probes) of every population."""
    from neurokit.runner import simulate

    return simulate(net, samples, backend=backend, precision=precision, seed=seed, rasters=rasters,
                    record=record, progress=progress)


def train(net, samples, classes, *, backend: str = "auto", precision: str = "fixed", seed: int = 0,
          progress: bool = False):
    """On-chip-style learning of the network's rules on `samples`; `.network` is the trained one."""
    from neurokit.training import train as _train

    return _train(net, samples, classes, backend=backend, precision=precision, seed=seed, progress=progress)


def evaluate(net, samples, classes=None, *, backend: str = "auto", precision: str = "fixed", seed: int = 0,
             progress: bool = False):
    """Accuracy, confusion matrix and predictions of the network's readout on `samples`."""
    from neurokit.training import evaluate as _evaluate

    return _evaluate(net, samples, classes, backend=backend, precision=precision, seed=seed, progress=progress)


def energy(net, samples, profiles=("loihi",), *, backend: str = "auto", precision: str = "fixed", seed: int = 0,
           learning: bool = False, chips: int = 1, assume=(), progress: bool = False):
    """Energy per inference on each hardware profile (names or files): (the run, [EnergyReport]).
    A profile's mapping onto cores is checked where it gives limits; a network that does not
    fit is reported in the report's `mapping`, not raised."""
    from neurokit.data.encode import input_spikes
    from neurokit.energy import count_events, estimate, load_profile, with_assumptions
    from neurokit.energy.profiles import check_assumptions
    from neurokit.mapping import MappingError, map_network
    from neurokit.quant import compile_params
    from neurokit.runner import simulate

    profiles = [p if not isinstance(p, (str, Path)) else load_profile(p) for p in profiles]
    check_assumptions(list(assume), profiles)
    result = simulate(net, samples, backend=backend, precision=precision, seed=seed, rasters=True,
                      progress=progress)
    params = compile_params(net, precision)
    fixed = params if precision == "fixed" else compile_params(net, "fixed")
    input_raster = input_spikes(net, samples.flat, seed, precision)[0:len(samples)]  # the very spikes run() drew
    reports = []
    for prof in profiles:
        prof, statements = with_assumptions(prof, list(assume))
        mapping = None
        if prof.limits is not None:
            try:
                mapping = map_network(net, prof, fixed, chips=chips)
            except MappingError as err:
                mapping = str(err)
        counts = count_events(result, params, input_raster=input_raster, learning=learning,
                              mapping=None if isinstance(mapping, str) else mapping, profile=prof)
        reports.append(estimate(counts, prof, net, assumptions=statements, mapping=mapping))
    return result, reports


def compile(net, profile: str = "loihi2", *, chips: int = 1):  # noqa: A001 (the verb users type)
    """How the network maps onto the profile's cores (neurokit.mapping.Mapping); raises
    MappingError naming the limit when it does not fit."""
    from neurokit.energy import load_profile
    from neurokit.mapping import map_network

    return map_network(net, load_profile(profile) if isinstance(profile, (str, Path)) else profile, chips=chips)
