import json
import os

import numpy as np
import pytest
import yaml

from conftest import EXAMPLES, tiny_network
from neurokit.errors import SpecError
from neurokit.ir import Network, io, load_network, network_from_dict, save_network


def problems_of(spec) -> list[str]:
    with pytest.raises(SpecError) as info:
        network_from_dict(spec)
    return info.value.problems


@pytest.mark.parametrize("name", ["digits_3class.yaml", "diehl_cook_3class.yaml"])
def test_examples_load_with_the_reference_shape(name):
    net = load_network(EXAMPLES / name)
    sizes = {p.name: p.size for p in net.populations}
    assert sizes["exc"] == sizes["inh"] == 30
    assert sizes["input"] == (784 if "diehl" in name else 64)
    w = net.weight_matrices()
    assert w["S1"].shape == (30, sizes["input"])
    assert np.array_equal(w["S2"], np.eye(30) * 2.0)
    assert np.all(np.diag(w["S3"]) == 0) and np.all(w["S3"][~np.eye(30, dtype=bool)] == 5.0)
    assert net.steps_per_sample == 500 and net.presentation_steps == 350


def test_misspelt_population_names_its_path_and_the_known_names():
    spec = tiny_network()
    spec["connections"][1]["target"] = "ihn"
    (line,) = problems_of(spec)
    assert line.startswith("connections[1].target: unknown population 'ihn'")
    assert "inp, exc, inh" in line


def test_wrong_weight_shape_and_bad_parameter_are_separate_lines():
    spec = tiny_network()
    spec["connections"][0] = {"source": "inp", "target": "exc", "kind": "dense", "weights": [[0.1] * 8] * 3}
    spec["connections"][2]["target"] = "nobody"
    lines = problems_of(spec)
    assert lines == [
        "connections[0].weights: shape is 3x8, expected 4x8 [target 'exc' size x source 'inp' size]",
        "connections[2].target: unknown population 'nobody'; known: inp, exc, inh",
    ]


def test_field_errors_carry_paths_without_union_tags():
    spec = tiny_network()
    spec["populations"][1]["neuron"]["tau_m_ms"] = -3
    spec["populations"][2]["neuron"]["v_thr"] = 1
    lines = problems_of(spec)
    assert "populations[1].neuron.tau_m_ms: Input should be greater than 0" in lines
    assert "populations[2].neuron.v_thr: unknown field (check its spelling)" in lines
    assert len(lines) == 2


def test_other_semantic_checks():
    spec = tiny_network()
    spec["populations"][0]["encoder"]["presentation_ms"] = 40.5
    spec["populations"].append(dict(spec["populations"][2]))
    spec["connections"][1]["kind"] = "one_to_one"
    spec["connections"][1]["target"] = "inp"
    lines = problems_of(spec)
    assert any(x.startswith("populations[3].name: 'inh' is already used") for x in lines)
    assert any(x.startswith("populations[0].encoder.presentation_ms: 40.5 is not a multiple") for x in lines)
    assert any(x.startswith("connections[1].target: 'inp' is an input population") for x in lines)


def test_yaml_problems_carry_line_numbers(tmp_path):
    spec = tiny_network()
    spec["connections"][1]["source"] = "exx"
    path = tmp_path / "net.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    with pytest.raises(SpecError) as info:
        load_network(path)
    (line,) = info.value.lines()
    lineno = int(line.split("line ")[1].split(":")[0])
    assert path.read_text().splitlines()[lineno - 1].strip() == "source: exx"
    assert str(path) in line and "connections[1].source" in line


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_save_load_round_trip(tmp_path, suffix):
    net = network_from_dict(tiny_network())
    path = save_network(net, tmp_path / f"net{suffix}")
    again = load_network(path)
    assert again == net
    assert again.schema_version == 1
    assert [p.name for p in tmp_path.iterdir()] == [f"net{suffix}"]  # no temporary left behind


def test_schema_lists_the_fields():
    schema = Network.model_json_schema()
    assert "schema_version" in schema["properties"]
    text = json.dumps(schema)
    assert "adaptive_lif" in text and "all_to_all_except_self" in text and "tau_prun_ms" in text


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))


@pytest.mark.parametrize("name, content, message", [
    ("latin1.yaml", "name: caf\xe9".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 9); a network spec must be UTF-8"),
    ("laughs.yaml", LAUGHS, "not valid YAML: aliases (*name) add 1,234,567,880 values to the 29 written; at most 1,000,000"),
    ("loop.yaml", "a: &a [*a, *a]", "not valid YAML: an alias refers to a node that contains it (an endless structure)"),
    ("deep.yaml", "metadata: " + "[" * 101 + "]" * 101, "nested too deeply; at most 100 levels are allowed"),
    ("deeper.yaml", "a: " + "[" * 100000, "nested too deeply; at most 100 levels are allowed"),
    ("deep.json", "[" * 100000 + "]" * 100000, "nested too deeply; at most 100 levels are allowed"),
    ("list.yaml", "- name: x", "the spec must be a mapping of fields (name, populations, ...), got a list"),
    ("empty.yaml", "", "the spec must be a mapping of fields (name, populations, ...), got nothing (an empty file)"),
    ("nan.json", '{"dt_ms": NaN}', "not valid JSON: NaN is not a number JSON allows; only finite numbers are allowed"),
    ("inf.json", '{"dt_ms": 1e400}', "not valid JSON: 1e400 is out of range; only finite numbers are allowed"),
    ("digits.yaml", "seed: " + "9" * 5000, "not valid YAML: Exceeds the limit (4300 digits) for integer string "
                                          "conversion: value has 5000 digits"),
    ("date.yaml", "seed: 2020-13-01", "not valid YAML: month must be in 1..12"),
])
def test_bad_files_are_one_line_each(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(SpecError) as info:
        load_network(path)
    (line,) = info.value.lines()
    assert line.startswith(f"{path}: {message}")


def test_what_is_not_a_small_regular_file_is_refused_unread(tmp_path, monkeypatch):
    (tmp_path / "dir.yaml").mkdir()
    os.mkfifo(tmp_path / "fifo.yaml")  # reading it would block
    for path, message in [("/dev/zero", "not a regular file"), (tmp_path / "dir.yaml", "a directory"),
                          (tmp_path / "fifo.yaml", "not a regular file"),
                          (tmp_path / "none.yaml", "cannot read: No such file or directory")]:
        with pytest.raises(SpecError, match=f"^{path}: {message}"):
            load_network(path)
    monkeypatch.setattr(io, "MAX_SPEC_BYTES", 2**20)
    (tmp_path / "big.yaml").write_text("#" * (3 * 2**19))
    with pytest.raises(SpecError, match=r"big.yaml: 1.5 MiB; a network spec may be at most 1 MiB$"):
        load_network(tmp_path / "big.yaml")


def test_a_few_aliases_still_load(tmp_path):
    text = yaml.safe_dump(tiny_network(), sort_keys=False)
    text = text.replace("  neuron:\n    kind: lif", "  neuron: &n\n    kind: lif")
    text = text.replace("connections:", "- {name: more, size: 4, neuron: *n}\nconnections:")
    (tmp_path / "a.yaml").write_text(text)
    net = load_network(tmp_path / "a.yaml")
    assert net.population("more").neuron == net.population("inh").neuron


def test_lateral_inhibition_radius_reaches_only_neighbours():
    """radius on the index line, and on a grid (Chebyshev neighbourhood); never the neuron itself."""
    from neurokit.ir.connections import AllToAllExceptSelfConnection

    line = AllToAllExceptSelfConnection(source="a", target="a", weight=2.0, radius=1).matrix(5, 5, None)
    assert line.tolist() == [[0, 2, 0, 0, 0], [2, 0, 2, 0, 0], [0, 2, 0, 2, 0], [0, 0, 2, 0, 2], [0, 0, 0, 2, 0]]
    grid = AllToAllExceptSelfConnection(source="a", target="a", weight=1.0, radius=1, grid=[3, 4]).matrix(12, 12, None)
    assert grid[5].reshape(3, 4).tolist() == [[1, 1, 1, 0], [1, 0, 1, 0], [1, 1, 1, 0]]  # neuron (1, 1)
    assert grid[0].reshape(3, 4).tolist() == [[0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]]  # a corner
    assert not AllToAllExceptSelfConnection(source="a", target="a", weight=1.0, radius=0).matrix(4, 4, None).any()
    everyone = AllToAllExceptSelfConnection(source="a", target="a", weight=1.0).matrix(4, 4, None)
    assert everyone.sum() == 12 and not everyone.diagonal().any()


def test_lateral_inhibition_grid_must_fit_the_population(tmp_path):
    from conftest import run_cli

    spec = tiny_network()
    inh = next(c for c in spec["connections"] if c["kind"] == "all_to_all_except_self")
    inh.update(radius=1, grid=[3, 3])
    path = tmp_path / "net.yaml"
    path.write_text(yaml.safe_dump(spec))
    proc = run_cli("validate", path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "grid: [3, 3] holds 9 neurons" in proc.stderr and "has 4" in proc.stderr
