"""Generative models that deploy: a spiking VAE whose latent is a Bernoulli spike process, its
same-size ANN twin, and the classifier that judges what they write (issue 14, docs/generative.md)."""
