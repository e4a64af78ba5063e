"""Entry point of the `neurokit` command."""
from __future__ import annotations

import argparse
import os
import sys

from neurokit import __version__
from neurokit.errors import NeurokitError

COMMAND_MODULES = ("spec", "run", "train", "compile", "energy", "experiment")


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
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except NeurokitError as err:
        for line in err.lines():
            sys.stderr.write(f"neurokit {args.command}: error: {line}\n")
        if os.environ.get("NEUROKIT_DEBUG") and getattr(err, "details", ""):
            sys.stderr.write(err.details)
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("neurokit: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
