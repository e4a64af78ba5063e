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

The semantics are those documented in plastic.py; the generated source is kept on the
function (`update.source`) for inspection.
"""
from __future__ import annotations

import math

from numba import njit

from neurokit.backends.engine import plastic as P

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


def rule_source(tb: P.RuleTables, fixed: bool, sign_mode: int, deps: tuple = (0, 1, 2)) -> str:
    """Source of `update` with the products whose dependency is in `deps` (a product whose
    dependency is false adds exactly 0, so a synapse known to have x0 false can use the y0-only
    variant, and vice versa)."""
    lines = ["def update(i, j, wT, dT, tT, xh, yh, tx, ty, x0, y0, u, r_cv):",
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


def compile_rule(tb: P.RuleTables, fixed: bool, sign_mode: int):
    """Three jitted `update`s for this rule: all products, x0- and u-dependent only (for a
    synapse whose post neuron did not spike), y0- and u-dependent only (pre did not spike);
    then the zero gates of the x0 and y0 products (`zero_gate`)."""
    updates = tuple(_compile(rule_source(tb, fixed, sign_mode, deps)) for deps in ((0, 1, 2), (0, 2), (1, 2)))
    return (*updates, zero_gate(tb, 0, (P.Y1, P.Y2, P.Y3)), zero_gate(tb, 1, (P.X1, P.X2)))


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


def _compile(source: str):
    if source not in _cache:
        namespace = {"math": math, "_clip": _clip, "_acc": _acc, "_sign": _sign, "finish": P.finish}
        exec(compile(source, "<neurokit learning rule>", "exec"), namespace)
        fn = njit(inline="always")(namespace["update"])
        fn.source = source
        _cache[source] = fn
    return _cache[source]
