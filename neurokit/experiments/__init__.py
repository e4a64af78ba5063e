"""Published experiments, one module each. A module exposes `register(subparsers)`, which adds
its subcommand to `neurokit experiment`; list it in EXPERIMENTS to make it appear."""

EXPERIMENTS = ("learning_curve", "regularization", "pruning_curve", "regression", "continual", "generative")
