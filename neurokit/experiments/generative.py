"""`neurokit experiment generative --model vae`: a spiking VAE that writes digits, deployed (issue 14).

1. A judge: a small CNN trained on the training split (neurokit.generative.judge), whose
   penultimate features give the classifier FID and whose confidence says how recognisable a
   generated digit is.
2. Three VAEs of the same size (784 → hidden → L → hidden → 784), trained the same way (Adam on
   the negative ELBO, same epochs, batch and learning rate; neurokit.generative.vae):
   `snn`, the spiking VAE (LIF encoder, L Bernoulli latent bits as spike trains, LIF decoder
   read as membrane potential); `ann`, the ANN VAE with a Gaussian latent (FSVAE's baseline);
   `ann_bernoulli`, the ANN VAE with the spiking VAE's Bernoulli latent, which separates what
   the spikes cost from what the discrete latent costs.
3. Codes to generate from: a Gaussian mixture fitted to each model's training codes (default),
   or its prior (neurokit.generative.sampler); the same seeded codes for float and deployed runs.
4. Deployment: the spiking decoder is written as a network file (decoder.json, the IR; NIR 1.0
   cannot say its synapses that hold their current, nor netx its LI outputs), read back, and run
   in fixed point on the engine (every generated digit) and on Lava (the first
   `--lava-samples`), which must give identical pixels; its energy per generated image on the
   loihi and spinnaker2 profiles, against the ANN decoder's MACs × 4.6 pJ (32-bit float) and
   × 0.9 pJ.
"""
from __future__ import annotations

import json
import sys
import time

import numpy as np

from neurokit.cli.common import writes_result_dir

NAME = "generative"
MODELS = ("vae",)
PROFILES = ("loihi", "spinnaker2")
E_MAC_J = {"float32_45nm": 4.6e-12, "int8": 0.9e-12}
PRIORS = {"snn": "bernoulli_half", "ann": "normal", "ann_bernoulli": "bernoulli_half"}
DEFAULTS = dict(epochs=60, batch=128, lr=3e-3, beta=1.0, components=50, temperature=0.4, judge_epochs=8, spike_cost=0.0)
FILES = ("generative.json", "decoder.json", "sampler.npz", "samples.png", "interpolation.png", "training.png")


def log(msg: str, enabled: bool) -> None:
    if enabled:
        print(msg, file=sys.stderr, flush=True)


def train_vaes(x: np.ndarray, cfg: dict, seed: int, progress: bool) -> tuple[dict, dict]:
    import torch

    from neurokit.generative.vae import AnnVAE, BernoulliAnnVAE, SpikingVAE, train
    from neurokit.progress import progress_bar

    models, histories = {}, {}
    for name, cls in (("snn", SpikingVAE), ("ann", AnnVAE), ("ann_bernoulli", BernoulliAnnVAE)):
        model = cls(cfg, x.shape[1], seed)
        t0 = time.perf_counter()
        with progress_bar(cfg["epochs"], f"train {name} VAE", unit="epoch", enabled=progress) as bar:
            def tick(epoch, losses, bar=bar):
                bar.set_postfix(loss=losses[0], recon=losses[1], kl=losses[2])
                bar.update(1)
            histories[name] = {"loss": train(model, x, epochs=cfg["epochs"], batch=cfg["batch"], lr=cfg["lr"],
                                             beta=cfg["beta"], seed=seed, progress=tick),
                               "train_s": round(time.perf_counter() - t0, 1)}
        models[name] = model
    return models, histories


def prepare(data: str, *, seed: int, cfg: dict, train_samples=None, test_samples=None, download=False,
            progress=True):
    """(training set, test set, the judge trained on the training set, what the judge scores on real digits)."""
    import torch

    from neurokit.data import load_dataset
    from neurokit.generative.judge import Judge

    torch.set_num_threads(1)  # step-by-step loops over small batches: one thread is fastest here
    train_set = load_dataset(data, "train", samples=train_samples, seed=seed, download=download)
    if train_set.images.shape[1:] != (28, 28):
        from neurokit.errors import DataError

        raise DataError(f"--data {data}: its images are {'×'.join(map(str, train_set.images.shape[1:]))}; the "
                        "generative experiment (its VAEs and the CNN that judges them) needs 28×28 digits, mnist:ROOT")
    test_set = load_dataset(data, "test", samples=test_samples, seed=seed, download=download)
    log(f"judge: a CNN on {len(train_set)} training digits", progress)
    judge = Judge.train(train_set.images, train_set.labels, seed=seed, epochs=cfg["judge_epochs"])
    half = len(test_set) // 2
    info = {"test_accuracy": round(judge.accuracy(test_set.images, test_set.labels), 4),
            "real_vs_real": judge.score(test_set.images[:half], test_set.images[half:])}
    return train_set, test_set, judge, info


def codes_of(model, x: np.ndarray) -> np.ndarray:
    """The posterior codes the encoder gives images x (what a mixture sampler is fitted to)."""
    import torch

    with torch.no_grad():
        return model.codes(torch.tensor(x, dtype=torch.float32)).numpy().astype(np.float64)


def reconstructions(model, x: np.ndarray, seed: int) -> np.ndarray:
    """The float model's reconstructions of x, one latent draw each (seeded)."""
    import torch

    with torch.no_grad():
        return model.reconstruct(torch.tensor(x, dtype=torch.float32), torch.Generator().manual_seed(seed)).numpy()


def generated(model, codes: np.ndarray, seed: int) -> np.ndarray:
    """The float model's images from codes (its latent drawn from its own seeded generator)."""
    import torch

    with torch.no_grad():
        g = torch.Generator().manual_seed(seed + 1)
        return model.generate(torch.tensor(codes, dtype=torch.float32), g).numpy()


def generative(data: str, *, seed: int, cfg: dict, samples: int, lava_samples: int, sampler: str,
               train_samples: int | None = None, test_samples: int | None = None, download: bool = False,
               progress: bool = True) -> tuple[dict, dict]:
    """(results, files): the JSON object of the issue and the artefacts to write."""
    import torch

    from neurokit.generative.decoder import host_bits, run_decoder
    from neurokit.generative.sampler import CodeSampler

    t_start = time.perf_counter()
    train_set, test_set, judge, judge_info = prepare(data, seed=seed, cfg=cfg, train_samples=train_samples,
                                                     test_samples=test_samples, download=download, progress=progress)
    x, x_test = train_set.flat.astype(np.float32), test_set.flat.astype(np.float32)
    models, histories = train_vaes(x, cfg, seed, progress)
    results, samplers, gen = {}, {}, {}
    for name, model in models.items():
        codes_of_training = codes_of(model, x)
        samplers[name] = {k: CodeSampler.fit(k, codes_of_training, PRIORS[name], components=cfg["components"],
                                             seed=seed, temperature=cfg["temperature"])
                          for k in ("mixture", "prior")}
        by_sampler = {}
        for kind, s in samplers[name].items():
            codes = s.draw(samples, seed)
            images = generated(model, codes, seed)
            by_sampler[kind] = judge.score(images, test_set.images)
            gen[(name, kind)] = (codes, images)
        recon = float(np.mean((reconstructions(model, x_test, seed) - x_test) ** 2))
        results[name] = {**by_sampler[sampler], "recon_loss": round(recon, 5), "by_sampler": by_sampler,
                         "train_s": histories[name]["train_s"], "final_loss": list(histories[name]["loss"][-1])}
        log(f"{name:>13}: FID {results[name]['fid']:.1f}  recon {recon:.4f}  confident "
            f"{results[name]['confident_fraction']:.3f}  classes {len(results[name]['classes_present'])}", progress)

    # -- deployment: the spiking decoder as a network file, fixed point, engine and Lava --------------
    from neurokit.ir import network_from_dict
    from neurokit.ir.io import network_text

    snn = models["snn"]
    decoder_json = network_text(snn.decoder_ir(), ".json").encode()
    deployed = network_from_dict(json.loads(decoder_json), source="decoder.json")
    bits = host_bits(gen[("snn", sampler)][0], seed)
    log(f"deployed: {samples} digits on the engine, fixed point", progress)
    engine_images, _ = run_decoder(deployed, bits, backend="engine", progress=progress)
    n_lava = min(lava_samples, samples)
    identical = None
    if n_lava:
        log(f"deployed: the first {n_lava} on Lava, fixed point", progress)
        lava_images, _ = run_decoder(deployed, bits[:n_lava], backend="lava", progress=progress)
        identical = bool(np.array_equal(lava_images, engine_images[:n_lava]))
    # the float model's draw of the same codes (torch's generator) differs from the host's draw of the
    # deployment (numpy's); the float reference for the deployed FID is the float twin on the host's bits
    with torch.no_grad():
        float_on_bits = snn.pixels_of(torch.tensor(bits, dtype=torch.float32)).numpy()
    deployed_score = judge.score(engine_images, test_set.images)
    float_score = judge.score(float_on_bits, test_set.images)
    deployed_recon, _ = run_decoder(deployed, host_bits(codes_of(snn, x_test), seed + 1), backend="engine")
    results["deployed"] = {"identical_lava_engine": identical, "lava_samples": n_lava, "backend": "engine",
                           "precision": "fixed", "fid": deployed_score["fid"], "float_fid_same_bits": float_score["fid"],
                           "fid_ratio_to_float": round(deployed_score["fid"] / float_score["fid"], 4),
                           "confident_fraction": deployed_score["confident_fraction"],
                           "classes_present": deployed_score["classes_present"],
                           "recon_loss": round(float(np.mean((deployed_recon - x_test) ** 2)), 5),
                           "max_pixel_difference_to_float": round(float(np.abs(engine_images - float_on_bits).max()), 4)}

    # -- energy per generated image --------------------------------------------------------------
    results["snn"]["joules_per_image"], results["snn"]["spikes_per_image"] = _energy(deployed, bits[:100])
    L, H, n_pix = cfg["latent"], cfg["hidden"], x.shape[1]
    macs = L * H + H * n_pix
    for name in ("ann", "ann_bernoulli"):
        results[name]["joules_per_image"] = {k: macs * v for k, v in E_MAC_J.items()}
        results[name]["macs_per_image"] = macs

    out = {"model": "vae", "data": data, "seed": seed, "sampler": sampler, "samples": samples, "config": cfg,
           "n_train": len(x), "n_test": len(x_test), "judge": judge_info, **results,
           "fid_metric": "Fréchet distance of this judge's 128 penultimate features (classifier FID, not Inception FID)",
           "wall_time_s": round(time.perf_counter() - t_start, 1)}
    files = {"generative.json": json.dumps(out, indent=1).encode(), "decoder.json": decoder_json, "sampler.npz": samplers["snn"][sampler].to_bytes(),
             "samples.png": grid_png({"spiking VAE, deployed (engine, fixed point)": engine_images,
                                      "ANN VAE (Gaussian latent)": gen[("ann", sampler)][1],
                                      "ANN VAE (Bernoulli latent)": gen[("ann_bernoulli", sampler)][1]}),
             "interpolation.png": interpolation_png(models, deployed, x_test, seed),
             "training.png": training_png(histories)}
    return out, files


def _energy(net, bits: np.ndarray) -> tuple[dict, float]:
    from neurokit.api import energy
    from neurokit.generative.decoder import latent_samples

    run, reports = energy(net, latent_samples(bits), profiles=list(PROFILES), backend="engine")
    spikes = float(np.mean([sum(row.values()) for row in run.per_sample]))
    return {r.profile: r.joules_per_inference for r in reports}, round(spikes, 1)


# -- pictures -------------------------------------------------------------------------------------
def grid_png(rows: dict, per_row: int = 16, lines: int = 4) -> bytes:
    """Each entry: a titled block of `lines` × `per_row` digits."""
    from neurokit.plots import figure, png_bytes

    plt, fig = figure(figsize=(per_row * 0.5, len(rows) * (lines * 0.5 + 0.35)))
    for k, (title, images) in enumerate(rows.items()):
        ax = fig.add_subplot(len(rows), 1, k + 1)
        ax.imshow(tile(images[:per_row * lines], per_row), cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    return png_bytes(plt, fig)


def tile(images: np.ndarray, per_row: int) -> np.ndarray:
    images = np.asarray(images).reshape(-1, 28, 28)
    n = len(images)
    rows = -(-n // per_row)
    canvas = np.ones((rows * 29 + 1, per_row * 29 + 1))
    for i, im in enumerate(images):
        r, c = divmod(i, per_row)
        canvas[1 + r * 29:1 + r * 29 + 28, 1 + c * 29:1 + c * 29 + 28] = im
    return canvas


def interpolation_png(models: dict, deployed, x_test: np.ndarray, seed: int, steps: int = 10) -> bytes:
    """Codes of two test digits, linearly interpolated; the spiking decoder (deployed) and the ANN's."""
    import torch

    from neurokit.generative.decoder import run_decoder

    pairs = [(0, 1), (2, 3), (4, 5)]
    a = np.linspace(0, 1, steps)[:, None]
    rows = {}
    with torch.no_grad():
        for name in ("snn", "ann"):
            c = models[name].codes(torch.tensor(x_test[:6])).numpy()
            codes = np.concatenate([(1 - a) * c[i] + a * c[j] for i, j in pairs])
            if name == "snn":  # one uniform draw per pair, so bits flip one by one along the line
                u = np.random.default_rng([seed, 3]).random((len(pairs), c.shape[1])).repeat(steps, 0)
                bits = (u < 1 / (1 + np.exp(-codes))).astype(np.uint8)
                rows["spiking VAE, deployed"] = run_decoder(deployed, bits, backend="engine")[0]
            else:
                rows["ANN VAE"] = models[name].generate(torch.tensor(codes, dtype=torch.float32)).numpy()
    return grid_png(rows, per_row=steps, lines=len(pairs))


def training_png(histories: dict) -> bytes:
    from neurokit.plots import figure, png_bytes

    plt, fig = figure(figsize=(6, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    for name, h in histories.items():
        loss = np.array(h["loss"])
        ax.plot(np.arange(1, len(loss) + 1), loss[:, 0], label=f"{name}: −ELBO")
        ax.plot(np.arange(1, len(loss) + 1), loss[:, 1], ls="--", label=f"{name}: reconstruction")
    ax.set_xlabel("epoch")
    ax.set_ylabel("nats per digit (training)")
    ax.legend(fontsize=7)
    return png_bytes(plt, fig)


# -- CLI ------------------------------------------------------------------------------------------
def register(sub) -> None:
    from neurokit.cli.common import count, index, nonnegative_float, seed
    from neurokit.generative.sampler import SAMPLERS

    p = sub.add_parser(NAME, help="train a spiking VAE and its ANN twins, deploy the decoder, judge the digits")
    p.add_argument("--model", choices=MODELS, default="vae")
    p.add_argument("--data", required=True, help="data spec: 'mnist:ROOT' (or 'digits')")
    p.add_argument("--out", required=True, help="directory for generative.json, decoder.json, sampler.npz and the "
                   "PNGs (an earlier neurokit result there is replaced, anything else is refused)")
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--epochs", type=count, default=DEFAULTS["epochs"], help="(default: %(default)s)")
    p.add_argument("--latent", type=count, default=None, help="latent size L (default: 64)")
    p.add_argument("--hidden", type=count, default=None, help="hidden neurons per layer (default: 400)")
    p.add_argument("--steps", type=count, default=None, help="time steps T of the spiking VAE (default: 16)")
    p.add_argument("--sampler", choices=SAMPLERS, default="mixture", help="codes from a Gaussian mixture fitted to "
                   "the training codes, or from the VAE's prior (default: %(default)s)")
    p.add_argument("--components", type=count, default=DEFAULTS["components"], help="of the mixture (default: %(default)s)")
    p.add_argument("--temperature", type=float, default=DEFAULTS["temperature"], help="spread of the mixture's "
                   "components, 0 < τ ≤ 1 (default: %(default)s)")
    p.add_argument("--spike-cost", type=nonnegative_float, default=0.0, help="nats of training loss per hidden spike of the "
                   "spiking decoder: fewer spikes, less energy (default: %(default)s)")
    p.add_argument("--samples", type=count, default=1000, help="digits generated per model (default: %(default)s)")
    p.add_argument("--lava-samples", type=index, default=20, help="of those, how many also run on Lava to check "
                   "they are identical (0: none; default: %(default)s)")
    p.add_argument("--train-samples", type=count, default=None, help="training digits (default: all)")
    p.add_argument("--test-samples", type=count, default=None, help="test digits (default: all)")
    p.add_argument("--download", action="store_true")
    p.add_argument("--json", action="store_true", help="print the results on stdout")
    p.set_defaults(handler=run)


@writes_result_dir(NAME, inputs=())
def run(args, out) -> int:
    from neurokit.cli.common import print_json
    from neurokit.generative.decoder import DEFAULTS as NET

    from neurokit.errors import DataError

    if not 0 < args.temperature <= 1:
        raise DataError(f"--temperature {args.temperature:g}: give 0 < τ ≤ 1")
    cfg = {**NET, **DEFAULTS, "epochs": args.epochs, "components": args.components, "temperature": args.temperature,
           "spike_cost": args.spike_cost}
    for key in ("latent", "hidden", "steps"):
        if getattr(args, key) is not None:
            cfg[key] = getattr(args, key)
    results, files = generative(args.data, seed=args.seed, cfg=cfg, samples=args.samples,
                                lava_samples=args.lava_samples, sampler=args.sampler, train_samples=args.train_samples,
                                test_samples=args.test_samples, download=args.download, progress=not args.json)
    out.commit(files)
    if args.json:
        print_json(results)
    else:
        for name in ("snn", "ann", "ann_bernoulli"):
            r = results[name]
            print(f"{name:>13}: classifier FID {r['fid']:.1f}  recon {r['recon_loss']:.4f}  confident "
                  f"{r['confident_fraction']:.3f}  classes {len(r['classes_present'])}/10")
        d = results["deployed"]
        print(f"     deployed: FID {d['fid']:.1f} (float on the same bits {d['float_fid_same_bits']:.1f}), "
              f"Lava = engine on {d['lava_samples']}: {d['identical_lava_engine']}")
        print(f"wrote {args.out}/ ({', '.join(FILES)}) in {results['wall_time_s']} s")
    return 0
