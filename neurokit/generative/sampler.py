"""Where generated codes come from: the VAE's prior, or a Gaussian mixture fitted to the codes the
encoder gives the training digits (ex-post density estimation, Ghosh et al., ICLR 2020), which
keeps samples where the decoder has learned to draw.

`temperature` τ scales each component's spread (z = μ_k + τ · L_k · ε, L_k L_kᵀ = Σ_k): below 1 the
codes stay nearer the components' centres, which trades variety for recognisable digits (the
truncation of Brock et al. 2019, on the mixture).

A code is what the decoder's input is drawn from: the logits of the spiking VAE's latent bits
(then z ~ Bernoulli(sigmoid(code)) on the host), or the ANN VAE's Gaussian z itself.
"""
from __future__ import annotations

import functools
import io

import numpy as np

SAMPLERS = ("mixture", "prior")
PRIORS = ("bernoulli_half", "normal")  # the spiking and Bernoulli VAEs' prior, the Gaussian VAE's


class CodeSampler:
    def __init__(self, kind: str, latent: int, prior: str, weights=None, means=None, covariances=None,
                 temperature: float = 1.0):
        self.kind, self.latent, self.prior = kind, latent, prior  # prior: "bernoulli_half" | "normal"
        self.temperature = float(temperature)
        self.weights, self.means, self.covariances = weights, means, covariances

    @functools.cached_property
    def _chol(self) -> np.ndarray:
        """L_k (L_k L_kᵀ = Σ_k), once; LinAlgError for a covariance that is not positive definite."""
        return np.linalg.cholesky(self.covariances)

    @classmethod
    def fit(cls, kind: str, codes: np.ndarray, prior: str, *, components: int, seed: int,
            temperature: float = 1.0) -> "CodeSampler":
        if kind == "prior":
            return cls("prior", codes.shape[1], prior)
        from sklearn.mixture import GaussianMixture

        # reg_covar: latent dimensions the VAE left unused hold near-constant codes (singular covariance)
        gm = GaussianMixture(components, covariance_type="full", reg_covar=1e-3, random_state=seed, max_iter=200)
        gm.fit(np.asarray(codes, np.float64))
        return cls("mixture", codes.shape[1], prior, gm.weights_, gm.means_, gm.covariances_, temperature)

    def draw(self, n: int, seed: int) -> np.ndarray:
        rng = np.random.default_rng([seed, 7])
        if self.kind == "prior":
            return np.zeros((n, self.latent)) if self.prior == "bernoulli_half" else rng.standard_normal((n, self.latent))
        k = rng.choice(len(self.weights), size=n, p=self.weights / self.weights.sum())
        eps = rng.standard_normal((n, self.latent))
        return self.means[k] + self.temperature * np.einsum("nij,nj->ni", self._chol[k], eps)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        arrays = {"kind": np.array(self.kind), "latent": np.array(self.latent), "prior": np.array(self.prior)}
        if self.kind == "mixture":
            arrays.update(weights=self.weights, means=self.means, covariances=self.covariances,
                          temperature=np.array(self.temperature))
        np.savez(buf, **arrays)
        return buf.getvalue()

    @classmethod
    def load(cls, path) -> "CodeSampler":
        """A sampler written by `to_bytes`; ValueError (what is wrong) for anything else."""
        with np.load(path, allow_pickle=False) as f:
            kind, latent, prior = str(f["kind"]), int(f["latent"]), str(f["prior"])
            if kind not in SAMPLERS or prior not in PRIORS or latent < 1:
                raise ValueError(f"kind {kind!r}, prior {prior!r}, latent {latent}: expected kind in {SAMPLERS}, "
                                 f"prior in {PRIORS}, latent ≥ 1")
            if kind == "prior":
                return cls(kind, latent, prior)
            w, mu, cov, tau = (np.asarray(f[k], np.float64) for k in ("weights", "means", "covariances", "temperature"))
        K = len(w)
        if w.ndim != 1 or mu.shape != (K, latent) or cov.shape != (K, latent, latent):
            raise ValueError(f"shapes weights {w.shape}, means {mu.shape}, covariances {cov.shape}: expected "
                             f"[K], [K, {latent}], [K, {latent}, {latent}]")
        if not (np.isfinite(w).all() and np.isfinite(mu).all() and np.isfinite(cov).all()):
            raise ValueError("weights, means and covariances must be finite")
        if (w < 0).any() or w.sum() <= 0 or not 0 < float(tau) <= 1:
            raise ValueError(f"weights must be ≥ 0 with a positive sum, and 0 < temperature ≤ 1 (got {float(tau):g})")
        sampler = cls(kind, latent, prior, w, mu, cov, float(tau))
        try:
            sampler._chol
        except np.linalg.LinAlgError:
            raise ValueError("a covariance is not positive definite") from None
        return sampler
