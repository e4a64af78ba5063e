"""The gradient path, measured: a SLAYER-trained MNIST classifier (examples/slayer_mnist/) imported
from its netx file and run on Lava fixed point and on the engine.

Reports, on the MNIST subset's test digits in file order (the order SLAYER evaluated them in):
SLAYER's own accuracy (from slayer_float.json), the accuracy on Lava fixed point and on the
engine (fixed and float), whether the engine's output spike counts equal Lava's and SLAYER's,
images per second on each backend in the same run, and the cores and energy per inference on
the loihi, loihi2 and spinnaker2 profiles.

    .venv/bin/python benchmarks/slayer_mnist.py --data ../shared/data/mnist-subset \
        [--lava-samples N] --out benchmarks/results/slayer_mnist.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "slayer_mnist"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(HERE.parent.parent / "shared" / "data" / "mnist-subset"),
                    help="MNIST root (torchvision layout)")
    ap.add_argument("--net", default=str(EXAMPLE / "mnist_dense.net"))
    ap.add_argument("--lava-samples", type=int, default=None, help="test digits run on Lava (default: all)")
    ap.add_argument("--out", help="write the JSON here (a new file, or one this script wrote)")
    args = ap.parse_args()
    if args.out and Path(args.out).exists() and "slayer_mnist" not in Path(args.out).read_text()[:200]:
        sys.exit(f"--out {args.out}: exists and this script did not write it")

    import neurokit as nk
    from neurokit.data import Samples
    from neurokit.data.datasets import _mnist

    net = nk.import_network(args.net)
    images, labels = _mnist(args.data, "test", False)   # file order, as SLAYER evaluated
    test = Samples(images, labels, "mnist-subset:test")
    ref = json.loads((Path(args.net).with_name("slayer_float.json")).read_text())
    out: dict = {"benchmark": "slayer_mnist", "network": Path(args.net).name, "test_digits": len(test),
                 "slayer_float_accuracy": ref["accuracy"], "cpu_count": os.cpu_count()}

    def accuracy(counts, n):
        pred = counts.argmax(axis=1)
        pred[counts.max(axis=1) == 0] = -1
        return float((pred == labels[:n]).mean()), pred

    out_pop = net.readout.population
    nk.run(net, Samples(images[:8], labels[:8], "warm-up"), backend="engine")  # compile outside the timing
    runs = {}
    for precision in ("fixed", "float"):
        t = time.perf_counter()
        r = nk.run(net, test, backend="engine", precision=precision)
        wall = time.perf_counter() - t
        acc, pred = accuracy(r.counts[out_pop], len(test))
        runs[precision] = r
        out[f"engine_{precision}"] = {"accuracy": acc, "images_per_s": len(test) / wall, "wall_s": wall}
    slayer_counts = np.asarray(ref["output_spike_counts"])
    out["engine_fixed"]["output_counts_equal_slayer"] = bool(np.array_equal(runs["fixed"].counts[out_pop],
                                                                           slayer_counts))

    n_lava = args.lava_samples or len(test)
    t = time.perf_counter()
    lava = nk.run(net, Samples(images[:n_lava], labels[:n_lava], "lava"), backend="lava", progress=True)
    wall = time.perf_counter() - t
    acc, _ = accuracy(lava.counts[out_pop], n_lava)
    same = all(np.array_equal(lava.counts[p], runs["fixed"].counts[p][:n_lava]) for p in lava.counts)
    out["lava_fixed"] = {"samples": n_lava, "accuracy": acc, "images_per_s": n_lava / wall, "wall_s": wall,
                         "counts_identical_to_engine": same}
    out["engine_vs_lava_speed"] = out["engine_fixed"]["images_per_s"] / out["lava_fixed"]["images_per_s"]

    sample = Samples(images[:100], labels[:100], "energy")
    _, reports = nk.energy(net, sample, profiles=["loihi", "loihi2", "spinnaker2"], backend="engine",
                           assume=["loihi-energies"])
    out["energy"] = {r.profile: {"joules_per_inference": r.joules_per_inference,
                                 "cores": (r.mapping or {}).get("cores") if isinstance(r.mapping, dict) else r.mapping}
                     for r in reports}
    out["cores_loihi2"] = nk.compile(net, "loihi2").summary()["populations"]
    text = json.dumps(out, indent=1, default=float)
    print(text)
    if args.out:
        from neurokit.util import atomic_write_bytes

        atomic_write_bytes(Path(args.out), text.encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
