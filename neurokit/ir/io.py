"""Load and save networks as YAML or JSON; turn validation errors into 'path: problem' lines.

Each problem names its path in the spec (`connections[1].weights`) and, for a file, the line
of that path, so `neurokit validate` can say exactly where to look.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from neurokit.errors import SpecError
from neurokit.ir.network import Network
from neurokit.util import atomic_write_text

# Discriminator values pydantic inserts into error locations; they are not part of the path.
_UNION_TAGS = {
    "neurons", "input", "lif", "adaptive_lif", "dense", "one_to_one", "all_to_all_except_self",
    "sparse", "uniform", "constant",
}


def format_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in _UNION_TAGS and not str(part).startswith("function-"):
            out += ("." if out else "") + str(part)
    return out


def validation_problems(err: ValidationError) -> list[str]:
    lines = []
    for e in err.errors():
        path, msg = format_path(e["loc"]), e["msg"]
        msg = msg.removeprefix("Value error, ")
        if not path and "\n" in msg or msg.split(":", 1)[0].startswith(("populations", "connections", "readout")):
            lines.extend(msg.splitlines())  # cross-reference problems carry their own paths
            continue
        if e["type"] == "extra_forbidden":
            msg = "unknown field (check its spelling)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        lines.append(f"{path}: {msg}" if path else msg)
    return lines


def network_from_dict(data: Any, source: str | None = None, text: str | None = None) -> Network:
    if not isinstance(data, dict):
        raise SpecError([f"the spec must be a mapping, got {type(data).__name__}"], source)
    try:
        return Network.model_validate(data)
    except ValidationError as err:
        problems = validation_problems(err)
        if text is not None:
            problems = [_with_line(p, text) for p in problems]
        raise SpecError(problems, source) from None


def load_network(path: str | Path) -> Network:
    """Read a network from YAML (.yaml/.yml) or JSON; raise SpecError with every problem."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise SpecError([f"cannot read: {exc.strerror}"], str(path)) from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SpecError([f"not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {_one_line(exc)}"], str(path)) from None
    return network_from_dict(data, str(path), text)


def network_to_dict(net: Network) -> dict:
    return net.model_dump(mode="json", exclude_none=True)


def save_network(net: Network, path: str | Path) -> Path:
    """Write atomically (temporary file, then rename); the format follows the suffix."""
    path = Path(path)
    data = network_to_dict(net)
    if path.suffix == ".json":
        text = json.dumps(data, indent=1)
    else:
        text = yaml.safe_dump(data, sort_keys=False, width=100)
    atomic_write_text(path, text)
    return path


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _with_line(problem: str, text: str) -> str:
    """Prefix 'line N: ' when the problem's path can be found in the YAML/JSON text."""
    path = problem.split(":", 1)[0]
    line = _line_of(path, text)
    return f"line {line}: {problem}" if line else problem


def _line_of(path: str, text: str) -> int | None:
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    import re

    for key, index in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", path):
        if isinstance(node, yaml.MappingNode) and key:
            match = [v for k, v in node.value if k.value == key]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and index and int(index) < len(node.value):
            node = node.value[int(index)]
        else:
            break
    return node.start_mark.line + 1 if node is not None else None
