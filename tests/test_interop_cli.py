"""`neurokit import` / `export` as a user types them (real CLI, subprocess)."""
import json

import h5py
import numpy as np

from conftest import EXAMPLES, run_cli
from test_netx import TINY


def test_import_export_round_trip(tmp_path):
    net_yaml = tmp_path / "tiny.yaml"
    proc = run_cli("import", TINY / "tiny.net", "--out", net_yaml, "--steps", "16")
    assert proc.returncode == 0, proc.stderr
    assert "input=768, layer1=864, layer2=36" in proc.stdout and "18 steps per sample" in proc.stdout
    assert net_yaml.read_text().startswith("# written by neurokit import from tiny.net\n")
    # a second import replaces neurokit's own file; validate and compile read it
    assert run_cli("import", TINY / "tiny.net", "--out", net_yaml).returncode == 0
    assert run_cli("validate", net_yaml).returncode == 0
    proc = run_cli("compile", net_yaml, "--profile", "loihi2", "--json")
    assert proc.returncode == 0, proc.stderr
    assert set(json.loads(proc.stdout)["populations"]) == {"layer1", "layer2"}
    out = tmp_path / "again.net"
    proc = run_cli("export", net_yaml, "--to", "netx", "--out", out)
    assert proc.returncode == 0, proc.stderr
    with h5py.File(TINY / "tiny.net") as a, h5py.File(out) as b:
        for k in ("1", "2"):
            assert np.array_equal(a["layer"][k]["weight"][()], b["layer"][k]["weight"][()])
    # .net files are read directly too
    assert run_cli("compile", out, "--profile", "loihi2").returncode == 0


def test_import_refuses_to_overwrite_a_users_file(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("my notes\n")
    proc = run_cli("import", TINY / "tiny.net", "--out", mine)
    assert proc.returncode == 2 and "neurokit did not write it" in proc.stderr and "Traceback" not in proc.stderr
    assert mine.read_text() == "my notes\n"


def test_export_refuses_by_name_and_writes_nothing(tmp_path):
    out = tmp_path / "dc.net"
    proc = run_cli("export", EXAMPLES / "diehl_cook_3class.yaml", "--to", "netx", "--out", out)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "netx files hold no learning rules" in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_import_of_a_file_that_is_not_netx(tmp_path):
    bad = tmp_path / "bad.net"
    bad.write_text("not hdf5")
    proc = run_cli("import", bad, "--out", tmp_path / "x.yaml")
    assert proc.returncode == 2 and "not a netx HDF5 file" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.yaml").exists()
