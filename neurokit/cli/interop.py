"""`neurokit import` and `neurokit export`: networks made elsewhere (lava-dl netx `.net`, NIR
`.nir`) to and from neurokit's network files (docs/interop.md has the rules)."""
from __future__ import annotations

from neurokit.cli.common import count, positive_float

FORMATS = ("netx", "nir")


def register(sub) -> None:
    p = sub.add_parser("import", help="turn a lava-dl .net or a NIR .nir file into a neurokit network file",
                       description="Import a network made elsewhere. A .net (SLAYER / lava-dl netx) keeps "
                       "Loihi's integers; a .nir graph is discretised with --dt-ms. The result runs with "
                       "run/evaluate/energy/compile; an image classifier gets the integrate-and-fire pixel "
                       "encoder, --steps steps per sample and the argmax readout.")
    p.add_argument("model", help="MODEL.net or MODEL.nir")
    p.add_argument("--out", required=True, help="network file to write (.yaml or .json); replaced only if "
                   "neurokit wrote it")
    p.add_argument("--dt-ms", type=positive_float, default=None,
                   help="time step, ms (default: 1 for .net; required for .nir, whose time constants are in s)")
    p.add_argument("--steps", type=count, default=32,
                   help="steps each sample is shown (default: %(default)s, lava-dl's MNIST convention)")
    p.add_argument("--gain", type=float, default=None,
                   help="input encoder: current per unit of input (default: the file's input transform, else 1)")
    p.add_argument("--offset", type=float, default=None,
                   help="input encoder: current added to every input (default: the file's, else 0)")
    p.add_argument("--name", help="network name (default: the file's stem)")
    p.set_defaults(handler=_import)

    p = sub.add_parser("export", help="write a network as a lava-dl .net or a NIR .nir file",
                       description="Export a network; what the format cannot say (learning rules, adaptive "
                       "thresholds, rate encoders …) is refused by name, nothing is dropped.")
    p.add_argument("net", help="network file, trained-network directory, .net or .nir")
    p.add_argument("--to", required=True, choices=FORMATS, help="the format to write")
    p.add_argument("--out", required=True, help="file to write; replaced only if neurokit wrote it")
    p.set_defaults(handler=_export)


def _import(args) -> int:
    from pathlib import Path

    from neurokit.cli.common import output_file
    from neurokit.errors import SpecError
    from neurokit.ir import network_to_dict
    from neurokit.outputs import YAML_HEADER

    model = Path(args.model)
    if model.suffix not in (".net", ".nir") or not model.is_file():
        raise SpecError([f"{model}: need an existing .net (lava-dl netx) or .nir (NIR) file"])
    if Path(args.out).suffix not in (".yaml", ".yml", ".json"):
        raise SpecError([f"--out {args.out}: a network file ends in .yaml, .yml or .json"])
    with output_file(args.out, "--out", inputs=[args.model]) as out:
        if model.suffix == ".net":
            from neurokit.interop.netx import read_netx

            net = read_netx(model, dt_ms=args.dt_ms or 1.0, steps=args.steps, name=args.name, gain=args.gain,
                            offset=args.offset)
        else:
            from neurokit.interop.nir import from_nir

            if args.dt_ms is None:
                raise SpecError(["--dt-ms: a NIR graph is in continuous time; give the step to simulate it with"])
            net = from_nir(model, dt_ms=args.dt_ms, presentation_steps=args.steps, name=args.name)
        out.commit(_network_text(net, Path(args.out).suffix, f"{YAML_HEADER} import from {model.name}"))
    sizes = ", ".join(f"{p.name}={p.size}" for p in net.populations)
    print(f"{args.out}: {net.name} ({sizes}; {len(net.connections)} connections), {net.steps_per_sample} steps "
          f"per sample of {net.dt_ms:g} ms")
    return 0


def _network_text(net, suffix: str, header: str) -> bytes:
    import json

    import yaml

    from neurokit.ir import network_to_dict

    data = network_to_dict(net)
    if suffix == ".json":
        data["metadata"] = {**data.get("metadata", {}), "written_by": header.lstrip("# ")}
        return json.dumps(data, indent=1).encode()
    return (header + "\n" + yaml.safe_dump(data, sort_keys=False, width=100)).encode()


def _export(args) -> int:
    from neurokit.cli.common import output_file
    from neurokit.trained import load_any

    with output_file(args.out, "--out", inputs=[args.net]) as out:
        net = load_any(args.net)
        if args.to == "netx":
            from neurokit.interop.netx import netx_bytes

            out.commit(netx_bytes(net))
        else:
            from neurokit.interop.nir import nir_bytes

            out.commit(nir_bytes(net))
    print(f"{args.out}: {net.name} as {args.to}")
    return 0
