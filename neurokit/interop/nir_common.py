"""What the NIR reader and writer share: the lazy `nir` import, reading a file, node kinds,
the metadata hint (JSON of the IR object a node was written from) and small array helpers."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np

from neurokit.errors import SpecError

HINT = "neurokit"  # node metadata key: JSON of the IR object the node was written from
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NEURON_NODES = ("LIF", "CubaLIF", "IF", "LI", "CubaLI", "I")
SPIKING_NODES = ("LIF", "CubaLIF", "IF")
LINEAR_NODES = ("Affine", "Linear", "Scale", "Conv2d", "SumPool2d", "AvgPool2d", "Flatten", "Identity")
_RESHAPE = ("Flatten", "Identity", "Input", "Output")  # inside a path: no effect on the flat index
SUPPORTED = ("Input", "Output", *LINEAR_NODES, *NEURON_NODES, "NIRGraph")
_RTOL = 1e-12  # metadata is trusted where it agrees with the node's parameters this closely


def _nir():
    import nir  # lazily: `import neurokit` stays free of nir (and of h5py)

    return nir


# ----------------------------------------------------------------------------- file helpers
def read_nir(path: str | os.PathLike):
    """`nir.read(path)` with the file's problems as SpecError."""
    nir = _nir()
    path = Path(path)
    if not path.is_file():
        raise SpecError([f"no such NIR file: {path}"])
    try:
        return nir.read(path)
    except (OSError, ValueError, KeyError, AssertionError, TypeError) as e:
        raise SpecError([f"not a readable NIR graph ({type(e).__name__}: {e})"], str(path)) from None



# ----------------------------------------------------------------------------- small helpers
def _hint(node) -> dict | None:
    meta = getattr(node, "metadata", None) or {}
    text = meta.get(HINT) if isinstance(meta, dict) else None
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if not isinstance(text, str):
        return None
    try:
        out = json.loads(text)
    except ValueError:
        return None
    return out if isinstance(out, dict) else None


def _meta(obj: dict) -> dict:
    return {HINT: json.dumps(obj, sort_keys=True)}


def _arr(x) -> np.ndarray:
    if hasattr(x, "detach"):  # a torch tensor left in a graph built in memory
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def _pair(x, what: str) -> tuple[int, int]:
    a = np.asarray(x).ravel()
    if a.size == 1:
        return int(a[0]), int(a[0])
    if a.size != 2:
        raise SpecError([f"{what}: expected one or two integers, got {a.tolist()}"])
    return int(a[0]), int(a[1])


def _nudge(x: float, ok, tries: int = 64) -> float:
    """The float nearest `x` (within `tries` ulps) for which ok(value) holds, else `x`: lets
    `to_nir` choose τ, r and thresholds that `from_nir` turns back into the IR's exact numbers."""
    if ok(x):
        return x
    up = down = x
    for _ in range(tries):
        up, down = np.nextafter(up, np.inf), np.nextafter(down, -np.inf)
        for v in (float(up), float(down)):
            if ok(v):
                return v
    return x


def _close(a, b) -> bool:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= _RTOL * np.maximum(np.abs(a), np.abs(b))))


def _pop_name(key: str, node, taken: set) -> str:
    name = key if _NAME.match(key) else re.sub(r"[^A-Za-z0-9_]", "_", f"{type(node).__name__.lower()}_{key}")
    base, i = name, 1
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name


