"""Where a sweep's runs happen. Each executor calls `run.run_one(command, network, params)` for
every run and hands each row back as soon as that run ends; rows are the same under every
executor (run_one depends on nothing else).

- `local`: one run after another, in this process.
- `dask`: Dask distributed (https://distributed.dask.org): a local cluster of `workers`
  processes, or the scheduler at `address` (`tcp://host:8786`) whose workers have neurokit
  installed. Dask rather than Ray: it is pure Python with a small footprint, starts a local
  cluster in about two seconds, and its scheduler and workers are two plain commands
  (`dask scheduler`, `dask worker ADDRESS`) on any machine that can run neurokit.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from neurokit.errors import NeurokitError
from neurokit.sweep.run import run_one

EXECUTORS = ("local", "dask")


def run_all(runs: list[dict], command: list[str], network: dict | None, *, executor: str = "local",
            address: str | None = None, workers: int = 2) -> Iterator[dict]:
    """Yield each run's row as it ends (in order of completion)."""
    if executor == "local":
        return (run_one(command, network, params) for params in runs)
    if executor == "dask":
        return _dask(runs, command, network, address, workers)
    raise NeurokitError(f"--executor {executor!r}: allowed: {', '.join(EXECUTORS)}")


def _dask(runs, command, network, address, workers) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise NeurokitError("--executor dask needs the 'distributed' package (pip install distributed)") from None
    cluster = None
    try:
        if address:
            client = Client(address, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=50)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise NeurokitError(f"--executor dask: cannot reach a Dask scheduler at {address or 'a local cluster'}: "
                            f"{exc}") from None
    try:
        futures = [client.submit(run_one, command, network, params, pure=False) for params in runs]
        yield from _results(as_completed(futures))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _results(done: Iterable) -> Iterator[dict]:
    for future in done:
        yield future.result()
