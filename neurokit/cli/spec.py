"""`neurokit schema` and `neurokit validate`."""
from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of network files")
    p.set_defaults(handler=_schema)
    p = sub.add_parser("validate", help="check a network file; one line per problem")
    p.add_argument("net", help="network file (.yaml, .yml or .json)")
    p.set_defaults(handler=_validate)


def _schema(args) -> int:
    from neurokit.ir import Network

    print(json.dumps(Network.model_json_schema(), indent=1))
    return 0


def _validate(args) -> int:
    import sys

    from neurokit.errors import QuantizationError, SpecError
    from neurokit.ir import load_network
    from neurokit.quant import compile_params
    from neurokit.quant.ranges import wrap_warnings

    net = load_network(args.net)
    try:
        params = compile_params(net, "fixed")  # also check that it fits Loihi's fixed point
    except QuantizationError as err:
        raise SpecError([str(err)], args.net) from None
    for line in wrap_warnings(params):
        sys.stderr.write(f"neurokit validate: warning: {args.net}: {line}\n")
    sizes = ", ".join(f"{p.name}={p.size}" for p in net.populations)
    print(f"{args.net}: ok in fixed point ({net.name}: {sizes}; {len(net.connections)} connections)")
    return 0
