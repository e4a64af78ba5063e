"""Where generated digits come from, swept: the VAEs of `neurokit experiment generative` are trained
once, then each sampler (the prior; Gaussian mixtures of K components at temperature τ) writes 1,000
digits per model, judged by the same classifier (classifier FID, fraction recognised with
confidence ≥ 0.9, classes present). Variety (FID) against recognisability (confidence): the
trade-off behind the issue's two sample floors, measured rather than chosen (docs/generative.md).

    .venv/bin/python benchmarks/generative_samplers.py --data mnist:../shared/data/mnist-subset \
        --out benchmarks/results/generative_samplers.json
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np


def main() -> None:
    from neurokit.experiments.generative import DEFAULTS, PRIORS, codes_of, generated, prepare, train_vaes
    from neurokit.generative.decoder import DEFAULTS as NET
    from neurokit.generative.sampler import CodeSampler

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=DEFAULTS["epochs"])
    ap.add_argument("--components", default="10,50,200")
    ap.add_argument("--temperatures", default="1.0,0.8,0.6")
    ap.add_argument("--samples", type=int, default=1000)
    args = ap.parse_args()
    cfg = {**NET, **DEFAULTS, "epochs": args.epochs}
    t0 = time.perf_counter()
    train_set, test_set, judge, judge_info = prepare(args.data, seed=args.seed, cfg=cfg)
    x = train_set.flat.astype(np.float32)
    models, _ = train_vaes(x, cfg, args.seed, progress=True)
    rows = []
    for name, model in models.items():
        codes = codes_of(model, x)
        settings = [("prior", 0, 1.0)] + [("mixture", int(k), float(t)) for k in args.components.split(",")
                                          for t in args.temperatures.split(",")]
        for kind, k, tau in settings:
            sampler = CodeSampler.fit(kind, codes, PRIORS[name], components=max(k, 1), seed=args.seed, temperature=tau)
            images = generated(model, sampler.draw(args.samples, args.seed), args.seed)
            score = judge.score(images, test_set.images)
            rows.append({"model": name, "sampler": kind, "components": k, "temperature": tau,
                         "fid": score["fid"], "confident_fraction": score["confident_fraction"],
                         "classes_present": len(score["classes_present"]), "class_counts": score["class_counts"]})
            print(f"{name:>13} {kind:>7} K={k:<4} τ={tau:<4} FID {score['fid']:7.1f}  confident "
                  f"{score['confident_fraction']:.3f}  classes {len(score['classes_present'])}", flush=True)
    with open(args.out, "w") as f:
        json.dump({"config": cfg, "seed": args.seed, "judge": judge_info, "rows": rows,
                   "wall_time_s": round(time.perf_counter() - t0, 1)}, f, indent=1)


if __name__ == "__main__":
    main()
