"""The hardware-neutral IR of a spiking network (pydantic v2). See `Network`."""
from neurokit.ir.base import SCHEMA_VERSION
from neurokit.ir.connections import (
    AllToAllExceptSelfConnection,
    ConstantInit,
    DenseConnection,
    OneToOneConnection,
    SparseConnection,
    UniformInit,
)
from neurokit.ir.encoders import IntegrateFireEncoder, RateEncoder, SpikeEncoder
from neurokit.ir.io import load_network, network_from_dict, network_to_dict, save_network
from neurokit.ir.learning import LearningRule, Pruning
from neurokit.ir.network import Network, Readout, RePresent
from neurokit.ir.neurons import IF, LI, LIF, AdaptiveLIF, decay_per_step
from neurokit.ir.populations import InputPopulation, NeuronPopulation

__all__ = [
    "SCHEMA_VERSION", "Network", "Readout", "RePresent", "LIF", "AdaptiveLIF", "decay_per_step", "RateEncoder",
    "IntegrateFireEncoder", "SpikeEncoder", "IF", "LI",
    "InputPopulation", "NeuronPopulation", "DenseConnection", "OneToOneConnection",
    "AllToAllExceptSelfConnection", "SparseConnection", "UniformInit", "ConstantInit",
    "LearningRule", "Pruning", "load_network", "save_network", "network_from_dict",
    "network_to_dict",
]
