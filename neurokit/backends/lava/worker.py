"""The worker side of watchdog.run_isolated: `python -m neurokit.backends.lava.worker JOB`.

Loads the job, imports its target, runs it with a `report(n)` callback that prints progress
lines, and pickles the result. A monitor thread watches Lava's runtime: when a process-model
child fails (it raised, or died), the worker prints the child's error and exits at once, and
the parent then kills the process group. A second thread watches the parent: if it dies
without cleaning up (SIGKILL, a crash), the worker removes the job's directory and kills its
own process group.
"""
from __future__ import annotations

import importlib
import os
import pickle
import shutil
import signal
import sys
import threading
import time
import traceback

from neurokit.backends.lava.compat import install
from neurokit.backends.lava.watchdog import ERROR_PREFIX, PROGRESS_PREFIX

POLL_S = 0.2
PARENT_POLL_S = 0.5
_job_dir: str | None = None  # the job's temporary directory, removed if the parent dies


def report(n: int) -> None:
    _tell_parent(f"{PROGRESS_PREFIX}{n}\n")


def fail(message: str) -> None:
    """One line for the parent; details (tracebacks) go to stderr, kept in RunError.details."""
    _tell_parent(ERROR_PREFIX + " ".join(message.split()) + "\n")


def _tell_parent(line: str) -> None:
    try:
        sys.stdout.write(line)
        sys.stdout.flush()
    except BrokenPipeError:  # only the parent reads this pipe: it is gone
        abandon()


class RuntimeMonitor:
    """Watches a Lava runtime's actors (the forked process-model children) from a thread."""

    def __init__(self):
        self.runtime = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def watch(self, runtime) -> None:
        self.runtime = runtime

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(POLL_S):
            infra = getattr(self.runtime, "_messaging_infrastructure", None)
            for actor in list(getattr(infra, "actors", ())):
                problem = _actor_problem(actor)
                if problem and not self._stop.is_set():
                    fail(f"a Lava process model failed: {problem.splitlines()[0]}")
                    sys.stderr.write(problem + "\n")
                    sys.stderr.flush()
                    os._exit(70)


def watch_parent(parent: int, tmpdir: str) -> None:
    """Call abandon() once process `parent` is gone. Polling os.getppid() is the simple Linux way
    to notice: a dead parent's children are reparented, so getppid() changes. PR_SET_PDEATHSIG
    would not do: it fires when the parent *thread* exits, reaches only this process, and cannot
    remove files."""
    global _job_dir
    _job_dir = tmpdir

    def loop() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        abandon()

    threading.Thread(target=loop, daemon=True, name="parent-watch").start()


def abandon() -> None:
    """The parent died without cleaning up (SIGKILL, a crash): nobody will read the result, so
    remove the job's directory and SIGKILL this process group, this worker and Lava's children."""
    if _job_dir:
        shutil.rmtree(_job_dir, ignore_errors=True)
    os.killpg(0, signal.SIGKILL)  # the worker leads its group (run_isolated: start_new_session)


def _actor_problem(actor) -> str | None:
    try:
        exc = actor.exception
    except (OSError, EOFError, ValueError):
        exc = None
    if exc:
        err, tb = exc
        last = tb.strip().splitlines()[-1] if tb else repr(err)
        return f"{last}\n{tb}"
    if not actor.is_alive() and actor.exitcode not in (None, 0):
        return f"a Lava child process died with exit code {actor.exitcode}"
    return None


def main(job_path: str) -> int:
    install()
    with open(job_path, "rb") as f:
        job = pickle.load(f)
    watch_parent(job["parent"], job["tmpdir"])
    module, _, name = job["target"].partition(":")
    monitor = RuntimeMonitor()
    try:
        fn = getattr(importlib.import_module(module), name)
        result = fn(job["payload"], report, monitor)
    except Exception as exc:  # the parent turns this line into RunError
        fail(f"{type(exc).__name__}: {exc}")
        traceback.print_exc()
        return 1
    finally:
        monitor.stop()
    tmp = job["result"] + ".tmp"
    with open(tmp, "wb") as f:
        pickle.dump(result, f)
    os.replace(tmp, job["result"])
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1])
    sys.stdout.flush()
    time.sleep(0)
    os._exit(code)  # skip interpreter teardown: Lava's leftover threads can block it
