"""Readers: the raw corpus as a stream of documents, with encodings detected and mojibake repaired.

A corpus is a folder of ``.txt`` files (one article per file, optionally with
a ``metadata.csv`` beside them), a single ``.txt`` file, or a CSV / JSONL /
Parquet table with a ``text`` column. :func:`iter_documents` yields one
:class:`Document` at a time, whatever the format.

Rules this module keeps:

* Raw files are read, never written. Reading streams: files line by line,
  CSV in chunks, JSONL line by line, Parquet by batches, so a large corpus is
  never held whole.
* Encoding: a file that is not UTF-8 is decoded with an encoding detected by
  charset-normalizer among the language's legacy encodings, and the choice is
  recorded. Mojibake is repaired line by line (ftfy, plus UTF-8 read as
  Windows-874, which ftfy does not cover).
* Metadata given in a table (or in ``metadata.csv``) is passed on with the
  document; it wins over what cleaning extracts from the text.
* Every raw file's sha256 is recorded. Bad input raises
  :class:`~analysis.errors.AnalysisError` naming the file (and the row), or
  is skipped with a logged reason naming the file (empty or binary files in
  a folder).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .. import outputs
from ..errors import AnalysisError
from ..files import read_csv_rows

logger = logging.getLogger(__name__)

TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
META_FIELDS = ("title", "outlet", "place", "date", "url", "accessed", "language")
# A folder of .txt files may hold this table of metadata the researcher knows
# (from the scraper or the site): one row per file, columns ``file`` and any of
# META_FIELDS. Like a CSV corpus, it wins over what is extracted from the text.
SIDECAR = "metadata.csv"

_SNIFF_BYTES = 1 << 16
_THAI = re.compile("[\u0e00-\u0e7f]")
# Typographic characters common in correct news text. A line whose only
# non-ASCII characters are these cannot hold the mojibake ftfy repairs (that
# always shows letters such as "â", "Ã", "Ð"), so ftfy is skipped for it: on a
# 50 MB article ftfy would otherwise dominate the run time.
_SAFE_NON_ASCII = str.maketrans("", "", "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u20ac")


# --------------------------------------------------------------------------- mojibake


def _cp874_charmap() -> dict[int, str]:
    # Derived from the codec, not typed by hand: byte -> what Windows-874 shows.
    # Bytes Windows-874 leaves undefined pass through as the same code point,
    # the way sloppy decoders (and ftfy's "sloppy" codecs) treat them.
    out = {}
    for b in range(0x80, 0x100):
        try:
            out[b] = bytes([b]).decode("cp874")
        except UnicodeDecodeError:
            out[b] = chr(b)
    return out


_CP874 = _cp874_charmap()
_CP874_ENCODE = {ch: b for b, ch in _CP874.items()}


def _cp874_pattern() -> re.Pattern:
    def cls(lo, hi):
        return "[" + "".join(re.escape(_CP874[b]) for b in range(lo, hi)) + "]"

    cont = cls(0x80, 0xC0)
    return re.compile(
        f"{cls(0xC2, 0xE0)}{cont}|{cls(0xE0, 0xF0)}{cont}{{2}}|{cls(0xF0, 0xF5)}{cont}{{3}}"
    )


# A UTF-8 multi-byte sequence as it looks after a Windows-874 decode: a lead
# byte shown as a Thai letter followed by continuation bytes shown as Thai
# letters, Windows punctuation or a no-break space.
_CP874_MOJIBAKE = _cp874_pattern()


def _undo_cp874(match: re.Match) -> str:
    raw = bytes(_CP874_ENCODE.get(ch, 0x3F) for ch in match.group(0))
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)
    return match.group(0) if _THAI.search(fixed) or "\x80" <= fixed <= "\x9f" else fixed


_FTFY_CONFIG = None


def repair_mojibake(line: str) -> str:
    """Return ``line`` with mojibake repaired locally.

    First UTF-8 read as Windows-874 (Thai) is undone sequence by sequence:
    ``"IDM โ€“ย\\xa0Rusia"`` becomes ``"IDM –\\xa0Rusia"``. A line whose Thai
    letters are not all such sequences is real Thai and is left alone. Then
    ftfy fixes the common cases (UTF-8 read as Windows-1252 and others) with
    curly quotes kept, because quotation marks mark whose voice is speaking.

    Examples
    --------
    >>> repair_mojibake("Jakarta, IDM โ€“ย\\xa0Rusia")
    'Jakarta, IDM –\\xa0Rusia'
    >>> repair_mojibake("Putin’s “partner”")
    'Putin’s “partner”'
    """
    global _FTFY_CONFIG
    if _THAI.search(line):
        fixed = _CP874_MOJIBAKE.sub(_undo_cp874, line)
        if not _THAI.search(fixed):
            line = fixed
    if line.isascii() or line.translate(_SAFE_NON_ASCII).isascii():
        return line
    import ftfy

    if _FTFY_CONFIG is None:
        _FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False, explain=False)
    return ftfy.fix_text(line, _FTFY_CONFIG)


# --------------------------------------------------------------------------- sniffing


def _sniff_file(path: Path, legacy: tuple[str, ...]) -> tuple[str, str, int, str]:
    """Return ``(encoding, sha256, n_bytes, skip_reason)`` of a text file, streaming it once."""
    digest = hashlib.sha256()
    n_bytes = 0
    head = b""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                if not head:
                    head = chunk[:_SNIFF_BYTES]
                digest.update(chunk)
                n_bytes += len(chunk)
                if utf8_ok:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8_ok = False
            if utf8_ok:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    utf8_ok = False
    except OSError as exc:
        raise AnalysisError(f"cannot read file ({exc.strerror})", path=path) from None
    encoding, reason = _encoding(head, utf8_ok, legacy, n_bytes)
    return encoding, digest.hexdigest(), n_bytes, reason


def _encoding(head: bytes, utf8_ok: bool, legacy: tuple[str, ...], n_bytes: int) -> tuple[str, str]:
    """``(encoding, skip_reason)`` of a file from its first bytes and whether it all decoded as UTF-8."""
    if n_bytes == 0 or not head.strip():
        return "", "empty file"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    if b"\x00" in head:
        return "", "binary file (NUL bytes)"
    if utf8_ok:
        return ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"), ""
    from charset_normalizer import from_bytes

    # Detection among the legacy encodings of the language only: on short news
    # texts an unrestricted detector happily picks cp1250 for cp1252 text.
    best = from_bytes(head, cp_isolation=list(legacy)).best()
    if best is None:
        return "", "binary or undecodable file (not UTF-8, no legacy encoding fits)"
    return str(best.encoding), ""


# --------------------------------------------------------------------------- documents


@dataclass
class Document:
    """One raw article as read: its id, provenance and a stream of lines."""

    article_id: str
    source: str
    sha256: str
    encoding: str
    lines: Iterable[str]
    meta: dict = field(default_factory=dict)
    n_bytes: int = 0


def iter_documents(source: Path, *, legacy_encodings: tuple[str, ...] = ("cp1252", "latin_1"),
                   skipped: list | None = None, manifest_files: list | None = None) -> Iterator[Document]:
    """Yield the raw documents of ``source`` one at a time (streaming).

    ``source`` is a folder of ``.txt`` files (one article per file, id = file
    stem; an optional ``metadata.csv`` beside them, see :func:`read_sidecar`,
    gives metadata that wins over the text's), a single ``.txt`` file, or a CSV / JSONL / Parquet file with a
    ``text`` column and optional ``id``, ``title``, ``outlet``, ``place``,
    ``date``, ``url``, ``language``. Skipped files and rows are appended to
    ``skipped`` as ``(name, reason)``; per-file provenance to ``manifest_files``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("TEMPO.CO, Jakarta - Teks berita.", encoding="utf-8")
    >>> [d.article_id for d in iter_documents(folder)]
    ['a']
    """
    source = Path(source)
    skipped = [] if skipped is None else skipped
    manifest_files = [] if manifest_files is None else manifest_files
    if not source.exists():
        raise AnalysisError("corpus source not found", path=source)
    if source.is_dir() or source.suffix.lower() == ".txt":
        sidecar = read_sidecar(source) if source.is_dir() else {}
        if sidecar:
            meta_path = source / SIDECAR
            manifest_files.append({"name": SIDECAR, "bytes": meta_path.stat().st_size, "sha256": file_sha256(meta_path),
                                   "encoding": "utf-8", "status": f"metadata for {outputs.count_noun(len(sidecar), 'file')}"})
        yield from _iter_txt(_txt_files(source), tuple(legacy_encodings), skipped, manifest_files, sidecar)
    else:
        yield from _iter_table(source, skipped, manifest_files)


def _txt_files(source: Path) -> list[Path]:
    if source.is_dir():
        files = sorted((p for p in source.iterdir() if p.is_file() and p.suffix.lower() == ".txt"), key=lambda p: (p.stem, p.name))
        if not files:
            raise AnalysisError("empty corpus folder: no .txt files", path=source)
        return files
    return [source]


def _iter_txt(files: list[Path], legacy: tuple[str, ...], skipped: list, manifest_files: list,
              sidecar: dict[str, dict[str, str]] | None = None) -> Iterator[Document]:
    sidecar = sidecar or {}
    for path in files:
        encoding, sha, n_bytes, reason = _sniff_file(path, legacy)
        manifest_files.append({"name": path.name, "bytes": n_bytes, "sha256": sha, "encoding": encoding,
                               "status": f"skipped: {reason}" if reason else "read"})
        if reason:
            logger.warning("%s: skipped, %s", path, reason)
            skipped.append((path.name, reason))
            continue
        if encoding not in ("utf-8", "utf-8-sig"):
            logger.info("%s: not UTF-8, decoded as %s", path, encoding)
        yield Document(path.stem, path.name, sha, encoding, _read_lines(path, encoding), dict(sidecar.get(path.name, {})),
                       n_bytes)


def _read_lines(path: Path, encoding: str) -> Iterator[str]:
    errors = "strict" if encoding.startswith("utf") else "replace"
    try:
        with path.open("r", encoding=encoding, errors=errors, newline=None) as fh:
            for line in fh:
                yield line.rstrip("\n")
    except UnicodeDecodeError as exc:
        raise AnalysisError(f"cannot decode as {encoding} ({exc.reason})", path=path) from None


def read_sidecar(folder: Path) -> dict[str, dict[str, str]]:
    """Return ``{file name: {field: value}}`` from ``folder/metadata.csv`` ({} if there is none).

    Errors name the file, the row and the problem: a missing ``file`` column,
    an unknown column, a file named twice or not in the folder.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Teks.", encoding="utf-8")
    >>> _ = (folder / "metadata.csv").write_text("file,outlet,date\\na.txt,Kompas,2024-06-23\\n", encoding="utf-8")
    >>> read_sidecar(folder)
    {'a.txt': {'outlet': 'Kompas', 'date': '2024-06-23'}}
    """
    path = Path(folder) / SIDECAR
    if not path.is_file():
        return {}
    columns, rows = read_csv_rows(path, what="metadata table")
    if "file" not in columns:
        raise AnalysisError(f"needs a 'file' column (one row per .txt file), found: {', '.join(columns) or 'none'}",
                            path=path, row=1)
    unknown = [c for c in columns if c != "file" and c not in META_FIELDS]
    if unknown:
        raise AnalysisError(f"unknown column(s) {', '.join(unknown)}; allowed: file, {', '.join(META_FIELDS)}",
                            path=path, row=1)
    out: dict[str, dict[str, str]] = {}
    for row_no, row in rows:
        name = row["file"]
        if not name:
            raise AnalysisError("empty 'file'", path=path, row=row_no)
        if name in out:
            raise AnalysisError(f"{name!r} is listed twice", path=path, row=row_no)
        if not (Path(folder) / name).is_file() or Path(name).name != name:
            raise AnalysisError(f"no file {name!r} in the corpus folder", path=path, row=row_no)
        out[name] = {k: " ".join(v.split()) for k, v in row.items() if k != "file" and v}
    return out


# --------------------------------------------------------------------------- tables


def _iter_table(path: Path, skipped: list, manifest_files: list) -> Iterator[Document]:
    reader = _RECORD_READERS.get(path.suffix.lower())
    if reader is None:
        raise AnalysisError(f"unsupported corpus file type {path.suffix.lower()!r} "
                            f"(use a folder of .txt, or {', '.join(TABLE_SUFFIXES)})", path=path)
    sha = file_sha256(path)
    n_bytes = path.stat().st_size
    if n_bytes == 0:
        raise AnalysisError("empty file", path=path)
    manifest_files.append({"name": path.name, "bytes": n_bytes, "sha256": sha, "encoding": "utf-8", "status": "read"})
    seen: set[str] = set()
    for row, rec in enumerate(reader(path)):
        article_id = _clean_value(rec.get("id")) or f"row{row:06d}"
        if article_id in seen:
            raise AnalysisError(f"duplicate id {article_id!r}", path=path)
        seen.add(article_id)
        text = _clean_value(rec.get("text"))
        if not text:
            logger.warning("%s: row %s skipped, empty text", path, article_id)
            skipped.append((f"{path.name}#{article_id}", "empty text"))
            continue
        meta = {k: _clean_value(rec.get(k)) for k in META_FIELDS if _clean_value(rec.get(k))}
        row_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        yield Document(article_id, path.name, row_sha, "utf-8", text.splitlines(), meta, len(text.encode("utf-8")))


def _csv_records(path: Path) -> Iterator[dict]:
    try:
        for chunk in pd.read_csv(path, chunksize=1000, dtype=str, keep_default_na=False, encoding="utf-8-sig"):
            if "text" not in chunk.columns:
                raise AnalysisError(f"no 'text' column (columns: {', '.join(map(str, chunk.columns))})", path=path)
            yield from chunk.to_dict("records")
    except pd.errors.EmptyDataError:
        raise AnalysisError("empty file", path=path) from None
    except pd.errors.ParserError as exc:
        raise AnalysisError(f"malformed CSV ({str(exc).strip().splitlines()[-1]})", path=path) from None
    except UnicodeDecodeError:
        raise AnalysisError("CSV is not UTF-8 text; re-save it as UTF-8", path=path) from None


def _jsonl_records(path: Path) -> Iterator[dict]:
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            for line_no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise AnalysisError(f"not valid JSON ({exc.msg})", path=path, row=line_no) from None
                if not isinstance(rec, dict):
                    raise AnalysisError("not a JSON object", path=path, row=line_no)
                if "text" not in rec:
                    raise AnalysisError("has no 'text' field", path=path, row=line_no)
                yield rec
    except UnicodeDecodeError:
        raise AnalysisError("JSONL is not UTF-8 text", path=path) from None


def _parquet_records(path: Path) -> Iterator[dict]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise AnalysisError(f"not a readable Parquet file ({type(exc).__name__})", path=path) from None
    names = pf.schema_arrow.names
    if "text" not in names:
        raise AnalysisError(f"no 'text' column (columns: {', '.join(names)})", path=path)
    wanted = [c for c in ("id", "text", *META_FIELDS) if c in names]
    for batch in pf.iter_batches(batch_size=256, columns=wanted):
        yield from batch.to_pylist()


_RECORD_READERS = {".csv": _csv_records, ".jsonl": _jsonl_records, ".parquet": _parquet_records}


def _clean_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from pandas
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, _date):
        return value.isoformat()
    return str(value).strip()


# --------------------------------------------------------------------------- hashes


def corpus_sha256(source: Path) -> dict[str, str]:
    """Return ``{file name: sha256 of its raw bytes}`` for a corpus folder or file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_bytes(b"x")
    >>> corpus_sha256(folder)["a.txt"][:12]
    '2d711642b726'
    """
    source = Path(source)
    if not source.exists():
        raise AnalysisError("corpus source not found", path=source)
    files = _txt_files(source) if source.is_dir() else [source]
    if source.is_dir() and (source / SIDECAR).is_file():
        files.append(source / SIDECAR)  # the researcher's metadata changes results as the text does
    return {path.name: file_sha256(path) for path in files}


def file_sha256(path: Path) -> str:
    """Return the sha256 of one file's bytes; an unreadable file raises AnalysisError naming it."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise AnalysisError(f"cannot read file ({exc.strerror})", path=path) from None
