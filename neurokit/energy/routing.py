"""Spike messages and mesh hops, given where the mapping put each neuron.

A spike of neuron j (on core c_j) is sent once to every core holding one of its targets
(D_j = the destination cores of its stored synapses). For a destination core d:

    same tile as c_j      -> one within-tile message
    otherwise             -> |x_d − x_j| east-west hops and |y_d − y_j| north-south hops
    on another chip       -> one across-chip message (no published energy; reported apart)

with tile t = (c mod cores_per_chip) // cores_per_tile at (x, y) = (t mod tiles_x, t div tiles_x).
Per inference: messages and hops of j are multiplied by its spike count, summed per source
population, averaged over samples. The input population is off-chip and is not routed.
"""
from __future__ import annotations

import numpy as np

from neurokit.mapping.place import destination_cores

ROUTE_KEYS = ("messages_within_tile", "messages_across_tiles", "hops_east_west", "hops_north_south",
              "messages_across_chips")


def tile_xy(cores: np.ndarray, mesh, cores_per_chip: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    per_tile, nx = int(mesh.cores_per_tile.value), int(mesh.tiles_x.value)
    local = cores % cores_per_chip
    tile = local // per_tile
    return tile % nx, tile // nx, cores // cores_per_chip


def route_counts(syn, n_spk: dict[str, np.ndarray], mapping, mesh) -> dict[str, dict[str, float]]:
    out = {}
    for s in syn:
        if s.source not in mapping.placements:
            continue  # the off-chip input population
        src, dst = mapping.placements[s.source], mapping.placements[s.target]
        reach = destination_cores(s, dst.block_of, dst.cores)            # [n_src, dst.cores]
        sx, sy, schip = tile_xy(src.core_of, mesh, mapping.cores_per_chip)
        dx_, dy_, dchip = tile_xy(dst.first_core + np.arange(dst.cores), mesh, mapping.cores_per_chip)
        dx = np.abs(sx[:, None] - dx_[None, :])
        dy = np.abs(sy[:, None] - dy_[None, :])
        other_chip = schip[:, None] != dchip[None, :]
        same_tile = (dx == 0) & (dy == 0) & ~other_chip
        on_chip = reach & ~other_chip
        per_neuron = {
            "messages_within_tile": (reach & same_tile).sum(axis=1),
            "messages_across_tiles": (on_chip & ~same_tile).sum(axis=1),
            "hops_east_west": (dx * on_chip).sum(axis=1),
            "hops_north_south": (dy * on_chip).sum(axis=1),
            "messages_across_chips": (reach & other_chip).sum(axis=1),
        }
        acc = out.setdefault(s.source, dict.fromkeys(ROUTE_KEYS, 0.0))
        for k, v in per_neuron.items():
            acc[k] += float((n_spk[s.source] @ v.astype(float)).mean())
    return out
