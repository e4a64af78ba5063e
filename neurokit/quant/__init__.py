"""Fixed-point maths (pure functions) and the float/fixed parameters of a compiled network."""
from neurokit.quant.network import CompiledParams, ConnectionParams, NeuronParams, compile_params

__all__ = ["CompiledParams", "ConnectionParams", "NeuronParams", "compile_params"]
