"""lava-dl's netx HDF5 (`.net`) to and from the IR.

A `.net` file (written by SLAYER's `export_hdf5`, read by `lava.lib.dl.netx.hdf5.Network`) is
a chain of layers `layer/0 … layer/N-1`, each with `type`, `shape` ([C, H, W] or [n]) and, for
a neuron layer, `neuron/{type, iDecay, vDecay, vThMant, refDelay, wgtExp}`. It holds Loihi's
integers already, so the IR keeps them in those units (`fixed_scale: 1` on every population,
`weight_exp: 0` on every connection) and the fixed-point run uses exactly them:

    CUBA neuron:  current_decay = iDecay / 4096     (Lava: du = iDecay − 1, plus its offset 1)
                  voltage_decay = vDecay / 4096     (Lava: dv = vDecay)
                  v_th          = vThMant           (Lava compares v with vThMant << 6)
                  bias          = bias              (Lava: bias_mant = bias, bias_exp = 6)
    weights:      w (integers in −256..254, float32 in the file), weight = w in units of
                  the threshold; netx's optimize_weight_bits shifts them by 2^s and sets
                  weight_exp = −s, which computes the same sums, so w is kept as it is.
    input layer with a neuron (CUBA, driven by bias only):
                  integrate_fire encoder: current = weight · x + bias (SLAYER's input
                  transform), threshold vThMant, voltage_decay vDecay / 4096, fixed_scale 1.
    no input neuron: the sample goes through the integrate-and-fire pixel encoder of
                  lava-dl's MNIST tutorial (v += x, spike when v > 1, v ← 0), with
                  fixed_scale 255 so that fixed point counts grey levels exactly.
    conv:         weight [out, in / groups, kH, kW, 1] -> conv2d [out, in / groups, kH, kW]
                  (cross-correlation, as SLAYER trains it), stride / padding / dilation [y, x].
    pool:         pool2d with the file's weight on every tap.
    flatten:      nothing: the IR flattens [C, H, W] in C order, as netx's
                  transpose([2, 1, 0]).flatten() of its [W, H, C] does.
    dense_rec:    a dense connection and a recurrent one (weight_rec) into the same layer.

Time: one netx step is one IR step of `dt_ms`. Each sample is shown for `steps` and followed by
as many silent steps as the network has layers, so that the last layer's response to it (one
step of delay per layer, as in Lava) falls in the sample's window and nothing of it spills into
the next sample; every neuron is reset at the start of a sample.

What netx cannot say but the IR can (names, dt, the encoder, reset steps, the readout, metadata)
travels in the file's root attribute `neurokit` (JSON; lava-dl ignores it), so that
IR → netx → IR gives the same network; a file from elsewhere has none and gets the defaults.

What has no counterpart is refused by name (SpecError): synaptic delays, sigma-delta and
resonate-and-fire neurons, graded spikes, wgtExp ≠ 0, refDelay > 1, the layer types lava-dl's
netx cannot load either (average, concat, convT, unpool, dense_comp). SLAYER's training-only
neuron fields (theta, tauRho, scaleRho) are kept in `metadata.netx` so that an exported file
gets them back.
"""
from neurokit.interop.netx_read import read_netx
from neurokit.interop.netx_write import netx_bytes, write_netx

__all__ = ["netx_bytes", "read_netx", "write_netx"]
