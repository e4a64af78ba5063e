"""Make lava-nc 0.10.0 importable on Python 3.11 without touching site-packages.

lava-nc 0.10.0 declares Python <3.11 and has exactly one 3.11 incompatibility:
`lava/magma/compiler/var_model.py` gives dataclass fields mutable defaults
(`x: ByteEncoder = ByteEncoder()`), which 3.11's dataclasses reject at import. We install a
meta-path finder that loads that one module from its own source with those defaults rewritten
to `field(default_factory=ByteEncoder)`. Every other lava module loads untouched.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys

from neurokit.errors import BackendUnavailable

PATCHED_MODULE = "lava.magma.compiler.var_model"
_MUTABLE_DEFAULT = re.compile(r"^(\s+\w+: )(\w+Encoder) = (\w+Encoder)\(\)\s*$", re.MULTILINE)


def patch_source(source: str) -> str:
    """Rewrite `name: XEncoder = XEncoder()` fields as `field(default_factory=XEncoder)`."""
    # The module starts with `from __future__ import annotations`, so no import line may go
    # before it: the replacement reaches dataclasses.field through __import__ instead.
    return _MUTABLE_DEFAULT.sub(r'\1\2 = __import__("dataclasses").field(default_factory=\3)', source)


class _PatchingLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):
        source = self.get_data(self.path).decode("utf-8")
        return compile(patch_source(source), self.path, "exec", dont_inherit=True)


class _VarModelFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != PATCHED_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None:
            return None
        loader = _PatchingLoader(fullname, spec.origin)
        return importlib.util.spec_from_file_location(fullname, spec.origin, loader=loader)


def install() -> None:
    """Install the import fix (idempotent). Must run before anything imports lava.magma."""
    if sys.version_info < (3, 11):
        return
    if not any(isinstance(f, _VarModelFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _VarModelFinder())


def ensure_lava_importable() -> None:
    """Install the fix and import Lava's run configs, or say clearly what is missing."""
    install()
    try:
        import lava.magma.core.run_configs  # noqa: F401
    except ImportError as exc:
        raise BackendUnavailable(
            f"Lava is not importable ({exc}); run ./setup.sh to install lava-nc 0.10.0"
        ) from exc
