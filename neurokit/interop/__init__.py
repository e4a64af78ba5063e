"""Networks made elsewhere, in and out: lava-dl's netx HDF5 (`netx.py`) and NIR graphs (`nir.py`).
Each is a pure translation to and from the one IR (neurokit.ir.Network); docs/interop.md has
the conversion rules and their equations."""
