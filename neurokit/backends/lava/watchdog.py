"""Run Lava work in a child process that cannot hang its parent.

Lava runs every process model in a forked child; when one raises, the parent may wait forever
(lava#231). So each Lava run happens in a worker (`python -m neurokit.backends.lava.worker`) in
its own process group. The worker reports progress lines; a parent that hears nothing for
`stall_timeout_s` (or `startup_timeout_s` before the first line) kills the whole group, Lava's
children included, and raises RunError with the worker's last error output. Inside the worker,
a monitor thread turns a failed Lava child into an immediate error (see worker.py).
"""
from __future__ import annotations

import math
import os
import pickle
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable

from neurokit.errors import RunError

# A failing Lava child is reported at once by the worker's monitor; these bounds are for a run
# that hangs without failing. They are generous because a loaded machine can slow Lava's CPU
# simulator tenfold (measured: one sample took > 120 s at load average 30 on 2 cores).
# NEUROKIT_STALL_TIMEOUT_S / NEUROKIT_STARTUP_TIMEOUT_S override them; they are read when a run
# starts, not at import, so a bad value is a clean error for Lava runs only.
DEFAULT_STALL_TIMEOUT_S = 600.0
DEFAULT_STARTUP_TIMEOUT_S = 900.0
PROGRESS_PREFIX = "\x1enk:progress "
ERROR_PREFIX = "\x1enk:error "


def run_isolated(
    target: str,
    payload: Any,
    *,
    on_progress: Callable[[int], None] | None = None,
    startup_timeout_s: float | None = None,
    stall_timeout_s: float | None = None,
) -> Any:
    """Call `target` ('module:function', called as fn(payload, report, monitor)) in a watched worker
    process and return its result. A timeout left None comes from the environment (see above)."""
    if startup_timeout_s is None:
        startup_timeout_s = timeout_from_env("NEUROKIT_STARTUP_TIMEOUT_S", DEFAULT_STARTUP_TIMEOUT_S)
    if stall_timeout_s is None:
        stall_timeout_s = timeout_from_env("NEUROKIT_STALL_TIMEOUT_S", DEFAULT_STALL_TIMEOUT_S)
    with tempfile.TemporaryDirectory(prefix="neurokit-lava-") as tmp:
        job, result, errlog = Path(tmp, "job.pkl"), Path(tmp, "result.pkl"), Path(tmp, "stderr.txt")
        # `parent` and `tmpdir` let the worker clean up after itself if this process dies.
        job.write_bytes(pickle.dumps({"target": target, "payload": payload, "result": str(result),
                                      "parent": os.getpid(), "tmpdir": tmp}))
        with open(errlog, "w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "neurokit.backends.lava.worker", str(job)],
                stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, text=True,
                start_new_session=True,
                env=_worker_env(tmp),
            )
        try:
            error = _watch(proc, on_progress, startup_timeout_s, stall_timeout_s)
        finally:
            _kill_group(proc)
        if error is None and proc.returncode == 0 and result.exists():
            return pickle.loads(result.read_bytes())
        stderr = errlog.read_text(errors="replace")
        raise RunError(_describe_failure(error, proc.returncode, stderr), details=stderr[-8000:])


def _worker_env(tmp: str) -> dict[str, str] | None:
    """The worker's and Lava's temporary files (multiprocessing's pymp-*/) go in `tmp`, so they are
    removed with it even when the worker is killed; unless `tmp` is too long to hold the socket
    multiprocessing makes there (AF_UNIX paths: 108 bytes; pymp-*/listener-* adds 32)."""
    return dict(os.environ, TMPDIR=tmp) if len(os.fsencode(tmp)) + 32 < 108 else None


def timeout_from_env(name: str, default: float) -> float:
    """Seconds from environment variable `name` (unset or empty: `default`); RunError if invalid."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise RunError(f"{name}={raw!r} is not valid: it must be a finite number of seconds > 0")
    return value


def _watch(proc, on_progress, startup_timeout_s, stall_timeout_s) -> str | None:
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout] + [lines.put(None)], daemon=True)
    reader.start()
    timeout = startup_timeout_s
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            return f"the Lava run made no progress for {timeout:.0f} s and was stopped"
        if line is None:
            proc.wait()
            return None
        if line.startswith(PROGRESS_PREFIX):
            timeout = stall_timeout_s
            if on_progress:
                on_progress(int(line[len(PROGRESS_PREFIX):]))
        elif line.startswith(ERROR_PREFIX):
            # Return at once: Lava's forked children hold the pipe open, so EOF may never come.
            return line[len(ERROR_PREFIX):].strip()


def _kill_group(proc: subprocess.Popen) -> None:
    """Stop the worker and every Lava process it started (they share its process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _describe_failure(error: str | None, code: int | None, stderr: str) -> str:
    tail = [ln for ln in stderr.strip().splitlines() if ln.strip()][-1:]
    return error or (f"the Lava worker exited with code {code}" + (f": {tail[0].strip()}" if tail else ""))
