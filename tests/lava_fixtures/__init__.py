"""Lava processes and worker targets used only by the tests (a package of their own, because
Lava imports every module beside a Process while it looks for ProcessModels)."""
