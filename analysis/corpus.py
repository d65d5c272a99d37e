"""Corpus: ingest raw scraped news, extract metadata, clean it, segment it, and log every step.

This is the first stage of the pipeline. It turns a folder of ``.txt`` files
(one article per file) or a CSV / JSONL / Parquet table with a ``text`` column
into three Parquet tables and a manifest under the run's ``data/`` folder:

* ``articles.parquet``: one row per article with its metadata and cleaned text;
* ``units.parquet``: the analysis units (article, paragraph or sentence), each
  with its article id, position and character offsets into the cleaned text;
* ``cleaning_log.parquet``: every removal (rule, article, raw line, text);
* ``corpus_manifest.json``: the source, the sha256 of every raw file, counts.

Rules this module keeps:

* Raw files are read, never written. Reading streams (files line by line, CSV
  in chunks, JSONL line by line, Parquet by batches) and so does writing
  (pyarrow ``ParquetWriter`` in batches), so a large corpus is never held whole.
* Cleaning rules are data: ``resources/cleaning/common.yaml`` plus one YAML per
  language, extensible with a user YAML (``extra_rules``). Rules apply line by
  line and every removal is logged; nothing disappears silently.
* Metadata given in an input table (or in ``metadata.csv`` beside ``.txt``
  files) wins over metadata extracted from the text.
  A field that cannot be found stays empty and is counted; it is never guessed
  (a date without a year keeps the precision ``day-no-year``).
* Encoding: a file that is not UTF-8 is decoded with an encoding detected by
  charset-normalizer among the language's legacy encodings, and the choice is
  recorded. Mojibake is repaired locally (ftfy, plus UTF-8 read as Windows-874,
  which ftfy does not cover).
* Outputs are written under temporary names and moved into place only when the
  whole build succeeded, so a failure never destroys earlier outputs.
* Bad input raises :class:`~analysis.errors.AnalysisError` naming the file, or
  is skipped with a logged reason naming the file (empty or binary files in a
  folder).
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
import logging
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from . import outputs

from .paths import RESOURCES, ROOT
from .errors import AnalysisError

logger = logging.getLogger(__name__)

UNITS = ("article", "paragraph", "sentence")
_UNIT_LETTER = {"article": "a", "paragraph": "p", "sentence": "s"}
CLEANING_DIR = RESOURCES / "cleaning"
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
META_FIELDS = ("title", "outlet", "place", "date", "url", "language")
ACTIONS = ("line", "block", "footer", "inline")

# A dateline or headline sits in the first lines of an article; looking further
# would mistake a subheading for a title.
_HEAD_LINES = 6
# A headline is short and does not end like a sentence.
_TITLE_MAX_WORDS = 25
_TITLE_END = tuple(".!?…:;,\"”'’")
# Near-duplicate signatures use word 5-grams over at most this many words:
# copies of the same wire story already agree in their opening, and a cap
# keeps a 50 MB article from taking minutes to hash.
_SHINGLE_WORDS = 5
_MAX_SIGNATURE_WORDS = 200_000
_NUM_PERM = 128
# Language detection reads the opening of an article only.
_LANGID_CHARS = 3000
_SNIFF_BYTES = 1 << 16
_BATCH_ROWS = 5000
_BATCH_TEXT_CHARS = 16 << 20

_THAI = re.compile("[\u0e00-\u0e7f]")
_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")
_WORD_END = re.compile(r"\S\s")
# Typographic characters common in correct news text. A line whose only
# non-ASCII characters are these cannot hold the mojibake ftfy repairs (that
# always shows letters such as "â", "Ã", "Ð"), so ftfy is skipped for it: on a
# 50 MB article ftfy would otherwise dominate the run time.
_SAFE_NON_ASCII = str.maketrans("", "", "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u20ac")
# The publication date stands in the opening of an article; a date further
# down is more likely the date of an event the article reports.
_DATE_LINES = 60

_UNITS_SCHEMA = pa.schema(
    [("unit_id", pa.string()), ("article_id", pa.string()), ("position", pa.int64()),
     ("start", pa.int64()), ("end", pa.int64()), ("text", pa.large_string())]
)
_ARTICLES_SCHEMA = pa.schema(
    [("article_id", pa.string()), ("source", pa.string()), ("sha256", pa.string()),
     ("encoding", pa.string()), ("title", pa.string()), ("outlet", pa.string()),
     ("place", pa.string()), ("date", pa.string()), ("date_precision", pa.string()),
     ("url", pa.string()), ("language", pa.string()), ("n_words", pa.int64()),
     ("n_units", pa.int64()), ("n_removals", pa.int64()), ("duplicate_of", pa.string()),
     ("text", pa.large_string())]
)
_LOG_SCHEMA = pa.schema(
    [("article_id", pa.string()), ("rule", pa.string()), ("category", pa.string()),
     ("block", pa.int64()), ("line_no", pa.int64()), ("text", pa.large_string())]
)
# Log entries that are not boilerplate: the headline moved to `title`, and
# units dropped for being shorter than `min_unit_words`.
_NOT_BOILERPLATE = ("metadata", "short unit")


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """One cleaning rule: a regex applied to each line and what to do on a match."""

    name: str
    category: str
    action: str
    regex: re.Pattern
    description: str = ""


@dataclass(frozen=True)
class Ruleset:
    """Everything language-specific: cleaning rules, datelines, calendar words."""

    language: str
    rules: tuple[Rule, ...]
    datelines: tuple[tuple[str, re.Pattern], ...]
    months: dict
    weekdays: tuple[str, ...]
    numeric_date_order: str
    abbreviations: tuple[str, ...]
    legacy_encodings: tuple[str, ...]
    sources: tuple[str, ...] = ()

    @property
    def date_patterns(self) -> tuple[tuple[str, re.Pattern], ...]:
        """Return the compiled date patterns built from months and weekdays."""
        return _date_patterns(self.months_key, self.weekdays)

    @property
    def months_key(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.months.items()))


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnalysisError("rules file not found", path=path) from None
    except UnicodeDecodeError:
        raise AnalysisError("rules file is not UTF-8 text", path=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise AnalysisError(f"malformed YAML{where}", path=path) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AnalysisError("rules file must hold a mapping (rules:, datelines:, ...)", path=path)
    return data


def _compile_rules(data: dict, path: Path) -> list[Rule]:
    rules = []
    for i, item in enumerate(data.get("rules") or []):
        if not isinstance(item, dict):
            raise AnalysisError(f"rules[{i}] is not a mapping", path=path)
        missing = [k for k in ("name", "pattern", "action") if not item.get(k)]
        if missing:
            raise AnalysisError(f"rules[{i}] lacks field(s) {', '.join(missing)}", path=path)
        if item["action"] not in ACTIONS:
            raise AnalysisError(
                f"rule {item['name']!r}: action {item['action']!r} is not one of {', '.join(ACTIONS)}", path=path
            )
        flags = re.IGNORECASE if item.get("ignorecase") else 0
        try:
            regex = re.compile(str(item["pattern"]), flags)
        except re.error as exc:
            raise AnalysisError(f"rule {item['name']!r}: bad regular expression ({exc})", path=path) from None
        rules.append(
            Rule(str(item["name"]), str(item.get("category") or item["name"]), item["action"], regex,
                 str(item.get("description") or ""))
        )
    return rules


def _compile_datelines(data: dict, path: Path) -> list[tuple[str, re.Pattern]]:
    out = []
    for i, item in enumerate(data.get("datelines") or []):
        if not isinstance(item, dict) or not item.get("pattern"):
            raise AnalysisError(f"datelines[{i}] needs a pattern", path=path)
        try:
            regex = re.compile(str(item["pattern"]))
        except re.error as exc:
            raise AnalysisError(f"datelines[{i}]: bad regular expression ({exc})", path=path) from None
        if not {"outlet", "place"} & set(regex.groupindex):
            raise AnalysisError(f"datelines[{i}]: pattern needs a named group outlet or place", path=path)
        out.append((str(item.get("name") or f"dateline_{i}"), regex))
    return out


def load_rules(language: str = "id", extra_rules: Path | None = None) -> Ruleset:
    """Return the cleaning rules, dateline patterns and calendar words for ``language``.

    The shipped ``common.yaml`` and ``<language>.yaml`` from
    ``analysis/resources/cleaning`` are combined with ``extra_rules`` (a YAML
    with the same keys). The user's rules are tried first; their months and
    datelines are added to the shipped ones. A language without a shipped
    file needs an ``extra_rules`` file declaring ``language: <code>`` with its
    own datelines, months and weekdays.

    Examples
    --------
    >>> rules = load_rules("id")
    >>> [r.name for r in rules.rules][:2]
    ['baca_juga', 'tonton_juga']
    """
    return _load_rules(str(language), str(extra_rules) if extra_rules else "")


@lru_cache(maxsize=16)
def _load_rules(language: str, extra: str) -> Ruleset:
    shipped = CLEANING_DIR / f"{language}.yaml"
    extra_path = Path(extra) if extra else None
    extra_data = _read_yaml(extra_path) if extra_path else {}
    if not shipped.exists():
        if not (extra_path and str(extra_data.get("language", "")) == language):
            supported = sorted(p.stem for p in CLEANING_DIR.glob("*.yaml") if p.stem != "common")
            raise AnalysisError(
                f"language {language!r} has no shipped cleaning rules (supported: {', '.join(supported)}, auto); "
                "supply cleaning rules and dateline patterns for it in an extra_rules YAML with "
                f"'language: {language}'"
            )
        lang_data, lang_path = {}, None
    else:
        lang_path = shipped
        lang_data = _read_yaml(shipped)
    common_path = CLEANING_DIR / "common.yaml"
    common = _read_yaml(common_path)
    rules: list[Rule] = []
    datelines: list[tuple[str, re.Pattern]] = []
    if extra_path:
        rules += _compile_rules(extra_data, extra_path)
        datelines += _compile_datelines(extra_data, extra_path)
    if lang_path:
        rules += _compile_rules(lang_data, lang_path)
        datelines += _compile_datelines(lang_data, lang_path)
    rules += _compile_rules(common, common_path)
    months: dict[str, int] = {}
    for data, path in ((lang_data, lang_path), (extra_data, extra_path)):
        for name, number in (data.get("months") or {}).items():
            if not isinstance(number, int) or not 1 <= number <= 12:
                raise AnalysisError(f"months: {name!r} must map to a number 1-12", path=path)
            months[str(name).lower()] = number
    weekdays = [str(w).lower() for w in (lang_data.get("weekdays") or []) + (extra_data.get("weekdays") or [])]
    order = str(extra_data.get("numeric_date_order") or lang_data.get("numeric_date_order") or "dmy")
    if order not in ("dmy", "mdy"):
        raise AnalysisError(f"numeric_date_order {order!r} must be dmy or mdy", path=extra_path or lang_path)
    abbreviations = [str(a).lower() for a in (lang_data.get("abbreviations") or []) + (extra_data.get("abbreviations") or [])]
    legacy = extra_data.get("legacy_encodings") or lang_data.get("legacy_encodings") or ["cp1252", "latin_1"]
    for enc in legacy:
        try:
            codecs.lookup(str(enc))
        except LookupError:
            raise AnalysisError(f"legacy_encodings: unknown encoding {enc!r}", path=extra_path or lang_path) from None
    sources = tuple(str(p) for p in (extra_path, lang_path, common_path) if p)
    return Ruleset(language, tuple(rules), tuple(datelines), months, tuple(weekdays), order,
                   tuple(abbreviations), tuple(str(e) for e in legacy), sources)


@lru_cache(maxsize=16)
def _date_patterns(months: tuple[tuple[str, int], ...], weekdays: tuple[str, ...]):
    # Longest names first so "September" wins over "Sep".
    month_alt = "|".join(re.escape(m) for m, _ in sorted(months, key=lambda kv: -len(kv[0])))
    day_alt = "|".join(re.escape(d) for d in sorted(weekdays, key=len, reverse=True)) or r"(?!x)x"
    patterns = [
        # "Minggu (23/6/2024)", "Rabu (19/6)": the Indonesian weekday-plus-numbers dateline
        ("weekday_numeric", re.compile(
            rf"\b(?:{day_alt})\s*,?\s*\(\s*(?P<a>\d{{1,2}})\s*/\s*(?P<b>\d{{1,2}})(?:\s*/\s*(?P<year>\d{{4}}))?\s*\)",
            re.IGNORECASE)),
        ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ]
    if month_alt:
        patterns += [
            # "Rabu, 13 September 2023", "23 June 2024"
            ("day_month_year", re.compile(
                rf"\b(?P<day>\d{{1,2}})\s+(?P<mname>{month_alt})\.?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)),
            # "June 23, 2024"
            ("month_day_year", re.compile(
                rf"\b(?P<mname>{month_alt})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)),
        ]
    return tuple(patterns)


# --------------------------------------------------------------------------- encoding and mojibake


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
    sha = digest.hexdigest()
    if n_bytes == 0 or not head.strip():
        return "", sha, n_bytes, "empty file"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", sha, n_bytes, ""
    if b"\x00" in head:
        return "", sha, n_bytes, "binary file (NUL bytes)"
    if utf8_ok:
        return ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"), sha, n_bytes, ""
    from charset_normalizer import from_bytes

    # Detection among the legacy encodings of the language only: on short news
    # texts an unrestricted detector happily picks cp1250 for cp1252 text.
    best = from_bytes(head, cp_isolation=list(legacy)).best()
    if best is None:
        return "", sha, n_bytes, "binary or undecodable file (not UTF-8, no legacy encoding fits)"
    return str(best.encoding), sha, n_bytes, ""


# --------------------------------------------------------------------------- reading


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


def _read_lines(path: Path, encoding: str) -> Iterator[str]:
    errors = "strict" if encoding.startswith("utf") else "replace"
    try:
        with path.open("r", encoding=encoding, errors=errors, newline=None) as fh:
            for line in fh:
                yield line.rstrip("\n")
    except UnicodeDecodeError as exc:
        raise AnalysisError(f"cannot decode as {encoding} ({exc.reason})", path=path) from None


# A folder of .txt files may hold this table of metadata the researcher knows
# (from the scraper or the site): one row per file, columns ``file`` and any of
# META_FIELDS. Like a CSV corpus, it wins over what is extracted from the text.
SIDECAR = "metadata.csv"


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
    import csv

    path = Path(folder) / SIDECAR
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames or []
            if "file" not in columns:
                raise AnalysisError(f"needs a 'file' column (one row per .txt file), found: {', '.join(columns) or 'none'}",
                                    path=path)
            unknown = [c for c in columns if c != "file" and c not in META_FIELDS]
            if unknown:
                raise AnalysisError(f"unknown column(s) {', '.join(unknown)}; allowed: file, {', '.join(META_FIELDS)}",
                                    path=path)
            out: dict[str, dict[str, str]] = {}
            for row_no, row in enumerate(reader, start=2):
                if None in row:
                    raise AnalysisError(f"row {row_no}: more fields than columns", path=path)
                name = (row.get("file") or "").strip()
                if not name:
                    raise AnalysisError(f"row {row_no}: empty 'file'", path=path)
                if name in out:
                    raise AnalysisError(f"row {row_no}: {name!r} is listed twice", path=path)
                if not (Path(folder) / name).is_file() or Path(name).name != name:
                    raise AnalysisError(f"row {row_no}: no file {name!r} in the corpus folder", path=path)
                out[name] = {k: " ".join(str(v).split()) for k, v in row.items() if k != "file" and v and v.strip()}
    except UnicodeDecodeError:
        raise AnalysisError("not UTF-8 text", path=path) from None
    except csv.Error as exc:
        raise AnalysisError(f"malformed CSV ({exc})", path=path) from None
    return out


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


def _iter_records(path: Path) -> Iterator[tuple[int, dict]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            reader = pd.read_csv(path, chunksize=1000, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            row = 0
            for chunk in reader:
                if "text" not in chunk.columns:
                    raise AnalysisError(f"no 'text' column (columns: {', '.join(map(str, chunk.columns))})", path=path)
                for rec in chunk.to_dict("records"):
                    yield row, rec
                    row += 1
        except pd.errors.EmptyDataError:
            raise AnalysisError("empty file", path=path) from None
        except pd.errors.ParserError as exc:
            raise AnalysisError(f"malformed CSV ({str(exc).strip().splitlines()[-1]})", path=path) from None
        except UnicodeDecodeError:
            raise AnalysisError("CSV is not UTF-8 text; re-save it as UTF-8", path=path) from None
    elif suffix == ".jsonl":
        try:
            with path.open("r", encoding="utf-8-sig") as fh:
                row = 0
                for line_no, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise AnalysisError(f"line {line_no} is not valid JSON ({exc.msg})", path=path) from None
                    if not isinstance(rec, dict):
                        raise AnalysisError(f"line {line_no} is not a JSON object", path=path)
                    if "text" not in rec:
                        raise AnalysisError(f"line {line_no} has no 'text' field", path=path)
                    yield row, rec
                    row += 1
        except UnicodeDecodeError:
            raise AnalysisError("JSONL is not UTF-8 text", path=path) from None
    elif suffix == ".parquet":
        try:
            pf = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise AnalysisError(f"not a readable Parquet file ({type(exc).__name__})", path=path) from None
        names = pf.schema_arrow.names
        if "text" not in names:
            raise AnalysisError(f"no 'text' column (columns: {', '.join(names)})", path=path)
        wanted = [c for c in ("id", "text", *META_FIELDS) if c in names]
        row = 0
        for batch in pf.iter_batches(batch_size=256, columns=wanted):
            for rec in batch.to_pylist():
                yield row, rec
                row += 1
    else:
        raise AnalysisError(f"unsupported corpus file type {suffix!r} (use a folder of .txt, or {', '.join(TABLE_SUFFIXES)})", path=path)


def _iter_table(path: Path, skipped: list, manifest_files: list) -> Iterator[Document]:
    sha = hashlib.sha256()
    n_bytes = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                sha.update(chunk)
                n_bytes += len(chunk)
    except OSError as exc:
        raise AnalysisError(f"cannot read file ({exc.strerror})", path=path) from None
    if n_bytes == 0:
        raise AnalysisError("empty file", path=path)
    manifest_files.append({"name": path.name, "bytes": n_bytes, "sha256": sha.hexdigest(), "encoding": "utf-8", "status": "read"})
    seen: set[str] = set()
    for row, rec in _iter_records(path):
        given_id = _clean_value(rec.get("id"))
        article_id = given_id or f"row{row:06d}"
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


def _txt_files(source: Path) -> list[Path]:
    if source.is_dir():
        files = sorted((p for p in source.iterdir() if p.is_file() and p.suffix.lower() == ".txt"), key=lambda p: (p.stem, p.name))
        if not files:
            raise AnalysisError("empty corpus folder: no .txt files", path=source)
        return files
    return [source]


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


# --------------------------------------------------------------------------- cleaning and metadata


@dataclass
class CleanArticle:
    """An article after cleaning: text, raw line number of each text line, metadata, removals."""

    text: str
    line_starts: list[int]
    line_nos: list[int]
    title: str = ""
    outlet: str = ""
    place: str = ""
    date: str = ""
    date_precision: str = ""
    removals: list[dict] = field(default_factory=list)

    @property
    def n_removals(self) -> int:
        return sum(1 for r in self.removals if r["category"] not in _NOT_BOILERPLATE)


def _apply_rules(lines: Iterable[str], rules: Ruleset) -> tuple[list[tuple[int, str]], list[dict]]:
    kept: list[tuple[int, str]] = []
    removals: list[dict] = []
    block = 0
    pending: Rule | None = None  # a "block" label waiting for its headline line
    footer: Rule | None = None
    kept_text = False

    def remove(rule: Rule, line_no: int, text: str, new_block: bool = True):
        nonlocal block
        if new_block:
            block += 1
        removals.append({"rule": rule.name, "category": rule.category, "block": block, "line_no": line_no, "text": text})

    for line_no, line in enumerate(lines, 1):
        if line_no == 1:
            line = line.lstrip("\ufeff")
        line = repair_mojibake(line).rstrip()
        if footer is not None:
            if line.strip():
                remove(footer, line_no, line, new_block=False)
            continue
        if not line.strip():
            kept.append((line_no, ""))
            continue
        if pending is not None:
            remove(pending, line_no, line, new_block=False)
            pending = None
            continue
        dropped = False
        for rule in rules.rules:
            match = rule.regex.search(line)
            if match is None:
                continue
            if rule.action == "inline":
                remove(rule, line_no, match.group(0).strip())
                line = (line[: match.start()] + line[match.end():]).rstrip()
                if not line.strip():
                    dropped = True
                    break
                continue
            remove(rule, line_no, line)
            if rule.action == "footer" and kept_text:
                footer = rule
            elif rule.action == "block" and not (match.groupdict().get("rest") or "").strip():
                pending = rule
            dropped = True
            break
        if not dropped:
            kept.append((line_no, line))
            kept_text = True
    return kept, removals


def count_words(text: str) -> int:
    """Return the number of whitespace-separated words in ``text`` without building a word list.

    >>> count_words("Rusia dan  Korea Utara")
    4
    """
    return sum(1 for _ in _WORD.finditer(text))


def _title_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= _TITLE_MAX_WORDS and not line.rstrip().endswith(_TITLE_END)


def extract_dateline(line: str, rules: Ruleset) -> dict:
    """Return ``{"outlet", "place", "rule"}`` from a dateline at the start of ``line`` (empty if none).

    Examples
    --------
    >>> extract_dateline("TEMPO.CO, Jakarta - Hubungan akrab", load_rules("id"))["outlet"]
    'TEMPO.CO'
    """
    for name, regex in rules.datelines:
        match = regex.match(line)
        if match:
            groups = match.groupdict()
            return {"outlet": (groups.get("outlet") or "").strip(), "place": (groups.get("place") or "").strip(), "rule": name}
    return {"outlet": "", "place": "", "rule": ""}


def extract_date(text: str, rules: Ruleset) -> tuple[str, str]:
    """Return ``(iso_date, precision)`` of the first full date in ``text``, or ``("", "")``.

    Only explicit dates count: a weekday with day/month (``"Rabu (19/6)"``,
    year optional), day-month-year with a month name, month-day-year, or ISO.
    A missing year is never filled in: ``"Rabu (19/6)"`` gives ``"--06-19"``
    with precision ``day-no-year``. Impossible dates are ignored.

    Examples
    --------
    >>> extract_date("dilansir Minggu (23/6/2024).", load_rules("id"))
    ('2024-06-23', 'day')
    >>> extract_date("pada Rabu (19/6), Presiden", load_rules("id"))
    ('--06-19', 'day-no-year')
    """
    best: tuple[int, str, str] | None = None
    for kind, regex in rules.date_patterns:
        for match in regex.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            groups = match.groupdict()
            if kind == "weekday_numeric":
                a, b = int(groups["a"]), int(groups["b"])
                day, month = (a, b) if rules.numeric_date_order == "dmy" else (b, a)
            else:
                day = int(groups["day"])
                month = int(groups["month"]) if groups.get("month") else rules.months[groups["mname"].lower()]
            year = groups.get("year")
            try:
                _date(int(year) if year else 2000, month, day)  # 2000: a leap year, so 29/2 passes
            except ValueError:
                continue
            iso, precision = (f"{int(year):04d}-{month:02d}-{day:02d}", "day") if year else (f"--{month:02d}-{day:02d}", "day-no-year")
            best = (match.start(), iso, precision)
            break
    return (best[1], best[2]) if best else ("", "")


def _given_date(value: str) -> tuple[str, str]:
    value = value.strip()
    for regex, precision in ((r"\d{4}-\d{2}-\d{2}", "day"), (r"\d{4}-\d{2}", "month"), (r"\d{4}", "year"), (r"--\d{2}-\d{2}", "day-no-year")):
        if re.fullmatch(regex, value):
            return value, precision
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ]\d", value)
    if match:
        return match.group(1), "day"
    logger.warning("date %r is not ISO 8601; kept as given, precision unknown", value)
    return value, ""


def clean_article(lines: Iterable[str], rules: Ruleset, *, given: dict | None = None) -> CleanArticle:
    """Clean one article line by line and extract its title, outlet, place and date.

    Lines are repaired (:func:`repair_mojibake`), then matched against the
    rules; removed lines are logged. A headline before the dateline (or a
    short first line without a final period when there is no dateline) moves
    to ``title`` and out of the text. Values in ``given`` (metadata from an
    input table) win over extracted ones.

    Examples
    --------
    >>> art = clean_article(["Judul Berita", "TEMPO.CO, Jakarta - Isi berita di sini.",
    ...                      "Baca Juga:", "Judul lain", "Isi kedua berita."], load_rules("id"))
    >>> art.title, art.outlet, art.text
    ('Judul Berita', 'TEMPO.CO', 'TEMPO.CO, Jakarta - Isi berita di sini.\\nIsi kedua berita.')
    """
    given = given or {}
    kept, removals = _apply_rules(lines, rules)
    # Collapse runs of blank lines and trim blank lines at both ends.
    tidy: list[tuple[int, str]] = []
    for line_no, line in kept:
        if not line and (not tidy or not tidy[-1][1]):
            continue
        tidy.append((line_no, line))
    while tidy and not tidy[-1][1]:
        tidy.pop()
    head = [i for i, (_, line) in enumerate(tidy) if line][:_HEAD_LINES]
    dateline_at, dateline = None, {"outlet": "", "place": ""}
    for i in head:
        found = extract_dateline(tidy[i][1], rules)
        if found["rule"]:
            dateline_at, dateline = i, found
            break
    title_at = None
    if dateline_at is not None:
        before = [i for i in head if i < dateline_at and _title_like(tidy[i][1])]
        title_at = before[0] if before else None
    elif len(head) > 1 and _title_like(tidy[head[0]][1]):
        title_at = head[0]
    title = ""
    if title_at is not None:
        line_no, title = tidy[title_at]
        title = title.strip()
        if not given.get("title") or " ".join(given["title"].split()) == " ".join(title.split()):
            removals.append({"rule": "title", "category": "metadata", "block": 0, "line_no": line_no, "text": title})
            del tidy[title_at]
            while tidy and not tidy[0][1]:
                tidy.pop(0)
    starts, nos, pieces, pos = [], [], [], 0
    for line_no, line in tidy:
        starts.append(pos)
        nos.append(line_no)
        pieces.append(line)
        pos += len(line) + 1
    text = "\n".join(pieces)
    found_date, precision = "", ""
    for line in pieces[:_DATE_LINES]:
        if line:
            found_date, precision = extract_date(line, rules)
            if found_date:
                break
    if given.get("date"):
        found_date, precision = _given_date(given["date"])
    removals.sort(key=lambda r: r["line_no"])
    return CleanArticle(
        text=text, line_starts=starts, line_nos=nos,
        title=given.get("title") or title,
        outlet=given.get("outlet") or dateline["outlet"],
        place=given.get("place") or dateline["place"],
        date=found_date, date_precision=precision, removals=removals,
    )


# --------------------------------------------------------------------------- segmentation


@lru_cache(maxsize=8)
def _sentence_tokenizer(abbreviations: tuple[str, ...]):
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    # Untrained Punkt with the language's abbreviations: no model download.
    params = PunktParameters()
    params.abbrev_types = set(abbreviations)
    return PunktSentenceTokenizer(params)


def segment_text(text: str, unit: str = "paragraph", *, abbreviations: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` character spans of the units of a cleaned text.

    ``article`` gives one span; ``paragraph`` splits at blank lines when the
    text separates paragraphs with blank lines, else at every line break
    (scraped news puts one paragraph per line); ``sentence`` splits each
    paragraph with an untrained Punkt splitter that knows ``abbreviations``.
    Spans never include surrounding whitespace.

    Examples
    --------
    >>> segment_text("Satu dua.\\nTiga empat.", "paragraph")
    [(0, 9), (10, 21)]
    >>> segment_text("Satu dua. Tiga empat.", "sentence")
    [(0, 9), (10, 21)]
    """
    if unit not in UNITS:
        raise AnalysisError(f"unit {unit!r} is not one of {', '.join(UNITS)}", path="unit")
    if not text.strip():
        return []
    if unit == "article":
        start = len(text) - len(text.lstrip())
        return [(start, len(text.rstrip()))]
    spans = []
    blank_separated = text.count("\n\n")
    single = sum(1 for m in re.finditer(r"[^\n]\n[^\n]", text))
    separator = re.compile(r"\n\s*\n") if blank_separated and blank_separated >= single else re.compile(r"\n")
    pos = 0
    for match in itertools.chain(separator.finditer(text), [None]):
        end = match.start() if match else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + len(chunk.rstrip())))
        pos = match.end() if match else end
    if unit == "paragraph":
        return spans
    tokenizer = _sentence_tokenizer(tuple(abbreviations))
    out = []
    for start, end in spans:
        out += [(start + s, start + e) for s, e in tokenizer.span_tokenize(text[start:end])]
    return out


# --------------------------------------------------------------------------- duplicates


def _normalised_sha256(text: str, chunk: int = 1 << 20) -> str:
    # Case- and whitespace-insensitive hash, computed in chunks cut at
    # whitespace so a huge article is never copied whole.
    digest = hashlib.sha256()
    text = text.strip()
    pos = 0
    while pos < len(text):
        end = len(text) if pos + chunk >= len(text) else _next_space(text, pos + chunk)
        digest.update(_SPACES.sub(" ", text[pos:end].casefold()).encode("utf-8"))
        pos = end
    return digest.hexdigest()


def _next_space(text: str, start: int) -> int:
    # The start of the next whitespace run after a word, never inside a run.
    match = _WORD_END.search(text, start)
    return match.start() + 1 if match else len(text)


class _Duplicates:
    """Exact (normalised text) and near (MinHash LSH) duplicate finder, in reading order."""

    def __init__(self, threshold: float, seed: int):
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.seed = seed
        self.exact: dict[str, str] = {}
        self.lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
        self.signatures: dict[str, object] = {}

    def check(self, article_id: str, text: str) -> str:
        from datasketch import MinHash

        key = _normalised_sha256(text)
        if key in self.exact:
            return self.exact[key]
        self.exact[key] = article_id
        words = [m.group(0).casefold() for m in itertools.islice(_WORD.finditer(text), _MAX_SIGNATURE_WORDS)]
        k = min(_SHINGLE_WORDS, len(words)) or 1
        shingles = {" ".join(words[i:i + k]).encode("utf-8") for i in range(max(len(words) - k + 1, 1))}
        signature = MinHash(num_perm=_NUM_PERM, seed=self.seed)
        signature.update_batch(list(shingles))
        matches = sorted(c for c in self.lsh.query(signature) if self.signatures[c].jaccard(signature) >= self.threshold)
        if matches:
            return matches[0]
        self.lsh.insert(article_id, signature)
        self.signatures[article_id] = signature
        return ""


# --------------------------------------------------------------------------- writing


class _Sink:
    """Batched Parquet writer to a temporary file."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = path
        self.schema = schema
        self.rows: list[dict] = []
        self.chars = 0
        # No dictionary for the free-text column: it never repeats, and a
        # dictionary page for one huge article costs memory for nothing.
        self.writer = pq.ParquetWriter(path, schema, use_dictionary=[n for n in schema.names if n != "text"])
        self.n = 0

    def add(self, row: dict, text_chars: int = 0):
        self.rows.append(row)
        self.chars += text_chars
        self.n += 1
        if len(self.rows) >= _BATCH_ROWS or self.chars >= _BATCH_TEXT_CHARS:
            self.flush()

    def flush(self):
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows, self.chars = [], 0

    def close(self):
        self.flush()
        self.writer.close()


def _sort_parquet(path: Path, keys: list[tuple[str, str]]) -> None:
    # Only needed when table ids arrive out of order; reads the table once.
    table = pq.read_table(path).sort_by(keys)
    pq.write_table(table, path)


@dataclass(frozen=True)
class CorpusSummary:
    """What :func:`build_corpus` did: key counts and where its outputs are."""

    source: Path
    out_dir: Path
    unit: str
    n_files: int
    n_bytes: int
    n_articles: int
    n_units: int
    n_removed_lines: int
    n_short_units: int
    n_duplicates: int
    encodings: dict
    languages: dict
    missing: dict
    skipped: tuple = ()

    @property
    def mixed_languages(self) -> bool:
        """True when the articles are in more than one language."""
        return len(self.languages) > 1

    @property
    def articles_path(self) -> Path:
        return self.out_dir / "articles.parquet"

    @property
    def units_path(self) -> Path:
        return self.out_dir / "units.parquet"

    @property
    def cleaning_log_path(self) -> Path:
        return self.out_dir / "cleaning_log.parquet"

    @property
    def manifest_path(self) -> Path:
        return self.out_dir / "corpus_manifest.json"

    def articles(self) -> pd.DataFrame:
        """Return the articles table."""
        return pd.read_parquet(self.articles_path)

    def units(self) -> pd.DataFrame:
        """Return the units table."""
        return pd.read_parquet(self.units_path)

    def cleaning_log(self) -> pd.DataFrame:
        """Return the cleaning log."""
        return pd.read_parquet(self.cleaning_log_path)

    def manifest(self) -> dict:
        """Return the corpus manifest."""
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))


def _detect_language(lines: list[str]) -> str:
    lang, _ = _identifier().classify(" ".join(lines)[:_LANGID_CHARS])
    return lang


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["id", "en"])  # the languages with shipped rules
    return identifier


def _relative(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def build_corpus(source: Path, out_dir: Path, *, unit: str = "paragraph", language: str = "id",
                 drop_duplicates: bool = False, near_duplicate_threshold: float = 0.8,
                 min_unit_words: int = 5, extra_rules: Path | None = None, seed: int = 0) -> CorpusSummary:
    """Read, clean, describe and segment a raw corpus; write its tables into ``out_dir``.

    Parameters
    ----------
    source : Path
        A folder of ``.txt`` files, or a ``.csv`` / ``.jsonl`` / ``.parquet`` file.
    out_dir : Path
        Where to write ``articles.parquet``, ``units.parquet``,
        ``cleaning_log.parquet`` and ``corpus_manifest.json`` (a run's ``paths.data``).
    unit : {"paragraph", "article", "sentence"}
        The analysis unit. Paragraphs by default: a handful of articles is too
        few documents for a topic model.
    language : {"id", "en", "auto"}
        Which rules to apply; ``auto`` detects id/en per article (py3langid).
    drop_duplicates : bool
        Leave the units of exact and near duplicates out (their article rows
        stay, with ``duplicate_of`` set and ``n_units`` 0).
    near_duplicate_threshold : float
        Estimated Jaccard similarity of word 5-grams above which two articles
        are near duplicates (MinHash LSH).
    min_unit_words : int
        Units with fewer words are dropped and logged (photo credits, section numbers).
    extra_rules : Path, optional
        A YAML of user rules (same schema as ``resources/cleaning/*.yaml``).
    seed : int
        Seed of the MinHash permutations.

    Returns
    -------
    CorpusSummary

    Examples
    --------
    >>> import tempfile
    >>> src, out = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> _ = (src / "a.txt").write_text("TEMPO.CO, Jakarta - Rusia dan Korea Utara bertemu hari ini.", encoding="utf-8")
    >>> build_corpus(src, out).n_units
    1
    """
    source, out_dir = Path(source), Path(out_dir)
    if unit not in UNITS:
        raise AnalysisError(f"must be one of {', '.join(UNITS)}, got {unit!r}", path="unit")
    if not (isinstance(min_unit_words, int) and min_unit_words >= 0):
        raise AnalysisError(f"must be a non-negative integer, got {min_unit_words!r}", path="min_unit_words")
    if not (isinstance(near_duplicate_threshold, (int, float)) and 0 < near_duplicate_threshold <= 1):
        raise AnalysisError(f"must be in (0, 1], got {near_duplicate_threshold!r}", path="near_duplicate_threshold")
    if not isinstance(seed, int):
        raise AnalysisError(f"must be an integer, got {seed!r}", path="seed")
    if language != "auto":
        base_rules = load_rules(language, extra_rules)
    else:
        base_rules = load_rules("id", extra_rules)
    out_dir.mkdir(parents=True, exist_ok=True)
    finals = {name: out_dir / name for name in ("articles.parquet", "units.parquet", "cleaning_log.parquet", "corpus_manifest.json")}
    temps = {name: out_dir / f".{name}.tmp" for name in finals}
    skipped: list[tuple[str, str]] = []
    manifest_files: list[dict] = []
    sinks: dict[str, _Sink] = {}
    counts = Counter()
    encodings, languages, missing = Counter(), Counter(), Counter({f: 0 for f in ("title", "outlet", "place", "date")})
    duplicates = _Duplicates(float(near_duplicate_threshold), seed)
    letter = _UNIT_LETTER[unit]
    in_order, previous = True, None
    try:
        sinks = {"articles.parquet": _Sink(temps["articles.parquet"], _ARTICLES_SCHEMA),
                 "units.parquet": _Sink(temps["units.parquet"], _UNITS_SCHEMA),
                 "cleaning_log.parquet": _Sink(temps["cleaning_log.parquet"], _LOG_SCHEMA)}
        for doc in iter_documents(source, legacy_encodings=base_rules.legacy_encodings, skipped=skipped, manifest_files=manifest_files):
            lines: Iterable[str] = doc.lines
            doc_language = doc.meta.get("language") or language
            if doc_language == "auto":
                lines = iter(lines)
                opening = list(itertools.islice(lines, 50))
                doc_language = _detect_language(opening)
                lines = itertools.chain(opening, lines)
            try:
                rules = load_rules(doc_language, extra_rules)
            except AnalysisError as exc:
                raise AnalysisError(f"article {doc.article_id}: {exc}", path=doc.source) from None
            article = clean_article(lines, rules, given=doc.meta)
            if not article.text.strip():
                logger.warning("%s: article %s skipped, no text left after cleaning", doc.source, doc.article_id)
                skipped.append((doc.source if doc.source.endswith(".txt") else f"{doc.source}#{doc.article_id}", "no text left after cleaning"))
                continue
            if previous is not None and doc.article_id < previous:
                in_order = False
            previous = doc.article_id
            duplicate_of = duplicates.check(doc.article_id, article.text)
            spans = segment_text(article.text, unit, abbreviations=rules.abbreviations)
            position = 0
            log_rows = list(article.removals)
            if not (drop_duplicates and duplicate_of):
                for start, end in spans:
                    piece = article.text[start:end]
                    if count_words(piece) < min_unit_words:
                        line_no = article.line_nos[bisect_right(article.line_starts, start) - 1]
                        log_rows.append({"rule": "min_unit_words", "category": "short unit", "block": 0, "line_no": line_no, "text": piece})
                        counts["short_units"] += 1
                        continue
                    sinks["units.parquet"].add({"unit_id": f"{doc.article_id}-{letter}{position:03d}", "article_id": doc.article_id,
                                                "position": position, "start": start, "end": end, "text": piece}, len(piece))
                    position += 1
            log_rows.sort(key=lambda r: r["line_no"])
            for row in log_rows:
                sinks["cleaning_log.parquet"].add({"article_id": doc.article_id, **row}, len(row["text"]))
            n_removals = article.n_removals
            counts["removed_lines"] += n_removals
            counts["duplicates"] += bool(duplicate_of)
            encodings[doc.encoding] += 1
            languages[doc_language] += 1
            for name in missing:
                missing[name] += not getattr(article, name)
            sinks["articles.parquet"].add({
                "article_id": doc.article_id, "source": doc.source, "sha256": doc.sha256, "encoding": doc.encoding,
                "title": article.title, "outlet": article.outlet, "place": article.place, "date": article.date,
                "date_precision": article.date_precision, "url": doc.meta.get("url", ""), "language": doc_language,
                "n_words": count_words(article.text), "n_units": position, "n_removals": n_removals,
                "duplicate_of": duplicate_of, "text": article.text}, len(article.text))
            counts["articles"] += 1
            counts["units"] += position
            counts["bytes"] += doc.n_bytes
        for sink in sinks.values():
            sink.close()
        if counts["articles"] == 0:
            reasons = "; ".join(f"{name}: {why}" for name, why in skipped[:3])
            raise AnalysisError(f"empty corpus: no article text to analyse ({reasons or 'nothing read'})", path=source)
        if counts["units"] == 0:
            raise AnalysisError(f"every unit has fewer than {min_unit_words} words; lower it", path="min_unit_words")
        if not in_order:
            _sort_parquet(temps["articles.parquet"], [("article_id", "ascending")])
            _sort_parquet(temps["units.parquet"], [("article_id", "ascending"), ("position", "ascending")])
            _sort_parquet(temps["cleaning_log.parquet"], [("article_id", "ascending"), ("line_no", "ascending")])
        manifest = {
            "source": _relative(source),
            "files": manifest_files,
            "skipped": [{"name": n, "reason": r} for n, r in skipped],
            "counts": {"files": len(manifest_files), "bytes": sum(f["bytes"] for f in manifest_files),
                       "articles": counts["articles"], "units": counts["units"],
                       "removed_lines": counts["removed_lines"], "short_units": counts["short_units"],
                       "duplicates": counts["duplicates"], "skipped": len(skipped)},
            "encodings": dict(sorted(encodings.items())),
            "languages": dict(sorted(languages.items())),
            "missing": dict(missing),
            "parameters": {"unit": unit, "language": language, "drop_duplicates": drop_duplicates,
                           "near_duplicate_threshold": near_duplicate_threshold, "min_unit_words": min_unit_words,
                           "extra_rules": _relative(extra_rules) if extra_rules else None, "seed": seed},
            "rules": [_relative(Path(p)) for p in base_rules.sources],
        }
        temps["corpus_manifest.json"].write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for name, tmp in temps.items():
            tmp.replace(finals[name])
    finally:
        for sink in sinks.values():
            try:
                sink.writer.close()
            except Exception:  # already closed, or failing on its own error
                pass
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    if len(languages) > 1:
        logger.warning("%s: the corpus mixes languages %s", source, dict(languages))
    return CorpusSummary(
        source=source, out_dir=out_dir, unit=unit, n_files=len(manifest_files),
        n_bytes=sum(f["bytes"] for f in manifest_files), n_articles=counts["articles"], n_units=counts["units"],
        n_removed_lines=counts["removed_lines"], n_short_units=counts["short_units"], n_duplicates=counts["duplicates"],
        encodings=dict(sorted(encodings.items())), languages=dict(sorted(languages.items())), missing=dict(missing),
        skipped=tuple(skipped),
    )


# --------------------------------------------------------------------------- tables for the notebook


def resolve_language(language: str, articles: pd.DataFrame | None, supported: Iterable[str]) -> str:
    """Return the one language a later stage works in.

    A run built with ``language="auto"`` detects the language per article; the
    text, framing and validation stages then need one language whose resources
    (stopwords, aliases, codebook indicators) they use. ``"auto"`` picks the
    most frequent article language among ``supported`` (ties: alphabetical),
    else ``"en"`` if supported, else the first supported language. Any other
    value must be in ``supported``.

    Examples
    --------
    >>> resolve_language("auto", pd.DataFrame({"language": ["id", "id", "en"]}), ("id", "en"))
    'id'
    >>> resolve_language("en", None, ("id", "en"))
    'en'
    """
    have = tuple(supported)
    if language != "auto":
        if language not in have:
            raise AnalysisError(f"language {language!r} is not supported here (supported: {', '.join(have)}, auto)",
                                path="language")
        return language
    if articles is not None and "language" in articles.columns:
        counts = articles["language"].astype("string").str.lower().str[:2].value_counts()
        ranked = sorted((-n, lang) for lang, n in counts.items() if lang in have)
        if ranked:
            return ranked[0][1]
    return "en" if "en" in have else have[0]


def inputs_table(manifest: dict) -> pd.DataFrame:
    """Return what came in: one row per raw file with bytes, encoding, status and short sha256."""
    rows = [{"file": f["name"], "bytes": f["bytes"], "encoding": f["encoding"] or "-", "status": f["status"],
             "sha256": f["sha256"][:12]} for f in manifest.get("files", [])]
    return pd.DataFrame(rows, columns=["file", "bytes", "encoding", "status", "sha256"])


def cleaning_summary(log: pd.DataFrame) -> pd.DataFrame:
    """Return removals per rule: category, blocks (removal events), lines and articles affected.

    Examples
    --------
    >>> log = pd.DataFrame({"article_id": ["a", "a"], "rule": ["baca_juga"] * 2, "category": ["related link"] * 2,
    ...                     "block": [1, 1], "line_no": [3, 4], "text": ["Baca Juga:", "Judul"]})
    >>> cleaning_summary(log)[["rule", "blocks", "lines"]].values.tolist()
    [['baca_juga', 1, 2]]
    """
    columns = ["rule", "category", "blocks", "lines", "articles"]
    if log.empty:
        return pd.DataFrame(columns=columns)
    keyed = log.assign(event=log["article_id"] + "#" + log["block"].astype(str) + "#" + log["line_no"].astype(str).where(log["block"] == 0, ""))
    out = keyed.groupby(["rule", "category"], as_index=False).agg(
        blocks=("event", "nunique"), lines=("line_no", "size"), articles=("article_id", "nunique"))
    return out.sort_values(["blocks", "rule"], ascending=[False, True], ignore_index=True)[columns]


def describe_cleaning(summary: pd.DataFrame) -> str:
    """Return one sentence saying what was removed, from :func:`cleaning_summary`.

    Boilerplate rules are listed by number of blocks; headlines moved to the
    ``title`` field and units dropped for being short are said separately.

    Examples
    --------
    >>> s = pd.DataFrame({"rule": ["baca_juga", "min_unit_words"], "category": ["related link", "short unit"],
    ...                   "blocks": [7, 2], "lines": [9, 2], "articles": [2, 1]})
    >>> describe_cleaning(s)
    "Removed 9 boilerplate lines in 7 blocks: 7 'baca_juga' blocks (related link, 9 lines). Dropped 2 units below the minimum length."
    """

    def plural(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"

    if summary.empty:
        return "No lines were removed."
    boiler = summary[~summary["category"].isin(_NOT_BOILERPLATE)]
    sentences = []
    if len(boiler):
        parts = [f"{r.blocks} '{r.rule}' block{'' if r.blocks == 1 else 's'} ({r.category}, {plural(r.lines, 'line')})"
                 for r in boiler.itertuples()]
        sentences.append(f"Removed {plural(int(boiler['lines'].sum()), 'boilerplate line')} in "
                         f"{plural(int(boiler['blocks'].sum()), 'block')}: " + ", ".join(parts) + ".")
    titles = int(summary.loc[summary["category"] == "metadata", "lines"].sum())
    if titles:
        sentences.append(f"Moved {plural(titles, 'headline')} from the text to the title field.")
    short = int(summary.loc[summary["category"] == "short unit", "lines"].sum())
    if short:
        sentences.append(f"Dropped {plural(short, 'unit')} below the minimum length.")
    return " ".join(sentences) or "No lines were removed."


def removal_examples(log: pd.DataFrame, *, width: int = 80) -> pd.DataFrame:
    """Return one removed line per cleaning rule (its first), whitespace folded and cut to ``width`` characters.

    The table lets a reader check by eye that each rule removed what it should.

    Examples
    --------
    >>> log = pd.DataFrame({"rule": ["b", "a", "b"], "article_id": ["x", "y", "z"], "line_no": [3, 1, 9],
    ...                     "text": ["Baca  juga:\tRusia", "Foto/AP", "later"]})
    >>> removal_examples(log, width=8).values.tolist()
    [['a', 'y', 1, 'Foto/AP'], ['b', 'x', 3, 'Baca jug']]
    """
    columns = ["rule", "article_id", "line_no", "text"]
    if log.empty:
        return pd.DataFrame(columns=columns)
    examples = log.groupby("rule", as_index=False, sort=True).first()[columns]
    examples["text"] = examples["text"].map(lambda t: " ".join(str(t).split())[:width])
    return examples


def duplicates_table(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the articles that repeat an earlier one: id, the article repeated, outlet, words."""
    return articles.loc[articles["duplicate_of"].fillna("") != "",
                        ["article_id", "duplicate_of", "outlet", "n_words"]].reset_index(drop=True)


def describe_duplicates(articles: pd.DataFrame, manifest: dict) -> str:
    """Return one sentence on duplicates, with the threshold and policy the corpus stage used.

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["x", "y"], "duplicate_of": ["", "x"], "outlet": ["", ""], "n_words": [9, 9]})
    >>> describe_duplicates(a, {"parameters": {"near_duplicate_threshold": 0.8, "drop_duplicates": True}})
    '1 article is an exact or near duplicate (MinHash over word 5-grams, estimated Jaccard similarity ≥ 0.8); its units were left out.'
    """
    params = manifest.get("parameters", {})
    n = len(duplicates_table(articles))
    dropped = "; their units were left out" if n > 1 else "; its units were left out"
    return (f"{n} article{' is an exact or near duplicate' if n == 1 else 's are exact or near duplicates'} "
            f"(MinHash over word {_SHINGLE_WORDS}-grams, estimated Jaccard similarity ≥ {params.get('near_duplicate_threshold')})"
            f"{dropped if n and params.get('drop_duplicates') else ''}.")


def articles_overview(articles: pd.DataFrame, *, snippet_width: int = 120) -> pd.DataFrame:
    """Return the published articles table: metadata and counts, a short snippet, never full text."""
    cols = ["article_id", "outlet", "place", "date", "date_precision", "title", "language", "encoding",
            "n_words", "n_units", "n_removals", "duplicate_of"]
    out = articles[cols].copy()
    out["snippet"] = articles["text"].map(lambda t: outputs.snippet(t, width=snippet_width))
    return out.sort_values("article_id", ignore_index=True)


def missing_metadata(articles: pd.DataFrame) -> pd.DataFrame:
    """Return, for each extracted field, how many articles have it and how many do not."""
    rows = []
    for name in ("title", "outlet", "place", "date", "url"):
        found = int((articles[name].fillna("") != "").sum())
        rows.append({"field": name, "found": found, "missing": len(articles) - found})
    return pd.DataFrame(rows)
