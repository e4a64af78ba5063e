"""The regression tasks: y = 0.5 + 0.5·sin(2πx) on [0, 1], scikit-learn's diabetes data and
Mackey-Glass one-step prediction, each as min-max scaled train and test splits."""
from __future__ import annotations

import numpy as np

TASKS = ("sine", "diabetes", "mackey-glass")


def load_task(task: str, seed: int, n: int | None = None):
    """(x_train, y_train, x_test, y_test), x in [0, 1] (min-max on the training split, test clipped),
    y min-max scaled on the training split."""
    rng = np.random.default_rng([seed, 13])
    if task == "sine":
        n = n or 500
        x = rng.uniform(0, 1, (n, 1))
        y = 0.5 + 0.5 * np.sin(2 * np.pi * x[:, 0])
        k = int(round(0.8 * n))
        return _scale(x[:k], y[:k], x[k:], y[k:], scale_y=False)
    if task == "diabetes":
        from sklearn.datasets import load_diabetes

        d = load_diabetes()
        order = rng.permutation(len(d.target))
        if n:
            order = order[:n]
        k = int(round(0.8 * len(order)))
        tr, te = order[:k], order[k:]
        return _scale(d.data[tr], d.target[tr], d.data[te], d.target[te])
    if task == "mackey-glass":
        n = n or 600
        s = mackey_glass(300 + 3 * n + 30, x0=1.2 + 0.05 * seed)
        lags, ahead = (18, 12, 6, 0), 6
        t = np.arange(300, len(s) - ahead, 3)[:n]
        x = np.stack([s[t - lag] for lag in lags], axis=1)
        y = s[t + ahead]
        k = int(round(0.8 * len(t)))  # chronological: the test split is the series' last fifth
        return _scale(x[:k], y[:k], x[k:], y[k:])
    raise ValueError(f"unknown task {task!r}; known: {', '.join(TASKS)}")


def mackey_glass(length: int, tau: float = 17.0, x0: float = 1.2, dt: float = 0.1) -> np.ndarray:
    """dx/dt = 0.2·x(t−τ)/(1 + x(t−τ)^10) − 0.1·x(t), Euler steps of dt, sampled every 1."""
    per, lag = int(round(1 / dt)), int(round(tau / dt))
    hist = np.full(lag + length * per + 1, x0)
    for i in range(lag, len(hist) - 1):
        xt = hist[i - lag]
        hist[i + 1] = hist[i] + dt * (0.2 * xt / (1 + xt**10) - 0.1 * hist[i])
    return hist[lag::per][:length]


def _scale(xtr, ytr, xte, yte, scale_y: bool = True):
    lo, hi = xtr.min(axis=0), xtr.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    f = lambda x: np.clip((x - lo) / span, 0.0, 1.0)  # noqa: E731
    if scale_y:
        ylo, yhi = ytr.min(), ytr.max()
        g = lambda y: (y - ylo) / (yhi - ylo)  # noqa: E731
    else:
        g = lambda y: y  # noqa: E731
    return f(xtr), g(ytr).astype(float), f(xte), g(yte).astype(float)
