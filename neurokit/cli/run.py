"""`neurokit run NET --data SPEC`: spike counts of a network on samples."""
from __future__ import annotations

import time

from neurokit.cli.common import add_backend_args, add_data_args, add_record_args, output_file, print_json, records_run


def register(sub) -> None:
    p = sub.add_parser("run", help="run a network on samples and count spikes")
    p.add_argument("net", help="network file, or a trained-network directory")
    add_data_args(p, samples_default=5)
    add_backend_args(p)
    p.add_argument("--classes", help="only samples of these classes, e.g. 0,1,7")
    p.add_argument("--raster", metavar="PNG", help="also plot the spike raster of the first sample")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    add_record_args(p)
    p.set_defaults(handler=_run)


@records_run("net")
def _run(args) -> int:
    with output_file(args.raster, "--raster", inputs=[args.net]) as raster:
        return _run_checked(args, raster)


def _run_checked(args, raster) -> int:
    from neurokit import api
    from neurokit.cli.common import parse_classes

    net = api.load(args.net)
    samples = api.dataset(args.data, args.split, samples=args.samples, classes=parse_classes(args.classes),
                          seed=args.seed, download=args.download)
    t0 = time.perf_counter()
    result = api.run(net, samples, backend=args.backend, precision=args.precision, seed=args.seed,
                     rasters=bool(args.raster), progress=not args.json)
    wall = time.perf_counter() - t0
    if args.raster:
        from neurokit.plots import raster_png

        raster.commit(raster_png(result, 0, dt_ms=net.dt_ms))
    if args.json:
        print_json({
            "network": net.name, "data": samples.name, "backend": result.backend,
            "precision": args.precision, "seed": args.seed, "samples": result.n_samples,
            "steps_per_sample": net.steps_per_sample, "dt_ms": net.dt_ms,
            "labels": result.labels.tolist(), "spike_counts": result.spike_counts,
            "per_sample": result.per_sample, "wall_time_s": round(wall, 3),
        })
        return 0
    T = net.steps_per_sample * net.dt_ms / 1000.0
    print(f"{net.name} on {samples.name}: {result.n_samples} samples x {net.steps_per_sample} steps "
          f"({result.backend}, {args.precision} point), {wall:.1f} s")
    print(f"{'population':<12}{'neurons':>8}{'spikes':>10}{'per sample':>12}{'rate (Hz)':>11}")
    sizes = {p.name: p.size for p in net.populations}
    for name, total in result.spike_counts.items():
        per = total / result.n_samples
        print(f"{name:<12}{sizes[name]:>8}{total:>10}{per:>12.1f}{per / sizes[name] / T:>11.2f}")
    return 0
