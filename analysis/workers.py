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

:func:`cluster` is the runner's side: it starts or reaches the run's
scheduler, checks that its workers can do the work (at least one worker, the
same code of this package, progress lines reaching the run's log) and names
it in :data:`ENV` for the notebook kernels.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import AnalysisError

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

    def close(self) -> None:
        pass


class _Processes:
    """``n`` local worker processes."""

    kind = "processes"

    def __init__(self, n: int):
        self.size = n
        self._pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("forkserver"))

    def submit(self, fn: Callable, item):
        return self._pool.submit(fn, item)

    def close(self) -> None:
        self._pool.shutdown()


class _Dask:
    """A client of the run's Dask scheduler."""

    kind = "dask"

    def __init__(self, address: str):
        from distributed import Client

        self._client = Client(address, set_as_default=False)
        self.size = max(1, sum(w.get("nthreads", 1) for w in self._client.scheduler_info()["workers"].values()))

    def submit(self, fn: Callable, item):
        # pure=False: two equal chunks are still two tasks (Dask would otherwise compute one and share it).
        return self._client.submit(fn, item, pure=False)

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

    def map(self, fn: Callable, items: Iterable, *, ahead: int | None = None) -> Iterator:
        """Yield ``fn(item)`` for every item, in input order, with at most ``ahead`` items in flight.

        The first ``ahead`` items start at once; later ones are taken from
        ``items`` (a generator is fine) only as results are consumed, so a
        stage that streams its input holds at most ``ahead`` chunks and their
        results at once (default: two per worker, enough to keep every worker
        busy). An error is raised at its item.

        >>> with pool(1) as workers:
        ...     list(workers.map(str, range(3), ahead=1))
        ['0', '1', '2']
        """
        if self._backend.kind == "serial":
            return map(fn, items)
        return self._bounded(fn, items, max(1, ahead or 2 * self.size))

    def _bounded(self, fn: Callable, items: Iterable, ahead: int) -> Iterator:
        # The first items start now, before the caller iterates (a caller may hold several maps at once).
        items = iter(items)
        pending = deque(self._backend.submit(fn, item) for item in itertools.islice(items, ahead))
        return self._drain(fn, items, pending)

    def _drain(self, fn: Callable, items: Iterator, pending: deque) -> Iterator:
        for item in items:
            result = pending.popleft().result()
            pending.append(self._backend.submit(fn, item))
            yield result
        while pending:
            yield pending.popleft().result()

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


# ------------------------------------------------------------------ the run's cluster (the runner's side)

#: The ``--scheduler`` value that starts a ``distributed.LocalCluster`` on this machine for the run.
LOCAL = "local"

#: Seconds to wait for a scheduler to answer, and for its first worker.
CONNECT_TIMEOUT = 20


@dataclass(frozen=True)
class Cluster:
    """The run's Dask scheduler as :func:`cluster` found it: ``kind`` ``"local"`` or ``"address"``."""

    kind: str
    address: str
    workers: int
    threads: int

    def provenance(self) -> dict:
        """What ``provenance.json`` records: the kind and the size, never the address (it names a machine)."""
        return {"kind": self.kind, "workers": self.workers, "threads": self.threads}


def package_digest() -> str:
    """Return a sha256 over this package's Python files: "the same code" on this machine and on a worker.

    >>> len(package_digest())
    64
    """
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _environment_plugin(env: dict):
    """A worker plugin that sets ``env`` in every worker, those joining later included, and restores it after.

    The class is made here so that importing this module does not import
    ``distributed`` (two seconds); it travels to the workers by value.
    """
    from distributed.diagnostics.plugin import WorkerPlugin

    class RunEnvironment(WorkerPlugin):
        name = "analysis-run-environment"

        def __init__(self, values):
            self.values = dict(values)
            self.before = {}

        def setup(self, worker):
            self.before = {k: os.environ.get(k) for k in self.values}
            os.environ.update(self.values)

        def teardown(self, worker):
            for key, value in self.before.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    return RunEnvironment(env)


def _start_local(n_workers: int):
    from distributed import LocalCluster

    # One thread per worker process: the chunk functions are pure Python or single-threaded
    # BLAS, so processes, not threads, are what runs them side by side. No dashboards: a run
    # opens no port for anyone to look at.
    try:
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                            worker_dashboard_address=None, silence_logs=logging.ERROR)
    except Exception as exc:  # noqa: BLE001 (any failure to start is the user's to know, in one line)
        raise AnalysisError(f"could not start a local Dask cluster of {n_workers} workers: "
                            f"{exc.__class__.__name__}: {exc}", path="--scheduler local") from None


def _reachable(address: str, timeout: float) -> None:
    """Refuse, in one line, an address that is malformed or where nothing listens (before any Dask client)."""
    import socket

    from distributed.comm import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location) if scheme in ("tcp", "tls") else (None, None)
    except Exception as exc:  # noqa: BLE001 (ValueError and friends: the message says what is wrong)
        raise AnalysisError(f"not a Dask scheduler address: {address!r} ({' '.join(str(exc).split())}); "
                            "give tcp://host:port or 'local'", path="--scheduler") from None
    if host is None:
        return
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        raise AnalysisError(f"cannot reach the Dask scheduler at {address} ({exc.strerror or exc.__class__.__name__})",
                            path="--scheduler") from None


def _connect(address: str, timeout: float):
    from distributed import Client

    _reachable(address, timeout)
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 (OSError, TimeoutError, ValueError for a malformed address)
        raise AnalysisError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                            f"({exc.__class__.__name__}: {' '.join(str(exc).split())[:200]})",
                            path="--scheduler") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except Exception:  # noqa: BLE001
        client.close()
        raise AnalysisError(f"the Dask scheduler at {address} has no worker after {timeout:g} s "
                            "(start workers, e.g. cluster.scale(jobs=...), then run again)", path="--scheduler") from None
    return client


def _check_workers(client, address: str) -> tuple[int, int]:
    """Refuse workers that run other code of this package; return (workers, threads)."""
    mine = package_digest()
    theirs = client.run(package_digest)
    other = sorted(w for w, d in theirs.items() if d != mine)
    if other:
        raise AnalysisError(f"{len(other)} of {len(theirs)} Dask workers at {address} run another version of the "
                            "analysis package than this run (install the same checkout and requirements.lock on "
                            "every worker: pip install -e ., or PYTHONPATH)", path="--scheduler")
    info = client.scheduler_info()["workers"].values()
    return len(theirs), sum(int(w.get("nthreads", 1)) for w in info)


@contextlib.contextmanager
def cluster(spec: str, n_workers: int = 0, *, timeout: float | None = None) -> Iterator[Cluster]:
    """Start (``spec`` = ``"local"``) or reach (``spec`` = an address) the run's Dask scheduler, for a ``with`` block.

    Inside the block :data:`ENV` names the scheduler, so that notebook kernels
    started there send :func:`pool` work to it; after it (on failure too)
    the environment is restored and a local cluster is closed. Before
    yielding it checks that the scheduler answers, has a worker, and that its
    workers run this package's code (:func:`package_digest`); each failure is
    a one-line :class:`~analysis.errors.AnalysisError`. Variables the stages
    read in worker processes (the progress file, :mod:`analysis.progress`)
    are set on every worker, including workers that join later; set them
    before entering (a local cluster's workers also inherit them).

    ``n_workers`` sizes a local cluster (0: one per core).
    """
    from . import progress

    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    if int(n_workers) < 0:
        raise AnalysisError(f"--workers must be 0 (one per core) or more, not {n_workers}", path="--scheduler")
    spec = str(spec).strip()
    if not spec:
        raise AnalysisError("give a scheduler address (tcp://host:port) or 'local'", path="--scheduler")
    with contextlib.ExitStack() as stack:
        local = None
        if spec == LOCAL:
            local = stack.enter_context(contextlib.closing(_start_local(n_workers or os.cpu_count() or 1)))
            address = local.scheduler_address
        else:
            address = spec
        client = stack.enter_context(contextlib.closing(_connect(address, timeout)))
        n, threads = _check_workers(client, address)
        env = {k: os.environ[k] for k in (progress.ENV,) if os.environ.get(k)}
        if env:
            plugin = _environment_plugin(env)
            client.register_plugin(plugin)
            stack.callback(_unregister, client, plugin.name)
        before = os.environ.get(ENV)
        os.environ[ENV] = address
        stack.callback(_restore_env, ENV, before)
        yield Cluster("local" if local is not None else "address", address, n, threads)


def _unregister(client, name: str) -> None:
    with contextlib.suppress(Exception):  # a scheduler gone at the end must not hide the run's own outcome
        client.unregister_worker_plugin(name)


def _restore_env(key: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value
