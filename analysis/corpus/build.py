"""Build: the corpus stage (raw corpus in, every file of the stage out) and the tables that describe it.

:func:`build_corpus` reads a raw corpus (:mod:`~analysis.corpus.readers`),
cleans each article (:mod:`~analysis.corpus.cleaning`), marks duplicates
(:mod:`~analysis.corpus.duplicates`), cuts the units
(:mod:`~analysis.corpus.segmentation`) and writes, through the registry
(:mod:`analysis.registry`):

* ``articles``: one row per article with its metadata, its wire and
  translation credits (:mod:`~analysis.corpus.credits`) and cleaned text (internal);
* ``units``: the analysis units, each with its article id, position, type
  (headline, lead, subheading, body, list item) and character offsets into
  the cleaned text (internal);
* ``cleaning_log``: every removal: rule, article, raw line, text (internal);
* ``corpus_manifest``: the source, the sha256 of every raw file, counts and
  the parameters used;
* ``articles_overview`` and ``cleaning_summary``: the published tables.

Rules this module keeps:

* Writing streams (pyarrow ``ParquetWriter`` in batches), as reading does,
  so a large corpus is never held whole.
* The per-article work (cleaning, credits, segmentation, duplicate
  fingerprints) runs in chunks of articles through :func:`analysis.workers.pool`
  (all cores beyond 2,000 articles, the rule of the text stage's ``n_jobs = 0``);
  the duplicate check runs here in reading order, so the tables do not depend
  on where the chunks ran.
* The data files are written under temporary names and moved into place only
  when the whole build succeeded, so a failure never destroys earlier outputs.
* The parameters are a :class:`CorpusParams`: its defaults and allowed values
  are notebook 01's parameters cell (:mod:`analysis.parameters`).
* The functions after :func:`build_corpus` turn the stage's tables into what
  notebook 01 shows; each returns a table or one sentence.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .. import outputs, progress, registry, workers
from ..errors import AnalysisError
from ..files import read_text
from ..parameters import check_values, notebook_default
from ..paths import ROOT
from ..registry import RunPaths
from .cleaning import NOT_BOILERPLATE, CleanArticle, clean_article
from .credits import Credits, CreditRules, extract_credits, load_credit_rules
from .duplicates import NEAR_DUPLICATE_THRESHOLD, SHINGLE_WORDS, DuplicateFinder, fingerprint
from .readers import Document, iter_documents
from .rules import Ruleset, detect_language, load_rules
from .segmentation import STRUCTURAL_TYPES, count_words, segment_article, unit_id

logger = logging.getLogger(__name__)

# The streamed tables, and the order their rows are sorted into when a table
# corpus gives its ids out of order.
_TABLES = {"articles": [("article_id", "ascending")],
           "units": [("article_id", "ascending"), ("position", "ascending")],
           "cleaning_log": [("article_id", "ascending"), ("line_no", "ascending")]}
_BATCH_ROWS = 5000
_BATCH_TEXT_CHARS = 16 << 20
# The articles one chunk of work holds: enough to pay for sending them to a
# worker, few enough that a handful of chunks in flight stay small.
_CHUNK_ARTICLES = 200
_CHUNK_CHARS = 4 << 20
# Language detection ("auto") reads the opening lines of an article only.
_LANGID_LINES = 50
_MISSING_FIELDS = ("title", "outlet", "place", "date")
# The cleaning log's columns that the cleaning summary counts (not the removed text).
_LOG_KEYS = ("article_id", "rule", "category", "block", "line_no")
_OVERVIEW_COLUMNS = ("article_id", "outlet", "place", "date", "date_precision", "title", "language", "encoding",
                     "wire_source", "translated_from", "n_words", "n_units", "n_removals", "duplicate_of")
SNIPPET_WIDTH = 120


# --------------------------------------------------------------------------- parameters and result


@dataclass(frozen=True)
class CorpusParams:
    """Parameters of the corpus stage; defaults and allowed values come from notebook 01's parameters cell.

    Parameters
    ----------
    unit : {"paragraph", "article", "sentence"}
        The analysis unit. Paragraphs by default: a handful of articles is too
        few documents for a topic model.
    language : {"id", "en", "auto"}
        Which rules to apply; ``auto`` detects id/en per article (py3langid).
    drop_duplicates : bool
        Leave the units of exact and near duplicates out (their article rows
        stay, with ``duplicate_of`` set and ``n_units`` 0).
    min_unit_words : int
        Lead and body units with fewer words are dropped and logged (photo
        credits, reporter initials); headlines, subheadings and list items are
        kept whatever their length.
    extra_rules : str
        A YAML of user rules (same schema as ``resources/cleaning/*.yaml``);
        empty for the shipped rules only.
    seed : int
        Seed of the MinHash permutations.

    Examples
    --------
    >>> CorpusParams().unit, CorpusParams(seed=3).seed
    ('paragraph', 3)
    >>> CorpusParams(min_unit_words=-1)
    Traceback (most recent call last):
    ...
    analysis.errors.AnalysisError: parameters: parameter 'min_unit_words' must be between 0 and 10000, got -1
    """

    unit: str = notebook_default("unit")
    language: str = notebook_default("language")
    drop_duplicates: bool = notebook_default("drop_duplicates")
    min_unit_words: int = notebook_default("min_unit_words")
    extra_rules: str = notebook_default("extra_rules")
    seed: int = notebook_default("seed")

    def __post_init__(self):
        if self.extra_rules is None or isinstance(self.extra_rules, Path):
            object.__setattr__(self, "extra_rules", str(self.extra_rules or ""))
        check_values(self)


@dataclass(frozen=True)
class CorpusSummary:
    """What :func:`build_corpus` did: key counts, and the stage's tables read back through the registry."""

    source: Path
    paths: RunPaths
    params: CorpusParams
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
    def unit(self) -> str:
        return self.params.unit

    @property
    def mixed_languages(self) -> bool:
        """True when the articles are in more than one language."""
        return len(self.languages) > 1

    def articles(self) -> pd.DataFrame:
        """Return the articles table (with full text)."""
        return registry.read(self.paths, "articles")

    def units(self) -> pd.DataFrame:
        """Return the units table."""
        return registry.read(self.paths, "units")

    def cleaning_log(self) -> pd.DataFrame:
        """Return the cleaning log."""
        return registry.read(self.paths, "cleaning_log")

    def articles_overview(self) -> pd.DataFrame:
        """Return the published articles table (metadata, counts, snippets)."""
        return registry.read(self.paths, "articles_overview")

    def cleaning_summary(self) -> pd.DataFrame:
        """Return the published removals per rule."""
        return registry.read(self.paths, "cleaning_summary")

    def manifest(self) -> dict:
        """Return the corpus manifest."""
        return json.loads(read_text(self.paths.file("corpus_manifest"), what="corpus manifest"))


# --------------------------------------------------------------------------- the stage


def build_corpus(source: Path, out: RunPaths | Path, params: CorpusParams | None = None, **fields) -> CorpusSummary:
    """Read, clean, describe and segment a raw corpus; write every table and file of the corpus stage.

    Parameters
    ----------
    source : Path
        A folder of ``.txt`` files, or a ``.csv`` / ``.jsonl`` / ``.parquet`` file.
    out : RunPaths or Path
        A run (the files go where :mod:`analysis.registry` places them), or a
        plain folder that then holds every file side by side (benchmarks,
        tools that want the tables without a run).
    params : CorpusParams, optional
        The stage's parameters (default: notebook 01's defaults). Keyword
        arguments set single fields: ``build_corpus(src, out, seed=3)``.

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
    >>> build_corpus(src, RunPaths(out / "run"), CorpusParams(unit="article")).articles()["n_units"].tolist()
    [1]
    """
    paths = out if isinstance(out, RunPaths) else _Folder(Path(out))
    params = CorpusParams(**fields) if params is None else dataclasses.replace(params, **fields)
    source = Path(source)
    base_rules = load_rules("id" if params.language == "auto" else params.language, params.extra_rules)
    tally = _Tally()
    with _StagedFiles(paths) as staged:
        _read_corpus(source, params, base_rules, staged, tally)
        staged.close_tables()
        _check_not_empty(source, params, tally)
        if not tally.in_order:
            staged.sort_tables()
        manifest = _manifest(source, params, base_rules, tally)
        staged.commit(manifest)
    _write_published(paths, tally.overview)
    if len(tally.languages) > 1:
        logger.warning("%s: the corpus mixes languages %s", source, dict(tally.languages))
    counts = manifest["counts"]
    return CorpusSummary(
        source=source, paths=paths, params=params, n_files=counts["files"], n_bytes=counts["bytes"],
        n_articles=counts["articles"], n_units=counts["units"], n_removed_lines=counts["removed_lines"],
        n_short_units=counts["short_units"], n_duplicates=counts["duplicates"], encodings=manifest["encodings"],
        languages=manifest["languages"], missing=manifest["missing"], skipped=tuple(tally.skipped))


@dataclass
class _Tally:
    """What the stage counts while it streams: files, skips, articles, units, encodings, languages, gaps."""

    files: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    encodings: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    missing: Counter = field(default_factory=lambda: Counter({f: 0 for f in _MISSING_FIELDS}))
    overview: list = field(default_factory=list)
    in_order: bool = True
    last_id: str | None = None

    def add(self, article: "_Prepared", row: dict, n_short: int) -> None:
        if self.last_id is not None and article.article_id < self.last_id:
            self.in_order = False
        self.last_id = article.article_id
        self.counts["articles"] += 1
        self.counts["units"] += row["n_units"]
        self.counts["short_units"] += n_short
        self.counts["removed_lines"] += row["n_removals"]
        self.counts["duplicates"] += bool(row["duplicate_of"])
        self.encodings[article.encoding] += 1
        self.languages[row["language"]] += 1
        for name in self.missing:
            self.missing[name] += article.missing[name]
        self.overview.append(_overview_row(row))


# --------------------------------------------------------------------------- reading, in chunks
#
# Cleaning, credits, segmentation and the duplicate fingerprints of an
# article need nothing of any other article, so they run on chunks of
# articles through :func:`analysis.workers.pool` (here, in local processes or
# on a Dask cluster). Only the duplicate check needs the articles before it:
# it runs here, in reading order, on the fingerprints the chunks computed, so
# the tables are the same whatever ran the chunks.


@dataclass
class _Prepared:
    """One article as a chunk returns it: its row (without duplicate_of and n_units), units, removals, fingerprint."""

    article_id: str
    source: str
    encoding: str
    row: dict | None = None  # None: no text left after cleaning
    units: list = field(default_factory=list)
    short: list = field(default_factory=list)
    removals: list = field(default_factory=list)
    missing: dict = field(default_factory=dict)
    fingerprint: tuple | None = None


def _read_corpus(source: Path, params: CorpusParams, base_rules: Ruleset, staged: "_StagedFiles",
                 tally: _Tally) -> None:
    """Stream every document of ``source`` through cleaning, duplicates and segmentation into the staged tables."""
    duplicates = DuplicateFinder(NEAR_DUPLICATE_THRESHOLD, params.seed)
    docs = iter_documents(source, legacy_encodings=base_rules.legacy_encodings, skipped=tally.skipped,
                          manifest_files=tally.files)
    total = _count_articles(source)
    prepare = functools.partial(_prepare_chunk, params=params)
    with workers.pool(_n_jobs(total)) as pool:
        for articles in pool.map(prepare, _doc_chunks(docs)):
            for article in articles:
                _add_article(article, duplicates, staged, tally, params)
            progress.tick("corpus", "articles read", tally.counts["articles"], total, step=len(articles))


def _n_jobs(n_articles: int) -> int:
    # The rule of the text stage's n_jobs = 0: all cores beyond 2,000 articles
    # (starting worker processes costs more than it saves on a small corpus).
    return (os.cpu_count() or 1) if n_articles > 2_000 else 1


def _count_articles(source: Path) -> int:
    """Return how many articles ``source`` holds at most (files, table rows or lines), without reading their text.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Teks.", encoding="utf-8")
    >>> _count_articles(folder)
    1
    """
    source = Path(source)
    if source.is_dir():
        return sum(1 for p in source.iterdir() if p.suffix.lower() == ".txt")
    suffix = source.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(source).metadata.num_rows
        if suffix in (".csv", ".jsonl"):
            with source.open("rb") as fh:
                return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except Exception:  # an unreadable file is reported by the reader, with its own message
        return 0
    return 1


def _doc_chunks(docs: Iterable[Document]) -> Iterator[list[Document]]:
    """The documents in chunks of at most _CHUNK_ARTICLES articles or _CHUNK_CHARS characters, lines read."""
    chunk, chars = [], 0
    for doc in docs:
        doc = dataclasses.replace(doc, lines=list(doc.lines))
        chunk.append(doc)
        chars += sum(len(line) for line in doc.lines)
        if len(chunk) >= _CHUNK_ARTICLES or chars >= _CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _prepare_chunk(docs: list[Document], params: CorpusParams) -> list[_Prepared]:
    """Clean, credit, fingerprint and segment a chunk of articles (runs in a worker)."""
    credit_rules = load_credit_rules(params.extra_rules or None)
    return [_prepare_article(doc, params, credit_rules) for doc in docs]


def _prepare_article(doc: Document, params: CorpusParams, credit_rules: CreditRules) -> _Prepared:
    language, lines = _document_language(doc, params.language)
    rules = _document_rules(doc, language, params.extra_rules)
    article = clean_article(lines, rules, given=doc.meta)
    out = _Prepared(doc.article_id, doc.source, doc.encoding)
    if not article.text.strip():
        return out
    out.fingerprint = fingerprint(article.text, params.seed)
    out.units, out.short = _units(doc.article_id, article, rules, params)
    out.removals = article.removals
    out.missing = {name: not getattr(article, name) for name in _MISSING_FIELDS}
    out.row = _article_row(doc, article, language, 0, "", _credits(article, credit_rules))
    return out


def _add_article(article: _Prepared, duplicates: DuplicateFinder, staged: "_StagedFiles", tally: _Tally,
                 params: CorpusParams) -> None:
    """Check a prepared article for duplicates, in reading order, and write its rows."""
    if article.row is None:
        logger.warning("%s: article %s skipped, no text left after cleaning", article.source, article.article_id)
        name = article.source if article.source.endswith(".txt") else f"{article.source}#{article.article_id}"
        tally.skipped.append((name, "no text left after cleaning"))
        return
    duplicate_of = duplicates.check_fingerprint(article.article_id, *article.fingerprint)
    n_units, short = 0, []
    if not (params.drop_duplicates and duplicate_of):
        for unit in article.units:
            staged.add("units", unit, len(unit["text"]))
        n_units, short = len(article.units), article.short
    for removal in sorted(article.removals + short, key=lambda r: r["line_no"]):
        staged.add("cleaning_log", {"article_id": article.article_id, **removal}, len(removal["text"]))
    row = {**article.row, "n_units": n_units, "duplicate_of": duplicate_of}
    staged.add("articles", row, len(row["text"]))
    tally.add(article, row, len(short))


def _document_language(doc: Document, language: str) -> tuple[str, Iterable[str]]:
    """The article's language (given with it, the run's, or detected from its opening) and its lines, still streamed."""
    doc_language = doc.meta.get("language") or language
    if doc_language != "auto":
        return doc_language, doc.lines
    lines = iter(doc.lines)
    opening = list(itertools.islice(lines, _LANGID_LINES))
    return detect_language(opening), itertools.chain(opening, lines)


def _document_rules(doc: Document, language: str, extra_rules: str) -> Ruleset:
    try:
        return load_rules(language, extra_rules)
    except AnalysisError as exc:
        raise AnalysisError(f"article {doc.article_id}: {exc}", path=doc.source) from None


def _credits(article: CleanArticle, rules: CreditRules) -> Credits:
    return extract_credits(article.text, article.removals, article.dateline_outlet, rules, own_outlet=article.outlet)


def _units(article_id: str, article: CleanArticle, rules: Ruleset,
           params: CorpusParams) -> tuple[list[dict], list[dict]]:
    """Return an article's typed units, and the log entries of the units too short to keep.

    Only lead and body units are dropped for length: a headline, subheading
    or list item is short by nature and frames what follows, so it stays.
    """
    units, short = [], []
    lead_start = article.lead_start if article.lead_start >= 0 else None
    for start, end, kind in segment_article(article.text, params.unit, headline=article.headline,
                                            lead_start=lead_start, abbreviations=rules.abbreviations):
        piece = article.text[start:end]
        if kind not in STRUCTURAL_TYPES and count_words(piece) < params.min_unit_words:
            short.append({"rule": "min_unit_words", "category": "short unit", "block": 0,
                          "line_no": article.line_no_at(start), "text": piece})
            continue
        position = len(units)
        units.append({"unit_id": unit_id(article_id, params.unit, position), "article_id": article_id,
                      "position": position, "unit_type": kind, "start": start, "end": end, "text": piece})
    return units, short


def _article_row(doc: Document, article: CleanArticle, language: str, n_units: int, duplicate_of: str,
                 credits: Credits) -> dict:
    return {"article_id": doc.article_id, "source": doc.source, "sha256": doc.sha256, "encoding": doc.encoding,
            "title": article.title, "outlet": article.outlet, "place": article.place, "date": article.date,
            "date_precision": article.date_precision, "url": doc.meta.get("url", ""),
            "accessed": doc.meta.get("accessed", ""), "language": language,
            "wire_source": credits.wire_source, "translated_from": credits.translated_from, "credits": credits.credits,
            "n_words": count_words(article.text), "n_units": n_units, "n_removals": article.n_removals,
            "duplicate_of": duplicate_of, "text": article.text}


def _check_not_empty(source: Path, params: CorpusParams, tally: _Tally) -> None:
    if tally.counts["articles"] == 0:
        reasons = "; ".join(f"{name}: {why}" for name, why in tally.skipped[:3])
        raise AnalysisError(f"empty corpus: no article text to analyse ({reasons or 'nothing read'})", path=source)
    if tally.counts["units"] == 0:
        raise AnalysisError(f"every unit has fewer than {params.min_unit_words} words; lower it", path="min_unit_words")


def _manifest(source: Path, params: CorpusParams, rules: Ruleset, tally: _Tally) -> dict:
    counts, files = tally.counts, tally.files
    return {
        "source": _relative(source),
        "files": files,
        "skipped": [{"name": n, "reason": r} for n, r in tally.skipped],
        "counts": {"files": len(files), "bytes": sum(f["bytes"] for f in files),
                   "articles": counts["articles"], "units": counts["units"],
                   "removed_lines": counts["removed_lines"], "short_units": counts["short_units"],
                   "duplicates": counts["duplicates"], "skipped": len(tally.skipped)},
        "encodings": dict(sorted(tally.encodings.items())),
        "languages": dict(sorted(tally.languages.items())),
        "missing": dict(tally.missing),
        "parameters": {"unit": params.unit, "language": params.language, "drop_duplicates": params.drop_duplicates,
                       "near_duplicate_threshold": NEAR_DUPLICATE_THRESHOLD, "min_unit_words": params.min_unit_words,
                       "extra_rules": _relative(Path(params.extra_rules)) if params.extra_rules else None,
                       "seed": params.seed},
        "rules": [_relative(Path(p)) for p in rules.sources],
    }


def _write_published(paths: RunPaths, overview_rows: list[dict]) -> None:
    """Write the published tables: the articles without their text, and the removals per rule."""
    registry.write(paths, "articles_overview", _overview_frame(overview_rows))
    log = registry.read(paths, "cleaning_log", columns=_LOG_KEYS)
    registry.write(paths, "cleaning_summary", cleaning_summary(log))


def _relative(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- writing


class _Sink:
    """Batched Parquet writer of one registered table to a temporary file."""

    def __init__(self, path: Path, key: str):
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = registry.arrow_schema(key)
        # The free text as large_string: one scraped article can run to tens of
        # MB, and a batch of them must not hit the 2 GiB limit of a string column.
        self.schema = schema.set(schema.get_field_index("text"), pa.field("text", pa.large_string()))
        self.path = path
        self.rows: list[dict] = []
        self.chars = 0
        # No dictionary for the free-text column: it never repeats, and a
        # dictionary page for one huge article costs memory for nothing.
        self.writer = pq.ParquetWriter(path, self.schema, use_dictionary=[n for n in self.schema.names if n != "text"])
        self.closed = False

    def add(self, row: dict, text_chars: int = 0) -> None:
        self.rows.append(row)
        self.chars += text_chars
        if len(self.rows) >= _BATCH_ROWS or self.chars >= _BATCH_TEXT_CHARS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows, self.chars = [], 0

    def close(self) -> None:
        if not self.closed:
            self.flush()
            self.writer.close()
            self.closed = True


class _StagedFiles:
    """The stage's data files under temporary names, moved into place together when the build succeeded."""

    def __init__(self, paths: RunPaths):
        self.final = {key: paths.file(key) for key in (*_TABLES, "corpus_manifest")}
        self.temp = {key: path.with_name(f".{path.name}.tmp") for key, path in self.final.items()}
        self.sinks: dict[str, _Sink] = {}

    def __enter__(self) -> "_StagedFiles":
        for path in self.final.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            for key in _TABLES:
                self.sinks[key] = _Sink(self.temp[key], key)
        except BaseException:
            self.__exit__()
            raise
        return self

    def add(self, key: str, row: dict, text_chars: int = 0) -> None:
        self.sinks[key].add(row, text_chars)

    def close_tables(self) -> None:
        for sink in self.sinks.values():
            sink.close()

    def sort_tables(self) -> None:
        """Sort the tables by id; only needed when a table corpus gives its ids out of order (reads each once)."""
        import pyarrow.parquet as pq

        for key, order in _TABLES.items():
            pq.write_table(pq.read_table(self.temp[key]).sort_by(order), self.temp[key])

    def commit(self, manifest: dict) -> None:
        self.temp["corpus_manifest"].write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
        for key, tmp in self.temp.items():
            tmp.replace(self.final[key])

    def __exit__(self, *exc) -> bool:
        for sink in self.sinks.values():
            try:
                sink.close()
            except Exception:  # failing on its own error; the temporary file goes anyway
                pass
        for tmp in self.temp.values():
            tmp.unlink(missing_ok=True)
        return False


@dataclass(frozen=True)
class _Folder(RunPaths):
    """Every file of the stage side by side in one plain folder (for callers without a run folder)."""

    def file(self, key: str) -> Path:
        return self.root / Path(registry.artifact(key).file).name

    def csv(self, key: str) -> Path:
        return self.root / super().csv(key).name


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

    Boilerplate rules are listed by number of blocks; date lines moved to the
    ``date`` field and units dropped for being short are said separately.
    Headlines are not removed: they stay in the text as the first unit.

    Examples
    --------
    >>> s = pd.DataFrame({"rule": ["baca_juga", "min_unit_words"], "category": ["related link", "short unit"],
    ...                   "blocks": [7, 2], "lines": [9, 2], "articles": [2, 1]})
    >>> describe_cleaning(s)
    "Removed 9 boilerplate lines in 7 blocks: 7 'baca_juga' blocks (related link, 9 lines). Dropped 2 lead or body units below the minimum length."
    """

    def plural(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"

    if summary.empty:
        return "No lines were removed."
    boiler = summary[~summary["category"].isin(NOT_BOILERPLATE)]
    sentences = []
    if len(boiler):
        parts = [f"{r.blocks} '{r.rule}' block{'' if r.blocks == 1 else 's'} ({r.category}, {plural(r.lines, 'line')})"
                 for r in boiler.itertuples()]
        sentences.append(f"Removed {plural(int(boiler['lines'].sum()), 'boilerplate line')} in "
                         f"{plural(int(boiler['blocks'].sum()), 'block')}: " + ", ".join(parts) + ".")
    dates = int(summary.loc[summary["category"] == "metadata", "lines"].sum())
    if dates:
        sentences.append(f"Moved {plural(dates, 'date line')} from the text to the date field.")
    short = int(summary.loc[summary["category"] == "short unit", "lines"].sum())
    if short:
        sentences.append(f"Dropped {plural(short, 'lead or body unit')} below the minimum length.")
    return " ".join(sentences) or "No lines were removed."


def removal_examples(log: pd.DataFrame, *, width: int = 80) -> pd.DataFrame:
    """Return one removed line per cleaning rule (its first), whitespace folded and cut to ``width`` characters.

    The table lets a reader check by eye that each rule removed what it should.

    Examples
    --------
    >>> log = pd.DataFrame({"rule": ["b", "a", "b"], "article_id": ["x", "y", "z"], "line_no": [3, 1, 9],
    ...                     "text": ["Baca  juga:\\tRusia", "Foto/AP", "later"]})
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
            f"(MinHash over word {SHINGLE_WORDS}-grams, estimated Jaccard similarity ≥ {params.get('near_duplicate_threshold')})"
            f"{dropped if n and params.get('drop_duplicates') else ''}.")


def articles_overview(articles: pd.DataFrame, *, snippet_width: int = SNIPPET_WIDTH) -> pd.DataFrame:
    """Return the published articles table: metadata and counts, a short snippet, never full text.

    Examples
    --------
    >>> a = pd.DataFrame([{**dict.fromkeys(_OVERVIEW_COLUMNS, ""), "article_id": "x", "n_words": 3,
    ...                    "n_units": 1, "n_removals": 0, "text": "Rusia  dan\\nKorea"}])
    >>> articles_overview(a)["snippet"].tolist()
    ['Rusia dan Korea']
    """
    return _overview_frame([_overview_row(row, snippet_width) for row in articles.to_dict("records")])


def _overview_row(article: dict, width: int = SNIPPET_WIDTH) -> dict:
    return {**{c: article[c] for c in _OVERVIEW_COLUMNS}, "snippet": _snippet(article["text"], width)}


def _overview_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[*_OVERVIEW_COLUMNS, "snippet"]).sort_values("article_id", ignore_index=True)


def _snippet(text: str, width: int) -> str:
    """:func:`analysis.outputs.snippet` of the text, folding only as much of its opening as the snippet needs.

    The folded opening is a prefix of the folded text, so once it is longer
    than ``width`` the snippet is the same; a 50 MB article is never split whole.
    """
    text = str(text)
    n = 4 * width
    while n < len(text) and len(" ".join(text[:n].split())) <= width:
        n *= 4
    return outputs.snippet(text[:n], width=width)


def missing_metadata(articles: pd.DataFrame) -> pd.DataFrame:
    """Return, for each extracted field, how many articles have it and how many do not."""
    rows = []
    for name in ("title", "outlet", "place", "date", "url", "accessed"):
        found = int((articles[name].fillna("") != "").sum())
        rows.append({"field": name, "found": found, "missing": len(articles) - found})
    return pd.DataFrame(rows)


def unit_types_table(units: pd.DataFrame) -> pd.DataFrame:
    """Return the units per type: type, units, articles with one, median words (types in reading order).

    Examples
    --------
    >>> u = pd.DataFrame({"article_id": ["a", "a", "b"], "unit_type": ["headline", "lead", "lead"],
    ...                   "text": ["Judul", "Isi satu dua", "Isi tiga"]})
    >>> unit_types_table(u).values.tolist()
    [['headline', 1, 1, 1], ['lead', 2, 2, 2]]
    """
    from .segmentation import UNIT_TYPES

    columns = ["unit_type", "units", "articles", "median_words"]
    if units.empty or "unit_type" not in units.columns:
        return pd.DataFrame(columns=columns)
    words = units["text"].map(count_words)
    out = (units.assign(words=words).groupby("unit_type")
           .agg(units=("text", "size"), articles=("article_id", "nunique"), median_words=("words", "median"))
           .reindex([t for t in UNIT_TYPES if t in set(units["unit_type"])]).reset_index())
    out["median_words"] = out["median_words"].round().astype(int)
    return out[columns]


def unit_typing_rule(min_unit_words: int) -> str:
    """Return the rules by which units are typed and kept, as one paragraph (notebook 01; Methods may quote it).

    >>> unit_typing_rule(5).split("; ")[0]
    'The headline is the first unit of an article (and its title)'
    """
    return ("The headline is the first unit of an article (and its title); the lead is the paragraph that opens "
            "with the dateline, after it (the dateline stays metadata: outlet and place), else the first body "
            "paragraph; a subheading is a short line shaped like a title (no sentence end) between paragraphs; a list "
            "item opens with a number or bullet, and one glued to the sentence before it is split off. Headlines, "
            "subheadings and list items are kept whatever their length; lead and body units shorter than "
            f"{min_unit_words} words are dropped and logged.")


def publication_date_rule() -> str:
    """Return the rule by which a publication date is found (notebook 01; Methods may quote it).

    >>> publication_date_rule().startswith("The publication date comes only from")
    True
    """
    return ("The publication date comes only from the metadata given with the corpus, a date inside the dateline "
            "(\"WASHINGTON, June 23 (Reuters) -\") or a date line at the head (a line holding nothing but a date and a "
            "time); a date the body mentions is the date of an event the article reports and is never taken for the "
            "publication date.")


def describe_unit_types(units: pd.DataFrame, min_unit_words: int) -> str:
    """Return the sentence that states how units are typed, with the counts of this corpus.

    Examples
    --------
    >>> u = pd.DataFrame({"article_id": ["a", "a"], "unit_type": ["headline", "lead"], "text": ["Judul", "Isi"]})
    >>> describe_unit_types(u, 5).split('. ')[0]
    '2 units: 1 headline, 1 lead'
    """
    from ..outputs import count_noun

    nouns = {"body": "body unit", "list_item": "list item"}
    table = unit_types_table(units)
    counts = ", ".join(count_noun(int(r.units), nouns.get(r.unit_type, r.unit_type)) for r in table.itertuples())
    return f"{len(units):,} units: {counts or 'none'}. {unit_typing_rule(min_unit_words)}"
