"""The ANN twin of a network: the same topology computed once per inference as multiply-
accumulates, E_ANN = N_MAC · E_MAC (METHODS.md §6).

    N_MAC = Σ_connections (synapses the topology defines)
          dense: |target| · |source|;  one_to_one: n;  all_to_all_except_self: n · (n − 1) (with a radius, the pairs within it);
          sparse: number of listed synapses

Zero weights of a dense matrix still count: a dense ANN layer multiplies them all.
"""
from __future__ import annotations

import numpy as np

from neurokit.ir import AllToAllExceptSelfConnection, DenseConnection, OneToOneConnection, SparseConnection


def ann_macs(net) -> int:
    size = {p.name: p.size for p in net.populations}
    total = 0
    for c in net.connections:
        n_src, n_tgt = size[c.source], size[c.target]
        if isinstance(c, DenseConnection):
            total += n_src * n_tgt
        elif isinstance(c, OneToOneConnection):
            total += n_tgt
        elif isinstance(c, AllToAllExceptSelfConnection):
            total += n_tgt * (n_tgt - 1) if c.radius is None else int(np.count_nonzero(c.matrix(n_src, n_tgt, None)))
        elif isinstance(c, SparseConnection):
            total += len(c.pre)
        else:  # a new connection kind must say how many MACs it is
            raise TypeError(f"ann_macs: no MAC count for connection kind {c.kind!r}")
    return total
