"""`neurokit train` and `neurokit evaluate`."""
from __future__ import annotations

import json
import time

from neurokit.cli.common import (add_backend_args, add_record_args, count, index, parse_classes, print_json,
                                 records_run, writes_result_dir)


def register(sub) -> None:
    p = sub.add_parser("train", help="train a network with its on-chip learning rule")
    p.add_argument("net", help="network file with a plastic connection")
    p.add_argument("--data", required=True, help="data spec: 'digits' or 'mnist:ROOT'")
    p.add_argument("--classes", required=True, help="classes to learn, in group order, e.g. 0,1,7")
    p.add_argument("--train-samples", type=count, default=100)
    p.add_argument("--epochs", type=count, default=1, help="passes over the training samples, each after the "
                   "first reshuffled by the seed (default: 1)")
    p.add_argument("--download", action="store_true", help="allow downloading MNIST into ROOT")
    p.add_argument("--out", required=True, help="directory for the trained network and its log (created; an earlier neurokit result there is replaced, anything else is refused)")
    add_backend_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_train)

    p = sub.add_parser("evaluate", help="classify held-out samples with a trained network")
    p.add_argument("trained", help="trained-network directory (or network file)")
    p.add_argument("--data", required=True)
    p.add_argument("--split", choices=("train", "test"), default="test")
    p.add_argument("--samples", type=count, default=None, help="number of samples (default: all)")
    p.add_argument("--classes", help="test only samples of these classes (a subset of the trained ones, in any "
                   "order; default: all the classes the network was trained on)")
    p.add_argument("--download", action="store_true")
    p.add_argument("--re-present", type=index, metavar="MIN_SPIKES", default=None,
                   help="show a sample again, with the input rate 32 Hz higher each time (up to 8 times), while the "
                   "readout answers with fewer than MIN_SPIKES spikes (Diehl & Cook use 5); 0: show each sample "
                   "once; default: as the network's readout.re_present says")
    add_backend_args(p)
    p.add_argument("--json", action="store_true")
    add_record_args(p)
    p.set_defaults(handler=_evaluate)


@writes_result_dir("train")
def _train(args, out) -> int:
    import numpy as np
    import yaml

    from neurokit import api
    from neurokit.ir.io import network_to_dict
    from neurokit.plots import weight_images
    from neurokit.training import readout_population

    net = api.load(args.net)
    classes = parse_classes(args.classes)
    samples = api.dataset(args.data, "train", samples=args.train_samples, classes=classes, seed=args.seed,
                          download=args.download).epochs(args.epochs, args.seed)
    t0 = time.perf_counter()
    trained = api.train(net, samples, classes, backend=args.backend, precision=args.precision, seed=args.seed,
                        progress=not args.json)
    wall = time.perf_counter() - t0
    pop = readout_population(net)
    log = {
        "network": net.name, "data": samples.name, "classes": classes, "samples": len(samples),
        "backend": trained.result.backend, "precision": args.precision, "seed": args.seed, "wall_time_s": round(wall, 2),
        "labels": samples.labels.tolist(),
        "spikes_per_sample": {k: v.sum(axis=1).tolist() for k, v in trained.result.counts.items()},
    }
    shown = trained.result.presentations
    if shown is not None and shown.max() > 1:  # readout.re_present: counts above are of each last presentation
        log["presentations_per_sample"] = shown.tolist()
    files = {
        "network.yaml": yaml.safe_dump(network_to_dict(trained.network), sort_keys=False,
                                       default_flow_style=None, width=200).encode(),
        "training_log.json": json.dumps(log, indent=1).encode(),
    }
    shape = net.input_population.shape
    for label, w in (trained.result.weights or {}).items():
        if shape:
            files[f"weights_{_file_safe(label)}.png"] = weight_images(np.abs(w), shape)
    out.commit(files)
    summary = {"out": args.out, "samples": len(samples), "classes": classes, "wall_time_s": round(wall, 2),
               "spike_counts": trained.result.spike_counts, "readout": trained.readout,
               "presentations": float(shown.mean()) if shown is not None else 1.0}
    if args.json:
        print_json(summary)
    else:
        print(f"trained {net.name} on {len(samples)} samples of {samples.name} (classes {classes}) "
              f"in {wall:.1f} s; {trained.result.spike_counts[pop]} {pop} spikes; readout: {_READOUTS[trained.readout]}; "
              f"wrote {args.out}/")
    return 0


_READOUTS = {"class_groups": "class groups (group k learns the k-th class)",
             "label_assignment": "label assignment (each neuron labelled by the class it answers most, "
                                 "as in Diehl & Cook 2015)",
             "class_profiles": "class profiles (each neuron votes for every class with the share of its training "
                               "response that class drew)"}


def _re_presenting(net, min_spikes: int):
    """`net` with readout.re_present set from --re-present (0: off)."""
    from neurokit.errors import SpecError
    from neurokit.ir import Network, RePresent

    if net.readout is None:
        raise SpecError(["--re-present: the network has no readout to count answers in (train it first)"])
    rp = RePresent(min_spikes=min_spikes).model_dump() if min_spikes else None
    data = net.model_dump(mode="python")
    data["readout"]["re_present"] = rp
    return Network.model_validate(data)


def _file_safe(label: str) -> str:
    """A connection label ('input->exc') as part of a file name."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label.replace("->", "_to_"))


@records_run("trained")
def _evaluate(args) -> int:
    from neurokit import api

    net = api.load(args.trained)
    if args.re_present is not None:
        net = _re_presenting(net, args.re_present)
    classes, wanted = readout_classes(net, parse_classes(args.classes))
    samples = api.dataset(args.data, args.split, samples=args.samples, classes=wanted, seed=args.seed,
                           download=args.download)
    ev = api.evaluate(net, samples, classes, backend=args.backend, precision=args.precision, seed=args.seed,
                  progress=not args.json)
    if args.json:
        print_json({"accuracy": ev.accuracy, "confusion": ev.confusion, "classes": classes, "silent": ev.silent,
                    "samples": len(samples), "presentations": ev.presentations, "spike_counts": ev.spike_counts})
        return 0
    again = f", {ev.presentations:.2f} presentations per sample" if ev.presentations > 1 else ""
    print(f"accuracy {ev.accuracy:.3f} on {len(samples)} samples of {samples.name} ({ev.silent} silent{again})")
    print("confusion (rows: true, columns: predicted)")
    print("      " + "".join(f"{c:>6}" for c in classes))
    for c, row in zip(classes, ev.confusion):
        print(f"{c:>6}" + "".join(f"{v:>6}" for v in row))
    return 0


def readout_classes(net, given: list[int] | None) -> tuple[list[int] | None, list[int] | None]:
    """(the class of each readout group, the classes of the test samples). Groups keep the order
    they were trained in: `--classes 7,1,0` on a network trained on 0,1,7 tests the same
    classes, and a subset tests fewer; a class the network never learned is refused."""
    from neurokit.errors import DataError

    trained = net.readout.classes if net.readout is not None else None
    if net.readout is not None and net.readout.kind == "argmax" and trained is None:  # an imported classifier
        from neurokit.training import argmax_classes

        trained = argmax_classes(net.readout, net.population(net.readout.population).size)
    if not trained or given is None:
        return trained or given, trained or given
    unknown = [c for c in given if c not in trained]
    if unknown:
        raise DataError(f"--classes {','.join(map(str, given))}: the network was trained on classes "
                        f"{','.join(map(str, trained))} and has no readout group for {unknown}; "
                        "give a subset of its classes or leave --classes out")
    return trained, given
