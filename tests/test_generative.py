"""The spiking VAE (issue 14): its PyTorch twin computes what the deployed decoder computes, the
judge's Fréchet distance, the samplers, and the real CLI (`experiment generative`, `generate`) on
real MNIST digits, with Lava and the engine checked against each other."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import MNIST_SPEC, run_cli

torch = pytest.importorskip("torch")


def test_the_twin_decodes_what_the_engine_computes_in_float():
    from neurokit.generative.decoder import DEFAULTS, host_bits, run_decoder
    from neurokit.generative.vae import SpikingVAE

    cfg = dict(DEFAULTS, latent=12, hidden=30, steps=8)
    model = SpikingVAE(cfg, 20, seed=3)
    with torch.no_grad():  # output biases away from 0, so the bias term of V(t_end) is checked too
        model.params["db2"].normal_(0, 0.1)
    bits = host_bits(np.random.default_rng(0).normal(0, 1, (25, 12)), seed=1)
    assert 0 < bits.mean() < 1
    with torch.no_grad():
        twin = model.pixels_of(torch.tensor(bits, dtype=torch.float32)).numpy()
    engine, run = run_decoder(model.decoder_ir(), bits, backend="engine", precision="float", rasters=True)
    assert run.counts["hid"].sum() > 0
    assert run.rasters["hid"][:, :, -1].any()  # spikes in flight into the next sample, which its output's reset drops
    np.testing.assert_allclose(engine, twin, atol=2e-5)


def test_frechet_distance_matches_the_matrix_square_root_formula():
    from scipy import linalg

    from neurokit.generative.judge import frechet

    rng = np.random.default_rng(0)
    a = rng.normal(size=(400, 12))
    b = rng.normal(size=(300, 12)) @ rng.normal(size=(12, 12)) * 0.4 + 0.5
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    reference = np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(ca + cb - 2 * linalg.sqrtm(ca @ cb).real)
    assert frechet(a, b) == pytest.approx(reference, rel=1e-9)
    assert frechet(a, a) == pytest.approx(0.0, abs=1e-8)


def test_samplers_draw_reproducibly_and_from_what_they_fitted():
    from neurokit.generative.decoder import host_bits
    from neurokit.generative.sampler import CodeSampler

    rng = np.random.default_rng(1)
    codes = np.concatenate([rng.normal(-3, 0.2, (300, 4)), rng.normal(3, 0.2, (300, 4))])
    s = CodeSampler.fit("mixture", codes, "bernoulli_half", components=2, seed=0)
    again = CodeSampler.load(__import__("io").BytesIO(s.to_bytes()))
    drawn = again.draw(4000, seed=5)
    np.testing.assert_array_equal(drawn, s.draw(4000, seed=5))
    assert not np.array_equal(drawn, s.draw(4000, seed=6))
    assert sorted(np.round(drawn[:, 0].reshape(-1, 1) > 0, 0).mean(0)) == pytest.approx([0.5], abs=0.05)
    assert np.abs(np.abs(drawn).mean() - 3) < 0.1
    prior = CodeSampler.fit("prior", codes, "bernoulli_half", components=2, seed=0)
    bits = host_bits(prior.draw(2000, seed=0), seed=0)  # Bernoulli(½) bits
    assert bits.mean() == pytest.approx(0.5, abs=0.02)


def test_experiment_and_generate_through_the_cli(tmp_path):
    out = tmp_path / "vae"
    proc = run_cli("experiment", "generative", "--model", "vae", "--data", MNIST_SPEC, "--out", out, "--epochs", "2",
                   "--latent", "16", "--hidden", "64", "--train-samples", "400", "--test-samples", "120",
                   "--samples", "60", "--lava-samples", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    for name in ("snn", "ann", "ann_bernoulli"):
        r = res[name]
        assert r["fid"] > 0 and 0 < r["recon_loss"] < 0.25 and 0 <= r["confident_fraction"] <= 1
        assert set(r["classes_present"]) <= set(range(10)) and r["classes_present"]
        assert set(r["by_sampler"]) == {"mixture", "prior"}
    assert res["snn"]["joules_per_image"]["loihi"] > 0 and res["snn"]["spikes_per_image"] > 0
    assert res["ann"]["joules_per_image"]["float32_45nm"] == pytest.approx((16 * 64 + 64 * 784) * 4.6e-12)
    dep = res["deployed"]
    assert dep["identical_lava_engine"] is True and dep["lava_samples"] == 3
    assert dep["fid"] > 0 and 0 < dep["recon_loss"] < 0.25
    for f in ("generative.json", "decoder.json", "sampler.npz", "samples.png", "interpolation.png", "training.png"):
        assert (out / f).stat().st_size > 0, f
    assert json.loads((out / "generative.json").read_text())["deployed"] == dep

    grid = tmp_path / "grid.png"
    proc = run_cli("generate", out, "--samples", "8", "--out", grid, "--backend", "engine", "--seed", "4")
    assert proc.returncode == 0, proc.stderr
    assert grid.read_bytes()[:4] == b"\x89PNG" and "8 digits on engine" in proc.stdout


def test_generate_refuses_what_it_cannot_use(tmp_path):
    from neurokit.generative.decoder import DEFAULTS, decoder_network
    from neurokit.generative.sampler import CodeSampler
    from neurokit.ir.io import network_text

    def attempt(decoder, sampler):
        folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        if decoder is not None:
            (folder / "decoder.json").write_text(decoder)
        if sampler is not None:
            (folder / "sampler.npz").write_bytes(sampler)
        proc = run_cli("generate", folder, "--out", folder / "g.png", "--samples", "2")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert not (folder / "g.png").exists()
        return proc.stderr

    cfg = dict(DEFAULTS, latent=4, hidden=6)
    decoder = network_text(decoder_network(cfg, 784), ".json")
    good = CodeSampler.fit("mixture", np.random.default_rng(0).normal(size=(50, 4)), "bernoulli_half",
                           components=2, seed=0)
    assert "decoder.json" in attempt(None, None)
    assert "784" in attempt(network_text(decoder_network(cfg, 100), ".json"), good.to_bytes())
    assert "5 latents" in attempt(decoder, CodeSampler.fit("prior", np.zeros((3, 5)), "bernoulli_half",
                                                          components=1, seed=0).to_bytes())
    bad = CodeSampler("mixture", 4, "bernoulli_half", good.weights, good.means, -good.covariances)
    assert "positive definite" in attempt(decoder, bad.to_bytes())
    bad = CodeSampler("mixture", 4, "bernoulli_half", good.weights, good.means[:, :3], good.covariances)
    assert "shapes" in attempt(decoder, bad.to_bytes())
    assert "not a sampler" in attempt(decoder, b"not an npz")


def test_experiment_refuses_bad_options_before_any_work(tmp_path):
    out = tmp_path / "never"
    for args, words in ((["--data", "digits"], "28×28"), (["--data", MNIST_SPEC, "--temperature", "1.5"], "0 < τ ≤ 1"),
                        (["--data", MNIST_SPEC, "--lava-samples", "-1"], "--lava-samples"),
                        (["--data", MNIST_SPEC, "--seed", "-1"], "--seed"),
                        (["--data", MNIST_SPEC, "--spike-cost", "nan"], "--spike-cost")):
        proc = run_cli("experiment", "generative", "--out", out, *args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert words in proc.stderr
    assert not out.exists()
