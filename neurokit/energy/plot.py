"""Bar chart of the energy breakdown per profile (log scale: chips differ by 1000×); unknown
components are drawn as a hatched marker at the left edge and named in the legend."""
from __future__ import annotations

from neurokit.plots import png_bytes


def breakdown_png(reports) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    components = sorted({c for r in reports for c in r.breakdown})
    fig = plt.figure(figsize=(8, 1.2 + 0.6 * len(reports)))
    ax = fig.add_subplot(111)
    height = 0.8 / max(1, len(components))
    for k, comp in enumerate(components):
        for row, r in enumerate(reports):
            value = r.breakdown.get(comp, 0.0)
            y = row + (k - len(components) / 2) * height
            if value is None:
                ax.barh(y, 1e-15, height, color="white", edgecolor=f"C{k}", hatch="//")
            elif value > 0:
                ax.barh(y, value, height, color=f"C{k}", label=comp if row == 0 else None)
        ax.barh(0, 0, 0, color=f"C{k}", label=comp)
    ax.set_xscale("log")
    ax.set_yticks(range(len(reports)), [r.profile for r in reports])
    ax.set_xlabel("joules per inference (hatched: unknown)")
    handles, labels = ax.get_legend_handles_labels()
    seen = dict(zip(labels, handles))
    ax.legend(seen.values(), seen.keys(), fontsize=7, loc="best")
    ax.set_title("energy per inference by component")
    return png_bytes(plt, fig)
