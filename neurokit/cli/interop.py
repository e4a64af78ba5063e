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

    from neurokit import api
    from neurokit.cli.common import output_file
    from neurokit.errors import SpecError
    from neurokit.outputs import YAML_HEADER

    model = Path(args.model)
    if model.suffix not in (".net", ".nir") or not model.is_file():
        raise SpecError([f"{model}: need an existing .net (lava-dl netx) or .nir (NIR) file"])
    if Path(args.out).suffix not in (".yaml", ".yml", ".json"):
        raise SpecError([f"--out {args.out}: a network file ends in .yaml, .yml or .json"])
    with output_file(args.out, "--out", inputs=[args.model]) as out:
        net = api.import_network(model, dt_ms=args.dt_ms, steps=args.steps, name=args.name, gain=args.gain,
                                 offset=args.offset)
        out.commit(_network_text(net, Path(args.out).suffix, f"{YAML_HEADER} import from {model.name}"))
    sizes = ", ".join(f"{p.name}={p.size}" for p in net.populations)
    print(f"{args.out}: {net.name} ({sizes}; {len(net.connections)} connections), {net.steps_per_sample} steps "
          f"per sample of {net.dt_ms:g} ms")
    return 0


def _network_text(net, suffix: str, header: str) -> bytes:
    from neurokit.ir.io import network_text

    if suffix == ".json":  # JSON has no comments: the mark goes into the metadata
        net = net.model_copy(update={"metadata": {**net.metadata, "written_by": header.lstrip("# ")}})
        return network_text(net, suffix).encode()
    return (header + "\n" + network_text(net, suffix)).encode()


def _export(args) -> int:
    from neurokit import api
    from neurokit.cli.common import output_file

    with output_file(args.out, "--out", inputs=[args.net]) as out:
        net = api.load(args.net)
        out.commit(api.export_bytes(net, args.to))
    print(f"{args.out}: {net.name} as {args.to}")
    return 0
