"""The bad-input corpus: careless or hostile inputs through the real CLI. Every case must end with
exit code 2, one line on stderr that names what is wrong, no traceback, and no file created,
changed or deleted anywhere in the case's workspace (the user's files, the inputs, the outputs).

A case is (id, argv, expected text in the error line, setup). argv may use {EX} (the 8x8-digits
example), {DC} (the MNIST reference network), {W} (the workspace), {BAD} (tests/bad_inputs/),
{MNIST} (a copy of the MNIST subset in the workspace, which setup may corrupt). setup(w) makes
the case's files; the snapshot is taken after it.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, MNIST_ROOT, NEUROKIT

BAD = Path(__file__).parent / "bad_inputs"
EX = EXAMPLES / "digits_3class.yaml"
DC = EXAMPLES / "diehl_cook_3class.yaml"
TRAIN = ["--data", "digits", "--classes", "0,1,7", "--train-samples", "3", "--backend", "engine"]


# -- setups --------------------------------------------------------------------------------------
def user_dir(w):
    (w / "u").mkdir()
    (w / "u" / "thesis.tex").write_text("keep me\n")


def user_file(w, name="file.txt"):
    (w / name).write_text("keep me\n")


def user_png(w):
    (w / "mine.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not neurokit's" * 10)


def net_in_workspace(w):
    shutil.copy(EX, w / "net.yaml")


def example_with(change):
    """A setup writing w/net.yaml: the digits example with `change(spec)` applied."""
    def setup(w):
        spec = yaml.safe_load(EX.read_text())
        change(spec)
        (w / "net.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return setup


def set_theta(value):
    def change(spec):
        exc = spec["populations"][1]
        exc["neuron"]["theta_init"] = [value] * exc["size"]
    return change


def trained_readout(spec):
    spec["readout"] = {"kind": "class_groups", "population": "exc", "classes": [0, 1, 7]}


def sparse_duplicate(spec):
    spec["connections"].append({"name": "extra", "source": "input", "target": "exc", "kind": "sparse",
                                "pre": [0, 3, 0], "post": [1, 2, 1], "weights": [0.1, 0.2, 0.3]})


def huge_one_to_one(spec):
    for p in spec["populations"][1:]:
        p["size"] = 2_000_000
    spec["populations"][1]["neuron"].pop("theta_init", None)


def write_bytes(name, data: bytes):
    def setup(w):
        (w / name).write_bytes(data)
    return setup


def mnist_copy(corrupt=None):
    """Copy the MNIST subset into w/mnist, then let `corrupt(raw_dir)` break it."""
    def setup(w):
        raw = w / "mnist" / "MNIST" / "raw"
        raw.mkdir(parents=True)
        for f in (MNIST_ROOT / "MNIST" / "raw").iterdir():
            if f.is_file() and not f.name.endswith(".gz"):
                shutil.copy(f, raw / f.name)
        if corrupt:
            corrupt(raw)
    return setup


def idx_bytes(dims, payload: bytes, magic=b"\x00\x00\x08") -> bytes:
    return magic + bytes([len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def fewer_labels(raw):
    path = raw / "t10k-labels-idx1-ubyte"
    data = path.read_bytes()
    n = struct.unpack(">I", data[4:8])[0]
    path.write_bytes(idx_bytes([n - 5], data[8:8 + n - 5]))


def label_out_of_range(raw):
    path = raw / "t10k-labels-idx1-ubyte"
    data = bytearray(path.read_bytes())
    data[20] = 42
    path.write_bytes(bytes(data))


def short_header(raw):
    (raw / "t10k-images-idx3-ubyte").write_bytes(b"\x00\x00\x08")


def wrong_magic(raw):
    path = raw / "t10k-images-idx3-ubyte"
    data = bytearray(path.read_bytes())
    data[0:2] = b"PK"
    path.write_bytes(bytes(data))


def labels_for_images(raw):
    shutil.copy(raw / "t10k-labels-idx1-ubyte", raw / "t10k-images-idx3-ubyte")


def profile_with(change):
    def setup(w):
        spec = yaml.safe_load((Path(__file__).parents[1] / "hw_profiles" / "loihi.yaml").read_text())
        change(spec)
        (w / "chip.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return setup


def infinite_energy(spec):
    spec["energy"]["synaptic_event"]["value"] = float("inf")


def lock_held(w):
    """Another neurokit command holds the lock of w/res (a real flock, from a child process)."""
    return subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR); "
         "os.write(fd, b'4242'); fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
         str(w / ".res.neurokit-lock")], stdout=subprocess.PIPE, text=True)


def chain(*setups):
    def setup(w):
        for s in setups:
            s(w)
    return setup


# -- the corpus ----------------------------------------------------------------------------------
CASES = [
    # outputs: never delete or overwrite what neurokit did not write, found before any work
    ("out-foreign-dir", ["train", "{EX}", *TRAIN, "--out", "{W}/u"], "neurokit did not write", user_dir),
    ("out-is-file", ["train", "{EX}", *TRAIN, "--out", "{W}/file.txt"], "is a file", user_file),
    ("out-is-cwd", ["train", "net.yaml", *TRAIN, "--out", "."], "current directory", net_in_workspace),
    ("out-holds-input", ["train", "{W}/net.yaml", *TRAIN, "--out", "{W}"], "current directory", net_in_workspace),
    ("out-parent-of-input", ["train", "{W}/u/thesis.tex", *TRAIN, "--out", "{W}/u"], "holds the input", user_dir),
    ("out-root", ["train", "{EX}", *TRAIN, "--out", "/"], "root directory", None),
    ("out-home", ["train", "{EX}", *TRAIN, "--out", "~"], "home directory", None),
    ("out-empty", ["train", "{EX}", *TRAIN, "--out", ""], "path is empty", None),
    ("out-parent-is-file", ["train", "{EX}", *TRAIN, "--out", "{W}/file.txt/sub"], "is a file", user_file),
    ("out-in-proc", ["train", "{EX}", *TRAIN, "--out", "/proc/neurokit-nonexistent/x"], "cannot create", None),
    ("out-locked", ["train", "{EX}", *TRAIN, "--out", "{W}/res"], "another neurokit command (pid 4242)", lock_held),
    ("curve-out-foreign", ["experiment", "learning-curve", "--data", "digits", "--classes", "0,1", "--step", "1",
                           "--max-train", "1", "--test-samples", "1", "--seeds", "0", "--backend", "engine",
                           "--out", "{W}/u"], "neurokit did not write", user_dir),
    ("regularization-out-file", ["experiment", "regularization", "--data", "digits", "--classes", "0,1",
                                 "--net", "{EX}", "--backend", "engine", "--out", "{W}/file.txt"], "is a file",
     user_file),
    ("pruning-curve-out-foreign", ["experiment", "pruning-curve", "--out", "{W}/u"], "neurokit did not write",
     user_dir),
    ("raster-over-user-file", ["run", "{EX}", "--data", "digits", "--samples", "1", "--backend", "engine",
                               "--raster", "{W}/mine.png"], "neurokit did not write it", user_png),
    ("raster-is-dir", ["run", "{EX}", "--data", "digits", "--samples", "1", "--backend", "engine", "--raster",
                       "{W}/u"], "is a directory", user_dir),
    ("raster-over-input", ["run", "{W}/net.yaml", "--data", "digits", "--samples", "1", "--backend", "engine",
                           "--raster", "{W}/net.yaml"], "neurokit did not write it", net_in_workspace),
    ("raster-in-proc", ["run", "{EX}", "--data", "digits", "--samples", "1", "--backend", "engine", "--raster",
                        "/proc/neurokit-nonexistent.png"], "cannot write there", None),
    ("plot-over-user-file", ["energy", "{EX}", "--profile", "loihi", "--data", "digits", "--samples", "1",
                             "--backend", "engine", "--plot", "{W}/file.txt"], "neurokit did not write it",
     user_file),
    # values that fixed point would wrap, or that are not numbers at all
    ("theta-huge", ["validate", "{W}/net.yaml"], "does not fit the 24-bit threshold register",
     example_with(set_theta(1e30))),
    ("theta-nan", ["validate", "{W}/net.yaml"], "finite number", example_with(set_theta(float("nan")))),
    ("theta-negative", ["validate", "{W}/net.yaml"], "greater than or equal to 0", example_with(set_theta(-1.0))),
    ("init-high-inf", ["validate", "{W}/net.yaml"], "finite number",
     example_with(lambda s: s["connections"][0]["init"].update(high=float("inf")))),
    ("run-theta-huge", ["run", "{W}/net.yaml", "--data", "digits", "--samples", "1", "--backend", "engine"],
     "24-bit threshold register", example_with(set_theta(1e30))),
    ("schema-version-missing", ["validate", "{W}/net.yaml"], "schema_version: required field is missing",
     example_with(lambda s: s.pop("schema_version"))),
    ("schema-version-bool", ["validate", "{W}/net.yaml"], "schema_version: Input should be a valid integer",
     example_with(lambda s: s.update(schema_version=True))),
    ("schema-version-future", ["validate", "{W}/net.yaml"], "schema_version 2 is not supported",
     example_with(lambda s: s.update(schema_version=2))),
    ("sparse-duplicate", ["validate", "{W}/net.yaml"], "synapse 0 -> 1 is already given at index 0",
     example_with(sparse_duplicate)),
    # files that are not what they claim to be
    ("net-not-utf8", ["validate", "{W}/net.yaml"], "UTF-8", write_bytes("net.yaml", b"name: \xff\xfe\x00bad\n")),
    ("net-dev-zero", ["validate", "/dev/zero"], "not a regular file", None),
    ("net-directory", ["run", "{W}/u", "--data", "digits"], "network.yaml", user_dir),
    ("net-unsafe-tag", ["validate", "{BAD}/unsafe_tag.yaml"], "not valid YAML", None),
    ("net-alias-bomb", ["validate", "{BAD}/alias_bomb.yaml"], "alias", None),
    ("net-json-nan", ["validate", "{BAD}/nan.json"], "finite number", None),
    ("profile-not-utf8", ["energy", "{EX}", "--profile", "{W}/chip.yaml", "--data", "digits", "--backend",
                          "engine"], "UTF-8", write_bytes("chip.yaml", b"name: \xff\n")),
    ("profile-inf-energy", ["energy", "{EX}", "--profile", "{W}/chip.yaml", "--data", "digits", "--backend",
                            "engine"], "finite number", profile_with(infinite_energy)),
    # sizes that cannot fit in memory
    ("billion-neurons", ["run", "{BAD}/billion_neurons.yaml", "--data", "digits", "--backend", "engine"],
     "GB of memory, over the limit", None),
    ("one-to-one-dense", ["run", "{W}/net.yaml", "--data", "digits", "--backend", "engine"],
     "GB of memory, over the limit", example_with(huge_one_to_one)),
    ("presentation-1e8-ms", ["run", "{W}/net.yaml", "--data", "digits", "--samples", "2", "--backend", "engine"],
     "GB of memory, over the limit",
     example_with(lambda s: s["populations"][0]["encoder"].update(presentation_ms=1e8))),
    ("memory-limit-env", ["run", "{EX}", "--data", "digits", "--backend", "engine", "--env",
                          "NEUROKIT_MEMORY_LIMIT_GB=lots"], "NEUROKIT_MEMORY_LIMIT_GB", None),
    # flags
    ("seed-negative", ["run", "{EX}", "--data", "digits", "--seed=-1"], "--seed: must be an integer", None),
    ("samples-zero", ["run", "{EX}", "--data", "digits", "--samples", "0"], "--samples: must be an integer", None),
    ("samples-word", ["run", "{EX}", "--data", "digits", "--samples", "many"], "--samples", None),
    ("classes-empty-item", ["train", "{EX}", "--data", "digits", "--classes", "0,,1", "--out", "{W}/res"],
     "no empty or negative", None),
    ("classes-negative", ["run", "{EX}", "--data", "digits", "--classes", "-1,2"], "--classes", None),
    ("classes-not-trained", ["evaluate", "{W}/net.yaml", "--data", "digits", "--classes", "3,1", "--backend",
                             "engine"], "has no readout group for [3]", example_with(trained_readout)),
    ("tau-prun-nan", ["experiment", "pruning-curve", "--tau-prun-ms", "nan", "--out", "{W}/res"],
     "--tau-prun-ms: must be a number > 0", None),
    ("chips-zero", ["compile", "{EX}", "--profile", "loihi", "--chips", "0"], "--chips", None),
    ("data-unknown", ["run", "{EX}", "--data", "cifar10"], "data spec", None),
    ("stall-timeout-env", ["run", "{EX}", "--data", "digits", "--samples", "1", "--backend", "lava", "--env",
                           "NEUROKIT_STALL_TIMEOUT_S=soon"], "NEUROKIT_STALL_TIMEOUT_S", None),
    # MNIST files that are broken
    ("mnist-missing", ["run", "{DC}", "--data", "mnist:{W}/nowhere", "--backend", "engine"], "no MNIST", None),
    ("mnist-fewer-labels", ["run", "{DC}", "--data", "mnist:{MNIST}", "--backend", "engine"], "labels",
     mnist_copy(fewer_labels)),
    ("mnist-label-42", ["run", "{DC}", "--data", "mnist:{MNIST}", "--backend", "engine"], "42",
     mnist_copy(label_out_of_range)),
    ("mnist-short-header", ["run", "{DC}", "--data", "mnist:{MNIST}", "--backend", "engine"],
     "t10k-images-idx3-ubyte", mnist_copy(short_header)),
    ("mnist-wrong-magic", ["run", "{DC}", "--data", "mnist:{MNIST}", "--backend", "engine"],
     "t10k-images-idx3-ubyte", mnist_copy(wrong_magic)),
    ("mnist-labels-as-images", ["run", "{DC}", "--data", "mnist:{MNIST}", "--backend", "engine"],
     "t10k-images-idx3-ubyte", mnist_copy(labels_for_images)),
]


def snapshot(root: Path) -> dict[str, str]:
    """Every file and directory under `root` (hidden ones too) with a hash of its content."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root) + "/"] = "dir"
        for f in filenames:
            p = os.path.join(dirpath, f)
            out[os.path.relpath(p, root)] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
    return out


@pytest.mark.parametrize("case_id, argv, expect, setup", CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_one_line_and_changes_nothing(tmp_path, case_id, argv, expect, setup):
    w = tmp_path / "w"
    w.mkdir()
    helper = setup(w) if setup else None
    if isinstance(helper, subprocess.Popen):
        assert helper.stdout.readline().strip() == "locked"
    env = dict(os.environ, PYTHONWARNINGS="ignore", TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    if "--env" in argv:
        k = argv.index("--env")
        name, _, value = argv[k + 1].partition("=")
        env[name] = value
        argv = argv[:k] + argv[k + 2:]
    fill = {"EX": EX, "DC": DC, "W": w, "BAD": BAD, "MNIST": w / "mnist"}
    args = [a.format(**fill) for a in argv]
    before, repo_before = snapshot(w), snapshot(EXAMPLES)
    try:
        proc = subprocess.run([*NEUROKIT, *args], capture_output=True, text=True, cwd=w, env=env,
                              stdin=subprocess.DEVNULL, timeout=300)
    finally:
        if helper is not None:
            helper.kill()
            helper.wait()
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(lines) == 1, lines
    assert expect in lines[0], lines[0]
    assert snapshot(w) == before, "the workspace changed"
    assert snapshot(EXAMPLES) == repo_before
    assert os.listdir(tmp_path / "tmp") == [], "temporary files were left behind"


def test_corpus_size():
    """docs/reliability.md states the number of cases; keep it honest."""
    text = (Path(__file__).parents[1] / "docs" / "reliability.md").read_text()
    assert f"{len(CASES)} cases" in text
