"""Probes (neurokit.probes): spikes, u, v and θ after every step, the same on the engine as on
Lava (bit for bit in fixed point, equal in float), through the Python API and the CLI
(`run/evaluate --record … --record-out RUN.npz`, `plot RUN.npz`)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from conftest import EXAMPLES, MNIST_SPEC, run_cli
from neurokit.data import load_dataset
from neurokit.ir import load_network
from neurokit.probes import VARIABLES, Record
from neurokit.runner import simulate
from test_conformance import case

STATE = ("u", "v", "theta")


@lru_cache(maxsize=None)
def reference(backend: str, precision: str = "fixed", n: int = 3):
    net = load_network(EXAMPLES / "diehl_cook_3class.yaml")
    samples = load_dataset(MNIST_SPEC, "test", samples=n, classes=[0, 1, 2], seed=3)
    return simulate(net, samples, backend=backend, precision=precision, seed=7, progress=False, record=Record())


def assert_identical(got: dict, ref: dict, keys, name: str) -> None:
    for key in keys:
        assert got[key].shape == ref[key].shape and got[key].dtype == ref[key].dtype, f"{name}: {key}"
        diff = np.argwhere(got[key] != ref[key])
        assert len(diff) == 0, (f"{name}: {key} differs at {len(diff)} (sample, neuron, step) places, "
                                f"first {diff[:3].tolist()}")


def test_reference_network_recorded_identically_on_lava_and_engine(mnist_root):
    lava, engine = reference("lava").recorded, reference("engine").recorded
    keys = [f"{pop}/{var}" for pop in ("exc", "inh") for var in VARIABLES]
    assert_identical(engine, lava, keys, "reference-mnist-fixed")
    assert lava["exc/v"].shape == (3, 30, 500) and lava["exc/v"].dtype == np.int32
    assert lava["backend"] == "lava" and engine["backend"] == "engine"
    for key in ("samples", "labels", "dt_ms", "precision", "units", "exc/scale", "exc/v_th", "neurokit"):
        assert np.array_equal(engine[key], lava[key]), key
    # what it proves: v moves, θ grows, neurons fire
    assert lava["exc/spikes"].sum() > 20 and lava["inh/spikes"].sum() > 20
    assert lava["exc/v"].min() < 0 < lava["exc/v"].max() and lava["exc/theta"].max() > 0


def test_reference_network_recorded_equally_in_float(mnist_root):
    """Each population sums at most two connections: float is equal to the last bit too."""
    lava, engine = reference("lava", "float", 2).recorded, reference("engine", "float", 2).recorded
    assert_identical(engine, lava, [f"{pop}/{var}" for pop in ("exc", "inh") for var in VARIABLES], "reference-float")
    assert lava["exc/v"].dtype == np.float64 and str(lava["precision"]) == "float"


def test_recorded_values_are_those_after_each_step(mnist_root):
    """A spike leaves v = 0; no step ends with v above v_th + θ; the spikes are the counts; the
    last θ is the run's final θ; a sample starts from u = v = 0 (its first column is one step)."""
    result = reference("engine")
    rec = result.recorded
    for pop in ("exc", "inh"):
        spikes, v, theta = rec[f"{pop}/spikes"], rec[f"{pop}/v"].astype(np.int64), rec[f"{pop}/theta"]
        assert (v[spikes] == 0).all()
        assert (v <= int(rec[f"{pop}/v_th"]) + theta).all()
        assert np.array_equal(spikes.sum(axis=2), result.counts[pop])
        assert np.array_equal(theta[-1, :, -1], np.asarray(result.theta[pop]))
    jumps = np.diff(rec["exc/theta"].astype(np.int64), axis=2)[rec["exc/spikes"][:, :, 1:]]
    assert (jumps > 0).all()  # θ rises at each spike (θ₊ after the decay)


@pytest.mark.parametrize("name", ["random0-fixed", "random6-fixed-lif-only-no-rest", "random1-float"])
def test_small_random_networks_recorded_identically(name):
    """Chosen samples (out of order) and populations. Float: spikes and θ identical; u and v to
    the last bits only, because population a sums four connections and Lava adds them in its
    compiler's process order (inputs last here), the engine in connection order (docs/probes.md)."""
    net, samples, precision = case(name)
    n = len(samples)
    record = Record(pops=("c", "a"), samples=(n - 1, 0, 2))
    runs = {b: simulate(net, samples, backend=b, precision=precision, seed=7, progress=False, record=record)
            for b in ("lava", "engine")}
    exact = VARIABLES if precision == "fixed" else ("spikes", "theta")
    assert_identical(runs["engine"].recorded, runs["lava"].recorded,
                     [f"{pop}/{var}" for pop in ("c", "a") for var in exact], name)
    for key in [f"{pop}/{var}" for pop in ("c", "a") for var in VARIABLES if var not in exact]:
        np.testing.assert_allclose(runs["engine"].recorded[key], runs["lava"].recorded[key], rtol=1e-12, atol=1e-9,
                                   err_msg=f"{name}: {key}")
    assert runs["lava"].recorded["a/v"].shape == (3, net.population("a").size, net.steps_per_sample)
    assert not any(k.startswith("b/") for k in runs["lava"].recorded)
    assert list(runs["lava"].recorded["samples"]) == [n - 1, 0, 2]
    assert runs["lava"].recorded["a/spikes"].sum() > 0


def test_engine_subsets_and_parallel_blocks_give_the_full_recording():
    """A subset equals the slice of a full recording, with or without rasters (which widen what
    the engine keeps), and samples run as parallel blocks (each guessing the state at its start,
    then run again where the guess was wrong) record what one sequential run records."""
    from neurokit.backends.engine import Engine
    from neurokit.backends.engine.recording import Kept
    from neurokit.backends.engine.schedule import run_chunk
    from neurokit.data.encode import encode_rate
    from neurokit.quant import compile_params

    net, samples, precision = case("random6-fixed-lif-only-no-rest")
    full = simulate(net, samples, backend="engine", precision=precision, seed=7, progress=False,
                    record=Record()).recorded
    sub = Record(what=("v", "spikes"), pops=("b",), samples=(4, 1))
    for rasters in (False, True):
        part = simulate(net, samples, backend="engine", precision=precision, seed=7, progress=False, rasters=rasters,
                        record=sub).recorded
        for var in ("v", "spikes"):
            assert np.array_equal(part[f"b/{var}"], full[f"b/{var}"][[4, 1]])
        assert "b/u" not in part and "a/v" not in part

    params = compile_params(net, precision)
    x = encode_rate(net, samples.flat, 7)
    n = len(x)
    record = Record().resolve(params, n)
    kept = {}
    for threads in (1, n):  # n: one block per sample, each a guess
        eng = Engine(params)
        k = Kept.plan(eng.layout, n, rasters=False, record=record)
        run_chunk(eng.layout, eng.state, eng._drive(x, 0, n), np.zeros((n, eng.layout.n_neurons), np.int64),
                  k.args(0, n), threads=threads)
        kept[threads] = k
    assert kept[1].spikes[:-1, :, -1].any(), "no spike at a sample's end: no block was run again"
    for var in VARIABLES:
        assert np.array_equal(getattr(kept[n], var), getattr(kept[1], var)), var


def test_memory_is_checked_before_recording(monkeypatch):
    from neurokit.memory import MemoryLimitError
    from neurokit.quant import compile_params

    params = compile_params(load_network(EXAMPLES / "digits_3class.yaml"), "fixed")
    Record().resolve(params, 3)
    monkeypatch.setenv("NEUROKIT_MEMORY_LIMIT_GB", "0.0015")  # the run fits, its recording does not
    Record(what=("spikes",), samples=(0,)).resolve(params, 3)
    with pytest.raises(MemoryLimitError, match="recording spikes,v,u,theta of 3 samples x 60 neurons x 500 steps"):
        Record().resolve(params, 3)


def _clean_failure(proc) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_cli_records_plots_and_refuses(tmp_path):
    import json

    net = EXAMPLES / "digits_3class.yaml"
    out = tmp_path / "rec" / "run.npz"
    args = ["run", net, "--data", "digits", "--samples", "3", "--backend", "engine"]
    proc = run_cli(*args, "--record", "spikes,v", "--record-pops", "exc", "--record-samples", "2,0",
                   "--record-out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)  # stdout stays one JSON object
    with np.load(out, allow_pickle=False) as data:
        files = set(data.files)
        assert {"exc/spikes", "exc/v", "samples", "labels", "dt_ms", "precision", "units", "neurokit"} <= files
        assert not any(f.startswith("inh/") or f in ("exc/u", "exc/theta") for f in files)
        assert data["exc/v"].shape == data["exc/spikes"].shape == (2, 30, 500)
        assert data["exc/v"].dtype == np.int32 and data["exc/spikes"].dtype == bool
        assert data["samples"].tolist() == [2, 0] and str(data["precision"]) == "fixed"

    # a later run may replace it (neurokit's marker); then all of it is recorded
    proc = run_cli(*args, "--record-out", out)
    assert proc.returncode == 0 and f"recorded spikes,v,u,theta in {out}" in proc.stdout, proc.stderr
    with np.load(out) as data:
        assert data["inh/theta"].shape == (3, 30, 500) and data["samples"].tolist() == [0, 1, 2]

    for what in ("raster", "v", "theta"):
        fig = tmp_path / f"{what}.png"
        proc = run_cli("plot", out, "--out", fig, "--what", what, "--sample", "1", "--pops", "exc")
        assert proc.returncode == 0, proc.stderr
        assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # refusals: one line, exit 2, nothing written
    theirs = tmp_path / "theirs.npz"
    np.savez(theirs, x=np.zeros(3))
    before = theirs.read_bytes()
    assert "neurokit did not write it" in _clean_failure(run_cli(*args, "--record-out", theirs))
    assert theirs.read_bytes() == before
    new = tmp_path / "new.npz"
    assert "unknown 'volt'" in _clean_failure(run_cli(*args, "--record", "spikes,volt", "--record-out", new))
    assert "sample 3 is not in the run's 3 samples" in _clean_failure(
        run_cli(*args, "--record-samples", "3", "--record-out", new))
    assert "no neuron population 'input'" in _clean_failure(
        run_cli(*args, "--record-pops", "input", "--record-out", new))
    assert "need --record-out" in _clean_failure(run_cli(*args, "--record", "v"))
    assert "holds no population 'input'" in _clean_failure(run_cli("plot", out, "--out", new.with_suffix(".png"),
                                                                   "--pops", "input"))
    assert "not a recording" in _clean_failure(run_cli("plot", theirs, "--out", new.with_suffix(".png")))
    assert not new.exists() and not new.with_suffix(".png").exists()


def test_evaluate_records_too(tmp_path):
    out = tmp_path / "eval.npz"
    proc = run_cli("evaluate", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--classes", "0,1,2",
                   "--samples", "2", "--backend", "engine", "--record", "v", "--record-pops", "inh",
                   "--record-out", out)
    assert proc.returncode == 0, proc.stderr
    with np.load(out) as data:
        assert data["inh/v"].shape == (2, 30, 500) and "exc/v" not in data.files
