"""Progress bars (tqdm) on stderr, with rate and ETA; silent when disabled or not a terminal
unless forced, so JSON on stdout stays clean."""
from __future__ import annotations

import os
import sys

from tqdm import tqdm


def progress_bar(total: int, desc: str, *, unit: str = "it", enabled: bool = True) -> tqdm:
    force = os.environ.get("NEUROKIT_PROGRESS") == "1"
    disable = not enabled or (not force and not sys.stderr.isatty())
    return tqdm(total=total, desc=desc, unit=unit, disable=disable, file=sys.stderr,
                dynamic_ncols=True, mininterval=0.5, smoothing=0.1)
