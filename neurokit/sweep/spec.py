"""A sweep file: one neurokit command, run over settings of the network and of its flags.

    schema_version: 1
    network: ../examples/diehl_cook_3class.yaml        # relative to the sweep file
    command: [experiment, regularization, --net, "{net}", --data, digits, --classes, "0,1",
              --backend, engine, --out, "{out}"]
    settings:                                           # explicit sets (default: one empty set)
      - {}
      - {net:populations.exc.neuron.v_th: 18}
    grid:                                               # cartesian product, with every setting
      arg:--seed: [0, 1, 2]
      arg:--tau-prun-ms: [7500, 15000]
    random:                                             # instead of grid: N draws from a space
      {samples: 8, seed: 0, space: {net:populations.exc.neuron.v_th: {low: 12, high: 28}}}

A key `net:PATH` sets a value in the network (PATH dotted, list items by name or index:
`populations.exc.neuron.v_th`, `connections[0].init.high`); `arg:--flag` sets a flag of the
command (added if the command does not have it). `{net}` in the command is the run's network
file, `{out}` a fresh directory for the command's own files (deleted after the run: the sweep
keeps what the command prints with `--json`, which the sweep adds).
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from neurokit.errors import NeurokitError, SpecError

KEY = re.compile(r"^(net:[A-Za-z_][\w.\[\]-]*|arg:--[a-z][a-z0-9-]*)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Range(_Strict):
    """Uniform on [low, high] (log-uniform with `log`), rounded to an integer with `integer`; or
    one of `choices`."""

    low: float | None = None
    high: float | None = None
    log: bool = False
    integer: bool = False
    choices: list[Any] | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        if (self.choices is None) == (self.low is None or self.high is None):
            raise ValueError("give either 'choices' or both 'low' and 'high'")
        if self.choices is None and (self.high < self.low or (self.log and self.low <= 0)):
            raise ValueError("need low <= high (and low > 0 with log)")
        return self

    def draw(self, rng) -> Any:
        if self.choices is not None:
            return self.choices[int(rng.integers(len(self.choices)))]
        if self.log:
            x = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        else:
            x = float(rng.uniform(self.low, self.high))
        return int(round(x)) if self.integer else x


class Random(_Strict):
    samples: int = Field(ge=1)
    seed: int = Field(0, ge=0)
    space: dict[str, Range] = Field(min_length=1)


class Sweep(_Strict):
    schema_version: Literal[1]
    network: str | None = Field(None, description="network file whose values `net:` keys set")
    command: list[str] = Field(min_length=1, description="a neurokit command and its flags")
    settings: list[dict[str, Any]] = Field(default_factory=lambda: [{}])
    grid: dict[str, list[Any]] = Field(default_factory=dict)
    random: Random | None = None

    @model_validator(mode="after")
    def _consistent(self):
        problems = []
        if self.grid and self.random:
            problems.append("grid, random: give one of them (random draws replace the grid)")
        keys = [k for s in self.settings for k in s] + list(self.grid) + list(self.random.space if self.random else [])
        for k in keys:
            if not KEY.match(k):
                problems.append(f"{k!r}: a key is 'net:PATH' (a value in the network) or 'arg:--flag'")
        if any(k.startswith("net:") for k in keys) and self.network is None:
            problems.append("network: needed, since keys set values in it ('net:…')")
        if self.network is not None and "{net}" not in self.command:
            problems.append("command: must pass the network as '{net}'")
        for k, values in self.grid.items():
            if not values:
                problems.append(f"grid.{k}: needs at least one value")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def runs(self) -> list[dict[str, Any]]:
        """Every run's parameters, in a fixed order: settings x (grid product | random draws)."""
        if self.random is not None:
            import numpy as np

            rng = np.random.default_rng(self.random.seed)
            variants = [{k: r.draw(rng) for k, r in self.random.space.items()} for _ in range(self.random.samples)]
        else:
            keys = list(self.grid)
            variants = [dict(zip(keys, combo)) for combo in itertools.product(*(self.grid[k] for k in keys))]
        return [{**s, **v} for s in self.settings for v in variants]


def run_id(params: dict) -> str:
    """A run's name: a hash of its parameters, so that a resumed sweep knows what it has done."""
    return hashlib.sha256(canonical(params).encode()).hexdigest()[:12]


def canonical(obj) -> str:
    """The one JSON text of `obj`: sorted keys, no spaces (rows compare byte for byte)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def load_sweep(path: str | Path) -> tuple[Sweep, dict | None]:
    """The sweep and its network (as a dict), with every problem as a SpecError line."""
    from pydantic import ValidationError

    from neurokit.ir.io import read_document, validation_problems

    path = Path(path)
    data, _ = read_document(path, "a sweep file")
    if not isinstance(data, dict):
        raise SpecError([f"a sweep file must be a mapping, got {type(data).__name__}"], str(path))
    try:
        sweep = Sweep.model_validate(data)
    except ValidationError as err:
        raise SpecError(validation_problems(err), str(path)) from None
    network = None
    if sweep.network is not None:
        net_path = (path.parent / sweep.network) if not Path(sweep.network).is_absolute() else Path(sweep.network)
        network, _ = read_document(net_path, "a network spec")
    return sweep, network


def set_path(data: dict, path: str, value: Any) -> None:
    """data[path] = value for a dotted path with list items by name or index
    (`populations.exc.neuron.v_th`, `populations[1].neuron.v_th`)."""
    parts = [p for p in re.split(r"\.|\[|\]", path) if p]
    obj: Any = data
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if isinstance(obj, list):
            if part.isdigit() and int(part) < len(obj):
                idx = int(part)
            else:
                named = [i for i, x in enumerate(obj) if isinstance(x, dict) and x.get("name") == part]
                if not named:
                    raise SpecError([f"net:{path}: no list item named or numbered {part!r}"])
                idx = named[0]
            if last:
                obj[idx] = value
            else:
                obj = obj[idx]
        elif isinstance(obj, dict):
            if last:
                obj[part] = value
            elif part not in obj:
                raise SpecError([f"net:{path}: {part!r} is not in the network"])
            else:
                obj = obj[part]
        else:
            raise SpecError([f"net:{path}: {parts[k - 1]!r} is a value; nothing lies below it"])


def network_for(network: dict, params: dict) -> dict:
    """The network of one run: a copy of `network` with the run's `net:` values set."""
    import copy

    net = copy.deepcopy(network)
    for key, value in params.items():
        if key.startswith("net:"):
            set_path(net, key[4:], value)
    return net


def check_runs(network: dict | None, runs: list[dict], command: list[str]) -> None:
    """Every run's network is valid and fits the precision it runs in, checked before the first
    run starts (the first problem, with the run's values)."""
    from neurokit.ir import network_from_dict
    from neurokit.quant import compile_params

    if network is None:
        return
    for params in runs:
        precision = str(params.get("arg:--precision") or (
            command[command.index("--precision") + 1] if "--precision" in command[:-1] else "fixed"))
        try:
            compile_params(network_from_dict(network_for(network, params)), precision)
        except NeurokitError as err:
            raise SpecError([f"run {canonical(params)}: {err.lines()[0]}"]) from None
