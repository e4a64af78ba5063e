"""The rate encoder's Numba loops (neurokit.data.encode.RateInputs), module-level so that Numba
caches them on disk: uniform draws in the order [sample, input, step], spike = u < P, written into
a bool array (`draw`, what Lava gets) or into per-step lists of spiking inputs (`draw_lists`, what
the engine steps from). The engine's kernels.spike_lists sorts by step with `sorted_by_step` too.
Imported only when spikes are drawn, so that importing neurokit.data does not import Numba."""
import numpy as np
from numba import njit


@njit(inline="always")
def sorted_by_step(ii, jj, m, s0, P, ptr, pos, idx):
    """Append one sample's m spikes (input ii[q], step jj[q], in input order) to the per-step lists
    (ptr, idx) at steps s0..s0+P−1 by a stable counting sort, so each step keeps input order;
    returns idx (grown if needed)."""
    for q in range(m):
        ptr[s0 + jj[q] + 1] += 1
    for j in range(P):
        ptr[s0 + j + 1] += ptr[s0 + j]
        pos[j] = ptr[s0 + j]
    if ptr[s0 + P] > len(idx):
        grown = np.empty(max(ptr[s0 + P], 2 * len(idx)), np.int64)
        grown[:len(idx)] = idx
        idx = grown
    for q in range(m):
        idx[pos[jj[q]]] = ii[q]
        pos[jj[q]] += 1
    return idx


@njit(nogil=True, cache=True)
def draw(spikes, counts, p, rng, on):
    for b in range(p.shape[0]):
        for i in range(p.shape[1]):
            if p[b, i] > 0:
                n = 0
                for j in range(on):
                    s = rng.random() < p[b, i]
                    spikes[b, i, j] = s
                    n += s
                counts[b, i] = n

@njit(nogil=True, cache=True)
def draw_lists(counts, p, rng, on, P):
    n, n_in = p.shape
    ptr = np.zeros(n * P + 1, np.int64)
    idx = np.empty(max(16, int(np.ceil(p.sum() * on * 1.25)) + 64), np.int64)
    ii = np.empty(n_in * on, np.int64)  # one sample's spikes: input, step (input order)
    jj = np.empty(n_in * on, np.int64)
    pos = np.empty(P, np.int64)
    for b in range(n):
        m = 0
        for i in range(n_in):
            if p[b, i] > 0:
                c = 0
                for j in range(on):
                    if rng.random() < p[b, i]:
                        ii[m], jj[m] = i, j
                        m += 1
                        c += 1
                counts[b, i] = c
        idx = sorted_by_step(ii, jj, m, b * P, P, ptr, pos, idx)
    return ptr, idx[:ptr[-1]]
