"""The project's own error type.

Every problem a user can cause (bad input file, bad parameter, empty corpus)
is raised as :class:`AnalysisError` with a one-line message that names the
file or parameter and the problem. The command line prints that line alone,
never a traceback from inside a library.
"""

from __future__ import annotations

from pathlib import Path


class AnalysisError(Exception):
    """A user-facing error: one line, naming the file or parameter at fault.

    Examples
    --------
    >>> str(AnalysisError("empty file", path=Path("data/raw/x/a.txt")))
    'data/raw/x/a.txt: empty file'
    """

    def __init__(self, message: str, *, path: Path | str | None = None):
        message = " ".join(str(message).split())  # always one line
        if path is not None:
            message = f"{path}: {message}"
        super().__init__(message)
        self.path = path
