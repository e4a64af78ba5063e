"""`neurokit energy NET --profile P|all --data SPEC`: joules per inference from the spikes the
network fires, per chip, with the breakdown and the ANN-equivalent energy beside it."""
from __future__ import annotations

from neurokit.cli.common import add_backend_args, add_data_args, count, output_file, print_json


def register(sub) -> None:
    p = sub.add_parser("energy", help="energy per inference on neuromorphic chips, from a run")
    p.add_argument("net", help="network file, or a trained-network directory")
    p.add_argument("--profile", required=True,
                   help="hardware profile name (see `neurokit compile --help`), a profile file, "
                        "a comma-separated list, or 'all'")
    add_data_args(p, samples_default=5)
    add_backend_args(p)
    p.add_argument("--classes", help="only samples of these classes, e.g. 0,1,7")
    p.add_argument("--learning", action="store_true",
                   help="also count the synaptic updates of plastic connections (as in on-chip training)")
    p.add_argument("--assume", action="append", default=[], metavar="NAME",
                   help="opt into an assumption a profile offers for its unknown figures (e.g. loihi-energies)")
    p.add_argument("--chips", type=count, default=1, help="chips available to the mapping (default 1)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--plot", metavar="PNG", help="draw the breakdown per profile into this PNG file")
    p.set_defaults(handler=_energy)


def selected_profiles(text: str):
    from neurokit.energy import list_profiles, load_profile

    names = list_profiles() if text == "all" else [t for t in text.split(",") if t]
    return [load_profile(n) for n in names]


def _energy(args) -> int:
    with output_file(args.plot, "--plot", inputs=[args.net]) as plot:
        return _energy_checked(args, plot)


def _energy_checked(args, plot) -> int:
    from neurokit import api
    from neurokit.cli.common import parse_classes
    from neurokit.energy.profiles import check_assumptions

    net = api.load(args.net)
    profiles = selected_profiles(args.profile)
    check_assumptions(args.assume, profiles)
    samples = api.dataset(args.data, args.split, samples=args.samples, classes=parse_classes(args.classes),
                          seed=args.seed, download=args.download)
    result, reports = api.energy(net, samples, profiles, backend=args.backend, precision=args.precision,
                                 seed=args.seed, learning=args.learning, chips=args.chips, assume=args.assume,
                                 progress=not args.json)
    head = {"network": net.name, "data": samples.name, "samples": result.n_samples, "backend": result.backend,
            "precision": args.precision, "seed": args.seed, "learning": args.learning}
    if args.plot:
        from neurokit.energy.plot import breakdown_png

        plot.commit(breakdown_png(reports))
    if args.json:
        if args.profile == "all" or len(reports) > 1:
            print_json({**head, "profiles": {r.profile: r.to_json() for r in reports}})
        else:
            print_json({**head, **reports[0].to_json()})
        return 0
    _print_table(head, reports)
    return 0


def _fmt(j) -> str:
    if j is None:
        return "unknown"
    for unit, scale in (("J", 1), ("mJ", 1e-3), ("uJ", 1e-6), ("nJ", 1e-9), ("pJ", 1e-12)):
        if abs(j) >= scale:
            return f"{j / scale:.3g} {unit}"
    return f"{j / 1e-12:.3g} pJ" if j else "0"


def _print_table(head, reports) -> None:
    c = reports[0].counts
    print(f"{head['network']} on {head['data']}: {head['samples']} samples ({head['backend']}, "
          f"{head['precision']} point); per inference: spikes "
          + ", ".join(f"{k}={v:.1f}" for k, v in c["spikes"].items())
          + f"; {c['synaptic_events']:.0f} synaptic events; {c['neuron_updates']['total']:.0f} neuron updates "
          f"({c['neuron_updates']['active']:.0f} active); model time {c['model_time_s'] * 1000:g} ms")
    comps = [k for k in ("synaptic_events", "neuron_updates", "learning_updates", "spikes", "routing",
                         "routing_across_chips", "static") if any(k in r.breakdown for r in reports)]
    short = {"synaptic_events": "synaptic", "neuron_updates": "neurons", "learning_updates": "learning",
             "routing_across_chips": "chip-to-chip"}
    print(f"{'profile':<12}{'J/inference':>13}" + "".join(f"{short.get(k, k):>16}" for k in comps) + f"{'ANN twin':>13}")
    for r in reports:
        cells = "".join(f"{_fmt(r.breakdown[k]) if k in r.breakdown else '-':>16}" for k in comps)
        print(f"{r.profile:<12}{_fmt(r.joules_per_inference):>13}{cells}{_fmt(r.ann_equivalent_joules):>13}")
    for r in reports:
        for k, why in r.unknown.items():
            print(f"  {r.profile}: {k} unknown: {why}")
        if r.mapping is not None and not r.mapping.get("fits", True):
            print(f"  {r.profile}: the network does not fit ({r.mapping['problem']})")
        for s in r.assumptions:
            print(f"  {r.profile}: {s}")
    print("'-': not modelled by that profile (see --json 'not_modelled'); ANN twin: MACs of the same "
          f"topology ({reports[0].ann_macs}) x E_MAC")
