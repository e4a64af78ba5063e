#!/usr/bin/env bash
# Creates benchmarks/.venv-brian2: the Brian 2 peer of the benchmark (benchmarks/bench_peers.py),
# kept in its own virtual environment, outside neurokit's dependencies.
#
#   bash benchmarks/setup_peer.sh            # PYTHON=/path/to/python3.11 to choose the interpreter
#
# C++ standalone mode needs a C++ compiler (g++) on the machine; the runtime mode uses Cython.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-brian2"
PYTHON="${PYTHON:-python3.11}"

"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || { echo "setup_peer.sh: need Python 3.11 (set PYTHON=...)" >&2; exit 1; }
command -v g++ >/dev/null || echo "setup_peer.sh: warning: no g++, Brian 2's C++ standalone mode will not build" >&2

"$PYTHON" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
# brian2 pinned to 2.9.0: the last Brian 2 release with a wheel for Python 3.11 (2.11 needs
# Python >= 3.13). numpy < 2 keeps the peer on the same NumPy line as neurokit's venv.
"$venv/bin/python" -m pip install --quiet "brian2==2.9.0" "numpy<2" cython
"$venv/bin/python" -c 'import brian2, numpy, Cython; print("brian2", brian2.__version__, "numpy", numpy.__version__, "cython", Cython.__version__)'
