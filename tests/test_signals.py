"""A `neurokit` command stopped by SIGTERM, SIGHUP or SIGKILL leaves no process and no temporary
file behind (the real CLI on the real Lava runtime), and a bad timeout setting is a clean error.

Every process a test starts carries a unique marker in its environment (children inherit it),
so "nothing left" means: no process in /proc has the marker."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from conftest import NEUROKIT, REPO
from neurokit.backends.lava.watchdog import timeout_from_env
from neurokit.errors import RunError

_SCRIPT = Path(sys.executable).with_name("neurokit")  # the console script users run
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else NEUROKIT
# Long enough (minutes) that it is still running when the signal comes.
LONG_LAVA_RUN = ["run", "examples/digits_3class.yaml", "--data", "digits", "--samples", "200",
                 "--backend", "lava", "--json"]
MARKER_VAR = "NEUROKIT_TEST_MARKER"


def marked_pids(marker: str) -> list[int]:
    """Live processes whose environment holds MARKER_VAR=marker (a zombie's environ reads empty)."""
    needle = f"{MARKER_VAR}={marker}".encode()
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if needle in Path("/proc", entry, "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry))
            except OSError:  # gone meanwhile, or not ours to read
                pass
    return pids


def wait_until(predicate, timeout_s: float, poll_s: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(poll_s)
    return True


def is_worker(pid: int) -> bool:
    try:
        return b"neurokit.backends.lava.worker" in Path("/proc", str(pid), "cmdline").read_bytes()
    except OSError:
        return False


@pytest.fixture
def short_tmpdir():
    """An empty TMPDIR. Not tmp_path: its path is too long for the worker to keep Lava's socket
    in its own temporary directory (watchdog._worker_env), so pymp-* would stay behind."""
    path = Path(tempfile.mkdtemp(prefix="nk-signals-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def long_lava_run(short_tmpdir):
    """Start the long Lava run with TMPDIR=short_tmpdir; yield (proc, marker, tmpdir) once the
    worker and Lava's children run; afterwards SIGKILL whatever still carries the marker."""
    marker, tmpdir = uuid.uuid4().hex, short_tmpdir
    env = {k: v for k, v in os.environ.items() if k not in ("NEUROKIT_PROGRESS", "NEUROKIT_DEBUG")}
    env.update(PYTHONWARNINGS="ignore", TMPDIR=str(tmpdir), **{MARKER_VAR: marker})
    proc = subprocess.Popen([*CLI, *LONG_LAVA_RUN], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # the CLI, the worker and at least two Lava process-model children
        started = wait_until(lambda: len(marked_pids(marker)) >= 4 or proc.poll() is not None, 180)
        assert started and proc.poll() is None, "the Lava run did not start: " + (
            proc.communicate(timeout=30)[1] if proc.poll() is not None else "timed out")
        yield proc, marker, tmpdir
    finally:
        for pid in marked_pids(marker):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.kill()
        proc.wait(timeout=30)
        proc.stderr.close()


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_signal_stops_everything_and_says_so_in_one_line(long_lava_run, sig, code):
    proc, marker, tmpdir = long_lava_run
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert stderr.splitlines() == [f"neurokit: terminated by {sig.name}"]
    assert wait_until(lambda: not marked_pids(marker), 10), "processes left running"
    assert not list(tmpdir.iterdir()), "temporary files left"


def test_worker_cleans_up_when_the_cli_is_killed(long_lava_run):
    proc, marker, tmpdir = long_lava_run
    assert any(is_worker(pid) for pid in marked_pids(marker))
    assert list(tmpdir.glob("neurokit-lava-*"))
    proc.kill()  # SIGKILL: no finally runs in the CLI; the worker must notice and clean up
    proc.communicate(timeout=30)
    assert wait_until(lambda: not marked_pids(marker), 10), "the worker or Lava's children live on"
    assert not list(tmpdir.iterdir()), "temporary files left"


def test_bad_timeout_setting_is_one_line_and_exit_2(tmp_path):
    env = dict(os.environ, PYTHONWARNINGS="ignore", TMPDIR=str(tmp_path), NEUROKIT_STALL_TIMEOUT_S="abc")
    out = subprocess.run([*CLI, "run", "examples/digits_3class.yaml", "--data", "digits", "--samples", "2",
                          "--backend", "lava"], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and "NEUROKIT_STALL_TIMEOUT_S='abc'" in lines[0] and "> 0" in lines[0], out.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf", "0", "1e999"])
@pytest.mark.parametrize("name", ["NEUROKIT_STALL_TIMEOUT_S", "NEUROKIT_STARTUP_TIMEOUT_S"])
def test_timeouts_from_the_environment_are_checked(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(RunError, match=f"{name}='{value}' is not valid: it must be a finite number"):
        timeout_from_env(name, 600)


def test_timeouts_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEUROKIT_STALL_TIMEOUT_S", " 2.5 ")
    assert timeout_from_env("NEUROKIT_STALL_TIMEOUT_S", 600) == 2.5
    monkeypatch.setenv("NEUROKIT_STALL_TIMEOUT_S", "")
    assert timeout_from_env("NEUROKIT_STALL_TIMEOUT_S", 600) == 600
    monkeypatch.delenv("NEUROKIT_STALL_TIMEOUT_S")
    assert timeout_from_env("NEUROKIT_STALL_TIMEOUT_S", 600) == 600
