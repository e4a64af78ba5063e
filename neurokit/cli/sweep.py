"""`neurokit sweep SWEEP.yaml --out DIR [--executor local|dask]`: a command over a grid or a
random search of network values and flags; one JSON row per run in DIR/results.jsonl."""
from __future__ import annotations

from neurokit.cli.common import count


def register(sub) -> None:
    from neurokit.sweep.executors import EXECUTORS

    p = sub.add_parser("sweep", help="run a command over a grid or random search of settings (resumable)")
    p.add_argument("sweep", help="sweep file (YAML; see docs/sweeps.md)")
    p.add_argument("--out", required=True,
                   help="directory for sweep.yaml and results.jsonl (created; an earlier run of the same sweep "
                        "there is continued, its finished runs skipped; anything else is refused)")
    p.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local: one run after another here (default); dask: a Dask cluster")
    p.add_argument("--address", help="Dask scheduler address (tcp://host:8786); default: a local cluster")
    p.add_argument("--workers", type=count, default=2, help="workers of the local Dask cluster (default 2)")
    p.add_argument("--json", action="store_true", help="print a summary object on stdout")
    p.set_defaults(handler=_sweep)


def _sweep(args) -> int:
    import contextlib
    import json
    import sys
    from pathlib import Path

    from neurokit.cli.common import print_json
    from neurokit.errors import RunError
    from neurokit.outputs import AppendDir
    from neurokit.progress import progress_bar
    from neurokit.sweep.executors import run_all
    from neurokit.sweep.spec import canonical, check_runs, load_sweep, run_id

    sweep, network = load_sweep(args.sweep)
    runs = sweep.runs()
    check_runs(network, runs, sweep.command)  # a bad value fails here, not after hours of runs
    spec_bytes = Path(args.sweep).read_bytes()
    with AppendDir(args.out, command="sweep", files={"sweep.yaml": spec_bytes}, grows="results.jsonl",
                   inputs=[args.sweep]) as out:
        done = {json.loads(line)["run"] for line in out.rows()}
        todo = [params for params in runs if run_id(params) not in done]
        failed, ran = None, 0
        with progress_bar(len(todo), f"sweep ({args.executor})", unit="run", enabled=not args.json) as bar:
            rows = run_all(todo, sweep.command, network, executor=args.executor, address=args.address,
                           workers=args.workers)
            with contextlib.closing(rows):  # a failed run stops the cluster too
                for row in rows:
                    if "error" in row:
                        failed = row
                        break
                    out.append(canonical(row))  # one JSON text per row: rows compare byte for byte
                    ran += 1
                    bar.update(1)
    if failed is not None:
        raise RunError(f"run {failed['run']} {failed['params']} failed: {failed['error']} "
                       f"({len(done) + ran} of {len(runs)} runs are in {args.out}/results.jsonl; "
                       "run the sweep again to continue)")
    summary = {"runs": len(runs), "skipped": len(done), "ran": len(todo), "out": args.out,
               "executor": args.executor}
    if args.json:
        print_json(summary)
    else:
        sys.stdout.write(f"{len(todo)} runs done, {len(done)} already there, {len(runs)} in all: "
                         f"{args.out}/results.jsonl\n")
    return 0
