"""The output contract (neurokit/outputs.py): results replace only neurokit's own results, whole
and at once, and a failed or concurrent write leaves nothing behind."""
import json
import os
import threading

import pytest

from conftest import EXAMPLES, run_cli
from neurokit.outputs import MANIFEST, OutputError, ResultDir, ResultFile
from neurokit.plots import figure, png_bytes


def write_result(path, files, **kw):
    with ResultDir(path, command="test", **kw) as out:
        out.commit(files)


def entries(directory):
    return sorted(os.listdir(directory))


def test_a_result_replaces_an_earlier_result_and_nothing_else(tmp_path):
    out = tmp_path / "res"
    write_result(out, {"a.json": b"1", "b.png": b"2"})
    assert entries(out) == [MANIFEST, "a.json", "b.png"]
    assert json.loads((out / MANIFEST).read_text())["files"] == ["a.json", "b.png"]
    write_result(out, {"c.json": b"3"})
    assert entries(out) == [MANIFEST, "c.json"]
    assert entries(tmp_path) == ["res"]  # no lock, no staging, no old copy left


def test_a_user_file_in_a_result_stops_the_next_write(tmp_path):
    out = tmp_path / "res"
    write_result(out, {"a.json": b"1"})
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds files neurokit did not write .notes.txt."):
        write_result(out, {"a.json": b"2"})
    assert (out / "notes.txt").read_text() == "mine" and (out / "a.json").read_bytes() == b"1"


def test_a_user_file_dropped_in_during_the_work_is_kept(tmp_path):
    out = tmp_path / "res"
    write_result(out, {"a.json": b"1"})
    with pytest.raises(OutputError, match="notes.txt"):
        with ResultDir(out, command="test") as res:
            (out / "notes.txt").write_text("mine")  # while neurokit trains
            res.commit({"a.json": b"2"})
    assert entries(out) == [MANIFEST, "a.json", "notes.txt"]
    assert entries(tmp_path) == ["res"]


def test_a_second_writer_fails_at_once_and_the_first_finishes(tmp_path):
    out = tmp_path / "res"
    with ResultDir(out, command="first") as first:
        with pytest.raises(OutputError, match=rf"another neurokit command \(pid {os.getpid()}\)"):
            ResultDir(out, command="second").reserve()
        first.commit({"a.json": b"1"})
    assert json.loads((out / MANIFEST).read_text())["command"] == "first"


def test_a_failed_command_leaves_no_trace(tmp_path):
    out = tmp_path / "new" / "deeper" / "res"
    with pytest.raises(RuntimeError):
        with ResultDir(out, command="test"):
            assert any(p.name.startswith(".res.neurokit-staging-") for p in out.parent.iterdir())
            raise RuntimeError("training failed")
    assert entries(tmp_path) == []  # the parents it created are gone too


def test_leftovers_of_a_killed_command_are_cleaned_by_the_next(tmp_path):
    (tmp_path / ".res.neurokit-staging-abc123").mkdir()
    (tmp_path / ".res.neurokit-staging-abc123" / "network.yaml").write_text("half")
    (tmp_path / ".res.neurokit-lock").write_text("999999")  # its flock died with it
    write_result(tmp_path / "res", {"a.json": b"1"})
    assert entries(tmp_path) == ["res"]


def test_replacement_is_atomic_for_a_reader(tmp_path):
    """A reader opening the result's files by path while it is replaced 40 times always finds
    them (the old ones or the new ones), never a missing directory or file."""
    out = tmp_path / "res"
    write_result(out, {"a.json": b"0", "b.json": b"0"})
    missing, reads, stop = [], [0], threading.Event()

    def reader():
        while not stop.is_set():
            for name in (MANIFEST, "a.json", "b.json"):
                try:
                    (out / name).read_bytes()
                    reads[0] += 1
                except FileNotFoundError as exc:
                    missing.append(exc.filename)

    t = threading.Thread(target=reader)
    t.start()
    try:
        for k in range(40):
            write_result(out, {"a.json": str(k).encode(), "b.json": b"x"})
    finally:
        stop.set()
        t.join()
    assert missing == [] and reads[0] > 100


def test_a_png_is_replaced_only_if_neurokit_wrote_it(tmp_path):
    plt, fig = figure()
    png = png_bytes(plt, fig)
    path = tmp_path / "plot.png"
    with ResultFile(path, flag="--plot") as f:
        f.commit(png)
    with ResultFile(path, flag="--plot") as f:  # neurokit's own: replaced
        f.commit(png)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"someone else's")
    with pytest.raises(OutputError, match="neurokit did not write it"):
        ResultFile(path, flag="--plot").reserve()


def test_train_twice_onto_one_out_replaces_the_first_result(tmp_path):
    out = tmp_path / "trained"
    args = ["train", EXAMPLES / "digits_3class.yaml", "--data", "digits", "--classes", "0,1", "--train-samples", "2",
            "--backend", "engine", "--out", out]
    for seed in ("0", "1"):
        proc = run_cli(*args, "--seed", seed, "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads((out / "training_log.json").read_text())["seed"] == int(seed)
    assert entries(tmp_path) == ["trained"]
    assert "replaced" in run_cli("train", "--help").stdout
