"""One run of a sweep: the network with the run's values, the command with the run's flags, run
through neurokit's own CLI in this process; what it prints with `--json` becomes the run's row.

This function is what every executor calls (here, or on a Dask worker), so a row depends on the
run's parameters only: never on the executor, the machine's paths or the clock (times are left
out of rows, temporary paths replaced by their placeholders).
"""
from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from neurokit.sweep.spec import network_for, run_id

TIMING_KEYS = ("wall_time_s",)  # what differs from one run of the same thing to the next


def run_one(command: list[str], network: dict | None, params: dict) -> dict:
    """{"run", "params", "result"} or {"run", "params", "error"}: the row of one run."""
    from neurokit.cli.main import main

    with tempfile.TemporaryDirectory(prefix="neurokit-sweep-") as tmp:
        places = {"{net}": str(Path(tmp) / "network.yaml"), "{out}": str(Path(tmp) / "out")}
        if network is not None:
            import yaml

            Path(places["{net}"]).write_text(yaml.safe_dump(network_for(network, params), sort_keys=False))
        argv = [places.get(a, a) for a in command]
        for key, value in params.items():
            if key.startswith("arg:"):
                flag = key[4:]
                if flag in argv:
                    argv[argv.index(flag) + 1] = str(value)
                else:
                    argv += [flag, str(value)]
        if "--json" not in argv:
            argv.append("--json")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code
        row = {"run": run_id(params), "params": params}
        if code != 0:
            lines = [ln for ln in err.getvalue().splitlines() if ln.strip()]
            row["error"] = lines[-1] if lines else f"exit code {code}"
            return row
        result = json.loads(out.getvalue())
        row["result"] = _portable(result, {v: k for k, v in places.items()})
        return row


def _portable(obj, places: dict):
    """`obj` without timing keys, with this run's temporary paths as their placeholders."""
    if isinstance(obj, dict):
        return {k: _portable(v, places) for k, v in obj.items() if k not in TIMING_KEYS}
    if isinstance(obj, list):
        return [_portable(v, places) for v in obj]
    if isinstance(obj, str):
        for path, name in places.items():
            obj = obj.replace(path, name)
    return obj
