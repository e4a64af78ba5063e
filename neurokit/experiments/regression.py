"""`neurokit experiment regression`: real values in and out (issue 13).

For a task (`sine`, `diabetes`, `mackey-glass`), each encoder (periodic, bernoulli, ttfs,
gaussian) and each decoder (rate, first_spike, membrane, population):

1. build an IR network  input (the encoder) → hidden (LIF) → out  (LIF for the rate and
   first-spike decoders, non-spiking `li` for the membrane and population decoders);
2. train its weights and biases with a PyTorch model of exactly the IR's float dynamics (one
   step of delay per connection, CUBA: u[t] = u[t-1]·(1−δu) + W·s[t-1],
   v[t] = v[t-1]·(1−δv) + u[t] + bias, spike when v > v_th then v ← 0), the spike's gradient
   a fast sigmoid (surrogate), Adam, on the decoder's own loss (MSE of the decoded value), early
   stopping on a fifth of the training split; for small data sets, optionally input noise (σ chosen
   on that fifth, or with `train_cv` σ and the stopping step by K-fold CV and a retraining on the
   whole training split) and a moving average of the weights (neurokit.experiments.regression_training);
3. write the weights into the IR (float, `sign: mixed`) and deploy on the engine in fixed point
   (8-bit weight mantissas per target population, chosen by neurokit.quant);
4. refit the decoder's linear readout in closed form (neurokit.coding.fit_linear; with `readout_cv`
   a ridge whose strength is chosen by K-fold CV, fit_linear_cv) on the deployed
   training-set features, and measure on the held-out test split: MSE, R², response time,
   spikes per inference (all populations, input included) and energy per inference on the
   `loihi`, `spinnaker2` and `survey` profiles (neurokit.api.energy; None where a profile leaves
   a cost unknown).

The same-size ANN (inputs → hidden ReLU → 1, scikit-learn's MLPRegressor) gives the reference
MSE/R² and energy N_MAC · 4.6 pJ (32-bit float, 45 nm) and N_MAC · 0.9 pJ; on `diabetes` also
scikit-learn's LinearRegression. Targets are min-max scaled to [0, 1] on the training split.
See docs/regression.md.
"""
from __future__ import annotations

import json
import time

import numpy as np

from neurokit.cli.common import writes_result_dir
from neurokit.experiments.regression_tasks import TASKS, load_task

NAME = "regression"
ENCODERS = ("periodic", "bernoulli", "ttfs", "gaussian")
DECODERS = ("rate", "first_spike", "membrane", "population")
PROFILES = ("loihi", "spinnaker2", "survey")
SEED_TABLE2 = {"rate": (0.02, 0.05), "first_spike": (0.05, 0.15), "membrane": (0.01, 0.03),
               "population": (0.008, 0.02)}  # the seed's Table 2 MSE ranges
E_MAC_J = {"float32_45nm": 4.6e-12, "int8": 0.9e-12}


# -- networks ----------------------------------------------------------------------------------
DEFAULTS = dict(dt_ms=1.0, presentation_ms=64.0, rest_ms=2.0, max_rate_hz=250.0, ttfs_t0_ms=0.0, ttfs_delta_ms=10.0,
                neurons_per_value=10, sigma=0.08, hidden=64, v_th=1.0, hidden_tau_syn_ms=4.0,
                hidden_tau_m_ms=8.0, out_tau_syn_ms=4.0, out_tau_m_ms=8.0, li_tau_syn_ms=4.0, li_tau_m_ms=64.0,
                rate_outputs=8, population_outputs=8, answer_ms=18.0, late_weight=1.0, bernoulli_draws=16, check_every=20, first_spike_beta=12.0, iterations=300, lr=0.01, batch=128,
                input_noise=(0.0,), noise_draws=16, ema=0.0, train_cv=0, readout_cv=0)


def out_size(decoder: str, cfg: dict) -> int:
    return {"rate": cfg["rate_outputs"], "first_spike": 1, "membrane": 1,
            "population": cfg["population_outputs"]}[decoder]


def build_network(encoder: str, decoder: str, n_values: int, cfg: dict, w1=None, b1=None, w2=None, b2=None,
                  seed: int = 0):
    """The IR network; weights [target, source] (float, signed) or uniform placeholders."""
    from neurokit.ir import network_from_dict

    T = cfg["presentation_ms"]
    if encoder == "periodic":
        enc = {"kind": "periodic", "max_rate_hz": cfg["max_rate_hz"], "presentation_ms": T, "rest_ms": cfg["rest_ms"]}
    elif encoder == "bernoulli":
        enc = {"kind": "bernoulli", "max_rate_hz": cfg["max_rate_hz"], "presentation_ms": T, "rest_ms": cfg["rest_ms"]}
    elif encoder == "ttfs":
        enc = {"kind": "ttfs", "t0_ms": cfg["ttfs_t0_ms"], "delta_ms": cfg["ttfs_delta_ms"], "presentation_ms": T, "rest_ms": cfg["rest_ms"]}
    elif encoder == "gaussian":
        enc = {"kind": "gaussian", "neurons_per_value": cfg["neurons_per_value"], "sigma": cfg["sigma"],
               "max_rate_hz": cfg["max_rate_hz"], "presentation_ms": T, "rest_ms": cfg["rest_ms"]}
    else:
        raise ValueError(f"unknown encoder {encoder!r}; known: {', '.join(ENCODERS)}")
    n_in = n_values * (cfg["neurons_per_value"] if encoder == "gaussian" else 1)
    H, n_out = cfg["hidden"], out_size(decoder, cfg)
    hidden = {"kind": "lif", "v_th": cfg["v_th"], "tau_syn_ms": cfg["hidden_tau_syn_ms"],
              "tau_m_ms": cfg["hidden_tau_m_ms"], "bias": _list(b1, H)}
    if decoder in ("membrane", "population"):
        out = {"kind": "li", "tau_syn_ms": cfg["li_tau_syn_ms"], "tau_m_ms": cfg["li_tau_m_ms"],
               "bias": _list(b2, n_out)}
    else:
        out = {"kind": "lif", "v_th": cfg["v_th"], "tau_syn_ms": cfg["out_tau_syn_ms"],
               "tau_m_ms": cfg["out_tau_m_ms"], "bias": _list(b2, n_out)}
        if decoder == "first_spike":  # one spike is the answer: silent for the rest of the window
            out["refractory_ms"] = T
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0, 1 / np.sqrt(n_in), (H, n_in)) if w1 is None else w1
    w2 = rng.normal(0, cfg.get("w2_init", 0.1) / np.sqrt(H), (n_out, H)) if w2 is None else w2
    doc = {
        "schema_version": 1, "name": f"regression_{encoder}_{decoder}", "dt_ms": cfg["dt_ms"],
        "populations": [
            {"name": "inp", "kind": "input", "size": n_in, "encoder": enc},
            {"name": "hid", "kind": "neurons", "size": H, "neuron": hidden},
            {"name": "out", "kind": "neurons", "size": n_out, "neuron": out},
        ],
        "connections": [
            {"source": "inp", "target": "hid", "kind": "dense", "sign": "mixed", "weights": np.asarray(w1).tolist()},
            {"source": "hid", "target": "out", "kind": "dense", "sign": "mixed", "weights": np.asarray(w2).tolist()},
        ],
    }
    return network_from_dict(doc)


def _list(b, n):
    return [0.0] * n if b is None else [float(x) for x in np.asarray(b).reshape(-1)]


# -- deployment, decoding, measurement -----------------------------------------------------------
def deployed_run(net, x: np.ndarray, seed: int):
    from neurokit.data import Samples
    from neurokit.probes import Record
    from neurokit.runner import simulate

    samples = Samples(x.astype(np.float32), np.zeros(len(x), np.int64), "regression")
    return simulate(net, samples, backend="engine", precision="fixed", seed=seed, rasters=True, progress=False,
                    record=Record(what=("v",), pops=("out",)))


def features(decoder: str, res, net) -> tuple[np.ndarray, np.ndarray]:
    """(features at the window's end [n, f], features from the state up to each step [n, steps, f])."""
    from neurokit.coding import first_spike_times, membrane_at_end, population_vote, rate_features

    P, dt = net.steps_per_sample, net.dt_ms
    if decoder in ("membrane", "population"):
        v = np.asarray(res.recorded["out/v"], float) / float(res.recorded["out/scale"])  # → IR voltage
        end = membrane_at_end(v)
        per_step = np.transpose(v, (0, 2, 1))
        if decoder == "population":
            end, per_step = population_vote(end), population_vote(per_step)
        return end, per_step
    r = res.rasters["out"]
    if decoder == "rate":
        end = rate_features(r.sum(2), P)
        cum = np.cumsum(r, axis=2).astype(float) / np.arange(1, P + 1)  # counts up to t, scaled to the window
        return end, np.transpose(cum, (0, 2, 1))
    end = first_spike_times(r, dt) / (P * dt)
    return end, None


def evaluate(task: str, encoder: str, decoder: str, seed: int, cfg: dict, data=None, energy: bool = True) -> dict:
    from sklearn.metrics import mean_squared_error, r2_score

    from neurokit.coding import fit_linear, fit_linear_cv, predict, response_time
    from neurokit.data.encode import input_spikes
    from neurokit.experiments.regression_training import cross_validated_training, kfold, train_network

    t0 = time.perf_counter()
    xtr, ytr, xte, yte = data or load_task(task, seed)
    net = build_network(encoder, decoder, xtr.shape[1], cfg, seed=seed)
    net = net.model_copy(update={"metadata": {"encoder": encoder, "n_values": int(xtr.shape[1])}})
    # input noise: train on copies x + N(0, σ²) (clipped to [0, 1]), which penalises the slope of the
    # learned function (Bishop 1995: training with noise ≈ Tikhonov); with several candidate σ, the one
    # whose network has the lowest validation MSE (the training split's held-out fifth, or K folds) is kept
    def inputs(sigma):
        draws = cfg["bernoulli_draws"] if encoder == "bernoulli" else cfg["noise_draws"] if sigma else 1
        xs = [xtr] + [np.clip(xtr + np.random.default_rng([seed, 17, k]).normal(0, sigma, xtr.shape), 0, 1)
                      for k in range(1, draws)]  # the first draw (also the validation input) is clean
        return [np.asarray(input_spikes(net, xk, seed * 1000 + 1 + k if k else seed, "float")[0:len(xtr)],
                           dtype=np.float32) for k, xk in enumerate(xs)]

    if cfg["train_cv"]:  # like the ANN's L2: σ and the stopping step by K-fold CV, then all the training split
        folds = kfold(len(ytr), cfg["train_cv"], seed)
        trained, losses, curves, sigma, cv_steps = cross_validated_training(net, decoder, inputs, ytr, cfg, seed, folds)
        validation = {str(s): round(min(c), 6) for s, c in curves.items()}
    else:
        trials = [(*train_network(net, decoder, inputs(s), ytr, cfg, seed)[:3], s) for s in cfg["input_noise"]]
        trained, losses, _, sigma = min(trials, key=lambda t: t[2])
        validation = {str(t[3]): round(t[2], 6) for t in trials}
    train_s = time.perf_counter() - t0
    rtr, rte = deployed_run(trained, xtr, seed), deployed_run(trained, xte, seed + 1000)
    ftr, _ = features(decoder, rtr, trained)
    fte, steps = features(decoder, rte, trained)
    # the readout: least squares, or (readout_cv K) a ridge whose strength is chosen by K-fold CV on the
    # deployed training features, as the ANN's L2 is
    w, b = fit_linear(ftr, ytr, ridge=1e-6)
    if cfg["readout_cv"]:
        ls = predict(fte, w, b)  # kept for the record: the least-squares readout of the same network
        w, b, alpha = fit_linear_cv(ftr, ytr, kfold(len(ytr), cfg["readout_cv"], seed))
    yhat = predict(fte, w, b)
    mse, r2 = float(mean_squared_error(yte, yhat)), float(r2_score(yte, yhat))
    P, dt = trained.steps_per_sample, trained.dt_ms
    out_spikes = rte.counts["out"].sum(1)
    if decoder == "first_spike":
        fired = rte.rasters["out"].any(axis=(1, 2))
        resp = np.where(fired, fte[:, 0] * P * dt + dt, P * dt)  # the first output spike, after its step
    else:
        trace = steps @ w + b
        resp = response_time(trace, dt)
    per_sample = np.array([sum(row.values()) for row in rte.per_sample])
    row = {"task": task, "encoder": encoder, "decoder": decoder, "seed": seed,
           "mse": round(mse, 6), "r2": round(r2, 4), "mse_predict_mean": round(float(np.mean((ytr.mean() - yte) ** 2)), 6),
           "response_ms": round(float(np.mean(resp)), 2), "response_ms_median": float(np.median(resp)),
           "spikes": round(float(per_sample.mean()), 2), "output_spikes": round(float(out_spikes.mean()), 2),
           "train_loss_end": round(float(np.mean(losses[-20:])), 6), "readout": {"w": np.round(w, 6).tolist(), "b": round(b, 6)},
           "training": "trained (surrogate-gradient BPTT through the IR's float dynamics, Adam)",
           "n_train": len(ytr), "n_test": len(yte), "input_noise": sigma,
           "validation_mse": validation}
    if cfg["train_cv"]:
        row["train_cv"] = {"folds": cfg["train_cv"], "steps": cv_steps, "validation_mse_per_check": curves}
    if cfg["readout_cv"]:
        row["readout_cv"] = {"folds": cfg["readout_cv"], "alpha": alpha,
                             "mse_least_squares": round(float(mean_squared_error(yte, ls)), 6),
                             "r2_least_squares": round(float(r2_score(yte, ls)), 4)}
    if energy:
        row["joules"] = energy_per_inference(trained, xte, seed + 1000)
    row["wall_s"] = round(time.perf_counter() - t0, 1)
    row["train_s"] = round(train_s, 1)
    return row


def energy_per_inference(net, x, seed) -> dict:
    from neurokit.api import energy
    from neurokit.data import Samples

    samples = Samples(x.astype(np.float32), np.zeros(len(x), np.int64), "regression")
    _, reports = energy(net, samples, profiles=list(PROFILES), backend="engine", seed=seed)
    return {r.profile: r.joules_per_inference for r in reports}


def ann_reference(task: str, seed: int, hidden: int, data=None) -> dict:
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import mean_squared_error, r2_score
    from sklearn.neural_network import MLPRegressor

    xtr, ytr, xte, yte = data or load_task(task, seed)
    from sklearn.model_selection import GridSearchCV

    # L2 strength chosen by 5-fold cross-validation on the training split (L-BFGS, full batch)
    grid = GridSearchCV(MLPRegressor(hidden_layer_sizes=(hidden,), activation="relu", solver="lbfgs", max_iter=5000,
                                     random_state=seed), {"alpha": [1e-4, 1e-2, 1.0, 10.0]}, cv=5,
                        scoring="neg_mean_squared_error").fit(xtr, ytr)
    mlp = grid.best_estimator_
    lin = LinearRegression().fit(xtr, ytr)
    macs = xtr.shape[1] * hidden + hidden
    p, q = mlp.predict(xte), lin.predict(xte)
    return {"seed": seed, "hidden": hidden, "alpha": grid.best_params_["alpha"], "mse": float(mean_squared_error(yte, p)), "r2": float(r2_score(yte, p)),
            "linear_mse": float(mean_squared_error(yte, q)), "linear_r2": float(r2_score(yte, q)), "macs": macs,
            "joules": {k: macs * v for k, v in E_MAC_J.items()}}


def _mean(rows: list[dict], keys) -> dict:
    out = dict(rows[0])
    for k in keys:
        vals = [r[k] for r in rows if r.get(k) is not None]
        out[k] = float(np.mean(vals)) if vals else None
    if "joules" in rows[0]:
        out["joules"] = {p: (None if any(r["joules"][p] is None for r in rows)
                             else float(np.mean([r["joules"][p] for r in rows]))) for p in rows[0]["joules"]}
    out["seeds"] = [r["seed"] for r in rows]
    out.pop("seed", None)
    out.pop("readout", None)
    for k in ("train_cv", "readout_cv"):  # per seed only; the mean of the least-squares R² for comparison
        out.pop(k, None)
    if "readout_cv" in rows[0]:
        out["r2_least_squares"] = float(np.mean([r["readout_cv"]["r2_least_squares"] for r in rows]))
    if len(rows) > 1:
        out["mse_std"] = float(np.std([r["mse"] for r in rows]))
        out["r2_std"] = float(np.std([r["r2"] for r in rows]))
    return out


def regression(task: str, encoders, decoders, seeds, cfg: dict, energy: bool = True, progress: bool = True,
               n: int | None = None) -> dict:
    import sys

    per_seed, anns = [], []
    for seed in seeds:
        data = load_task(task, seed, n)
        anns.append(ann_reference(task, seed, cfg["hidden"], data))
        for enc in encoders:
            for dec in decoders:
                row = evaluate(task, enc, dec, seed, cfg, data, energy=energy)
                per_seed.append(row)
                if progress:
                    print(f"[{task} seed {seed}] {enc:>9} × {dec:<11} MSE {row['mse']:.4f}  R² {row['r2']:.3f}  "
                          f"{row['response_ms']:.1f} ms  {row['spikes']:.0f} spikes  ({row['wall_s']} s)",
                          file=sys.stderr, flush=True)
    rows = []
    for enc in encoders:
        for dec in decoders:
            mine = [r for r in per_seed if r["encoder"] == enc and r["decoder"] == dec]
            rows.append(_mean(mine, ("mse", "r2", "response_ms", "spikes", "output_spikes", "mse_predict_mean")))
    ann = _mean(anns, ("mse", "r2", "linear_mse", "linear_r2"))
    ann["joules"] = anns[0]["joules"]
    return {"task": task, "seeds": list(seeds), "config": cfg, "precision": "fixed", "backend": "engine",
            "rows": rows, "per_seed": per_seed, "ann": ann, "seed_table2_mse": SEED_TABLE2}


def plot(results: dict) -> bytes:
    from neurokit.plots import figure, png_bytes

    plt, fig = figure(figsize=(7, 4.2))
    ax = fig.add_subplot(111)
    colours = {d: f"C{i}" for i, d in enumerate(DECODERS)}
    markers = {e: m for e, m in zip(ENCODERS, "osD^")}
    xs = []
    for r in results["rows"]:
        j = r["joules"].get("loihi") if r.get("joules") else None
        if j is None:
            continue
        xs.append(j)
        ax.scatter(j, r["mse"], color=colours[r["decoder"]], marker=markers[r["encoder"]], zorder=3)
    left = min(xs) * 0.3 if xs else 1e-9
    for i, (d, (lo, hi)) in enumerate(SEED_TABLE2.items()):
        ax.fill_between([left * (1 + 0.25 * i), left * (1.2 + 0.25 * i)], lo, hi, color=colours[d], alpha=0.5)
    for d in DECODERS:
        ax.scatter([], [], color=colours[d], label=f"{d} (bar: seed's Table 2 MSE range)")
    for e in ENCODERS:
        ax.scatter([], [], color="0.4", marker=markers[e], label=e)
    ann = results["ann"]
    ax.axhline(ann["mse"], color="k", ls="--", lw=0.8, label=f"ANN MSE ({ann['macs']} MAC)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("energy per inference on loihi, J")
    ax.set_ylabel("test MSE (deployed, fixed point)")
    ax.set_title(f"{results['task']}: seeds {results['seeds']}")
    ax.legend(fontsize=6, loc="best")
    return png_bytes(plt, fig)


def register(sub) -> None:
    from neurokit.cli.common import comma_list, count, positive_float

    p = sub.add_parser(NAME, help="real values in and out: encoders × decoders, MSE, response time, energy")
    p.add_argument("--task", choices=TASKS, default="sine", help="the task (default: %(default)s)")
    p.add_argument("--encoders", type=comma_list(str, ENCODERS, "encoders"), default=ENCODERS,
                   help=f"comma-separated, of {','.join(ENCODERS)} (default: all)")
    p.add_argument("--decoders", type=comma_list(str, DECODERS, "decoders"), default=DECODERS,
                   help=f"comma-separated, of {','.join(DECODERS)} (default: all)")
    p.add_argument("--seeds", type=comma_list(int, what="seeds"), default=(0,),
                   help="comma-separated seeds (default: 0)")
    p.add_argument("--hidden", type=count, default=DEFAULTS["hidden"], help="hidden LIF neurons (default: %(default)s)")
    p.add_argument("--iterations", type=count, default=DEFAULTS["iterations"], help="Adam steps (default: %(default)s)")
    p.add_argument("--presentation-ms", type=positive_float, default=DEFAULTS["presentation_ms"],
                   help="time each sample is shown, ms (default: %(default)s)")
    p.add_argument("--input-noise", type=comma_list(float, what="noise levels"), default=DEFAULTS["input_noise"],
                   help="σ of the Gaussian noise added to the scaled inputs x ∈ [0, 1] in training, comma-separated; "
                        "with several, the one with the lowest validation MSE (training split) is kept (default: 0)")
    p.add_argument("--ema", type=float, default=DEFAULTS["ema"],
                   help="keep the moving average θ̄ ← d·θ̄ + (1 − d)·θ of the weights, d in [0, 1) (default: 0, off)")
    p.add_argument("--train-cv", type=int, default=0, metavar="K",
                   help="choose the --input-noise σ and the early-stopping step by K-fold cross-validation on the "
                        "training split, then train on all of it; K from 2 to 20 (default: 0, off: one held-out fifth)")
    p.add_argument("--readout-cv", type=int, default=0, metavar="K",
                   help="fit the readout as a ridge whose strength is chosen by K-fold cross-validation on the deployed "
                        "training features; K from 2 to 20 (default: 0, off: least squares)")
    p.add_argument("--samples", type=count, default=None, help="samples of the task (train + test; default: task's own)")
    p.add_argument("--no-energy", action="store_true", help="skip the energy estimates")
    p.add_argument("--out", required=True, help="directory for regression.json and regression.png")
    p.add_argument("--json", action="store_true", help="print the results on stdout")
    p.set_defaults(handler=run)


@writes_result_dir(NAME, inputs=())
def run(args, out) -> int:
    from neurokit.cli.common import print_json
    from neurokit.errors import DataError

    seeds = list(args.seeds)
    if args.samples is not None and args.samples < 10:
        raise DataError(f"--samples must be at least 10 (a fifth is the test split), got {args.samples}")
    if any(not 0 <= s <= 1 for s in args.input_noise):
        raise DataError(f"--input-noise: each σ must be in [0, 1] (inputs are scaled to [0, 1]), got {list(args.input_noise)}")
    if not 0 <= args.ema < 1:
        raise DataError(f"--ema must be in [0, 1), got {args.ema}")
    for flag, k in (("--train-cv", args.train_cv), ("--readout-cv", args.readout_cv)):
        if k and not 2 <= k <= 20:
            raise DataError(f"{flag} must be 0 (off) or from 2 to 20, got {k}")
        if k and args.samples is not None and round(0.8 * args.samples) < k:
            raise DataError(f"{flag} {k}: the training split of --samples {args.samples} "
                            f"({round(0.8 * args.samples)} samples) needs at least one per fold")
    cfg = dict(DEFAULTS, hidden=args.hidden, iterations=args.iterations, presentation_ms=args.presentation_ms,
               input_noise=tuple(args.input_noise), ema=args.ema,
               train_cv=args.train_cv, readout_cv=args.readout_cv)
    t0 = time.perf_counter()
    results = regression(args.task, list(args.encoders), list(args.decoders), seeds, cfg,
                         energy=not args.no_energy, progress=True, n=args.samples)
    results["wall_time_s"] = round(time.perf_counter() - t0, 1)
    files = {"regression.json": json.dumps(results, indent=1).encode()}
    if not args.no_energy:
        files["regression.png"] = plot(results)
    out.commit(files)
    if args.json:
        print_json(results)
    else:
        for r in results["rows"]:
            print(f"{r['encoder']:>9} × {r['decoder']:<11} MSE {r['mse']:.4f}  R² {r['r2']:.3f}  "
                  f"response {r['response_ms']:.1f} ms  {r['spikes']:.0f} spikes/inference")
        print(f"wrote {args.out}/regression.json ({results['wall_time_s']} s)")
    return 0
