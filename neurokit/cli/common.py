"""Arguments and output helpers shared by several commands."""
from __future__ import annotations

import argparse
import functools
import json
import sys


SEED_MAX = 2**32 - 1  # NumPy's legacy seeding and Lava's learning-engine streams take 32 bits


def _number(kind, low, high=None, *, above: bool = False, what: str = "an integer"):
    """An argparse type: a finite `kind` (int or float) >= low (> low with `above`) and <= high;
    a bad value is one line naming the flag, the value and the allowed range."""
    import math

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        ok = value is not None and math.isfinite(value) and (value > low if above else value >= low)
        if not ok or (high is not None and value > high):
            bound = (f"from {low} to {high}" if high is not None else f"{'>' if above else '>='} {low}")
            raise argparse.ArgumentTypeError(f"must be {what} {bound}, got {text!r}")
        return value

    parse.__name__ = what
    return parse


count = _number(int, 1)                     # samples, steps, chips
index = _number(int, 0)
seed = _number(int, 0, SEED_MAX)
positive_float = _number(float, 0, above=True, what="a number")
nonnegative_float = _number(float, 0, what="a number")


def add_data_args(p, *, samples_default: int | None = None) -> None:
    p.add_argument("--data", required=True, help="data spec: 'digits' or 'mnist:ROOT'")
    p.add_argument("--split", choices=("train", "test"), default="test")
    p.add_argument("--samples", type=count, default=samples_default, help="number of samples")
    p.add_argument("--download", action="store_true", help="allow downloading MNIST into ROOT")


def add_backend_args(p) -> None:
    p.add_argument("--backend", choices=("auto", "engine", "lava", "loihi2"), default="auto",
                   help="auto (default): the engine wherever it runs the work, Lava otherwise; engine: "
                        "neurokit's fast engine, bit-exact with lava; lava: Lava's CPU simulator "
                        "(Loihi2SimCfg); loihi2: Loihi2HwCfg")
    p.add_argument("--precision", choices=("fixed", "float"), default="fixed", help="default: %(default)s")
    p.add_argument("--seed", type=seed, default=0, help="seed of sample choice and input spikes (default: 0)")


def parse_seeds(text: str) -> list[int]:
    """`--seeds 0,1,2` -> [0, 1, 2] (at least one), or a DataError saying what is wrong."""
    from neurokit.errors import DataError

    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise DataError(f"--seeds must be comma-separated integers, got {text!r}") from None
    if not seeds:
        raise DataError("--seeds needs at least one seed")
    return seeds


def parse_classes(text: str | None) -> list[int] | None:
    if text is None:
        return None
    from neurokit.errors import DataError

    items = [c.strip() for c in text.split(",")]
    if not all(c.isdigit() for c in items):
        raise DataError(f"--classes must be comma-separated class numbers like 0,1,7 (no empty or negative "
                        f"items), got {text!r}")
    classes = [int(c) for c in items]
    if len(set(classes)) != len(classes):
        raise DataError(f"--classes needs distinct classes, got {text!r}")
    return classes


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=1)
    sys.stdout.write("\n")


def writes_result_dir(command: str, inputs: tuple[str, ...] = ("net",)):
    """Decorate a handler `fn(args, out)` that writes `--out DIR`: the directory is checked,
    locked and staged before any work (neurokit.outputs.ResultDir), and `out.commit(files)`
    swaps the result in."""
    def wrap(fn):
        @functools.wraps(fn)
        def handler(args):
            from neurokit.outputs import ResultDir

            named = [getattr(args, a) for a in inputs if getattr(args, a, None)]
            with ResultDir(args.out, command=command, inputs=named) as out:
                return fn(args, out)
        return handler
    return wrap


def output_file(path: str | None, flag: str, inputs=()):
    """A checked single output file (neurokit.outputs.ResultFile), or a no-op when not asked for."""
    import contextlib

    from neurokit.outputs import ResultFile

    return ResultFile(path, flag=flag, inputs=inputs) if path is not None else contextlib.nullcontext()


def comma_list(kind, allowed=None, what: str = "names"):
    """An argparse type: a comma-separated list of `kind` (of `allowed`, when given)."""
    def parse(text: str) -> tuple:
        items = [t.strip() for t in text.split(",")]
        try:
            values = tuple(kind(t) for t in items if t)
        except ValueError:
            values = None
        if values is None or len(values) != len(items) or (kind is int and min(values) < 0):
            raise argparse.ArgumentTypeError(f"must be comma-separated {what}, got {text!r}")
        bad = [v for v in values if allowed is not None and v not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {', '.join(map(repr, bad))}; choose from {', '.join(allowed)}")
        if len(set(values)) != len(values):
            raise argparse.ArgumentTypeError(f"an item is repeated in {text!r}")
        return values

    parse.__name__ = what
    return parse


def add_record_args(p) -> None:
    """--record and its companions (neurokit.probes); the handler is decorated with `records_run`."""
    from neurokit.probes import VARIABLES

    p.add_argument("--record", type=comma_list(str, VARIABLES, "variables"), metavar=",".join(VARIABLES),
                   help="record these per step into --record-out (default: all four)")
    p.add_argument("--record-pops", type=comma_list(str), metavar="POP,…",
                   help="populations to record (default: all)")
    p.add_argument("--record-samples", type=comma_list(int, what="sample indices"), metavar="0,1,…",
                   help="samples to record, by their place in the run (default: all)")
    p.add_argument("--record-out", metavar="NPZ", help="write the recording here (an .npz; docs/probes.md)")


def records_run(input_attr: str):
    """Decorate a handler that simulates once (run, evaluate) so that `--record-out FILE`
    records it: the file is checked before any work, the handler's simulate() records
    (neurokit.runner.recording), and the arrays are written to FILE atomically at the end."""
    def wrap(fn):
        @functools.wraps(fn)
        def handler(args):
            from neurokit.probes import RecordError

            if args.record_out is None:
                if args.record or args.record_pops or args.record_samples:
                    raise RecordError("--record, --record-pops and --record-samples need --record-out FILE.npz")
                return fn(args)
            from neurokit.probes import VARIABLES, Record, write_npz
            from neurokit.runner import recording

            record = Record(what=args.record or VARIABLES, pops=args.record_pops, samples=args.record_samples)
            with output_file(args.record_out, "--record-out", inputs=[getattr(args, input_attr)]) as out, \
                    recording(record) as rec:
                code = fn(args)
                out.commit(write_npz(rec.result.recorded))
            if not getattr(args, "json", False):
                print(f"recorded {','.join(record.what)} in {args.record_out}")
            return code
        return handler
    return wrap
