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


def weight_images(weights: np.ndarray, image_shape: list[int], *, zoom: int = 4, gap: int = 2) -> bytes:
    """One tile per postsynaptic neuron, its incoming weights laid out as the input image, up to
    10 tiles a row, on matplotlib's `hot_r` scale from 0 to the largest weight. Drawn with
    Pillow, not matplotlib: `neurokit train` writes this after every run, and matplotlib's
    import and layout would cost it ≈ 1.5 s."""
    from PIL import Image, PngImagePlugin

    from neurokit import __version__

    h, w = image_shape
    n = len(weights)
    cols = min(n, 10)
    rows = -(-n // cols)
    vmax = float(weights.max()) or 1.0
    x = np.clip(np.asarray(weights, np.float64).reshape(n, h, w) / vmax, 0, 1)
    tiles = np.ones((rows, cols, h, w))  # blank tiles are 0 weight: white on hot_r
    tiles.reshape(-1, h, w)[:n] = 1 - x  # hot_r(x) = hot(1 − x)
    grid = np.ones((rows * (h + gap) + gap, cols * (w + gap) + gap)) * 2  # 2 marks the gaps
    for r in range(rows):
        for c in range(cols):
            grid[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (w + gap):gap + c * (w + gap) + w] = tiles[r, c]
    # matplotlib's `hot`: red rises on [0, 0.365], green on [0.365, 0.746], blue on [0.746, 1]
    rgb = np.stack([np.clip(grid / 0.365, 0, 1), np.clip((grid - 0.365) / 0.381, 0, 1),
                    np.clip((grid - 0.746) / 0.254, 0, 1)], axis=-1)
    rgb[grid == 2] = 0.85  # grey gaps between tiles
    img = Image.fromarray((rgb * 255).round().astype(np.uint8)).resize(
        (rgb.shape[1] * zoom, rgb.shape[0] * zoom), Image.NEAREST)
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", f"neurokit {__version__}")  # neurokit.outputs may replace it later
    buf = io.BytesIO()
    img.save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()


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


def recording_png(data: dict, sample: int, label: int, pops: list[str], what: str, *, traces: int = 5) -> bytes:
    """One sample of a recording (neurokit.probes): `data` holds its 'POP/var' arrays
    [neuron, step] and the scalars. A spike raster of `pops` stacked (what="raster"), or the
    `what` ("v", "u", "theta") of up to `traces` neurons per population, the most active ones,
    in the network file's units (value / scale); v comes with each neuron's threshold v_th + θ
    when θ was recorded."""
    dt = float(data["dt_ms"])
    title = f"sample {sample}" + (f" (label {label})" if label >= 0 else "") + f", {data['network']}"
    if what == "raster":
        plt, fig = figure(figsize=(8, 4))
        ax = fig.add_subplot(111)
        offset, ticks = 0, []
        for k, pop in enumerate(pops):
            r = data[f"{pop}/spikes"]
            n_idx, t_idx = np.nonzero(r)
            ax.scatter(t_idx * dt, n_idx + offset, s=2, color=f"C{k}")
            ticks.append((offset + r.shape[0] / 2, pop))
            offset += r.shape[0]
        ax.set_yticks([t for t, _ in ticks], [n for _, n in ticks])
        ax.set_xlabel("time in the sample (ms)")
        ax.set_title(f"spike raster, {title}")
        return png_bytes(plt, fig)
    plt, fig = figure(figsize=(8, 2.6 * len(pops)))
    for k, pop in enumerate(pops):
        ax = fig.add_subplot(len(pops), 1, k + 1)
        x, scale = data[f"{pop}/{what}"], float(data[f"{pop}/scale"])
        t = np.arange(x.shape[1]) * dt
        spikes = data.get(f"{pop}/spikes")
        activity = spikes.sum(axis=1) if spikes is not None else np.abs(x).sum(axis=1)
        theta = data.get(f"{pop}/theta") if what == "v" else None
        for c, n in enumerate(np.argsort(-activity, kind="stable")[:traces]):
            ax.plot(t, x[n] / scale, lw=0.8, color=f"C{c}", label=f"neuron {n}")
            if theta is not None:
                ax.plot(t, (float(data[f"{pop}/v_th"]) + theta[n]) / scale, lw=0.6, ls="--", color=f"C{c}")
        if what == "v" and theta is None:
            ax.axhline(float(data[f"{pop}/v_th"]) / scale, lw=0.6, ls="--", color="k", label="v_th")
        ax.set_ylabel(f"{pop} {what}")
        ax.legend(fontsize=6, loc="upper right")
    ax.set_xlabel("time in the sample (ms)" + ("; dashed: v_th + θ" if what == "v" else ""))
    fig.axes[0].set_title(f"{what} in the network file's units, {title}")
    return png_bytes(plt, fig)
