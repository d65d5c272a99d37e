"""Where per-unit work runs: in this process, in local worker processes, or as tasks on a Dask cluster.

The stages whose work splits by unit (reading and segmenting articles,
tokens, frame coding, attribution, embeddings, topic inference) hand their
chunks to :func:`pool`, and get the results back **in input order**, whatever
ran them. So the same seed gives the same tables on one core, on ``n_jobs``
local processes, or on a cluster: a stage never lets the place or the order
in which chunks finish change what it writes.

Which of the three is used:

* **A Dask scheduler**, when the environment variable :data:`ENV` names one
  (``tcp://host:port``). ``python -m analysis run --scheduler ADDRESS`` sets it
  for the notebook kernels; ``--scheduler local`` starts a
  ``distributed.LocalCluster`` for the run and sets its address. Every chunked
  step then runs on the cluster, whatever ``n_jobs`` says: a cluster's size is
  the cluster's business. Functions and their arguments travel by pickle, so
  chunks should name Parquet row groups or hold modest slices, never a whole
  corpus.
* **Local worker processes**, when ``n_jobs`` > 1: a ``ProcessPoolExecutor``
  whose workers come from a fork server, not a fork of this process (the
  notebooks run in a threaded Jupyter kernel, which a plain fork could
  deadlock).
* **This process**, otherwise.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

#: The environment variable that names the Dask scheduler of a run (set by the runner for the notebook kernels).
ENV = "ANALYSIS_SCHEDULER"


def scheduler() -> str:
    """Return the address of the run's Dask scheduler, or ``""`` when work stays on this machine.

    >>> os.environ.pop(ENV, None) and None
    >>> scheduler()
    ''
    """
    return os.environ.get(ENV, "").strip()


class _Serial:
    """No pool: every call runs here, now."""

    kind = "serial"
    size = 1

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        return map(fn, items)

    def close(self) -> None:
        pass


class _Processes:
    """``n`` local worker processes."""

    kind = "processes"

    def __init__(self, n: int):
        self.size = n
        self._pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("forkserver"))

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        # Futures are submitted at once and yielded in input order; an error is raised at its item.
        futures = [self._pool.submit(fn, item) for item in items]
        return (future.result() for future in futures)

    def close(self) -> None:
        self._pool.shutdown()


class _Dask:
    """A client of the run's Dask scheduler."""

    kind = "dask"

    def __init__(self, address: str):
        from distributed import Client

        self._client = Client(address, set_as_default=False)
        self.size = max(1, sum(w.get("nthreads", 1) for w in self._client.scheduler_info()["workers"].values()))

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        # pure=False: two equal chunks are still two tasks (Dask would otherwise compute one and share it).
        futures = self._client.map(fn, list(items), pure=False)
        return (future.result() for future in futures)

    def close(self) -> None:
        self._client.close()


class Pool:
    """Runs a function over items, results in input order; made by :func:`pool`, used as a context manager.

    ``kind`` is ``"serial"``, ``"processes"`` or ``"dask"``; ``size`` is how
    many items can run at once (its workers' threads on a cluster), which a
    stage may use to size its chunks.
    """

    def __init__(self, backend):
        self._backend = backend

    @property
    def kind(self) -> str:
        return self._backend.kind

    @property
    def size(self) -> int:
        return self._backend.size

    @property
    def parallel(self) -> bool:
        """Whether items may run somewhere else than this process."""
        return self._backend.kind != "serial"

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        """Yield ``fn(item)`` for every item, in input order (work may run ahead of what was consumed)."""
        return self._backend.map(fn, items)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self._backend.close()


def pool(n_jobs: int = 1) -> Pool:
    """Return where chunked work runs: the run's Dask cluster, ``n_jobs`` local processes, or this process.

    See the module docstring for the rule. Use it as a context manager, so
    that worker processes are stopped, or the client closed, at the end.

    Examples
    --------
    >>> with pool(1) as workers:
    ...     workers.kind, list(workers.map(abs, [-2, 3]))
    ('serial', [2, 3])
    """
    address = scheduler()
    if address:
        return Pool(_Dask(address))
    if n_jobs > 1:
        return Pool(_Processes(n_jobs))
    return Pool(_Serial())


def chunks(n: int, size: int) -> list[tuple[int, int]]:
    """Split ``range(n)`` into ``[start, stop)`` bounds of at most ``size`` items.

    >>> chunks(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    >>> chunks(0, 2)
    []
    """
    size = max(1, int(size))
    return [(a, min(a + size, n)) for a in range(0, n, size)]
