"""Where a network comes from on the command line: a network file (.yaml, .yml, .json), a
trained-network directory (DIR/network.yaml, written by `neurokit train`), or a network made
elsewhere, imported on the fly with the defaults of `neurokit import` (.net, .nir)."""
from __future__ import annotations

from pathlib import Path

from neurokit.errors import SpecError
from neurokit.ir import Network, load_network

TRAINED_NETWORK_FILE = "network.yaml"


def load_any(path: str | Path) -> Network:
    path = Path(path)
    if path.is_dir():
        inner = path / TRAINED_NETWORK_FILE
        if not inner.is_file():
            raise SpecError([f"a directory must hold {TRAINED_NETWORK_FILE} (written by neurokit train)"], str(path))
        return load_network(inner)
    if path.suffix == ".net":
        from neurokit.interop.netx import read_netx

        return read_netx(path)
    if path.suffix == ".nir":
        from neurokit.interop.nir import from_nir

        return from_nir(path, dt_ms=None)  # the step neurokit's export stored; a graph from elsewhere needs `import --dt-ms`
    return load_network(path)
