"""`neurokit experiment NAME …`: the published experiments (neurokit.experiments), one
subcommand per module listed in neurokit.experiments.EXPERIMENTS."""
from __future__ import annotations

import importlib


def register(sub) -> None:
    from neurokit.experiments import EXPERIMENTS

    p = sub.add_parser("experiment", help="reproduce a published experiment")
    group = p.add_subparsers(dest="experiment", required=True, parser_class=type(p))
    for name in EXPERIMENTS:
        importlib.import_module(f"neurokit.experiments.{name}").register(group)
