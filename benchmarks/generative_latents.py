"""How the VAEs of `neurokit experiment generative` train with other gradient estimators for their
Bernoulli bits, a KL warm-up, and more bits: one model per call, its test reconstruction (one latent
draw, as the experiment reports it, and the posterior's mode) and final training −ELBO.

    .venv/bin/python benchmarks/generative_latents.py --model bernoulli --kl-warmup 20 --estimator relaxed --tau 0.5

Estimators for z ~ Bernoulli(sigmoid(q)) (y = q + logistic noise; the forward pass is the hard draw
y > 0 except where said):
  gumbel   straight-through Gumbel-sigmoid, gradient of sigmoid(y/τ) (the experiment's, τ = 1);
  p        straight-through with the gradient of sigmoid(q) (Bengio et al. 2013);
  relaxed  the decoder sees sigmoid(y/τ) itself while training (Gumbel-softmax, Jang et al. 2017),
           the hard bits at test; τ annealed geometrically to --tau-end over the epochs.
--kl-warmup N: the KL's weight rises linearly from 1/N to 1 over the first N epochs, for every model.
--bits-per-latent K (model bernoulli): K bits per latent, K·L in all (encoder and decoder widened).
The experiment itself is unchanged (docs/generative.md says what was measured and why).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

import neurokit.generative.vae as vae
from neurokit.data import load_dataset
from neurokit.experiments.generative import DEFAULTS, reconstructions
from neurokit.generative.decoder import DEFAULTS as NET

TAU = [1.0]  # the estimator's temperature now (annealed per epoch)


def make_bits(estimator: str):
    def bits(logits, generator=None):
        u = torch.rand(logits.shape, generator=generator).clamp(1e-6, 1 - 1e-6)
        y = logits + torch.log(u) - torch.log1p(-u)
        hard = (y > 0).to(logits.dtype)
        if estimator == "relaxed":
            return torch.sigmoid(y / TAU[0]) if torch.is_grad_enabled() else hard
        soft = torch.sigmoid(logits) if estimator == "p" else torch.sigmoid(y / TAU[0])
        return hard + soft - soft.detach()
    return bits


def widened(k: int):
    class Widened(vae.BernoulliAnnVAE):
        def __init__(self, cfg, n_pixels, seed):
            super().__init__(cfg, n_pixels, seed)
            self.enc[-1] = torch.nn.Linear(cfg["hidden"], cfg["latent"] * k)
            self.dec[0] = torch.nn.Linear(cfg["latent"] * k, cfg["hidden"])
    return Widened


def mode_pixels(model, x):
    """Pixels from the posterior's most probable code (μ; bits q > 0)."""
    q = model.codes(x)
    if isinstance(model, vae.SpikingVAE):
        return model.pixels_of((q > 0).float())
    if isinstance(model, vae.BernoulliAnnVAE):
        return torch.sigmoid(model.dec((q > 0).float()))
    return torch.sigmoid(model.dec(q))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", choices=("ann", "bernoulli", "snn"), required=True)
    ap.add_argument("--data", default="mnist:../shared/data/mnist-subset")
    ap.add_argument("--latent", type=int, default=64)
    ap.add_argument("--bits-per-latent", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=DEFAULTS["epochs"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--estimator", choices=("gumbel", "p", "relaxed"), default="gumbel")
    ap.add_argument("--tau", type=float, default=1.0)
    ap.add_argument("--tau-end", type=float, default=None, help="anneal τ to this by the last epoch")
    ap.add_argument("--kl-warmup", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None, help="append the result as a JSON line")
    a = ap.parse_args()
    torch.set_num_threads(1)
    vae.st_bits = make_bits(a.estimator)
    x = load_dataset(a.data, "train", seed=a.seed).flat.astype(np.float32)
    x_test = load_dataset(a.data, "test", seed=a.seed).flat.astype(np.float32)
    cfg = {**NET, **DEFAULTS, "latent": a.latent, "epochs": a.epochs}
    cls = {"ann": vae.AnnVAE, "snn": vae.SpikingVAE,
           "bernoulli": widened(a.bits_per_latent) if a.bits_per_latent > 1 else vae.BernoulliAnnVAE}[a.model]
    model = cls(cfg, x.shape[1], a.seed)
    tau_end = a.tau if a.tau_end is None else a.tau_end
    X, t0 = torch.tensor(x), time.perf_counter()
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    rng = np.random.default_rng(a.seed)  # the experiment's train(): same order, same seeds
    torch.manual_seed(a.seed)
    for epoch in range(a.epochs):
        TAU[0] = a.tau * (tau_end / a.tau) ** (epoch / max(1, a.epochs - 1))
        beta = cfg["beta"] * (min(1.0, (epoch + 1) / a.kl_warmup) if a.kl_warmup else 1.0)
        order, sums = torch.as_tensor(rng.permutation(len(X))), np.zeros(3)
        for i in range(0, len(X), cfg["batch"]):
            xb = X[order[i:i + cfg["batch"]]]
            loss, rec, kl = model.loss(xb, beta)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sums += np.array([float((rec + kl).detach()), float(rec.detach()), float(kl.detach())]) * len(xb)
    with torch.no_grad():
        mode = mode_pixels(model, torch.tensor(x_test)).numpy()
    row = {k: v for k, v in vars(a).items() if k not in ("out", "data")}
    row.update(recon=round(float(np.mean((reconstructions(model, x_test, a.seed) - x_test) ** 2)), 5),
               mode_recon=round(float(np.mean((mode - x_test) ** 2)), 5),
               elbo_recon_kl=[round(v, 2) for v in sums / len(X)], train_s=round(time.perf_counter() - t0, 1))
    line = json.dumps(row)
    print(line)
    if a.out is not None:
        with a.out.open("a") as f:
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
