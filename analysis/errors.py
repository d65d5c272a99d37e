"""The project's own error type.

Every problem a user can cause (bad input file, bad parameter, empty corpus)
is raised as :class:`AnalysisError` with a one-line message in one wording:
the file, then the row or key where there is one, then the problem
(``data/x.csv, row 4: value 2 is not 0 or 1``). The command line prints that
line alone, never a traceback from inside a library.
"""

from __future__ import annotations

from pathlib import Path


class AnalysisError(Exception):
    """A user-facing error: one line, naming the file (row, key) or parameter at fault.

    Examples
    --------
    >>> str(AnalysisError("empty file", path=Path("data/raw/x/a.txt")))
    'data/raw/x/a.txt: empty file'
    >>> str(AnalysisError("value 2 is not 0 or 1", path="sheet.csv", row=4))
    'sheet.csv, row 4: value 2 is not 0 or 1'
    >>> str(AnalysisError("unknown type 'x'", path="g.yml", key="entries[3].type"))
    "g.yml, key entries[3].type: unknown type 'x'"
    """

    def __init__(self, message: str, *, path: Path | str | None = None, row: int | None = None,
                 key: str | None = None):
        message = " ".join(str(message).split())  # always one line
        self._bare = message
        where = [str(path)] if path is not None else []
        if row is not None:
            where.append(f"row {row}")
        if key is not None:
            where.append(f"key {key}")
        if where:
            message = f"{', '.join(where)}: {message}"
        super().__init__(message)
        self.path = path
        self.row = row
        self.key = key

    def __reduce__(self):
        # An error raised in a worker process or on a Dask worker arrives with its file, row and key, not only its text.
        return (_rebuild, (type(self), self._bare, self.path, self.row, self.key))


def _rebuild(cls, message, path, row, key):
    """Unpickle an :class:`AnalysisError` (see its ``__reduce__``).

    >>> import pickle
    >>> e = pickle.loads(pickle.dumps(AnalysisError("bad", path="a.csv", row=3)))
    >>> str(e), e.path, e.row
    ('a.csv, row 3: bad', 'a.csv', 3)
    """
    return cls(message, path=path, row=row, key=key)
