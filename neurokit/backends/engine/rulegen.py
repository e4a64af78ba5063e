"""Compile a parsed learning rule into a Numba function that updates one synapse.

Lava evaluates a rule by walking its products at run time; here each product becomes one line
of generated Python, with its factors, constants and bit widths written in, so Numba compiles
straight-line arithmetic. For `dw = 4 * 2^-4 * y0 * x1 * (y2 - 8) - …` in fixed point:

    acc = w * 128.0                                            # w << 7
    cur = (1.0 if y0[j] else 0.0)
    cur *= _clip(xh[ty[j], 0, i], -128.0, 127.0)               # x1 at the post spike
    cur *= _clip((yh[ty[j], 1, j] + -8.0), -128.0, 127.0)      # (y2 − 8)
    acc = _acc(acc + _acc(math.floor(cur * 4.0 * 0.125) * 8.0))   # · m >> 3 << e
    …
    w_new = finish(0, w, acc, r_cv, True, 1)                   # round to 8 bits, clip

The semantics are those documented in plastic.py; the generated module's source is kept on it
(`module.source`) for inspection.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
import sys
import textwrap
import types

from numba import njit

from neurokit.backends.engine import jit
from neurokit.backends.engine import plastic as P
from neurokit.util import atomic_write_text

_cache: dict = {}


@njit(inline="always")
def _clip(v, lo, hi):
    return min(max(v, lo), hi)


@njit(inline="always")
def _acc(v):
    return min(max(v, P.ACC_MIN), P.ACC_MAX)


@njit(inline="always")
def _sign(v):
    return (v > 0) - (v < 0)


def _dep_expr(dep: int) -> str:
    return ("(1.0 if x0[i] else 0.0)", "(1.0 if y0[j] else 0.0)", "u")[dep]


def _factor_expr(var: int, dep: int) -> str:
    k = ("tx[i]", "ty[j]", "xh.shape[0] - 1")[dep]
    if var in (P.X1, P.X2):
        return f"xh[{k}, {var - P.X1}, i]"
    if var in (P.Y1, P.Y2, P.Y3):
        return f"yh[{k}, {var - P.Y1}, j]"
    return {P.X0: _dep_expr(0), P.Y0: _dep_expr(1), P.W: "w", P.D: "d", P.T: "tg", P.C: "0.0"}[var]


def rule_source(tb: P.RuleTables, fixed: bool, sign_mode: int, deps: tuple = (0, 1, 2), name: str = "update") -> str:
    """Source of `update` with the products whose dependency is in `deps` (a product whose
    dependency is false adds exactly 0, so a synapse known to have x0 false can use the y0-only
    variant, and vice versa)."""
    lines = [f"def {name}(i, j, wT, dT, tT, xh, yh, tx, ty, x0, y0, u, r_cv):",
             "    w, d, tg = float(wT[i, j]), float(dT[i, j]), float(tT[i, j])"]
    outs = ["w", "d", "tg"]
    for target, name in enumerate(P.TARGETS):
        products = [p for p in range(len(tb.target)) if tb.target[p] == target and int(tb.dep[p]) in deps]
        if not products:
            continue
        old = outs[target]
        lines.append(f"    # {name}")
        lines.append(f"    acc = {old} * 128.0" if fixed else "    acc = 0.0")
        for n, p in enumerate(products):
            dep = int(tb.dep[p])
            mant, shift, sexp = int(tb.mant[p]), int(tb.shift[p]), int(tb.sexp[p])
            lines.append(f"    cur = {_dep_expr(dep)}" if fixed else
                         f"    cur = {mant * 2.0 ** (sexp - 7)!r} * {_dep_expr(dep)}")
            for k in range(int(tb.nf[p])):
                f = _factor_expr(int(tb.fvar[p, k]), dep)
                if tb.fconst[p, k]:
                    f = f"({f} + {float(tb.fconst[p, k])!r})"
                if tb.fsgn[p, k]:
                    f = f"_sign({f})"
                if fixed:
                    lim = 2.0 ** int(tb.fwidth[p, k])
                    f = f"_clip({f}, {-lim!r}, {lim - 1!r})"
                lines.append(f"    cur *= {f}")
            if fixed:
                lines.append(f"    acc = _acc(acc + _acc(math.floor(cur * {float(mant)!r} * {2.0 ** -shift!r})"
                             f" * {2.0 ** sexp!r}))")
            else:
                lines.append("    acc = cur" if n == 0 else "    acc = acc + cur")  # Lava sums left to right
        lines.append(f"    new{target} = finish({target}, {old}, acc, r_cv, {fixed}, {sign_mode})")
        outs[target] = f"new{target}"
    lines.append(f"    wT[i, j], dT[i, j], tT[i, j] = {outs[0]}, {outs[1]}, {outs[2]}")
    return "\n".join(lines) + "\n"


VARIANTS = {"update_all": (0, 1, 2), "update_x": (0, 2), "update_y": (1, 2)}
RULE_ARGS = ("update_all", "update_x", "update_y", "x_gate", "y_gate")  # what a rule module fills in


def module_source(tb: P.RuleTables, fixed: bool, sign_mode: int) -> str:
    """A module with the rule's three `update` variants (all products; x0- and u-dependent only,
    for a synapse whose post neuron did not spike; y0- and u-dependent only, pre silent), its
    zero gates (`zero_gate`) and `run`: online.run_online's source with those as globals instead
    of arguments. Numba resolves them at compile time, so `run` holds no pointer to a Python
    object and can be cached on disk (a function passed as an argument cannot)."""
    from neurokit.backends.engine import online

    fn = ast.parse(textwrap.dedent(inspect.getsource(online.run_online.py_func))).body[0]
    fn.name, fn.decorator_list = "run", []
    fn.args.args = [a for a in fn.args.args if a.arg not in RULE_ARGS]
    parts = ["# A learning rule compiled by neurokit.backends.engine.rulegen; generated, safe to delete.",
             "from neurokit.backends.engine.online import *  # what run_online's body uses",
             "import math", "from neurokit.backends.engine.jit import njit  # the caching one",
             "from neurokit.backends.engine.rulegen import _clip, _acc, _sign",
             "from neurokit.backends.engine.plastic import finish", "",
             f"x_gate, y_gate = {zero_gate(tb, 0, (P.Y1, P.Y2, P.Y3))}, {zero_gate(tb, 1, (P.X1, P.X2))}", ""]
    for name, deps in VARIANTS.items():
        parts += ["@njit(inline='always')", rule_source(tb, fixed, sign_mode, deps, name)]
    parts += ["@njit(nogil=True)", ast.unparse(fn), ""]
    return "\n".join(parts)


def compile_rule(tb: P.RuleTables, fixed: bool, sign_mode: int):
    """The rule's module (see module_source): a file in the engine's cache named by the hash of
    its source and of the engine's sources, imported so that Numba caches it; without a cache,
    executed in memory."""
    source = module_source(tb, fixed, sign_mode)
    key = hashlib.sha256((jit.DIGEST + source).encode()).hexdigest()[:24]
    if key in _cache:
        return _cache[key]
    name = f"neurokit_rule_{key}"
    path = jit.RULES_DIR / f"{name}.py"
    if jit.CACHE:
        if not path.is_file():
            jit.RULES_DIR.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, source)
        if not any(jit.RULES_DIR.glob(f"__pycache__/{name}.run-*.nbi")):
            jit.note_compiling("the learning rule")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # Numba's cache finds a function's module by name
        spec.loader.exec_module(module)
    else:
        module = types.ModuleType(name)
        exec(compile(source, f"<neurokit learning rule {key}>", "exec"), module.__dict__)
    module.source = source
    _cache[key] = module
    return module


def zero_gate(tb: P.RuleTables, dep: int, traces: tuple) -> int:
    """The trace r (0-based among `traces`) that is a plain factor of every product with
    dependency `dep`, or −1. Where that trace is 0 every such product adds exactly 0, so the
    update leaves the synapse as it is (fixed: the accumulator holds old·128, whose rounding is
    exact; float: old + 0) and the engine skips it: a post spike then touches only the synapses
    of pre neurons with a live trace, not all of them. u products are not considered: learn_epoch
    uses the gates only in epochs where u = 0 (an epoch with u = 1 updates every synapse)."""
    common = None
    for p in range(len(tb.dep)):
        if tb.dep[p] != dep:
            continue
        plain = {int(tb.fvar[p, k]) for k in range(int(tb.nf[p]))
                 if int(tb.fvar[p, k]) in traces and tb.fconst[p, k] == 0 and not tb.fsgn[p, k]}
        common = plain if common is None else common & plain
    return traces.index(min(common)) if common else -1
