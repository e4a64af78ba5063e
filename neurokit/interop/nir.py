"""NIR graphs (the Neuromorphic Intermediate Representation, nir 1.0.x) to and from the IR.

NIR is continuous-time; neurokit steps in discrete time `dt`. The translation is forward Euler
with the given `dt_ms` (what NIR's reference simulators, Norse, snnTorch and Lava's NIR importer
do). NIR times are in seconds: dt = dt_ms / 1000. Below x[t] is what reaches a neuron node in
step t (the sum over its incoming edges: W·s + b from an Affine, the spikes themselves from a
direct edge), and g is the factor by which one unit of x moves v in one step.

    LIF      τ dv/dt = (v_leak − v) + R·x
             v[t] = v[t-1] + dt/τ · (v_leak − v[t-1] + R·x[t])
             →  voltage_decay δv = dt/τ,  g = R·dt/τ,  no synaptic filter (tau_syn_ms 0)
    IF       dv/dt = R·x            →  v[t] = v[t-1] + R·dt·x[t]:  δv = 0,  g = R·dt
    LI       as LIF, never spikes   →  δv = dt/τ,  g = R·dt/τ
    I        as IF, never spikes    →  δv = 0,     g = R·dt
    CubaLIF  τ_syn dI/dt = −I + w_in·x,   τ_mem dv/dt = (v_leak − v) + R·I
             I[t] = I[t-1] + dt/τ_syn · (−I[t-1] + w_in·x[t])
             v[t] = v[t-1] + dt/τ_mem · (v_leak − v[t-1] + R·I[t])     (the new current, as Loihi)
             →  current_decay δu = dt/τ_syn,  δv = dt/τ_mem,
                g = (R·dt/τ_mem)·(w_in·dt/τ_syn)  (the IR's u is dt/τ_mem·R·I in voltage units)
    CubaLI   as CubaLIF, never spikes

Every IR population is CUBA with voltages relative to rest: u[t] = u[t-1](1 − δu) + Σ w·s[t-1],
v[t] = v[t-1](1 − δv) + u[t] + bias, spike when v > v_th, then v ← 0. So the IR voltage is
v_IR = (v − v_leak) / k for a per-population voltage unit k:

  - spiking neurons (LIF, IF, CubaLIF) with one g for the whole node: k = g, so the weights and
    the Affine bias pass unchanged and v_th(IR) = (v_threshold − v_leak) / g (what snnTorch's
    importer does too);
  - non-spiking neurons (LI, I, CubaLI: their voltage is the output), or a g that differs per
    neuron: k = 1, the weights into neuron i are multiplied by g_i, v_th(IR) = v_threshold − v_leak.

The IR bias is g·b/k for the Affine (and Conv2d) bias b reaching the node: a constant added every
step, exact for the neurons without a synaptic filter and for CubaLIF/CubaLI with δu = 1; a
nonzero bias behind a synaptic filter (δu < 1) ramps up and is refused. The IR has one bias,
one threshold and one pair of decays per population, so these must be the same for every neuron
of a node (else SpecError naming the node). v_reset must equal v_leak (neurokit resets to rest),
and the state starts at rest (v = v_leak, I = 0). The one-step delay of every IR connection
(Lava's Dense) is the one difference from Norse and snnTorch, which pass x[t] = W·s[t] within the
step: a spike that those simulators answer in step t arrives here in step t + (connections on
the path).

Linear nodes between two neuron (or Input) nodes become one connection: one Affine/Linear ->
dense, Conv2d -> conv2d, SumPool2d/AvgPool2d -> pool2d (weight 1 or 1/(kh·kw)), with any uniform
Scale folded into the weights; Scale alone -> one_to_one (or a diagonal dense); Flatten and
Identity are free (flattening is implicit, C order); any longer chain of linear nodes becomes
the dense product of its matrices. Several edges into a node are several connections into one
population; an edge back into a node is a recurrent connection. Subgraphs are inlined.

`to_nir` writes the inverse with NIR's conventions: LIF with r = 1 (Norse's, and the NIR paper's
files), IF and I with r = 1/dt, CubaLIF/CubaLI and LI with r = τ_mem/dt and w_in = τ_syn/dt
(snnTorch's), each chosen so that `from_nir` recomputes exactly the IR's numbers (τ and the
thresholds are moved by a few ulps where needed). What NIR cannot say but does not change the
dynamics (names, shapes, excitatory/inhibitory signs, fixed_scale, weight_exp, reset steps, the
encoder, the readout, the network's name, seed and metadata) is kept as JSON in each node's
`metadata["neurokit"]`, used by `from_nir` only where it agrees with the node's parameters. A
deterministic integrate-and-fire encoder and a readout sit outside any NIR graph (NIR's Input
takes spikes, its Output gives spikes): they travel in that metadata, and other tools feed and
read the graph's spikes. What NIR cannot say and would change the dynamics (adaptive thresholds,
refractory periods, learning, pruning, random rate encoders) raises SpecError.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from neurokit.interop.nir_common import HINT, _nir, read_nir
from neurokit.interop.nir_export import to_nir
from neurokit.interop.nir_import import from_nir

__all__ = ["from_nir", "nir_bytes", "read_nir", "to_nir", "write_nir"]


def write_nir(graph_or_net, path: str | os.PathLike) -> Path:
    """Write a NIR graph (or a Network, through `to_nir`) with `nir.write`, atomically: a
    temporary file beside `path`, then `os.replace`. The file's root carries the attribute
    `neurokit` (neurokit.outputs.HDF5_MARK), by which a later neurokit run knows it may replace it."""
    from neurokit.util import umask

    nir = _nir()
    graph = _graph(graph_or_net)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        nir.write(tmp, graph)
        _mark(tmp, graph)
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def nir_bytes(graph_or_net) -> bytes:
    """The `.nir` file's bytes (`nir.write` into memory, marked like `write_nir`'s files); for
    writers that commit the bytes themselves (neurokit export)."""
    import io

    buf = io.BytesIO()
    graph = _graph(graph_or_net)
    _nir().write(buf, graph)
    _mark(buf, graph)
    return buf.getvalue()


def _graph(graph_or_net):
    from neurokit.ir import Network

    return to_nir(graph_or_net) if isinstance(graph_or_net, Network) else graph_or_net


def _mark(file, graph) -> None:
    import h5py

    from neurokit.outputs import HDF5_MARK

    with h5py.File(file, "r+") as f:
        f.attrs[HDF5_MARK] = (getattr(graph, "metadata", None) or {}).get(HINT) or "{}"

