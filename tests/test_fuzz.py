"""Fuzz the two readers of user files: every input either loads or raises the project's own error
(one line per problem), never anything else.

NEUROKIT_FUZZ_EXAMPLES sets the examples per test (150 by default, a few seconds); a long run:
    NEUROKIT_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_fuzz.py
Each test prints how many examples it ran. Runs are derandomized and write no .hypothesis folder.
"""
import copy
import gzip
import json
import math
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from conftest import EXAMPLES, tiny_network
from neurokit.data.idx import read_idx, read_mnist
from neurokit.errors import DataError, NeurokitError
from neurokit.ir import load_network, network_from_dict, network_to_dict

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "neurokit-hypothesis")  # its caches, not in the repo
N_EXAMPLES = int(os.environ.get("NEUROKIT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=N_EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def fuzz(capsys):
    """fuzz(strategy, check): run check on N_EXAMPLES draws, assert that many ran, print the count."""
    def run(strategy, check):
        count, start = 0, time.perf_counter()

        @FUZZ
        @given(strategy)
        def body(x):
            nonlocal count
            count += 1
            check(x)

        body()
        with capsys.disabled():
            print(f" [{count} examples in {time.perf_counter() - start:.1f} s]", end="")
        assert count >= N_EXAMPLES
    return run


def one_line(err: NeurokitError, path) -> None:
    lines = err.lines()
    assert lines and all(line.splitlines() == [line] for line in lines), lines
    assert str(path) in lines[0]


# -- IDX ------------------------------------------------------------------------------------------

def idx_bytes(code: int, dims: list[int], data: bytes) -> bytes:
    return bytes([0, 0, code, len(dims)]) + np.array(dims, ">u4").tobytes() + data


@st.composite
def valid_idx(draw, ndim=None):
    ndim = draw(st.sampled_from([1, 3])) if ndim is None else ndim
    dims = draw(st.lists(st.integers(0, 6), min_size=ndim, max_size=ndim))
    data = draw(st.binary(min_size=math.prod(dims), max_size=math.prod(dims)))
    return idx_bytes(8, dims, data)


@st.composite
def mutated(draw, base):
    """A valid file with a few bytes changed, cut, added or header fields replaced; maybe gzipped."""
    b = bytearray(draw(base))
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["set", "cut", "append", "u32", "header"]))
        if op == "set" and b:
            b[draw(st.integers(0, len(b) - 1))] = draw(st.integers(0, 255))
        elif op == "cut":
            del b[draw(st.integers(0, len(b))):]
        elif op == "append":
            b += draw(st.binary(min_size=1, max_size=8))
        elif op == "u32" and len(b) >= 8:  # a size field: 0, small, huge
            at = 4 * draw(st.integers(1, len(b) // 4 - 1))
            b[at:at + 4] = draw(st.sampled_from([0, 1, 7, 2**16, 2**31, 2**32 - 1])).to_bytes(4, "big")
        elif op == "header" and len(b) >= 4:  # magic, type code, ndim
            b[draw(st.integers(0, 3))] = draw(st.sampled_from([0, 1, 2, 3, 8, 9, 0x0D, 0xFF]))
    b = bytes(b)
    if draw(st.booleans()):
        b = gzip.compress(b, mtime=0)
        if draw(st.booleans()):  # a broken .gz: cut or a byte flipped
            at = draw(st.integers(0, len(b) - 1))
            b = b[:at] if draw(st.booleans()) else b[:at] + bytes([b[at] ^ 0xFF]) + b[at + 1:]
    return b


def test_idx_reader_on_arbitrary_bytes(fuzz, tmp_path):
    path = tmp_path / "x-idx3-ubyte"

    def check(args):
        content, ndim, packed = args
        path.write_bytes(gzip.compress(content, mtime=0) if packed else content)
        try:
            a = read_idx(path, ndim)
            assert a.dtype == np.uint8 and a.ndim == ndim
        except DataError as err:
            one_line(err, path)

    fuzz(st.tuples(st.binary(max_size=64) | st.binary(max_size=8).map(lambda t: b"\0\0\x08" + t),
                   st.sampled_from([1, 3]), st.booleans()), check)


def test_idx_reader_on_mutated_files(fuzz, tmp_path):
    images, labels = tmp_path / "i-idx3-ubyte", tmp_path / "l-idx1-ubyte"

    def check(args):
        images.write_bytes(args[0])
        labels.write_bytes(args[1])
        try:
            x, y = read_mnist(images, labels)
            assert x.ndim == 3 and len(x) == len(y) > 0 and y.max() <= 9
        except DataError as err:
            one_line(err, tmp_path)

    labels_ = st.integers(0, 6).flatmap(lambda n: st.binary(min_size=n, max_size=n).map(
        lambda d: idx_bytes(8, [len(d)], bytes(v % 11 for v in d))))  # now and then a label 10
    fuzz(st.tuples(mutated(valid_idx(3) | valid_idx(1)), mutated(labels_ | valid_idx())), check)


# -- network specs --------------------------------------------------------------------------------

def _sparse_network() -> dict:
    spec = tiny_network()
    spec["connections"].append({"name": "S4", "source": "exc", "target": "exc", "kind": "sparse",
                                "pre": [0, 1, 2], "post": [1, 2, 3], "weights": [0.5, 0.25, 1.0]})
    return spec


BASES = [yaml.safe_load((EXAMPLES / "digits_3class.yaml").read_text()), tiny_network(), _sparse_network()]


def _keys_and_strings(x, keys: set, strings: set) -> None:
    if isinstance(x, dict):
        keys.update(x)
        for v in x.values():
            _keys_and_strings(v, keys, strings)
    elif isinstance(x, list):
        for v in x:
            _keys_and_strings(v, keys, strings)
    elif isinstance(x, str):
        strings.add(x)


KEYS, STRINGS = set(), set()
for _b in BASES:
    _keys_and_strings(_b, KEYS, STRINGS)
KEYS, STRINGS = sorted(KEYS), sorted(STRINGS | {"sparse", "constant", "neurons", "lif", "adaptive_lif"})

NUMBERS = st.sampled_from([0, -1, 1, 2, 0.5, -0.0, 1e-300, 1e308, -1e308, 2**31, 2**53 + 1, 2**63, 2**64, -2**63,
                           10**30, float("nan"), float("inf"), float("-inf")])
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.integers(), st.floats(), st.sampled_from(STRINGS),
                    st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4), max_leaves=12)


def _paths(x, at=()):
    yield at
    items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()
    for k, v in items:
        yield from _paths(v, (*at, k))


@st.composite
def mutated_spec(draw):
    """A valid spec with 1-4 values replaced, keys deleted, list items duplicated or keys added."""
    spec = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(list(_paths(spec))))
        if not path:
            continue
        parent = spec
        for k in path[:-1]:
            parent = parent[k]
        key, op = path[-1], draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "add"]))
        if op == "replace":
            parent[key] = draw(VALUES)
        elif op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif op == "add" and isinstance(parent[key], dict):
            parent[key][draw(st.sampled_from(KEYS) | st.text(max_size=6))] = draw(VALUES)
    return spec


def _expect_spec_error_or_network(call, path=None):
    try:
        return call()
    except NeurokitError as err:
        one_line(err, path or "")
        return None


def test_network_loader_on_arbitrary_files(fuzz, tmp_path):
    yamlish = st.text(alphabet="abc01.-+e:,[]{}&*!|>'\"#%@ \n\t\\", max_size=60)

    def check(args):
        content, suffix = args
        path = tmp_path / f"net{suffix}"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        _expect_spec_error_or_network(lambda: load_network(path), path)

    fuzz(st.tuples(st.binary(max_size=80) | st.text(max_size=80) | yamlish,
                   st.sampled_from([".yaml", ".json"])), check)


def test_network_from_dict_on_mutated_specs(fuzz, tmp_path):
    def check(spec):
        net = _expect_spec_error_or_network(lambda: network_from_dict(spec))
        if net is not None:  # what loads must save and load back the same: no data lost on the way
            for suffix in (".yaml", ".json"):
                path = tmp_path / f"again{suffix}"
                text = json.dumps(network_to_dict(net)) if suffix == ".json" else \
                    yaml.safe_dump(network_to_dict(net), sort_keys=False)
                path.write_text(text)
                assert load_network(path) == net

    fuzz(mutated_spec(), check)


def test_network_loader_on_mutated_spec_files(fuzz, tmp_path):
    def check(args):
        spec, suffix, edits = args
        path = tmp_path / f"net{suffix}"
        # json.dumps writes NaN as is: the loader must refuse it in one line
        text = (json.dumps(spec) if suffix == ".json" else yaml.safe_dump(spec, sort_keys=False)).encode()
        for at, new in edits:  # a few bytes of the file overwritten: syntax errors, bad UTF-8
            at %= len(text) + 1
            text = text[:at] + new + text[at + len(new):]
        path.write_bytes(text)
        _expect_spec_error_or_network(lambda: load_network(path), path)

    edits = st.lists(st.tuples(st.integers(0, 2**16), st.binary(min_size=1, max_size=3)), max_size=2)
    fuzz(st.tuples(mutated_spec(), st.sampled_from([".yaml", ".json"]), edits), check)
