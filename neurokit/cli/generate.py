"""`neurokit generate DIR --samples N --out GRID.png`: digits written by the spiking VAE's decoder that
`neurokit experiment generative` deployed in DIR (decoder.json, sampler.npz), on the engine or Lava.

Codes come from DIR's sampler, drawn from `--seed`; the latent bits are drawn from them on the host
with the same seed; so one seed gives the same digits on every backend (fixed point: bit for bit).
"""
from __future__ import annotations

from pathlib import Path

from neurokit.cli.common import add_backend_args, count, output_file

DECODER, SAMPLER = "decoder.json", "sampler.npz"


def register(sub) -> None:
    p = sub.add_parser("generate", help="write digits with a deployed spiking VAE (experiment generative's DIR)")
    p.add_argument("model_dir", metavar="DIR", help=f"a directory written by neurokit experiment generative "
                   f"(holds {DECODER} and {SAMPLER})")
    p.add_argument("--samples", type=count, default=64, help="digits to write (default: %(default)s)")
    p.add_argument("--out", required=True, metavar="PNG", help="the grid of digits (a PNG neurokit wrote may be replaced)")
    p.add_argument("--per-row", type=count, default=16, help="digits per row of the grid (default: %(default)s)")
    add_backend_args(p)
    p.set_defaults(handler=_generate)


def _generate(args) -> int:
    import numpy as np

    from neurokit.errors import DataError
    from neurokit.experiments.generative import grid_png
    from neurokit.generative.decoder import OUTPUT, host_bits, run_decoder
    from neurokit.generative.sampler import CodeSampler
    from neurokit.trained import load_any

    folder = Path(args.model_dir)
    missing = [f for f in (DECODER, SAMPLER) if not (folder / f).is_file()]
    if missing:
        raise DataError(f"{folder}: no {' or '.join(missing)} there; give the --out directory of "
                        "`neurokit experiment generative`")
    with output_file(args.out, "--out", inputs=[str(folder / DECODER), str(folder / SAMPLER)]) as out:
        net = load_any(folder / DECODER)
        try:
            sampler = CodeSampler.load(folder / SAMPLER)
        except (OSError, KeyError, ValueError) as exc:
            raise DataError(f"{folder / SAMPLER}: not a sampler written by neurokit experiment generative ({exc})") from None
        out_pop = next((p for p in net.neuron_populations if p.name == OUTPUT), None)
        if out_pop is None or out_pop.neuron.kind != "li" or out_pop.size != 28 * 28:
            raise DataError(f"{folder / DECODER}: not a decoder written by neurokit experiment generative (it needs "
                            f"an output population {OUTPUT!r} of 784 non-spiking 'li' neurons, one per pixel)")
        latent = net.input_population.size
        if sampler.latent != latent:
            raise DataError(f"{folder / SAMPLER}: codes of {sampler.latent} latents, but {DECODER} takes {latent}")
        bits = host_bits(sampler.draw(args.samples, args.seed), args.seed)
        images, run = run_decoder(net, bits, backend=args.backend, precision=args.precision, progress=True)
        lines = -(-args.samples // args.per_row)
        out.commit(grid_png({f"{args.samples} digits, {run.backend}, {args.precision} point, seed {args.seed}": images},
                            per_row=args.per_row, lines=lines))
    spikes = float(np.mean([sum(row.values()) for row in run.per_sample]))
    print(f"wrote {args.out}: {args.samples} digits on {run.backend} ({args.precision} point), "
          f"{spikes:.0f} spikes per digit")
    return 0
