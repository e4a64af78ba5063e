"""The spiking VAE and its same-size ANN twins, trained the same way (Adam on the negative ELBO).

Spiking VAE (`SpikingVAE`), T steps of the IR's neurons (the PyTorch twin, neurokit.surrogate):
  encoder  x → IF hidden (x as a current each step) → logits q = W·(spike rate) + b of L bits;
  latent   z_j ~ Bernoulli(sigmoid(q_j)), drawn once per image (`st_bits`: straight-through
           Gumbel-sigmoid); a bit of 1 is one spike at the window's first step;
  decoder  the IR network of neurokit.generative.decoder, x̂ = sigmoid(V_out(t_end));
  loss     Σ_pixels BCE(x̂, x) + β · Σ_j KL(Bern(sigmoid(q_j)) ‖ Bern(½)).

(A Bernoulli process over the T steps, z[t, j] ~ Bernoulli(p_j), was measured and dropped: its KL is
T per-step KLs for the little a spike count says about p; docs/generative.md.)

ANN VAE (`AnnVAE`): x → ReLU hidden → (μ, log σ²) of L Gaussians → z = μ + σ·ε → ReLU hidden →
sigmoid pixels; loss Σ BCE + β · KL(N(μ, σ²) ‖ N(0, 1)). `BernoulliAnnVAE`: the same with the
spiking VAE's L bits. Same layer sizes for all three.
"""
from __future__ import annotations

import math

import numpy as np


def _torch():
    import torch

    return torch


def st_bits(logits, generator=None):
    """Bits z ~ Bernoulli(sigmoid(logits)): the forward pass is the hard draw, the gradient that of
    sigmoid(logits + logistic noise) (straight-through Gumbel-sigmoid, τ = 1)."""
    torch = _torch()
    u = torch.rand(logits.shape, generator=generator).clamp(1e-6, 1 - 1e-6)
    y = logits + torch.log(u) - torch.log1p(-u)
    soft = torch.sigmoid(y)
    return (y > 0).to(logits.dtype) + soft - soft.detach()


def kl_bernoulli_half(q):
    """Σ_j KL(Bern(p_j) ‖ Bern(½)) = Σ_j log 2 + p·log p + (1 − p)·log(1 − p), p = sigmoid(q); mean over the batch."""
    F = _torch().nn.functional
    p = _torch().sigmoid(q)
    return (math.log(2) + p * F.logsigmoid(q) + (1 - p) * F.logsigmoid(-q)).sum(1).mean()


class SpikingVAE:
    """Holds the torch parameters; `decoder_ir()` writes the trained decoder into the IR."""

    def __init__(self, cfg: dict, n_pixels: int, seed: int):
        torch = _torch()
        from neurokit.generative.decoder import hidden_neuron, window_steps
        from neurokit.ir import LIF

        self.cfg, self.n_pixels = cfg, n_pixels
        g = torch.Generator().manual_seed(seed)
        H, L = cfg["hidden"], cfg["latent"]

        def param(*shape, scale):
            return torch.nn.Parameter(torch.randn(*shape, generator=g) * scale)

        # Weights start small against v_th = 1 (currents of ~0.1 per step): an IF neuron that resets to
        # 0 fires every ⌈v_th/I⌉ steps, so large currents give coarse counts (T, T/2, T/3, …) while
        # small ones count finely (30 epochs: reconstruction 116 nats with these, 119 with 2.5 × these).
        self.params = {
            "e1": param(H, n_pixels, scale=0.4 / math.sqrt(n_pixels)), "eb1": torch.nn.Parameter(torch.zeros(H)),
            "e2": param(L, H, scale=1 / math.sqrt(H)), "eb2": torch.nn.Parameter(torch.zeros(L)),
            "d1": param(H, L, scale=0.2 / math.sqrt(L)),
            "d2": param(n_pixels, H, scale=1 / math.sqrt(H)), "db2": torch.nn.Parameter(torch.zeros(n_pixels)),
        }
        self.hid = LIF.model_validate(hidden_neuron(cfg))  # the deployed decoder's own neuron model
        # the encoder (host-side, never deployed) takes the image as a current each step, lasting one step
        self.enc_neuron = LIF(v_th=cfg["v_th"], tau_syn_ms=0.0, voltage_decay=0.0)
        self.P = window_steps(cfg)

    def parameters(self):
        return list(self.params.values())

    def encode(self, x):
        """x [B, pixels] → the logits of the latent bits' probabilities [B, L]."""
        from neurokit.surrogate import cuba

        T = self.cfg["steps"]
        current = (x @ self.params["e1"].T).unsqueeze(2).expand(-1, -1, T)
        s, _ = cuba(current, self.enc_neuron, self.params["eb1"], self.cfg["dt_ms"], True)
        return s.mean(2) @ self.params["e2"].T + self.params["eb2"]

    def trains(self, z):
        """bits [B, L] → the latent's spikes [B, L, P]: a 1 spikes once, at the first step."""
        return _torch().nn.functional.pad(z.unsqueeze(2), (0, self.P - 1))

    def decode_v(self, z):
        """latent spikes [B, L, P] → V_out(t_end) [B, pixels] (logits of the pixels)."""
        return self._decode(z)[0]

    def _decode(self, z):
        """(V_out(t_end), the hidden neurons' spike counts [B, H], the last step's included: on the chip
        those spikes cost their synaptic events too)."""
        from neurokit.surrogate import cuba, delayed

        torch = _torch()
        dt = self.cfg["dt_ms"]
        s_h, _ = cuba(torch.einsum("hl,blt->bht", self.params["d1"], delayed(z)), self.hid, 0.0, dt, True)
        # the output, reset at step 1, integrates without leak what arrives at steps 1 … P−1 (the hidden
        # spikes of steps 0 … P−2) plus its bias: V(P−1) = W·Σ s_h + (P−1)·b
        counts = s_h[:, :, :-1].sum(2)
        return counts @ self.params["d2"].T + (self.P - 1) * self.params["db2"], s_h.sum(2)

    def loss(self, x, beta: float):
        """−ELBO, plus `spike_cost` nats per hidden spike (each fans out to every pixel: the decoder's
        energy) when the configuration asks for it."""
        torch = _torch()
        q = self.encode(x)
        logits, spikes = self._decode(self.trains(st_bits(q)))
        rec = torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
        kl = kl_bernoulli_half(q)
        return rec + beta * kl + self.cfg.get("spike_cost", 0.0) * spikes.sum(1).mean(), rec, kl

    def pixels_of(self, bits):
        """bits [B, L] (0/1) → pixels [B, pixels]: what the deployed decoder computes, in float."""
        return _torch().sigmoid(self.decode_v(self.trains(bits)))

    def reconstruct(self, x, generator=None):
        return self.pixels_of(st_bits(self.encode(x), generator))

    def codes(self, x):
        """The posterior's code of each image: the logits of its bits."""
        return self.encode(x)

    def generate(self, codes, generator=None):
        """Pixels from codes: the bits drawn, then decoded."""
        return self.pixels_of(st_bits(codes, generator))

    def decoder_ir(self):
        from neurokit.generative.decoder import decoder_network

        w = {k: v.detach().numpy().astype(np.float64) for k, v in self.params.items()}
        return decoder_network(self.cfg, self.n_pixels, w["d1"], None, w["d2"], w["db2"])


class AnnVAE:
    def __init__(self, cfg: dict, n_pixels: int, seed: int):
        torch = _torch()
        torch.manual_seed(seed)
        H, L = cfg["hidden"], cfg["latent"]
        self.cfg = cfg
        self.enc = torch.nn.Sequential(torch.nn.Linear(n_pixels, H), torch.nn.ReLU(), torch.nn.Linear(H, 2 * L))
        self.dec = torch.nn.Sequential(torch.nn.Linear(L, H), torch.nn.ReLU(), torch.nn.Linear(H, n_pixels))

    def parameters(self):
        return list(self.enc.parameters()) + list(self.dec.parameters())

    def _posterior(self, x):
        mu, logvar = self.enc(x).chunk(2, dim=1)
        return mu, logvar

    def loss(self, x, beta: float):
        torch = _torch()
        mu, logvar = self._posterior(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        rec = torch.nn.functional.binary_cross_entropy_with_logits(self.dec(z), x, reduction="sum") / len(x)
        kl = (0.5 * (mu ** 2 + logvar.exp() - 1 - logvar)).sum(1).mean()
        return rec + beta * kl, rec, kl

    def reconstruct(self, x, generator=None):
        torch = _torch()
        mu, logvar = self._posterior(x)
        eps = torch.randn(mu.shape, generator=generator)
        return torch.sigmoid(self.dec(mu + torch.exp(0.5 * logvar) * eps))

    def codes(self, x):
        """The posterior's code of each image: μ."""
        return self._posterior(x)[0]

    def generate(self, codes, generator=None):
        return _torch().sigmoid(self.dec(codes))


class BernoulliAnnVAE(AnnVAE):
    """The ANN VAE with the spiking VAE's latent: L Bernoulli bits (straight-through), prior Bern(½)."""

    def __init__(self, cfg: dict, n_pixels: int, seed: int):
        super().__init__(cfg, n_pixels, seed)
        self.enc[-1] = _torch().nn.Linear(cfg["hidden"], cfg["latent"])  # logits only

    def loss(self, x, beta: float):
        torch = _torch()
        q = self.enc(x)
        rec = torch.nn.functional.binary_cross_entropy_with_logits(self.dec(st_bits(q)), x, reduction="sum") / len(x)
        kl = kl_bernoulli_half(q)
        return rec + beta * kl, rec, kl

    def reconstruct(self, x, generator=None):
        return _torch().sigmoid(self.dec(st_bits(self.enc(x), generator)))

    def codes(self, x):
        return self.enc(x)

    def generate(self, codes, generator=None):
        return _torch().sigmoid(self.dec(st_bits(codes, generator)))


def train(model, x: np.ndarray, *, epochs: int, batch: int, lr: float, beta: float, seed: int, progress=None):
    """Adam on the negative ELBO; returns the loss per epoch [(loss, recon, kl)]."""
    torch = _torch()
    X = torch.tensor(x, dtype=torch.float32)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    history = []
    for epoch in range(epochs):
        order = torch.as_tensor(rng.permutation(len(X)))
        sums = np.zeros(3)
        for i in range(0, len(X), batch):
            xb = X[order[i:i + batch]]
            loss, rec, kl = model.loss(xb, beta)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sums += np.array([float(loss.detach()), float(rec.detach()), float(kl.detach())]) * len(xb)
        history.append(tuple((sums / len(X)).round(3)))
        if progress is not None:
            progress(epoch, history[-1])
    return history
