"""The engine backend: runs CompiledParams with the arithmetic of the Lava process models that
neurokit's Lava backend uses, fast, without importing Lava.

    from neurokit.backends.engine import Engine
    out = Engine(compile_params(net, "fixed")).run(inputs)   # inputs: bool [n, n_in, P]
    out["counts"]["exc"]                                       # int64 [n, size]

Rooms: `layout` (CompiledParams -> flat arrays, Lava's weight clipping), `fixed_point` and
`float_point` (one neuron step and one Dense output, per precision, equations beside them),
`kernels` (the Numba loops: input drive, samples in order), `schedule` (which samples may run
in parallel, and the exact fix-up when a guess was wrong), `engine` (state kept between calls,
the public `Engine`), `jit` (Numba settings, a cache that cannot go stale). Numba was chosen
over vectorised NumPy by measurement (benchmarks/engine_choice.py, docs/benchmarks.md).
"""
from neurokit.backends.engine.engine import Engine, run_network

__all__ = ["Engine", "run_network"]
