"""How good generated digits are, judged by a classifier trained here on the MNIST subset.

Inception weights cannot be downloaded on these machines, so the Fréchet distance is computed on
this classifier's penultimate features (128 per image): call it *classifier FID*, not Inception
FID. Its values are not comparable with published FIDs, only between models judged by the same
classifier:

    FID = ‖μ_g − μ_r‖² + tr(Σ_g + Σ_r − 2 (Σ_g Σ_r)^{1/2})      (Heusel et al. 2017)

with μ, Σ the mean and covariance of the features of generated (g) and real test (r) digits.
Recognisable: the fraction of samples the classifier gives a class with probability ≥ 0.9;
varied: which classes occur among the samples' predictions.
"""
from __future__ import annotations

import numpy as np

CONFIDENT = 0.9


def _net():
    import torch

    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),           # 28 → 24 → 12
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),          # 12 → 8 → 4
        nn.Flatten(), nn.Linear(32 * 16, 128), nn.ReLU(),          # the features
        nn.Linear(128, 10))


class Judge:
    def __init__(self, model):
        self.model = model.eval()

    @classmethod
    def train(cls, images: np.ndarray, labels: np.ndarray, *, seed: int, epochs: int = 8, batch: int = 64):
        """A small CNN, Adam, on [n, 28, 28] images in [0, 1]."""
        import torch

        torch.manual_seed(seed)
        model = _net()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        X = torch.tensor(images, dtype=torch.float32).reshape(-1, 1, 28, 28)
        Y = torch.tensor(labels, dtype=torch.int64)
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            order = torch.as_tensor(rng.permutation(len(X)))
            for i in range(0, len(X), batch):
                idx = order[i:i + batch]
                loss = torch.nn.functional.cross_entropy(model(X[idx]), Y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
        return cls(model)

    def _run(self, images: np.ndarray):
        import torch

        X = torch.tensor(np.asarray(images, np.float32), dtype=torch.float32).reshape(-1, 1, 28, 28)
        feats, probs = [], []
        with torch.no_grad():
            for i in range(0, len(X), 500):
                f = self.model[:-1](X[i:i + 500])
                feats.append(f.numpy())
                probs.append(torch.softmax(self.model[-1](f), 1).numpy())
        return np.concatenate(feats).astype(np.float64), np.concatenate(probs)

    def accuracy(self, images, labels) -> float:
        return float(np.mean(self._run(images)[1].argmax(1) == labels))

    def score(self, generated: np.ndarray, real: np.ndarray) -> dict:
        """classifier FID against `real`, fraction recognised with confidence ≥ 0.9, classes present."""
        fg, pg = self._run(generated)
        fr, _ = self._run(real)
        return {"fid": round(frechet(fg, fr), 3),
                "confident_fraction": round(float(np.mean(pg.max(1) >= CONFIDENT)), 4),
                "classes_present": sorted({int(c) for c in pg.argmax(1)}),
                "class_counts": np.bincount(pg.argmax(1), minlength=10).tolist()}


def frechet(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to feature sets a [n, d] and b [m, d]."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # tr (Σa Σb)^{1/2} = tr (Σa^{1/2} Σb Σa^{1/2})^{1/2}: symmetric, so eigh is stable where the
    # features of a few dead units make the covariances singular
    w, V = np.linalg.eigh(ca)
    half = (V * np.sqrt(np.clip(w, 0, None))) @ V.T
    tr_root = np.sqrt(np.clip(np.linalg.eigvalsh(half @ cb @ half), 0, None)).sum()
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(ca) + np.trace(cb) - 2 * tr_root)
