"""`neurokit plot RUN.npz --out FIG.png`: a spike raster, or v / u / θ traces, of one sample of
a recording made with `run … --record-out RUN.npz` (docs/probes.md)."""
from __future__ import annotations

from neurokit.cli.common import comma_list, index, output_file

WHAT = ("raster", "v", "u", "theta")


def register(sub) -> None:
    p = sub.add_parser("plot", help="plot a recording (run/evaluate --record-out)")
    p.add_argument("recording", help="an .npz written by --record-out")
    p.add_argument("--out", required=True, metavar="PNG", help="the figure (a PNG neurokit wrote may be replaced)")
    p.add_argument("--sample", type=index, help="the run's sample index (default: the first recorded)")
    p.add_argument("--pops", type=comma_list(str), metavar="POP,…", help="populations (default: all recorded)")
    p.add_argument("--what", choices=WHAT, default="raster", help="raster, or traces of v, u or theta")
    p.set_defaults(handler=_plot)


def _plot(args) -> int:
    from neurokit.plots import recording_png
    from neurokit.probes import RecordError, load, populations

    with output_file(args.out, "--out", inputs=[args.recording]) as out, load(args.recording) as data:
        samples = data["samples"].tolist()
        sample = samples[0] if args.sample is None else args.sample
        if sample not in samples:
            raise RecordError(f"--sample {sample}: {args.recording} holds samples {','.join(map(str, samples))}")
        recorded = populations(data)
        pops = list(args.pops or recorded)
        missing = [p for p in pops if p not in recorded]
        if missing:
            raise RecordError(f"--pops: {args.recording} holds no population {', '.join(map(repr, missing))} "
                              f"(it holds {', '.join(recorded)})")
        var = "spikes" if args.what == "raster" else args.what
        absent = [p for p in pops if f"{p}/{var}" not in data.files]
        if absent:
            raise RecordError(f"--what {args.what}: {args.recording} holds no {var} of {', '.join(absent)} "
                              f"(record it with --record {var})")
        row = samples.index(sample)  # one sample's [neuron, step] of what the figure needs, read array by array
        wanted = [f"{p}/{v}" for p in pops for v in ("spikes", var, "theta" if var == "v" else var)]
        one = {k: data[k][row] for k in dict.fromkeys(wanted) if k in data.files}
        one.update({k: data[k] for k in data.files if "/" not in k or k.endswith(("/scale", "/v_th"))})  # metadata
        out.commit(recording_png(one, sample, int(data["labels"][row]), pops, args.what))
    print(f"wrote {args.out}")
    return 0
