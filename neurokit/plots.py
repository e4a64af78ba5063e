"""Figures people would rather look at than read (PNG, matplotlib's Agg backend), written
atomically."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from neurokit.util import atomic_write_bytes


def figure(**kw):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, plt.figure(**kw)


def png_bytes(plt, fig) -> bytes:
    """The figure as PNG, tagged `Software: neurokit` so that neurokit.outputs knows it may
    replace this file later."""
    from neurokit import __version__

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight",
                metadata={"Software": f"neurokit {__version__}"})
    plt.close(fig)
    return buf.getvalue()


def save_figure(plt, fig, path: str | Path) -> Path:
    atomic_write_bytes(path, png_bytes(plt, fig))
    return Path(path)


def weight_images(weights: np.ndarray, image_shape: list[int], titles: list[str] | None = None) -> bytes:
    """One image per postsynaptic neuron: its incoming weights laid out as the input image."""
    n = len(weights)
    cols = min(n, 10)
    rows = -(-n // cols)
    plt, fig = figure(figsize=(1.3 * cols, 1.4 * rows))
    vmax = float(weights.max()) or 1.0
    for i, w in enumerate(weights):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.imshow(w.reshape(image_shape), cmap="hot_r", vmin=0, vmax=vmax)
        ax.set_xticks([]), ax.set_yticks([])
        if titles:
            ax.set_title(titles[i], fontsize=7)
    return png_bytes(plt, fig)


def raster_png(result, sample: int, *, dt_ms: float = 1.0) -> bytes:
    """Spike raster of one sample: every neuron population stacked, one row per neuron."""
    plt, fig = figure(figsize=(8, 4))
    ax = fig.add_subplot(111)
    offset, ticks = 0, []
    for k, (name, r) in enumerate(result.rasters.items()):
        n_idx, t_idx = np.nonzero(r[sample])
        ax.scatter(t_idx * dt_ms, n_idx + offset, s=2, color=f"C{k}", label=name)
        ticks.append((offset + r.shape[1] / 2, name))
        offset += r.shape[1]
    ax.set_yticks([t for t, _ in ticks], [n for _, n in ticks])
    ax.set_xlabel("time (ms)")
    label = "" if result.labels is None else f" (label {result.labels[sample]})"
    ax.set_title(f"spike raster, sample {sample}{label}")
    return png_bytes(plt, fig)
