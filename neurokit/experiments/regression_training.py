"""Training for `neurokit experiment regression` (issue 13): the PyTorch twin of the IR's float
dynamics, Adam on the decoder's MSE with early stopping (`train_network`), and the opt-in K-fold
choice of the input noise σ and the stopping step, followed by a retraining on the whole training
split (`cross_validated_training`). See neurokit/experiments/regression.py and docs/regression.md.
"""
from __future__ import annotations

import numpy as np


# -- the PyTorch twin of the IR's float dynamics -------------------------------------------------
def torch_twin(net, decoder: str, cfg: dict):
    """A torch.nn.Module with the IR network's weights and biases as parameters, its float dynamics,
    and a trainable linear readout of the decoder's features."""
    import torch

    from neurokit.surrogate import cuba, delayed

    hid, out = net.population("hid").neuron, net.population("out").neuron
    dt = net.dt_ms
    W = net.weight_matrices()
    P = net.steps_per_sample

    class Twin(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w1 = torch.nn.Parameter(torch.tensor(W["inp->hid"], dtype=torch.float32))
            self.w2 = torch.nn.Parameter(torch.tensor(W["hid->out"], dtype=torch.float32))
            self.b1 = torch.nn.Parameter(torch.tensor(np.asarray(hid.bias, float), dtype=torch.float32))
            self.b2 = torch.nn.Parameter(torch.tensor(np.asarray(out.bias, float), dtype=torch.float32))
            n_out = self.w2.shape[0]
            self.ro_w = torch.nn.Parameter(torch.full((n_out,), 1.0 / n_out))
            self.ro_b = torch.nn.Parameter(torch.zeros(()))

        def forward(self, s_in):
            """s_in float [B, n_in, P] → (hidden spikes, out spikes or None, out v)."""
            s_h, _ = cuba(torch.einsum("hi,bit->bht", self.w1, delayed(s_in)), hid, self.b1, dt, True)
            # first spike: the output's v up to its first spike is the v of a neuron that never resets,
            # so it runs without reset and the decoder reads the crossing of v_th (below)
            s_o, v_o = cuba(torch.einsum("oh,bht->bot", self.w2, delayed(s_h)), out, self.b2, dt,
                            out.spiking and decoder != "first_spike")
            return s_h, s_o, v_o

        def decode(self, s_o, v_o):
            if decoder == "membrane":
                f = v_o[:, :, -1]
            elif decoder == "population":
                f = torch.sigmoid(v_o[:, :, -1])
            elif decoder == "rate":
                f = s_o.sum(2) / P
            else:  # expected first-crossing time, in windows: Σ_t Π_{t'≤t} (1 − σ(β·(v_t' − v_th)))
                # (exactly the first spike's step as β → ∞; `first_spike_beta` per volt gives the gradient a slope)
                still_silent = torch.cumprod(1 - torch.sigmoid(cfg["first_spike_beta"] * (v_o - out.v_th)), 2)
                f = still_silent.sum(2) / P
            return f @ self.ro_w + self.ro_b

    return Twin()


def train_network(net, decoder: str, spikes: np.ndarray, y: np.ndarray, cfg: dict, seed: int, split=None):
    """Adam on the decoder's MSE through the twin. `split` = (fit indices, validation indices) of the
    training split, by default a random fifth held out; with no validation indices the weights after
    cfg["iterations"] steps are kept. Returns (the network with the kept weights, the training losses,
    the lowest validation MSE, the validation MSE at every check: steps 0, check_every, …, iterations)."""
    import copy

    import torch

    torch.set_num_threads(1)  # the loops are small: one thread is 20x faster than two here
    torch.manual_seed(seed)
    model = torch_twin(net, decoder, cfg)
    # an li output integrates its input over ~1/δv steps: its weights and bias take steps δv times
    # smaller, or V(t_end) runs away by tens of volts per step and the sigmoid votes saturate
    dv = net.population("out").neuron.voltage_decay_per_step(net.dt_ms)
    slow = dv if not net.population("out").neuron.spiking else 1.0
    rest = [p for n, p in model.named_parameters() if n not in ("w2", "b2")]
    opt = torch.optim.Adam([{"params": rest}, {"params": [model.w2, model.b2], "lr": cfg["lr"] * slow}], lr=cfg["lr"])
    draws = [torch.tensor(d, dtype=torch.float32) for d in (spikes if isinstance(spikes, list) else [spikes])]
    X = draws[0]
    Y = torch.tensor(y, dtype=torch.float32)
    rng = np.random.default_rng(seed)
    # early stopping: a fifth of the training split is held out (never the test split); the weights
    # with the lowest validation MSE, checked every `check_every` steps, are the ones kept
    if split is None:
        order = rng.permutation(len(X))
        n_val = max(1, len(X) // 5)
        val, fit = torch.as_tensor(order[:n_val]), order[n_val:]
    else:
        fit, val = np.asarray(split[0]), torch.as_tensor(np.asarray(split[1], dtype=np.int64))
    # with `ema` d > 0, the weights checked and kept are an exponential moving average of Adam's,
    # θ̄ ← d·θ̄ + (1 − d)·θ (a window of ~1/(1 − d) steps): on a small data set one step's weights
    # carry the noise of the last batches, their average less
    d = cfg["ema"]
    avg = copy.deepcopy(model) if d else model
    best, best_loss, losses, val_losses = None, np.inf, [], []
    for it in range(cfg["iterations"] + 1):
        if it % cfg["check_every"] == 0 or it == cfg["iterations"]:
            vl = np.nan
            if len(val):
                with torch.no_grad():
                    _, s_o, v_o = avg(X[val])
                    vl = float(torch.mean((avg.decode(s_o, v_o) - Y[val]) ** 2))
            val_losses.append(vl)
            if vl < best_loss or not len(val):  # no validation: the last weights are kept
                best_loss, best = vl, {k: v.detach().clone() for k, v in avg.state_dict().items()}
        if it == cfg["iterations"]:
            break
        idx = torch.as_tensor(rng.choice(fit, min(cfg["batch"], len(fit)), replace=False))
        s_h, s_o, v_o = model(draws[it % len(draws)][idx])  # Bernoulli: a fresh draw of the input each step
        loss = torch.mean((model.decode(s_o, v_o) - Y[idx]) ** 2)
        if decoder == "first_spike":  # the answer must come early: first spikes after `answer_ms` cost
            still_silent = torch.cumprod(1 - torch.sigmoid(cfg["first_spike_beta"] * (v_o - net.population("out").neuron.v_th)), 2)
            late = still_silent[:, :, net.steps(cfg["answer_ms"]):].sum(2) / net.steps_per_sample
            loss = loss + cfg["late_weight"] * late.mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if d:
            with torch.no_grad():
                for pa, pm in zip(avg.parameters(), model.parameters()):
                    pa.mul_(d).add_(pm, alpha=1 - d)
        losses.append(float(loss.detach()))
    from neurokit.experiments.regression import build_network

    model.load_state_dict(best)
    trained = build_network(net.metadata["encoder"], decoder, net.metadata["n_values"], cfg,
                            model.w1.detach().numpy(), model.b1.detach().numpy(),
                            model.w2.detach().numpy(), model.b2.detach().numpy())
    return trained, losses, best_loss, val_losses


def kfold(n: int, k: int, seed: int) -> list[np.ndarray]:
    """K disjoint folds of range(n), shuffled by the seed (the same folds for the training and the readout)."""
    return np.array_split(np.random.default_rng([seed, 19]).permutation(n), k)


def cross_validated_training(net, decoder: str, inputs, y: np.ndarray, cfg: dict, seed: int, folds):
    """K-fold choice of the training setting, then one network trained on the whole training split.

    For each σ of cfg["input_noise"] (`inputs(σ)` gives its spike trains), K networks are trained, each on
    K − 1 folds and checked on the held-out one every `check_every` steps; the (σ, step) with the lowest
    validation MSE averaged over the K folds is kept, and a network is trained on all the folds with that
    σ for that many steps (no hold-out: every training sample is used, as the ANN's refit after its
    cross-validation). Returns (network, training losses, {σ: mean validation MSE at each check}, σ, steps).
    """
    every, its = cfg["check_every"], cfg["iterations"]
    checks = sorted(set(range(0, its + 1, every)) | {its})  # the steps at which train_network checks
    curves = {}
    for sigma in cfg["input_noise"]:
        spikes = inputs(sigma)
        per_fold = [train_network(net, decoder, spikes, y, cfg, seed,
                                  split=(np.concatenate(folds[:k] + folds[k + 1:]), folds[k]))[3]
                    for k in range(len(folds))]
        curves[sigma] = np.mean(per_fold, axis=0)  # E_k[MSE_k(step)]: one curve per σ
    sigma = min(curves, key=lambda s: curves[s].min())
    steps = checks[int(np.argmin(curves[sigma]))]
    trained, losses, _, _ = train_network(net, decoder, inputs(sigma), y, dict(cfg, iterations=steps), seed,
                                          split=(np.arange(len(y)), []))
    return trained, losses, {str(s): c.round(6).tolist() for s, c in curves.items()}, sigma, steps
