"""Checked reading of the files a user or a stage supplies: YAML, CSV and Parquet.

One reader per format, one error wording (:class:`analysis.errors.AnalysisError`:
the file, the row or key, the problem). A missing, empty, binary, non-UTF-8
or malformed file is refused in one line before any library traceback can
escape. Modules never call ``yaml.safe_load`` or ``pd.read_csv`` on a user's
file themselves.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable

import pandas as pd

from .errors import AnalysisError


def read_text(path: Path, *, what: str = "file") -> str:
    """Return a UTF-8 text file's content; a missing, binary or non-UTF-8 file raises one line.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x.txt"; _ = p.write_bytes(b"\\xff\\xfe")
    >>> try:
    ...     read_text(p, what="codebook")
    ... except AnalysisError as exc:
    ...     print(str(exc).rsplit("/", 1)[1])
    x.txt: codebook is not UTF-8 text (byte 0)
    """
    path = Path(path)
    if not path.is_file():
        raise AnalysisError(f"{what} not found", path=path)
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise AnalysisError(f"{what} is a binary file, not text", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnalysisError(f"{what} is not UTF-8 text (byte {exc.start})", path=path) from None


def read_yaml(path: Path, *, what: str = "YAML file", expect: str = "a mapping", empty_ok: bool = True):
    """Return a YAML file's content, checked to be a mapping (or a list with ``expect="a list"``).

    ``what`` names the file's role in the message ("codebook", "alias file");
    ``expect`` says what the top level must be.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "c.yml"; _ = p.write_text("a: [1,", encoding="utf-8")
    >>> try:
    ...     read_yaml(p, what="codebook")
    ... except AnalysisError as exc:
    ...     print(str(exc).rsplit("/", 1)[1])
    c.yml, row 1: codebook is not valid YAML
    """
    import yaml

    text = read_text(path, what=what)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AnalysisError(f"{what} is not valid YAML", path=path,
                            row=mark.line + 1 if mark is not None else None) from None
    kind = list if expect == "a list" else dict
    if data is None:
        if empty_ok:
            return kind()
        raise AnalysisError(f"{what} is empty", path=path)
    if not isinstance(data, kind):
        raise AnalysisError(f"{what} must hold {expect} at its top level", path=path)
    return data


def read_csv_rows(path: Path, *, what: str = "CSV file", required: tuple[str, ...] = ()) -> tuple[list[str], list[tuple[int, dict]]]:
    """Return a CSV file's header and its rows as ``(row number, {column: value})``, values as strings.

    Row numbers are the spreadsheet's (the header is row 1). An empty file,
    a ragged row, a duplicate or missing required column raises one line
    naming the file and row.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "s.csv"; _ = p.write_text("a,b\\n1,2\\n3\\n", encoding="utf-8")
    >>> try:
    ...     read_csv_rows(p)
    ... except AnalysisError as exc:
    ...     print(str(exc).rsplit("/", 1)[1])
    s.csv, row 3: has 1 field where the header has 2
    """
    text = read_text(path, what=what)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise AnalysisError(f"{what} is not valid CSV ({exc})", path=path, row=reader.line_num) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)] if rows else []
    if not rows:
        raise AnalysisError(f"{what} is empty", path=path)
    header = [h.strip() for h in rows[0]]
    seen = set()
    for h in header:
        if h in seen:
            raise AnalysisError(f"column {h!r} appears twice in the header", path=path, row=1)
        seen.add(h)
    missing = [c for c in required if c not in header]
    if missing:
        raise AnalysisError(f"{what} lacks column(s) {', '.join(missing)}", path=path, row=1)
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise AnalysisError(f"has {len(row)} field{'s' if len(row) != 1 else ''} where the header has "
                                f"{len(header)}", path=path, row=n)
        out.append((n, dict(zip(header, (v.strip() for v in row)))))
    return header, out


def read_parquet(path: Path, *, columns: tuple[str, ...] = (), hint: str = "", filters: list | None = None
                 ) -> pd.DataFrame:
    """Read a Parquet table; a missing, corrupt or incomplete file raises one line naming it.

    ``hint`` says what to do when the file is missing (which notebook writes
    it); ``columns`` are required, and only they are read when given;
    ``filters`` (pyarrow's, e.g. ``[("unit_id", "in", ids)]``) keep only the rows they match.

    >>> import tempfile
    >>> try:
    ...     read_parquet(Path(tempfile.mkdtemp()) / "t.parquet", hint="run notebook 01-build-corpus first")
    ... except AnalysisError as exc:
    ...     print(str(exc).rsplit("/", 1)[1])
    t.parquet: missing: run notebook 01-build-corpus first
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise AnalysisError(f"missing{': ' + hint if hint else ''}", path=path)
    try:
        names = pq.read_schema(path).names
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise AnalysisError(f"unreadable Parquet file ({type(exc).__name__})", path=path) from None
    missing = [c for c in columns if c not in names]
    if missing:
        raise AnalysisError(f"lacks column(s) {', '.join(missing)}", path=path)
    try:
        return pd.read_parquet(path, columns=list(columns) or None, filters=filters or None)
    except Exception as exc:
        raise AnalysisError(f"unreadable Parquet file ({type(exc).__name__})", path=path) from None


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`AnalysisError` naming ``what`` if the table ``df`` lacks any of ``columns``.

    A stage function's table argument must hold the columns it reads; a
    missing one is reported in one line before pandas raises a ``KeyError``
    from deep inside.

    >>> require_columns(pd.DataFrame({"unit_id": []}), ("unit_id", "text"), "units")
    Traceback (most recent call last):
    ...
    analysis.errors.AnalysisError: units: missing column(s) text
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise AnalysisError(f"{what}: missing column(s) {', '.join(missing)}")
