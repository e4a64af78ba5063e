"""neurokit's own Lava processes. They live in a package of their own because Lava imports
every module beside a Process definition while it looks for ProcessModels."""
