import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
MNIST_ROOT = REPO.parent / "shared" / "data" / "mnist-subset"
MNIST_SPEC = f"mnist:{MNIST_ROOT}"
NEUROKIT = [sys.executable, "-m", "neurokit.cli.main"]


@pytest.fixture
def mnist_root():
    if not (MNIST_ROOT / "MNIST" / "raw").is_dir():
        pytest.fail(f"the MNIST subset is expected at {MNIST_ROOT} (../shared beside the repo)")
    return MNIST_ROOT


def run_cli(*args, cwd=None, timeout=600):
    """Run the real `neurokit` CLI as a subprocess; return CompletedProcess (text)."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run([*NEUROKIT, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def tiny_network(**overrides) -> dict:
    """A small network spec: 8 inputs -> 4 adaptive excitatory <-> 4 inhibitory."""
    spec = {
        "schema_version": 1,
        "name": "tiny",
        "dt_ms": 1.0,
        "populations": [
            {"name": "inp", "kind": "input", "size": 8,
             "encoder": {"kind": "bernoulli", "max_rate_hz": 200, "presentation_ms": 40, "rest_ms": 10}},
            {"name": "exc", "size": 4, "neuron": {"kind": "adaptive_lif", "tau_m_ms": 20, "tau_syn_ms": 2,
                                                   "v_th": 4, "theta_plus": 0.5, "refractory_ms": 2}},
            {"name": "inh", "size": 4, "neuron": {"kind": "lif", "tau_m_ms": 5, "v_th": 1}},
        ],
        "connections": [
            {"name": "S1", "source": "inp", "target": "exc", "kind": "dense", "init": {"kind": "uniform", "high": 1.5}},
            {"name": "S2", "source": "exc", "target": "inh", "kind": "one_to_one", "weight": 2},
            {"name": "S3", "source": "inh", "target": "exc", "kind": "all_to_all_except_self",
             "sign": "inhibitory", "weight": 3},
        ],
    }
    spec.update(overrides)
    return spec
