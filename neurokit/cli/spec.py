"""`neurokit schema` and `neurokit validate`."""
from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of network files")
    p.set_defaults(handler=_schema)
    p = sub.add_parser("validate", help="check a network file as run and train would; one line per problem")
    p.add_argument("net", help="network file (.yaml, .yml, .json), trained-network directory, .net or .nir")
    p.add_argument("--precision", choices=("fixed", "float", "fixed,float"), default="fixed",
                   help="the precision(s) to check the network for (default: %(default)s)")
    p.set_defaults(handler=_validate)


def _schema(args) -> int:
    from neurokit.ir import Network

    print(json.dumps(Network.model_json_schema(), indent=1))
    return 0


def _validate(args) -> int:
    import sys

    from neurokit.errors import NeurokitError, SpecError
    from neurokit.trained import load_any
    from neurokit.learning import microcode
    from neurokit.quant import compile_params
    from neurokit.quant.ranges import wrap_warnings
    from neurokit.training import readout_kind

    net = load_any(args.net)
    checked = []
    try:  # every check that run and train make, in the precision they would use
        for precision in args.precision.split(","):
            params = compile_params(net, precision)
            for c in net.connections:
                if getattr(c, "learning", None) is not None:  # the learning engine's limits, τ_prun included
                    microcode(c.learning, precision, params.neurons[c.target].scale, net.dt_ms,
                              f"connections[{c.label}].learning", pruning=c.pruning)
            if any(getattr(c, "learning", None) is not None for c in net.connections) or net.readout:
                readout_kind(net)
            if precision == "fixed":
                for line in wrap_warnings(params):
                    sys.stderr.write(f"neurokit validate: warning: {args.net}: {line}\n")
            checked.append(precision)
    except NeurokitError as err:
        raise SpecError(err.lines(), args.net) from None
    sizes = ", ".join(f"{p.name}={p.size}" for p in net.populations)
    print(f"{args.net}: ok in {' and '.join(checked)} point ({net.name}: {sizes}; {len(net.connections)} connections)")
    return 0
