"""The netx file format's fixed numbers, shared by the reader and the writer."""

DECAY_UNITY = 4096
NEURON_KEYS = {"type", "iDecay", "vDecay", "vThMant", "refDelay", "wgtExp", "gradedSpike"}
TRAINING_ONLY = ("theta", "tauRho", "scaleRho")   # SLAYER's surrogate-gradient parameters
UNSUPPORTED_LAYERS = ("average", "concat", "convT", "unpool", "dense_comp")
PIXEL_SCALE = 255.0   # fixed-point units of the default pixel encoder: one per grey level of an 8-bit image

ATTR = "neurokit"  # root attribute: what the IR says and netx cannot (JSON)
