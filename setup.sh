#!/usr/bin/env bash
# Create .venv with neurokit, Lava and the rest of the stack (Python 3.11), idempotently.
# Usage: ./setup.sh            (set up only)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), f"neurokit needs Python 3.11, found {sys.version}"'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip>=23.2"
# 1. neurokit and everything it needs, with lava's own constraints.
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[dev]"
# 2. lava-nc / lava-dl: their metadata says Python <3.11; their requirements are in step 1.
.venv/bin/python -m pip install --quiet --no-deps --ignore-requires-python -r requirements-lava.txt
.venv/bin/python -c "import neurokit, neurokit.backends.lava.compat as c; c.ensure_lava_importable(); import lava.magma.core.run_configs; print('neurokit', neurokit.__version__, 'with Lava ready')"
