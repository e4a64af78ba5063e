"""The accuracy / noise trade-off of the pruning timer (issue 4), measured over network settings.

The runs are one sweep (benchmarks/regularization_frontier.sweep.yaml: the regularisation
experiment for each setting of SETTINGS below and seeds 0-2, about 25 s per run on the engine);
this script turns its rows into the frontier: per run, the accuracy change against the noise
spikes kept (with / without), with the issue's floors (≤ 1 % of the noise spikes, ≤ 2 points of
accuracy) as a shaded box, and the table of docs/results.md.

    neurokit sweep benchmarks/regularization_frontier.sweep.yaml --out runs/frontier [--executor dask]
    .venv/bin/python benchmarks/regularization_frontier.py --sweep-out runs/frontier [--plot OUT.png] [--table]

Without --sweep-out it reads the runs recorded in benchmarks/results/regularization_frontier.jsonl
(measured before sweeps existed, with the same settings and seeds 0-5 for the two best).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "benchmarks" / "results" / "regularization_frontier.jsonl"
NOISE_FLOOR = 0.01     # the floors: noise spikes kept with the timer ≤ 1 % of those without,
ACCURACY_FLOOR = 0.02  # accuracy with ≥ accuracy without − 2 points, and a lower unknown/known ratio

EXC = "populations.exc.neuron."


def setting(v_th: float | None = None, tau_s: float | None = None, theta_plus: float | None = None) -> dict:
    """Overrides: a dotted path into the network (list items by name) -> value; and tau_prun_ms."""
    out = {EXC + "v_th": v_th, EXC + "theta_plus": theta_plus, "tau_prun_ms": tau_s and 1000 * tau_s}
    return {k: v for k, v in out.items() if v is not None}


SETTINGS = {  # the reference network has v_th 13, θ+ 0.05; the timer's default τ is 7.5 s
    "reference": setting(),
    "v_th 18": setting(18),
    "v_th 18, θ+ 0.6": setting(18, theta_plus=0.6),
    "v_th 13, τ 15 s": setting(tau_s=15),
    **{f"v_th {v}, τ 15 s": setting(v, 15) for v in (18, 16, 20, 22, 24)},
    "v_th 20, θ+ 0.2, τ 15 s": setting(20, 15, theta_plus=0.2),
    "v_th 18, τ 12 s": setting(18, 12),
    **{f"v_th {v}, τ 20 s": setting(v, 20) for v in (20, 22, 24, 26, 28)},
    **{f"v_th {v}, τ 25 s": setting(v, 25) for v in (24, 26)},
    "v_th 13, τ 30 s": setting(tau_s=30),
    **{f"v_th {v}, τ 30 s": setting(v, 30) for v in (18, 22, 26)},
}


def from_sweep_row(line: str) -> dict:
    """A row of `neurokit sweep` (the regularisation experiment's --json) as a frontier row."""
    row = json.loads(line)
    params, r = row["params"], row["result"]
    overrides = {("tau_prun_ms" if k == "arg:--tau-prun-ms" else k.removeprefix("net:")): v
                 for k, v in params.items() if k != "arg:--seed"}
    name = next(n for n, o in SETTINGS.items() if o == overrides)
    t = r["table"]
    noise = {k: t["white_noise"][k] + t["blurred_noise"][k] for k in ("without", "with")}
    return {
        "setting": name, "overrides": overrides, "seed": params["arg:--seed"], "train_samples": r["train_samples"],
        "test_samples": r["test_samples"], "tau_eff_ms": r["timer"]["S1"]["tau_eff_ms"], "table": t,
        "accuracy": r["accuracy"], "noise_kept": noise["with"] / max(noise["without"], 1),
        "ratio": {k: t["unknown"][k] / max(t["known"][k], 1) for k in ("without", "with")},
        "pruned": r["pruned_fraction"]["with"]["S1"],
    }


def meets_floors(row: dict) -> bool:
    acc, ratio = row["accuracy"], row["ratio"]
    return (row["noise_kept"] <= NOISE_FLOOR and acc["with"] >= acc["without"] - ACCURACY_FLOOR
            and ratio["with"] < ratio["without"])


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from neurokit.plots import save_figure

    fig, ax = plt.subplots(figsize=(9, 4.5))
    floor_y, bottom = -100 * ACCURACY_FLOOR, -16  # accuracy axis, points; runs below `bottom` are drawn on it
    ax.add_patch(plt.Rectangle((1e-5, floor_y), NOISE_FLOOR - 1e-5, 6 - floor_y, color="tab:green", alpha=0.15))
    ax.text(1.3e-5, 3, "all floors met", fontsize=7, color="tab:green")
    markers, colors = "osD^v<P", plt.get_cmap("tab20").colors
    recorded = {r["setting"] for r in rows}
    for i, name in enumerate(n for n in SETTINGS if n in recorded):  # the order of the table
        pts = [r for r in rows if r["setting"] == name]
        x = [max(r["noise_kept"], 1.5e-5) for r in pts]  # no noise spike at all: on the left edge
        y = [max(100 * (r["accuracy"]["with"] - r["accuracy"]["without"]), bottom + 0.5) for r in pts]
        ax.scatter(x, y, marker=markers[i % len(markers)], color=colors[2 * i % 20 + i // 10], s=40, label=name,
                   alpha=0.85)
    ax.set_xscale("log")
    ax.set_xlim(1e-5, 1)
    ax.set_ylim(bottom, 6)
    ax.set_xlabel("noise spikes with the timer / without (white + blurred); left edge: none")
    ax.set_ylabel(f"accuracy with − without (points); bottom edge: < {bottom}")
    ax.set_title("Pruning timer, MNIST 0/1/7: one point per setting and seed", fontsize=9)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    save_figure(plt, fig, path)


def load_rows(sweep_out: Path | None) -> list[dict]:
    """The runs of a sweep's results.jsonl, or the recorded ones; the last of each (setting,
    seed, sample counts) kept."""
    lines = (sweep_out / "results.jsonl" if sweep_out else RECORDED).read_text().splitlines()
    rows = {}
    for line in filter(str.strip, lines):
        r = from_sweep_row(line) if sweep_out else json.loads(line)
        rows[r["setting"], r["seed"], r["train_samples"], r["test_samples"]] = r
    return list(rows.values())


def markdown_table(rows: list[dict]) -> str:
    """One line per setting: accuracy, noise kept and unknown/known ratio per seed."""
    out = ["| setting | τ_eff (ms) | seeds | accuracy without → with | noise kept (%) | unknown/known with |"
           " runs meeting the floors |", "|---|---|---|---|---|---|---|"]
    for name in SETTINGS:
        rs = sorted((r for r in rows if r["setting"] == name), key=lambda r: r["seed"])
        if not rs:
            continue
        cells = (" / ".join(fmt(r) for r in rs) for fmt in (
            lambda r: str(r["seed"]),
            lambda r: f"{r['accuracy']['without']:.3f} → {r['accuracy']['with']:.3f}",
            lambda r: f"{100 * r['noise_kept']:.1f}",
            lambda r: f"{r['ratio']['with']:.2f}"))
        out.append(f"| {name} | {rs[0]['tau_eff_ms']:.0f} | " + " | ".join(cells)
                   + f" | {sum(map(meets_floors, rs))} of {len(rs)} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep-out", type=Path, help="a `neurokit sweep` directory of the frontier's sweep file")
    ap.add_argument("--plot", type=Path, default=Path("runs/regularization_frontier.png"),
                    help="where to draw the frontier (docs/img/regularization_frontier.png updates the docs)")
    ap.add_argument("--table", action="store_true", help="also print the markdown table of docs/results.md")
    args = ap.parse_args()
    rows = load_rows(args.sweep_out)
    plot(rows, args.plot)
    met = sum(meets_floors(r) for r in rows)
    print(f"{met} of {len(rows)} runs meet all three floors; wrote {args.plot}")
    if args.table:
        print(markdown_table(rows))


if __name__ == "__main__":
    main()
