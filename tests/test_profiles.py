"""Hardware profiles: the packaged files load, carry their sources, hold the published figures,
and a bad profile file is refused with the path of the bad field."""
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli
from neurokit.energy import list_profiles, load_profile, profile_from_dict
from neurokit.energy.profiles import profile_dir
from neurokit.errors import SpecError

EXPECTED = {"loihi", "loihi2", "truenorth", "spinnaker", "spinnaker2", "ann-45nm", "survey"}


def test_every_target_ships_and_names_match_files():
    assert EXPECTED <= set(list_profiles())
    for name in list_profiles():
        assert load_profile(name).name == name


def test_top_level_hw_profiles_is_the_packaged_folder():
    top = REPO / "hw_profiles"
    assert sorted(p.name for p in top.glob("*.yaml")) == sorted(p.name for p in Path(str(profile_dir())).glob("*.yaml"))


def test_pyproject_ships_profiles_as_package_data():
    text = (REPO / "pyproject.toml").read_text()
    assert "hw_profiles/*.yaml" in text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_figure_names_a_source_a_place_and_a_kind(name):
    p = load_profile(name)
    figures = list(p.energy.values())
    for group in (p.limits, p.mesh):
        if group is not None:
            figures += [f for _, f in group if f is not None]
    for f in figures:
        assert f.source in p.sources and f.where and f.kind in ("measured", "simulated", "derived", "specified")


def test_published_figures_are_the_cited_ones():
    loihi = load_profile("loihi")
    pj = {k: loihi.joules(k) / 1e-12 for k in loihi.energy}
    assert pj == pytest.approx({"synaptic_event": 23.6, "learning_update": 120, "neuron_update_active": 81,
                                "neuron_update_inactive": 52, "spike_within_tile": 1.7, "hop_east_west": 3.0,
                                "hop_north_south": 4.0})
    assert loihi.energy["synaptic_event"].kind == "simulated"
    assert loihi.figure_value("limits.neurons_per_core") == 1024
    assert loihi.figure_value("limits.input_axons_per_core") == 4096
    assert loihi.figure_value("limits.synaptic_memory_per_core") == 128
    assert load_profile("truenorth").joules("synaptic_event") == pytest.approx(26e-12)
    assert load_profile("spinnaker").joules("synaptic_event") == pytest.approx(13.3e-9)
    assert load_profile("spinnaker").joules("neuron_update") == pytest.approx(26e-9)
    assert load_profile("spinnaker2").joules("synaptic_event") == pytest.approx(450e-12)
    assert load_profile("spinnaker2").joules("neuron_update") == pytest.approx(2.19e-9)
    ann = load_profile("ann-45nm")
    assert ann.joules("mac") == pytest.approx(4.6e-12) and ann.joules("mac_int8") == pytest.approx(0.23e-12)
    survey = load_profile("survey")
    assert survey.joules("spike") == pytest.approx(0.1e-12) and survey.joules("mac") == pytest.approx(4.6e-12)


def test_loihi2_publishes_no_energy_and_says_so():
    p = load_profile("loihi2")
    assert p.energy == {}
    assert {"synaptic_events", "neuron_updates", "routing"} <= set(p.unknown)
    assert p.figure_value("limits.cores_per_chip") == 128
    assert p.figure_value("limits.synapses_per_chip") == 120_000_000
    assert [a.name for a in p.assumptions] == ["loihi-energies"]


def _loihi_dict():
    return yaml.safe_load((Path(str(profile_dir())) / "loihi.yaml").read_text())


def _problems(data, tmp_path):
    path = tmp_path / "chip.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(SpecError) as err:
        load_profile(str(path))
    return err.value.lines(), str(path)


def test_bad_kind_names_the_field_and_the_file(tmp_path):
    data = _loihi_dict()
    data["energy"]["synaptic_event"]["kind"] = "guessed"
    lines, path = _problems(data, tmp_path)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: energy.synaptic_event.kind: ")
    assert "'measured'" in lines[0] and "'simulated'" in lines[0]


def test_unknown_source_wrong_unit_and_typo_are_each_reported(tmp_path):
    data = _loihi_dict()
    data["energy"]["synaptic_event"]["source"] = "nobody2020"
    data["energy"]["hop_east_west"]["unit"] = "W"
    data["limits"]["neurons_per_kore"] = data["limits"].pop("neurons_per_core")
    lines, _ = _problems(data, tmp_path)
    text = "\n".join(lines)
    assert "limits.neurons_per_kore: unknown field" in text
    # model-level checks run only once fields parse: fix the typo and look again
    data["limits"]["neurons_per_core"] = data["limits"].pop("neurons_per_kore")
    lines, _ = _problems(data, tmp_path)
    text = "\n".join(lines)
    assert "energy.synaptic_event.source: 'nobody2020' is not a key of 'sources'" in text
    assert "energy.hop_east_west.unit: 'W' is not allowed here" in text


def test_a_component_cannot_be_both_priced_and_unknown():
    data = _loihi_dict()
    data["unknown"] = {"synaptic_events": "no idea"}
    with pytest.raises(SpecError, match="unknown.synaptic_events: the profile also gives figures"):
        profile_from_dict(data, "x.yaml")


def test_unknown_profile_name_lists_the_packaged_ones():
    with pytest.raises(SpecError, match="unknown hardware profile 'loihi3'.*loihi2"):
        load_profile("loihi3")


def test_user_profile_file_is_usable_by_path(tmp_path):
    data = _loihi_dict()
    data["name"] = "my-chip"
    data["energy"]["synaptic_event"]["value"] = 10
    path = tmp_path / "my_chip.yaml"
    path.write_text(yaml.safe_dump(data))
    assert load_profile(str(path)).joules("synaptic_event") == pytest.approx(10e-12)


def test_cli_refuses_a_bad_profile_file_in_one_line(tmp_path):
    data = _loihi_dict()
    data["energy"]["synaptic_event"]["value"] = -1
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    out = run_cli("compile", REPO / "examples" / "digits_3class.yaml", "--profile", path)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "energy.synaptic_event.value" in lines[0] and str(path) in lines[0]
