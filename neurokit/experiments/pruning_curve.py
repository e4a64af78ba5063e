"""`neurokit experiment pruning-curve`: how closely the on-chip pruning timer follows
w(t_s) · exp(−k_p ((t − t_s)/τ_prun)²) (docs/pruning.md).

For each elapsed time T = f · τ_eff (f in FRACTIONS) one run of the timer probe
(neurokit.experiments.timer_probe) leaves its inputs silent for T steps; the measured factor
w(T)/w(0) is averaged over synapses of several initial weights and set beside the exact curve
(for the requested τ and for τ_eff) and the realised curve predicted by
neurokit.learning.pruning.
"""
from __future__ import annotations

import json

import numpy as np

from neurokit.cli.common import writes_result_dir

NAME = "pruning-curve"
FRACTIONS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5)
W0 = (0.2, 0.4, 0.6, 0.8, 1.0)   # initial weights, IR units (w_max = 1 → 255 weight units)


def register(sub) -> None:
    from neurokit.cli.common import add_backend_args, nonnegative_float, positive_float

    p = sub.add_parser(NAME, help="measure the pruning timer's decay against the exact Gaussian")
    p.add_argument("--tau-prun-ms", type=positive_float, default=7500.0)
    p.add_argument("--k-p", type=nonnegative_float, default=1.0)
    p.add_argument("--out", required=True, help="directory for results.json and pruning_curve.png (an earlier neurokit result there is replaced, anything else is refused)")
    add_backend_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run)


def measure(tau_prun_ms: float, k_p: float, precision: str, backend: str = "lava", seed: int = 0) -> dict:
    from neurokit.experiments.timer_probe import probe_network, run_probe, spike_raster
    from neurokit.learning import microcode
    from neurokit.learning.pruning import exact_factor, reachable_taus, timer_trajectory
    from neurokit.quant import compile_params

    probe = probe_network(len(W0), list(W0), tau_prun_ms, k_p)
    scale = compile_params(probe, precision).neurons["post"].scale
    code = microcode(probe.connections[0].learning, precision, scale, probe.dt_ms,
                     pruning=probe.connections[0].pruning).pruning
    rows = []
    for f in FRACTIONS:
        steps = int(round(f * code.tau_eff_ms / probe.dt_ms))
        net = probe_network(len(W0), list(W0), tau_prun_ms, k_p, steps=steps)
        w, scale = run_probe(net, precision, spike_raster(len(W0), steps, {}), backend=backend, seed=seed)
        w0 = np.round(np.asarray(W0) * scale) if precision == "fixed" else np.asarray(W0) * scale
        t_ms = steps * probe.dt_ms
        rows.append({
            "elapsed_ms": t_ms, "elapsed_over_tau_eff": f,
            "exact_tau_requested": float(exact_factor(t_ms, tau_prun_ms, k_p)),
            "exact_tau_eff": float(exact_factor(t_ms, code.tau_eff_ms, k_p)),
            "predicted": float(timer_trajectory(code, 1.0, [], steps)[-1]),
            "measured": float(np.mean(w / w0)), "measured_min": float(np.min(w / w0)),
            "measured_max": float(np.max(w / w0)),
        })
    return {"timer": code.summary(), "rows": rows, "initial_weights": (np.asarray(W0) * scale).tolist(),
            "reachable_tau_ms": [round(t, 1) for t in reachable_taus(k_p, precision, probe.dt_ms, 1)],
            "backend": backend}


def figure(res: dict, tau_prun_ms: float, k_p: float, precision: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from neurokit.learning.pruning import exact_factor
    from neurokit.plots import png_bytes

    t = res["timer"]
    n = int(2.6 * t["tau_eff_ms"])
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    x = np.arange(1, n + 1)
    ax.plot(x, exact_factor(x, tau_prun_ms, k_p), "k--", lw=1, label=f"exact, τ = {tau_prun_ms:g} ms")
    ax.plot(x, exact_factor(x, t["tau_eff_ms"], k_p), "C0-", lw=1, label=f"exact, τ_eff = {t['tau_eff_ms']:.0f} ms")
    ax.plot(x, _trajectory(t["c"], t["macro_epoch_steps"], precision, n), "C1-", lw=0.8, label="realised (prediction)")
    ax.errorbar([r["elapsed_ms"] for r in res["rows"]], [r["measured"] for r in res["rows"]],
                # max(0, …): identical synapses (float) give a spread of ±1 ulp around their mean
                yerr=[[max(0.0, r["measured"] - r["measured_min"]) for r in res["rows"]],
                      [max(0.0, r["measured_max"] - r["measured"]) for r in res["rows"]]],
                fmt="o", color="C3", ms=4, label=f"measured ({res['backend']}, {precision} point)")
    ax.set_xlabel("time since the last presynaptic spike (ms)")
    ax.set_ylabel("w / w(t_s)")
    ax.set_title(f"pruning timer: {t['dt']};  dw {t['dw_term']}", fontsize=8)
    ax.legend(fontsize=7)
    return png_bytes(plt, fig)


def _trajectory(c: float, macro_steps: int, precision: str, n: int) -> np.ndarray:
    """The realised curve at steps 1..n: w_N / w(t_s) with N = step // M macro-epochs."""
    from neurokit.learning.pruning import realised_factors

    factors = realised_factors(c, n // macro_steps + 1, precision)
    return factors[np.arange(1, n + 1) // macro_steps]


@writes_result_dir(NAME, inputs=())
def run(args, out) -> int:
    from neurokit.cli.common import print_json

    res = measure(args.tau_prun_ms, args.k_p, args.precision, args.backend, args.seed)
    res.update(tau_prun_ms=args.tau_prun_ms, k_p=args.k_p, precision=args.precision)
    out.commit({
        "results.json": json.dumps(res, indent=1).encode(),
        "pruning_curve.png": figure(res, args.tau_prun_ms, args.k_p, args.precision),
    })
    if args.json:
        print_json(res)
        return 0
    t = res["timer"]
    print(f"timer ({args.precision}): dt = \"{t['dt']}\", dw += \"{t['dw_term']}\"; τ_eff = {t['tau_eff_ms']:.1f} ms "
          f"for τ = {args.tau_prun_ms:g} ms; macro-epoch {t['macro_epoch_steps']} steps")
    print(f"{'t (ms)':>8}{'t/τ_eff':>9}{'exact τ':>9}{'exact τ_eff':>12}{'predicted':>11}{'measured':>10}")
    for r in res["rows"]:
        print(f"{r['elapsed_ms']:>8.0f}{r['elapsed_over_tau_eff']:>9.2f}{r['exact_tau_requested']:>9.4f}"
              f"{r['exact_tau_eff']:>12.4f}{r['predicted']:>11.4f}{r['measured']:>10.4f}")
    print(f"wrote {args.out}/")
    return 0
