"""Progress of long stages: reported on the command line and in the run's log, never in the published notebooks.

A stage that takes long (the K sweep, the stability refits, inference,
coding, embeddings) calls :func:`report` as it goes. The runner names a file
in the environment variable :data:`ENV` before it starts the notebook
kernels; :func:`report` appends one JSON line to that file, and the runner
tails it (:class:`ProgressTail`), printing each line on the command line and
writing it to the run's log (``run.log``, see the registry). Nothing reaches
the notebook's outputs, so the executed notebooks, which the site shows, stay
the same whether or not anyone watched. Without the variable (a notebook
opened by hand, a test, a library call) :func:`report` does nothing.

Rules kept here:

* **One call.** Stages call :func:`report` only; they never print progress.
* **Safe from worker processes.** A line is appended in one ``write`` of a
  file opened for appending, which the operating system does not interleave
  with another process's line.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

#: The environment variable that names the progress file (set by the runner for the notebook kernels).
ENV = "ANALYSIS_PROGRESS"


def report(stage: str, message: str, *, done: int | None = None, total: int | None = None) -> None:
    """Record one step of a long stage, if a runner listens (see the module docstring).

    Examples
    --------
    >>> import tempfile
    >>> os.environ[ENV] = str(Path(tempfile.mkdtemp()) / "progress.jsonl")
    >>> report("topics", "K sweep: K = 3 fitted", done=1, total=6)
    >>> format_record(read_records(Path(os.environ.pop(ENV)))[0])
    'topics: K sweep: K = 3 fitted (1/6)'
    """
    path = os.environ.get(ENV)
    if not path:
        return
    record = {"time": round(time.time(), 3), "stage": stage, "message": message, "done": done, "total": total}
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


#: Items (units, documents) between two progress lines of a long loop (:func:`tick`).
EVERY = 20_000


def tick(stage: str, message: str, done: int, total: int | None, *, step: int = 1, every: int = EVERY) -> None:
    """Call in a loop over many items: :func:`report` at the start, the end and every ``every`` items.

    ``done`` items are finished, ``step`` of them since the last call (a batch's size).

    >>> [d for d in range(0, 50_001, 5_000) if _due(d, 5_000, 20_000, 50_000)]
    [0, 20000, 40000, 50000]
    """
    if _due(done, step, every, total):
        report(stage, message, done=done, total=total)


def _due(done: int, step: int, every: int, total: int | None) -> bool:
    return done == 0 or done == total or done // every > (done - step) // every


def format_record(record: dict) -> str:
    """One line for people: ``stage: message (done/total)``.

    >>> format_record({"stage": "frames", "message": "units coded", "done": 5000, "total": 14058})
    'frames: units coded (5,000/14,058)'
    """
    count = ""
    if record.get("done") is not None and record.get("total"):
        count = f" ({int(record['done']):,}/{int(record['total']):,})"
    return f"{record.get('stage', '?')}: {record.get('message', '')}{count}"


def read_records(path: Path, offset: int = 0) -> list[dict]:
    """Every complete JSON line of a progress file from byte ``offset`` (a malformed line is skipped)."""
    records, _ = _read_from(Path(path), offset)
    return records


def _read_from(path: Path, offset: int) -> tuple[list[dict], int]:
    if not path.exists():
        return [], offset
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read()
    end = data.rfind(b"\n") + 1  # a line still being written is read on the next poll
    records = []
    for raw in data[:end].splitlines():
        try:
            records.append(json.loads(raw))
        except ValueError:
            continue
    return records, offset + end


class ProgressTail:
    """Follow a progress file in a background thread and hand each new line to ``emit``, formatted.

    ``emit(text)`` receives :func:`format_record`'s line prefixed by the
    current ``label`` (the runner sets it to the notebook running). Leaving
    the ``with`` block reads what is left, so no line is lost.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "p.jsonl"
    >>> seen = []
    >>> with ProgressTail(path, seen.append) as tail:
    ...     tail.label = "02-fit-topics"
    ...     os.environ[ENV] = str(path); report("topics", "refit 1 of 3 fitted"); _ = os.environ.pop(ENV)
    >>> seen
    ['[02-fit-topics] topics: refit 1 of 3 fitted']
    """

    def __init__(self, path: Path, emit, *, interval: float = 0.5):
        self.path = Path(path)
        self.emit = emit
        self.interval = interval
        self.label = ""
        self._offset = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="progress-tail", daemon=True)

    def __enter__(self) -> "ProgressTail":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.ident is not None:  # started
            self._thread.join()
        self.poll()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()

    def poll(self) -> None:
        """Emit every line written since the last poll."""
        with self._lock:
            records, self._offset = _read_from(self.path, self._offset)
            for record in records:
                prefix = f"[{self.label}] " if self.label else ""
                self.emit(prefix + format_record(record))
