"""Arguments and output helpers shared by several commands."""
from __future__ import annotations

import json
import sys


def add_data_args(p, *, samples_default: int | None = None) -> None:
    p.add_argument("--data", required=True, help="data spec: 'digits' or 'mnist:ROOT'")
    p.add_argument("--split", choices=("train", "test"), default="test")
    p.add_argument("--samples", type=int, default=samples_default, help="number of samples")
    p.add_argument("--download", action="store_true", help="allow downloading MNIST into ROOT")


def add_backend_args(p) -> None:
    p.add_argument("--backend", choices=("lava", "loihi2", "engine"), default="lava",
                   help="lava: Lava's CPU simulator (Loihi2SimCfg); loihi2: Loihi2HwCfg; "
                        "engine: neurokit's fast engine, bit-exact with lava")
    p.add_argument("--precision", choices=("fixed", "float"), default="fixed")
    p.add_argument("--seed", type=int, default=0, help="seed of sample choice and input spikes")


def parse_classes(text: str | None) -> list[int] | None:
    if text is None:
        return None
    from neurokit.errors import DataError

    try:
        classes = [int(c) for c in text.split(",") if c.strip()]
    except ValueError:
        raise DataError(f"--classes must be comma-separated digits like 0,1,7, got {text!r}") from None
    if not classes or len(set(classes)) != len(classes):
        raise DataError(f"--classes needs distinct classes, got {text!r}")
    return classes


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=1)
    sys.stdout.write("\n")
