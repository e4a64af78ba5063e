"""Entry point of the `neurokit` command."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from neurokit import __version__
from neurokit.errors import NeurokitError

COMMAND_MODULES = ("spec", "run", "train", "compile", "energy", "experiment", "sweep", "plot", "interop", "generate")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)  # sent by `timeout`, CI cancellation, a closed terminal


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM/SIGHUP, so every `finally` and context manager runs
    (the Lava worker's process group is killed, temporary directories go). A BaseException,
    like KeyboardInterrupt, so that `except Exception` cannot swallow it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame):
    for sig in STOP_SIGNALS:  # a second signal must not interrupt the cleanup the first started
        signal.signal(sig, signal.SIG_IGN)
    raise Terminated(signum)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message):
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="neurokit", description=__doc__)
    parser.add_argument("--version", action="version", version=f"neurokit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"neurokit.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is not threading.main_thread():  # e.g. a sweep run on a Dask worker:
        return _main(argv)                                           # signals belong to the main thread
    previous = {sig: signal.signal(sig, _terminate) for sig in STOP_SIGNALS}
    try:
        return _main(argv)
    except Terminated as stop:
        try:
            sys.stderr.write(f"neurokit: terminated by {signal.Signals(stop.signum).name}\n")
        except OSError:  # after SIGHUP the terminal may be gone
            pass
        return 128 + stop.signum
    finally:  # main() may be called in-process (tests): leave the handlers as they were
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except NeurokitError as err:
        for line in _located(err, args):
            sys.stderr.write(f"neurokit {args.command}: error: {line}\n")
        if os.environ.get("NEUROKIT_DEBUG") and getattr(err, "details", ""):
            sys.stderr.write(err.details)
        return 2
    except BrokenPipeError:  # `neurokit … | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a command killed by SIGPIPE
    except KeyboardInterrupt:
        sys.stderr.write("neurokit: interrupted\n")
        return 130


NETWORK_PATHS = ("populations", "connections", "readout", "schema_version", "dt_ms")


def _located(err: NeurokitError, args) -> list[str]:
    """The error's lines, with the network file in front of those that point into it (a value
    found not to fit fixed point while compiling, say) and do not name a file already."""
    from neurokit.errors import QuantizationError, SpecError

    lines = err.lines()
    source = next((v for v in (getattr(args, a, None) for a in ("net", "trained")) if isinstance(v, str)), None)
    if source is None or (isinstance(err, SpecError) and err.source) or not isinstance(err, (QuantizationError, SpecError)):
        return lines
    return [f"{source}: {line}" if line.startswith(NETWORK_PATHS) else line for line in lines]


if __name__ == "__main__":
    sys.exit(main())
