"""Load and save networks as YAML or JSON; turn validation errors into 'path: problem' lines.

Each problem names its path in the spec (`connections[1].weights`) and, for a file, the line
of that path, so `neurokit validate` can say exactly where to look.
"""
from __future__ import annotations

import json
import math
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from neurokit.errors import SpecError
from neurokit.ir.network import Network
from neurokit.util import atomic_write_text

MAX_SPEC_BYTES = 256 * 2**20
MAX_DEPTH = 100  # a spec needs about 6 levels; metadata may add some
MAX_ALIAS_NODES = 1_000_000  # values that aliases (*name) may add by repetition
_CAP = 1 << 62  # expanded sizes saturate here instead of growing without bound

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
        elif part in _UNION_TAGS or str(part).startswith("function-"):
            continue
        elif isinstance(part, str) and not part.isprintable():  # a key with a line break or control character: quoted
            out += f"[{part!r}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _one_line_msg(msg: str) -> str:
    """Escape line breaks that came with a user's value: one problem, one line."""
    return "".join(repr(c)[1:-1] if c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029" else c for c in msg)


def validation_problems(err: ValidationError) -> list[str]:
    lines = []
    for e in err.errors():
        path, msg = format_path(e["loc"]), e["msg"]
        msg = msg.removeprefix("Value error, ")
        if not path and "\n" in msg or msg.split(":", 1)[0].startswith(("populations", "connections", "readout")):
            lines.extend(map(_one_line_msg, msg.split("\n")))  # cross-reference problems carry their own paths
            continue
        if e["type"] == "extra_forbidden":
            msg = "unknown field (check its spelling)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        lines.append(_one_line_msg(f"{path}: {msg}" if path else msg))
    return _collapse_items(lines)


def _collapse_items(lines: list[str]) -> list[str]:
    """One line for one problem repeated over a list: 'theta_init[0]: x', …, 'theta_init[29]: x'
    become 'theta_init[0] and 29 more items of the list: x' (the first names the line to look at)."""
    import re

    out: list[str] = []
    groups: dict[tuple[str, str], int] = {}
    for line in lines:
        m = re.fullmatch(r"(.*)\[(\d+)\]: (.*)", line)
        key = (m.group(1), m.group(3)) if m else None
        if key in groups:
            k = groups[key]
            first, count = out[k]
            out[k] = (first, count + 1)
            continue
        if key is not None:
            groups[key] = len(out)
        out.append((line, 1))
    return [line if n == 1 else line.replace(": ", f" and {n - 1} more items of the list: ", 1)
            for line, n in out]


def network_from_dict(data: Any, source: str | None = None, text: str | None = None) -> Network:
    if not isinstance(data, dict):
        got = "nothing (an empty file)" if data is None else f"a {type(data).__name__}"
        raise SpecError([f"the spec must be a mapping of fields (name, populations, ...), got {got}"], source)
    try:
        return Network.model_validate(data)
    except ValidationError as err:
        problems = validation_problems(err)
        if text is not None:
            problems = [_with_line(p, text) for p in problems]
        raise SpecError(problems, source) from None


def load_network(path: str | Path) -> Network:
    """Read a network from YAML (.yaml/.yml) or JSON; raise SpecError with every problem."""
    data, text = read_document(path, "a network spec")
    return network_from_dict(data, str(path), text)


def read_document(path: str | Path, what: str) -> tuple[Any, str]:
    """Parse a YAML (or, by suffix, JSON) file safely: (data, text). Every way the file can be
    wrong (not a regular file, too large, not UTF-8, bad syntax, alias bombs, nesting too deep,
    NaN in JSON) is one SpecError line; `what` ('a network spec') names the file's role."""
    path = Path(path)
    text = _read_text(path, what)
    fmt = "JSON" if path.suffix == ".json" else "YAML"
    try:
        data = _load_json(text) if fmt == "JSON" else _load_yaml(text)
        if _deeper_than(data, MAX_DEPTH):
            raise RecursionError  # as the parsers do when nested far deeper
    except RecursionError:
        raise SpecError([f"nested too deeply; at most {MAX_DEPTH} levels are allowed"], str(path)) from None
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # ValueError: bad dates, ints of > 4300 digits
        msg = _one_line(exc).replace('in "<unicode string>", ', "at ")
        msg = msg.replace("; use sys.set_int_max_str_digits() to increase the limit", "")  # not the user's to call
        raise SpecError([f"not valid {fmt}: {msg}"], str(path)) from None
    return data, text


def _read_text(path: Path, what: str) -> str:
    """The file as text, refused before reading when it is not a regular file or too large."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # /dev/zero or a FIFO would be read forever
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise SpecError([f"{kind}; {what} must be a YAML or JSON file"], str(path))
        if st.st_size > MAX_SPEC_BYTES:
            raise SpecError([f"{st.st_size / 2**20:.1f} MiB; {what} may be at most "
                             f"{MAX_SPEC_BYTES // 2**20} MiB"], str(path))
        with open(path, "rb") as f:
            raw = f.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise SpecError([f"cannot read: {exc.strerror or _one_line(exc)}"], str(path)) from None
    except ValueError as exc:  # a NUL in the path
        raise SpecError([f"cannot read: {_one_line(exc)}"], str(path)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError([f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                         f"{what} must be UTF-8 YAML or JSON"], str(path)) from None


def _load_json(text: str) -> Any:
    def finite(s: str) -> float:
        if not math.isfinite(x := float(s)):
            raise ValueError(f"{s} is out of range; only finite numbers are allowed")
        return x

    def constant(s: str) -> float:
        raise ValueError(f"{s} is not a number JSON allows; only finite numbers are allowed")

    return json.loads(text, parse_float=finite, parse_constant=constant)


def _load_yaml(text: str) -> Any:
    """yaml.safe_load, with the node graph checked before it is built: aliases (*a) share nodes, so
    a small file can stand for a huge or endless tree (billion laughs, `a: &a [*a]`)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        problem = _alias_problem(node)
        if problem:
            raise yaml.YAMLError(problem)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _alias_problem(root: yaml.Node) -> str | None:
    """Walk the node graph once (iteratively), sizing each node as if its aliases were copied."""
    expanded: dict[int, int] = {}  # id(node) -> node count with aliases expanded; absent until done
    entered: set[int] = set()
    todo: list[tuple[yaml.Node, bool]] = [(root, False)]
    while todo:
        node, done = todo.pop()
        children = node.value if isinstance(node, yaml.SequenceNode) else \
            [n for kv in node.value for n in kv] if isinstance(node, yaml.MappingNode) else []
        if done:
            expanded[id(node)] = min(1 + sum(expanded[id(c)] for c in children), _CAP)
        elif id(node) in entered:
            if id(node) not in expanded:  # entered, not done: we are inside it
                return "an alias refers to a node that contains it (an endless structure); this is not allowed"
        else:
            entered.add(id(node))
            todo.append((node, True))
            todo.extend((c, False) for c in children)
    extra = expanded[id(root)] - len(entered)
    if extra > MAX_ALIAS_NODES:
        return (f"aliases (*name) add {'more than ' if expanded[id(root)] == _CAP else ''}{extra:,} values to the "
                f"{len(entered):,} written; at most {MAX_ALIAS_NODES:,} are allowed")
    return None


def _deeper_than(data: Any, limit: int) -> bool:
    todo = [(data, 1)]
    while todo:
        x, depth = todo.pop()
        if isinstance(x, (dict, list)):
            if depth > limit:
                return True
            todo.extend((v, depth + 1) for v in (x.values() if isinstance(x, dict) else x))
    return False


def network_to_dict(net: Network) -> dict:
    return net.model_dump(mode="json", exclude_none=True)


def network_text(net: Network, suffix: str) -> str:
    """The file's text: JSON for '.json', YAML otherwise."""
    data = network_to_dict(net)
    if suffix == ".json":
        return json.dumps(data, indent=1)
    return yaml.safe_dump(data, sort_keys=False, width=100)


def save_network(net: Network, path: str | Path) -> Path:
    """Write atomically (temporary file, then rename); the format follows the suffix."""
    path = Path(path)
    atomic_write_text(path, network_text(net, path.suffix))
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
