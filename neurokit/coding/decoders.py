"""Decoders: a run's arrays (spike counts, rasters, membrane potentials) into real values.

Pure functions over numpy arrays; nothing here runs a network. Shapes follow neurokit.runner:
counts [sample, neuron], rasters bool [sample, neuron, step], v [sample, neuron, step].

Features (one row per sample):

    rate          r_i = N_i / T                    N_i spikes of output neuron i in the window T (s)
    first spike   t_first = min{t : s[t] = 1}      ms from the sample's start; T when it never fires
    membrane      V_i(t_end)                       the last step's potential of (non-spiking) neuron i
    population    f(V_i(t_end))                    f = sigmoid 1/(1 + e^(−V)), or softmax over i

and each decoder is the linear readout of its features, fitted in closed form (least squares
with an intercept, `fit_linear`):

    rate          y = Σ_i k_i · N_i / T + b        (one neuron: y = k · N/T + b)
    first spike   y = k1 − k2 · t_first            (b = k1, w = −k2)
    membrane      y = Σ_i w_i · V_i(t_end) + b
    population    y = Σ_i w_i · f(V_i(t_end)) + b

`fit_linear` solves min_w,b ‖X·w + b − y‖² + λ‖w‖² (λ = `ridge`, 0 by default: ordinary least
squares, via numpy.linalg.lstsq, so a constant feature does not break it); `fit_linear_cv` picks λ
by K-fold cross-validation; `predict` is X·w + b.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def rate_features(counts: np.ndarray, T: float) -> np.ndarray:
    """r = N / T per neuron: counts [sample, neuron] (or [sample]) over a window T (any unit;
    the readout's k absorbs it). Returns float [sample, neuron]."""
    if T <= 0:
        raise ValueError(f"T must be > 0, got {T}")
    c = np.asarray(counts, dtype=np.float64)
    return (c[:, None] if c.ndim == 1 else c) / float(T)


def first_spike_times(rasters: np.ndarray, dt_ms: float) -> np.ndarray:
    """Time (ms) of each neuron's first spike, t = step · dt_ms with step 0 the sample's first;
    a neuron that never fires gets T = steps · dt_ms. rasters bool [sample, neuron, step] →
    float [sample, neuron]."""
    r = np.asarray(rasters, dtype=bool)
    steps = r.shape[-1]
    first = np.where(r.any(axis=-1), r.argmax(axis=-1), steps)
    return first.astype(np.float64) * dt_ms


def membrane_at_end(v: np.ndarray) -> np.ndarray:
    """V_i(t_end): the last step of v [sample, neuron, step] → float [sample, neuron]."""
    return np.asarray(v, dtype=np.float64)[..., -1]


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1/(1 + e^-x), without overflow


def population_vote(v: np.ndarray, f: str = "sigmoid") -> np.ndarray:
    """f(V_i): v [sample, neuron] (already at t_end) with f = 'sigmoid' (per neuron) or
    'softmax' (over the neurons of a sample) → float [sample, neuron]."""
    x = np.asarray(v, dtype=np.float64)
    if f == "sigmoid":
        return sigmoid(x)
    if f == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(f"f must be 'sigmoid' or 'softmax', got {f!r}")


@dataclass(frozen=True)
class LinearReadout:
    w: np.ndarray  # [features]
    b: float

    def __call__(self, features: np.ndarray) -> np.ndarray:
        return predict(features, self.w, self.b)

    def to_json(self) -> dict:
        return {"w": [float(x) for x in self.w], "b": float(self.b)}


def fit_linear(features: np.ndarray, y: np.ndarray, ridge: float = 0.0) -> tuple[np.ndarray, float]:
    """Closed-form least squares y ≈ X·w + b: (w [features], b). `ridge` λ ≥ 0 adds λ‖w‖²
    (the intercept is not penalised)."""
    X = np.asarray(features, dtype=np.float64)
    X = X[:, None] if X.ndim == 1 else X
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if len(X) != len(y):
        raise ValueError(f"{len(X)} feature rows, {len(y)} targets")
    if ridge > 0:
        mx, my = X.mean(axis=0), y.mean()
        Xc = X - mx
        w = np.linalg.solve(Xc.T @ Xc + ridge * np.eye(X.shape[1]), Xc.T @ (y - my))
        return w, float(my - mx @ w)
    A = np.hstack([X, np.ones((len(X), 1))])
    sol, *_ = np.linalg.lstsq(A, y, rcond=None)
    return sol[:-1], float(sol[-1])


def fit_linear_cv(features: np.ndarray, y: np.ndarray, folds, alphas=(0.0, 1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0)
                  ) -> tuple[np.ndarray, float, float]:
    """Ridge readout with its strength chosen by K-fold cross-validation: λ = α·tr(Xcᵀ·Xc)/f (α times the
    mean eigenvalue of the centred features' scatter, so α is free of the features' scale), the α of
    `alphas` with the lowest held-out squared error summed over `folds` (index arrays partitioning the
    rows), then refitted on all rows. Returns (w, b, α)."""
    X = np.asarray(features, dtype=np.float64)
    X = X[:, None] if X.ndim == 1 else X
    y = np.asarray(y, dtype=np.float64).reshape(-1)

    def fit(rows, alpha):
        Xc = X[rows] - X[rows].mean(axis=0)
        return fit_linear(X[rows], y[rows], ridge=alpha * np.trace(Xc.T @ Xc) / X.shape[1])

    def cv_error(alpha):
        err = 0.0
        for held in folds:
            rows = np.setdiff1d(np.arange(len(y)), held)
            w, b = fit(rows, alpha)
            err += float(np.sum((predict(X[held], w, b) - y[held]) ** 2))
        return err

    alpha = min(alphas, key=cv_error)  # the first (weakest) on ties
    return (*fit(np.arange(len(y)), alpha), float(alpha))


def predict(features: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """y = X·w + b."""
    X = np.asarray(features, dtype=np.float64)
    X = X[:, None] if X.ndim == 1 else X
    return X @ np.asarray(w, dtype=np.float64) + b


def response_time(trace: np.ndarray, dt_ms: float, tol: float = 0.05) -> np.ndarray:
    """Per sample, the time (ms) from which the decoded value stays within `tol` of its final
    value: trace [sample, step] holds the value decoded from the state up to each step; the
    answer is (k + 1) · dt_ms for the first step k with |trace[k:] − trace[-1]| ≤ tol
    throughout (the state after step k is known at the end of that step)."""
    tr = np.asarray(trace, dtype=np.float64)
    off = np.abs(tr - tr[:, -1:]) > tol
    # the last step that is still off; the answer is the step after it
    any_off = off.any(axis=1)
    last_off = np.where(any_off, off.shape[1] - 1 - np.argmax(off[:, ::-1], axis=1), -1)
    return (last_off + 2) * dt_ms
