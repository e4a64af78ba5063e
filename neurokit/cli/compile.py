"""`neurokit compile NET --profile P`: how the network maps onto the chip's cores, and whether
it fits (exit 2 naming the limit, the count and the population when it does not)."""
from __future__ import annotations

from neurokit.cli.common import count, print_json


def register(sub) -> None:
    from neurokit.energy import list_profiles

    p = sub.add_parser("compile", help="map a network onto a chip's cores; check that it fits")
    p.add_argument("net", help="network file, or a trained-network directory")
    p.add_argument("--profile", required=True,
                   help=f"hardware profile: {', '.join(list_profiles())}, or the path of a profile file")
    p.add_argument("--chips", type=count, default=1, help="chips available (default 1)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.set_defaults(handler=_compile)


def _compile(args) -> int:
    from neurokit import api
    from neurokit.energy import load_profile

    net = api.load(args.net)
    profile = load_profile(args.profile)
    summary = api.compile(net, profile, chips=args.chips).summary()
    if args.json:
        print_json({"network": net.name, **summary})
        return 0
    print(f"{net.name} on {profile.title}: fits in {summary['cores']} of {summary['cores_per_chip']} cores "
          f"per chip, {summary['chips']} chip(s) ({summary['core_utilisation_percent']}% of the cores used)")
    keys = ("neurons_per_core", "input_axons_per_core", "synapses_per_core", "synaptic_memory_per_core",
            "output_edges_per_core")
    names = ("neurons", "in axons", "synapses", "memory (B)", "out edges")
    print(f"{'population':<12}{'size':>7}{'cores':>6}" + "".join(f"{n:>20}" for n in names))
    for name, p in summary["populations"].items():
        cells = ""
        for k in keys:
            u = p["usage"].get(k)
            if u is None:
                cells += f"{'-':>20}"
            else:
                pct = f" ({u['percent']:g}%)" if u["percent"] is not None else ""
                cells += f"{u['max_per_core']:>12g}{pct:>8}"
        print(f"{name:<12}{p['neurons']:>7}{p['cores']:>6}{cells}")
    print("per-core maxima over each population's cores; (%) of the profile's limit")
    if summary["limits_not_checked"]:
        print(f"not checked ({profile.name} gives no figure): {', '.join(summary['limits_not_checked'])}")
    return 0
