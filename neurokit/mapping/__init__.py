"""Mapping a network onto a chip's cores within a hardware profile's limits. See `map_network`."""
from neurokit.mapping.place import Mapping, MappingError, Placement, map_network
from neurokit.mapping.synapses import Synapses, synapses_of

__all__ = ["Mapping", "MappingError", "Placement", "map_network", "Synapses", "synapses_of"]
