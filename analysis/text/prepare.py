"""The text stage: from the corpus stage's units to the tokens, dictionary and bag of words the topic model reads.

Topic and frame quality is decided here, so every step is explicit, reported
and deterministic. :func:`prepare_text` runs the steps in this order, and the
order matters:

1. **tokenize** (:mod:`~analysis.text.tokens`) — case is kept for the next step only.
2. **aliases** (:mod:`~analysis.text.lexicon`) — surface forms become canonical
   tokens, longest match first, before stopwords can remove parts of them;
   every other token is lowercased.
3. **stopwords** (:mod:`~analysis.text.lexicon`) — protected multi-word terms are
   joined, then stopwords, tokens shorter than ``min_token_len`` and tokens
   without a letter are removed; alias tokens and protected terms never are.
4. **phrases** (:mod:`~analysis.text.phrases`) — gensim ``Phrases`` joins frequent
   collocations, never across a removed word or an entity token.
5. **stemming** (:mod:`~analysis.text.stemming`, off by default).
6. **doc-frequency filters** — gensim ``Dictionary.filter_extremes`` with
   ``no_below`` (absolute), ``no_above`` (share) and ``keep_n``.

Rules kept here:

* **Deterministic.** Nothing is random (``seed`` is accepted so that every
  stage has the same signature); the same units and parameters give the same
  tokens and the same bytes in the dictionary and the bag of words, whatever
  the batch size or the number of processes.
* **Aligned.** Units whose tokens are all filtered out are kept, with an empty
  token list and an empty bag-of-words row, because the topic stage aligns
  rows with the tokens table.
* **Streamed and chunked.** Each pass runs on chunks of consecutive units
  through :func:`analysis.workers.pool` (this process, local processes or a
  Dask cluster); a chunk reads its rows from Parquet and spills its tokens to
  its own file, so no process holds the tokens of all units. What the chunks
  return (counts, phrase statistics, partial dictionaries, bag-of-words lines)
  is merged in chunk order, which gives the bytes one sequential pass gives.
* **Registered.** Every file and table is named by :mod:`analysis.registry`:
  tokens, dictionary and bag of words, and the tables ``text_params`` (the
  parameters as resolved), ``text_steps``, ``text_top_terms`` and ``alias_hits``.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import progress, registry, workers
from ..errors import AnalysisError
from ..outputs import params_table
from ..parameters import check_values, notebook_default
from ..registry import RunPaths
from .lexicon import (AliasTable, apply_aliases, clean_word_list, connector_words, load_aliases, load_protected_terms,
                      load_stopwords, remove_stopwords)
from .phrases import apply_phrases, learn_phrases, merge_phrases, new_phrases
from .stemming import stem_tokens, tabulate_stems
from .tokens import GAP, LANGUAGES, check_language, tokenize

_UNITS_COLUMNS = ("unit_id", "article_id", "text")
_BATCH_ROWS = 5_000
#: The steps counted in ``text_steps``, in the order they run.
STEPS = ("tokenize", "aliases", "stopwords", "phrases", "stemming", "doc_frequency")


# --------------------------------------------------------------------------- parameters


@dataclass
class TextParams:
    """Parameters of :func:`prepare_text`, validated on creation.

    Fields that are parameters of notebook ``02-fit-topics`` take their default
    from its parameters cell and are checked against its rules
    (:func:`analysis.parameters.check_values`). As there, ``no_below=0`` and
    ``n_jobs=0`` mean "scale with the corpus"; the stage resolves them
    (:func:`scale_params`) and writes the resolved values to ``text_params``.
    The other fields are fixed by :func:`default_params` from the corpus size.
    (Defaults are read when an instance is made, ``default_factory``: reading
    the notebooks when the module is imported would slow every import.)

    For a large corpus :func:`default_params` sets ``no_below`` ≈ 5–20 (a term
    must occur in that many units), ``keep_n`` = 100,000, ``phrase_min_count``
    ≈ 20 and ``phrase_threshold`` = 0.5 for 100,000 articles. On a hundred
    units a pair seen twice can reach the highest NPMI by chance, hence the
    stricter small-corpus threshold (0.7).

    Attributes
    ----------
    extra_stopwords : list of str
        Added to the shipped lists (notebook parameter).
    protected_terms : list of str
        Added to the shipped protected terms, never removed nor stemmed (notebook parameter).
    aliases_file : str or None
        A user alias YAML merged over the shipped table; the notebook's ``""`` is ``None`` (notebook parameter).
    metonyms : bool
        Map metonyms (Washington, Kremlin…) to their country (default) or keep
        them as place tokens.
    phrases : bool
        Learn and join collocations with gensim ``Phrases`` (notebook parameter).
    phrase_min_count : int
        Minimum count of a collocation.
    phrase_threshold : float
        NPMI threshold in (-1, 1]; higher joins fewer.
    stem : bool
        Stem (notebook parameter; off by default: stems hurt topic readability).
    no_below : int
        Keep terms found in at least this many units; 0 scales with the corpus (notebook parameter).
    no_above : float
        Drop terms found in more than this share of units (notebook parameter).
    keep_n : int or None
        Keep at most this many most frequent terms.
    min_token_len : int
        Drop shorter tokens.
    n_jobs : int
        Processes for every pass; 0 uses all cores beyond 2,000 units (notebook
        parameter). The files are the same whatever n_jobs.

    Examples
    --------
    >>> TextParams(no_below=1).no_below
    1
    >>> TextParams(no_above=2.0)
    Traceback (most recent call last):
    analysis.errors.AnalysisError: parameters: parameter 'no_above' must be between 0.0 and 1.0, got 2.0
    """

    extra_stopwords: list[str] = notebook_default("extra_stopwords")
    protected_terms: list[str] = notebook_default("protected_terms")
    aliases_file: str | None = notebook_default("aliases_file")
    metonyms: bool = True
    phrases: bool = notebook_default("phrases")
    phrase_min_count: int = 2
    phrase_threshold: float = 0.7
    stem: bool = notebook_default("stem")
    no_below: int = notebook_default("no_below")
    no_above: float = notebook_default("no_above")
    keep_n: int | None = None
    min_token_len: int = 2
    n_jobs: int = notebook_default("n_jobs")

    def __post_init__(self):
        # The forms a caller may pass for the notebook's types: None or a tuple for a list, a Path or None for a file.
        for name in ("extra_stopwords", "protected_terms"):
            value = getattr(self, name)
            setattr(self, name, [] if value is None else list(value) if isinstance(value, tuple) else value)
        self.aliases_file = "" if self.aliases_file is None else self.aliases_file
        self.aliases_file = str(self.aliases_file) if isinstance(self.aliases_file, Path) else self.aliases_file
        check_values(self)
        self.aliases_file = self.aliases_file or None  # the notebook's "" means no file
        # Not expressible as a notebook rule: the entries of a word list, and a share that must be above 0
        # (rules are inclusive ranges; no_above = 0 would keep no term at all).
        for name in ("extra_stopwords", "protected_terms"):
            clean_word_list(getattr(self, name), name)
        if self.no_above == 0:
            raise AnalysisError("must be a share in (0, 1], got 0", path="no_above")
        self._check_fixed_fields()

    def _check_fixed_fields(self) -> None:
        # Fields that are not notebook parameters (default_params or code sets them), so no notebook rule checks them.
        if not isinstance(self.metonyms, bool):
            raise AnalysisError(f"must be true or false, got {self.metonyms!r}", path="metonyms")
        for name in ("phrase_min_count", "min_token_len"):
            value = getattr(self, name)
            if not _is_int(value) or value < 1:
                raise AnalysisError(f"must be an integer >= 1, got {value!r}", path=name)
        if self.keep_n is not None and (not _is_int(self.keep_n) or self.keep_n < 1):
            raise AnalysisError(f"must be a positive integer or None, got {self.keep_n!r}", path="keep_n")
        if not _is_real(self.phrase_threshold) or not -1 < self.phrase_threshold <= 1:
            raise AnalysisError(
                f"must be an NPMI threshold in (-1, 1], got {self.phrase_threshold!r}", path="phrase_threshold"
            )

    @classmethod
    def from_dict(cls, values: Mapping) -> "TextParams":
        """Build from a mapping (e.g. a params.yaml section); unknown keys raise.

        >>> TextParams.from_dict({"stem": True}).stem
        True
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise AnalysisError(f"unknown text parameter(s): {', '.join(unknown)}", path="params")
        return cls(**values)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _check_n_units(n_units: int) -> None:
    if not _is_int(n_units) or n_units < 0:
        raise AnalysisError(f"must be a non-negative integer, got {n_units!r}", path="n_units")


def _scaled(n_units: int) -> dict:
    if n_units <= 1_000:
        return {"no_below": 2, "phrase_min_count": 2, "phrase_threshold": 0.7, "keep_n": None}
    return {
        "no_below": max(5, n_units // 5_000),
        "phrase_min_count": min(50, max(5, n_units // 5_000)),
        "phrase_threshold": 0.5,
        "keep_n": 100_000,
    }


def scale_params(params: TextParams, n_units: int) -> TextParams:
    """Resolve the "scale with the corpus" zeros of ``params`` for a corpus of ``n_units`` units.

    ``no_below=0`` becomes the scaled minimum document frequency of
    :func:`default_params`; ``n_jobs=0`` becomes all cores beyond 2,000 units
    and one process below (starting worker processes costs more than it saves
    on a small corpus). Other values are kept.

    >>> scale_params(TextParams(no_below=0, n_jobs=0), 80).no_below, scale_params(TextParams(no_below=3), 80).no_below
    (2, 3)
    """
    _check_n_units(n_units)
    changes = {}
    if params.no_below == 0:
        changes["no_below"] = _scaled(n_units)["no_below"]
    if params.n_jobs == 0:
        changes["n_jobs"] = (os.cpu_count() or 1) if n_units > 2_000 else 1
    return dataclasses.replace(params, **changes) if changes else params


def default_params(n_units: int, **overrides) -> TextParams:
    """Return :class:`TextParams` scaled to a corpus of ``n_units`` units.

    Up to 1,000 units: ``no_below=2``, ``phrase_min_count=2``,
    ``phrase_threshold=0.7``, no ``keep_n``.
    Beyond that the minimum document frequency grows with the corpus (about one
    unit in 5,000, at least 5: 20 for 100,000 articles), phrases need about
    one occurrence per 5,000 units (at least 5, at most 50) with an NPMI
    threshold of 0.5, and the vocabulary is capped at 100,000 terms.
    ``overrides`` win, except that ``no_below=0`` and ``n_jobs=0`` are scaled
    (:func:`scale_params`); an unknown key raises.

    >>> default_params(80).no_below, default_params(100_000).no_below, default_params(80, no_below=0).no_below
    (2, 20, 2)
    >>> default_params(80, n_jobs=0).n_jobs
    1
    """
    _check_n_units(n_units)
    return scale_params(TextParams.from_dict({**_scaled(n_units), **overrides}), n_units)


def _stage_params(params, n_units: int) -> TextParams:
    if params is None:
        return default_params(n_units)
    if isinstance(params, Mapping):
        return default_params(n_units, **params)
    if isinstance(params, TextParams):
        return scale_params(params, n_units)
    raise AnalysisError(f"must be a TextParams or a mapping of its fields, got {type(params).__name__}", path="params")


# --------------------------------------------------------------------------- result


@dataclass
class TextResult:
    """What :func:`prepare_text` wrote and reports.

    ``steps`` (step, n_tokens, vocab_size), ``top_terms`` (term, count,
    doc_freq; the 100 most frequent final terms), ``alias_hits`` (surface,
    canonical, kind, count), ``stemming`` (stem, n_words, words; stems that merged
    two or more words; ``None`` when stemming is off). ``params`` are the
    parameters as resolved for this corpus.
    """

    dictionary: object
    tokens_path: Path
    dictionary_path: Path
    bow_path: Path
    steps: pd.DataFrame
    top_terms: pd.DataFrame
    alias_hits: pd.DataFrame
    stemming: pd.DataFrame | None
    n_units: int
    n_empty_units: int
    params: TextParams
    language: str


# --------------------------------------------------------------------------- the passes


@dataclass(frozen=True)
class _Lexicon:
    """The word lists of one run (pickled to the worker processes)."""

    language: str
    table: AliasTable
    stopwords: frozenset[str]
    protected: frozenset[str]
    connectors: frozenset[str]
    min_token_len: int
    metonyms: bool
    keep: frozenset[str]  # entity tokens: never removed as stopwords
    unjoinable: frozenset[str]  # entities and protected terms: never joined into phrases nor stemmed


def _lexicon(language: str, params: TextParams) -> _Lexicon:
    table = load_aliases(language, params.aliases_file)
    protected = load_protected_terms(language, params.protected_terms)
    return _Lexicon(
        language=language,
        table=table,
        stopwords=load_stopwords(language, params.extra_stopwords, params.protected_terms),
        protected=protected,
        # Connector words are kept through the stopword step only when phrases may span them.
        connectors=connector_words(language) if params.phrases else frozenset(),
        min_token_len=params.min_token_len,
        metonyms=params.metonyms,
        keep=table.entity_tokens,
        unjoinable=table.entity_tokens | protected,
    )


@dataclass
class _Tally:
    """Token counts after each step, alias hits and units seen, summed over chunks in their order."""

    counts: dict[str, Counter] = field(default_factory=lambda: {step: Counter() for step in STEPS})
    hits: Counter = field(default_factory=Counter)
    n_units: int = 0

    def add(self, counts: Mapping[str, Counter], hits: Counter | None = None) -> None:
        for step, c in counts.items():
            self.counts[step].update(c)
        if hits:
            self.hits.update(hits)

    def step_row(self, step: str) -> dict:
        counts = self.counts[step]
        return {"step": step, "n_tokens": int(sum(counts.values())), "vocab_size": len(counts)}


def _count_rows(rows) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        counts.update(row)
    return counts


def worker_pool(n_jobs: int):
    """Return a pool of ``n_jobs`` worker processes, or a null context (no pool) for one process.

    The topic stage fits its models in it (:mod:`analysis.topics.pool`);
    callers keep results in input order. The text stage's own chunks run
    through :func:`analysis.workers.pool`.

    >>> with worker_pool(1) as pool:
    ...     pool is None
    True
    """
    # Workers come from a fork server, not a fork of this process: the notebooks
    # run in a threaded Jupyter kernel, which a plain fork could deadlock.
    if n_jobs <= 1:
        return nullcontext()
    return ProcessPoolExecutor(n_jobs, mp_context=multiprocessing.get_context("forkserver"))


# --------------------------------------------------------------------------- chunks
#
# Every pass splits the units into chunks of consecutive rows (:class:`_Chunk`)
# and runs a module-level chunk function on each through
# :func:`analysis.workers.pool`: here, in local processes or on a Dask cluster.
# A chunk reads its rows from Parquet and writes its tokens to its own spill
# file, so only counts, a partial dictionary or phrase statistics travel back.
# They are merged in chunk order, which gives what one sequential pass gives
# (ids in order of first appearance, counts summed), whatever the chunking.


@dataclass(frozen=True)
class _Chunk:
    """Rows ``[start, stop)`` of Parquet file ``src``; the chunk's tokens go to ``out`` (a spill file)."""

    index: int
    src: str
    start: int
    stop: int
    out: str
    first: int  # the row of the units its first row is (the bag of words numbers rows from it)


def _chunk_rows() -> int:
    # Chunks hold whole batches, so that the final tokens keep their row groups of _BATCH_ROWS.
    return 2 * _BATCH_ROWS


def _plan(src: Path, n_rows: int, folder: Path, stage: str) -> list[_Chunk]:
    return [_Chunk(i, str(src), a, b, str(folder / f"{stage}-{i:05d}.parquet"), a)
            for i, (a, b) in enumerate(workers.chunks(n_rows, _chunk_rows()))]


def _then(chunks: list[_Chunk], folder: Path, stage: str) -> list[_Chunk]:
    """The chunks of the next pass: each reads the spill file the previous pass wrote for it."""
    return [dataclasses.replace(c, src=c.out, start=0, stop=c.stop - c.start,
                                out=str(folder / f"{stage}-{c.index:05d}.parquet")) for c in chunks]


def _read_range(path: str, start: int, stop: int, columns: list[str]) -> pa.Table:
    """Rows ``[start, stop)`` of a Parquet file, reading only the row groups that hold them."""
    parquet = pq.ParquetFile(path)
    groups, first, offset = [], None, 0
    for i in range(parquet.metadata.num_row_groups):
        n = parquet.metadata.row_group(i).num_rows
        if offset + n > start and offset < stop:
            groups.append(i)
            first = offset if first is None else first
        offset += n
    if not groups:
        return parquet.schema_arrow.empty_table().select(columns)
    return parquet.read_row_groups(groups, columns=columns).slice(start - first, stop - start)


def _write_spill(path: str, unit_ids, article_ids, rows) -> None:
    table = pa.table({"unit_id": unit_ids, "article_id": article_ids, "tokens": rows},
                     schema=registry.arrow_schema("tokens"))
    pq.write_table(table, path, compression="none")


def _read_spill(chunk: _Chunk) -> tuple[list, list, list]:
    data = pq.read_table(chunk.src).to_pydict()
    return data["unit_id"], data["article_id"], data["tokens"]


def _clean_chunk(chunk: _Chunk, lexicon: _Lexicon, phrase_settings: dict | None):
    """Pass 1 on one chunk: tokenize, aliases, stopwords; count the phrase statistics of its units."""
    table = _read_range(chunk.src, chunk.start, chunk.stop, list(_UNITS_COLUMNS))
    texts = table.column("text").to_pylist()
    unit_ids = [str(u) for u in table.column("unit_id").to_pylist()]
    counts = {"tokenize": Counter(), "aliases": Counter(), "stopwords": Counter()}
    hits: Counter = Counter()
    rows = []
    for unit, text in zip(unit_ids, texts):
        if not (text is None or isinstance(text, str)):
            raise AnalysisError(f"unit {unit}: text is not a string", path=chunk.src)
        cased = tokenize(text, lexicon.language, lower=False)
        counts["tokenize"].update(t.lower() for t in cased)
        aliased, unit_hits = apply_aliases(cased, lexicon.table, metonyms=lexicon.metonyms)
        hits.update(unit_hits)
        counts["aliases"].update(aliased)
        kept = remove_stopwords(aliased, lexicon.stopwords, protected=lexicon.protected, keep=lexicon.keep,
                                min_token_len=lexicon.min_token_len, connectors=lexicon.connectors, gaps=True)
        # Connector words kept only so that phrases may span them are not counted.
        counts["stopwords"].update(t for t in kept if t != GAP and t not in lexicon.connectors)
        rows.append(kept)
    phrases = None
    if phrase_settings is not None:
        phrases = learn_phrases(rows, lexicon.language, unjoinable=lexicon.unjoinable,
                                phrases=new_phrases(lexicon.language, **phrase_settings))
    _write_spill(chunk.out, unit_ids, [str(a) for a in table.column("article_id").to_pylist()], rows)
    return len(rows), counts, hits, phrases


def _join_chunk(chunk: _Chunk, phrases, lexicon: _Lexicon, stem: bool):
    """Pass 2 on one chunk: join phrases, stem; return its counts, stem memo and partial dictionary."""
    from gensim.corpora import Dictionary

    unit_ids, article_ids, rows = _read_spill(chunk)
    rows = [apply_phrases(r, phrases, unjoinable=lexicon.unjoinable, connectors=lexicon.connectors) for r in rows]
    counts = {"phrases": _count_rows(rows)}
    memo: dict[str, str] = {}
    if stem:
        rows, memo = stem_tokens(rows, lexicon.language, keep=lexicon.unjoinable, memo=memo)
        counts["stemming"] = _count_rows(rows)
    dictionary = Dictionary()
    dictionary.lifecycle_events = None
    dictionary.add_documents(rows, prune_at=None)
    _write_spill(chunk.out, unit_ids, article_ids, rows)
    return counts, memo, dictionary


@functools.lru_cache(maxsize=2)
def _load_dictionary(path: str, stamp: tuple):
    from gensim.corpora import Dictionary

    return Dictionary.load(path)


def _filter_chunk(chunk: _Chunk, dictionary_path: str):
    """Pass 3 on one chunk: keep dictionary terms; return the final tokens and the chunk's bag-of-words lines.

    The lines are those gensim's ``MmWriter`` writes ("doc term count", both
    from 1, terms in id order), so that the parts joined make its file.
    """
    stat = os.stat(dictionary_path)
    dictionary = _load_dictionary(dictionary_path, (stat.st_mtime_ns, stat.st_size))
    token2id = dictionary.token2id
    unit_ids, article_ids, rows = _read_spill(chunk)
    rows = [[t for t in r if t in token2id] for r in rows]
    lines, lengths, n_nnz, max_id = [], [], 0, -1
    for docno, row in enumerate(rows, chunk.first + 1):
        bow = dictionary.doc2bow(row)
        text = "".join(f"{docno} {termid + 1} {count}\n" for termid, count in bow).encode("utf-8")
        lines.append(text)
        lengths.append(len(text))
        n_nnz += len(bow)
        max_id = max(max_id, bow[-1][0] if bow else -1)
    table = pa.table({"unit_id": unit_ids, "article_id": article_ids, "tokens": rows},
                     schema=registry.arrow_schema("tokens"))
    return table, {"doc_frequency": _count_rows(rows)}, b"".join(lines), lengths, n_nnz, max_id


# --------------------------------------------------------------------------- the passes


def _units_file(paths: RunPaths) -> Path:
    path = paths.file("units")
    if not path.is_file():
        raise AnalysisError(f"missing: run notebook {registry.STAGES['corpus']} first", path=path)
    return path


def _count_units(path: Path) -> int:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise AnalysisError(f"unreadable Parquet file ({type(exc).__name__})", path=path) from None
    missing = [c for c in _UNITS_COLUMNS if c not in parquet.schema_arrow.names]
    if missing:
        raise AnalysisError(f"lacks column(s) {', '.join(missing)}", path=path)
    return parquet.metadata.num_rows


def _first_pass(pool, chunks: list[_Chunk], lexicon: _Lexicon, params: TextParams, tally: _Tally):
    """Tokenize, aliases, stopwords; learn phrases from the chunks' statistics, merged in order.

    Returns the frozen phrases, or ``None`` when phrases are off.
    """
    settings = {"min_count": params.phrase_min_count, "threshold": params.phrase_threshold} if params.phrases else None
    phrases = new_phrases(lexicon.language, **settings) if settings else None
    total = chunks[-1].stop if chunks else 0
    fn = functools.partial(_clean_chunk, lexicon=lexicon, phrase_settings=settings)
    for n, counts, hits, part in pool.map(fn, chunks):
        tally.add(counts, hits)
        tally.n_units += n
        if phrases is not None:
            merge_phrases(phrases, part)
        progress.tick("text", "units tokenized", tally.n_units, total, step=n)
    return phrases.freeze() if phrases is not None else None


def _second_pass(pool, chunks: list[_Chunk], phrases, lexicon: _Lexicon, params: TextParams, tally: _Tally):
    """Join phrases, stem; build the dictionary of the pre-filter vocabulary. Returns it and the stem memo."""
    from gensim.corpora import Dictionary

    dictionary = Dictionary()
    # gensim logs timestamps, paths and platform into the saved file; those
    # belong in the run's provenance.json, and would make the bytes differ.
    dictionary.lifecycle_events = None
    memo: dict[str, str] = {}
    fn = functools.partial(_join_chunk, phrases=phrases, lexicon=lexicon, stem=params.stem)
    for chunk, (counts, part_memo, part) in zip(chunks, pool.map(fn, chunks)):
        tally.add(counts)
        memo.update(part_memo)
        _merge_dictionary(dictionary, part)
        progress.tick("text", "units joined into phrases", chunk.first + chunk.stop, tally.n_units,
                      step=chunk.stop)
    return dictionary, memo


def _merge_dictionary(dictionary, part) -> None:
    """Add a partial gensim ``Dictionary`` (of the documents that follow) to ``dictionary``, in place.

    The result is what ``add_documents`` over both sets of documents, in
    order, gives: new tokens take the next ids in the part's id order, and
    document and collection frequencies are summed, new entries in the
    part's order (so that the saved file has the same bytes).

    Examples
    --------
    >>> from gensim.corpora import Dictionary
    >>> whole, first, second = Dictionary([["b", "a"], ["c", "a"]]), Dictionary([["b", "a"]]), Dictionary([["c", "a"]])
    >>> _merge_dictionary(first, second)
    >>> (first.token2id, first.dfs, first.cfs, first.num_docs) == (whole.token2id, whole.dfs, whole.cfs, whole.num_docs)
    True
    """
    token2id = dictionary.token2id
    ids = {}
    for token, local in part.token2id.items():
        if token not in token2id:
            token2id[token] = len(token2id)
        ids[local] = token2id[token]
    for local, n in part.dfs.items():
        dictionary.dfs[ids[local]] = dictionary.dfs.get(ids[local], 0) + n
    for local, n in part.cfs.items():
        dictionary.cfs[ids[local]] = dictionary.cfs.get(ids[local], 0) + n
    dictionary.num_docs += part.num_docs
    dictionary.num_pos += part.num_pos
    dictionary.num_nnz += part.num_nnz
    dictionary.id2token = {}


def _filter_vocabulary(dictionary, params: TextParams, n_units: int) -> None:
    dictionary.filter_extremes(no_below=params.no_below, no_above=params.no_above, keep_n=params.keep_n)
    if len(dictionary) == 0:
        raise AnalysisError(
            f"no terms left after the vocabulary filters (no_below={params.no_below}, "
            f"no_above={params.no_above}) on {n_units} units; lower no_below or raise no_above",
            path="no_below",
        )


def _final_pass(pool, chunks: list[_Chunk], paths: RunPaths, dictionary, tally: _Tally) -> int:
    """Keep only dictionary terms; write the final tokens, the bag of words and its index. Return the empty units.

    The bag of words is the file gensim's ``MmCorpus.serialize`` writes: a
    header with room for the counts (filled in at the end), the chunks' lines
    in order, and the index of where each row starts (-1 for an empty row
    other than the last).
    """
    from gensim import utils
    from gensim.matutils import MmWriter

    bow = paths.file("bow")
    n_empty, n_nnz, max_id, offsets = 0, 0, -1, []
    fn = functools.partial(_filter_chunk, dictionary_path=str(paths.file("dictionary")))
    with pq.ParquetWriter(paths.file("tokens"), registry.arrow_schema("tokens")) as writer, open(bow, "wb") as mm:
        mm.write(MmWriter.HEADER_LINE + b" " * 50 + b"\n")
        for table, counts, lines, lengths, nnz, top in pool.map(fn, chunks):
            tally.add(counts)
            for a in range(0, table.num_rows, _BATCH_ROWS):
                writer.write_table(table.slice(a, _BATCH_ROWS))
            pos = mm.tell()
            for length in lengths:
                offsets.append(pos if length else -1)
                pos += length
            mm.write(lines)
            n_empty += sum(not length for length in lengths)
            n_nnz += nnz
            max_id = max(max_id, top)
            progress.tick("text", "units filtered and written", len(offsets), tally.n_units, step=len(lengths))
        if offsets and offsets[-1] == -1:
            offsets[-1] = mm.tell()  # gensim marks an empty row only when a row follows it
        mm.seek(len(MmWriter.HEADER_LINE))
        mm.write(f"{len(offsets)} {len(dictionary) or max_id + 1} {n_nnz}".encode("utf-8"))
    utils.pickle(offsets, utils.smart_extension(str(bow), ".index"))
    return n_empty


# --------------------------------------------------------------------------- tables


def _steps_table(tally: _Tally, params: TextParams) -> pd.DataFrame:
    ran = [s for s in STEPS if (s != "phrases" or params.phrases) and (s != "stemming" or params.stem)]
    return pd.DataFrame([tally.step_row(s) for s in ran], columns=["step", "n_tokens", "vocab_size"])


def _top_terms_table(dictionary, n: int = 100) -> pd.DataFrame:
    top = pd.DataFrame(
        [(dictionary[i], int(dictionary.cfs.get(i, 0)), int(dictionary.dfs.get(i, 0))) for i in dictionary.keys()],
        columns=["term", "count", "doc_freq"],
    )
    return top.sort_values(["count", "term"], ascending=[False, True], ignore_index=True).head(n)


def _alias_hits_table(hits: Counter) -> pd.DataFrame:
    table = pd.DataFrame([(s, c, k, n) for (s, c, k), n in hits.items()],
                         columns=["surface", "canonical", "kind", "count"])
    return table.astype({"count": "int64"}).sort_values(["count", "canonical", "surface"],
                                                         ascending=[False, True, True], ignore_index=True)


def _write_tables(paths: RunPaths, result: TextResult) -> None:
    registry.write(paths, "text_params", params_table(result.params))
    registry.write(paths, "text_steps", result.steps)
    registry.write(paths, "text_top_terms", result.top_terms)
    registry.write(paths, "alias_hits", result.alias_hits)


# --------------------------------------------------------------------------- stage


def _stage_language(paths: RunPaths, language: str) -> str:
    if language != "auto":
        return check_language(language)
    from ..corpus import resolve_language

    # One language's resources serve the whole run: "auto" takes the articles' most common detected language.
    return resolve_language(language, registry.read(paths, "articles", columns=["language"]), LANGUAGES)


def prepare_text(paths: RunPaths, *, params: TextParams | Mapping | None = None,
                 language: str = "id", seed: int = 0) -> TextResult:
    """Run the text stage on a run folder: units in, tokens, dictionary, bag of words and tables out.

    Steps, in order: tokenize → aliases → stopwords → phrases → stemming
    (optional) → doc-frequency filters (see the module docstring). Reads the
    corpus stage's ``units`` in batches; writes, through the registry:

    * ``tokens`` — unit_id, article_id, tokens (list of str), one row per
      unit in the units' order. Units whose tokens are all filtered out are
      **kept with an empty list** (and an empty row in ``bow``), so rows stay
      aligned with the units.
    * ``dictionary`` — gensim ``Dictionary`` after the vocabulary filters.
    * ``bow`` — gensim ``MmCorpus`` (with its index); row *i* is row *i* of ``tokens``.
    * the tables ``text_params`` (as resolved), ``text_steps``, ``text_top_terms``, ``alias_hits``.

    Parameters
    ----------
    paths : RunPaths
        The run folder; the corpus stage has written its units.
    params : TextParams or mapping, optional
        A :class:`TextParams` is used as given (its ``no_below=0`` and
        ``n_jobs=0`` scaled, :func:`scale_params`); a mapping (a notebook's
        values) overrides :func:`default_params` for the corpus's size;
        ``None`` is :func:`default_params` alone.
    language : {"id", "en", "auto"}
        ``"auto"`` takes the articles' most common detected language.
    seed : int
        Accepted for a uniform stage signature; no step here is random.

    Examples
    --------
    >>> import tempfile
    >>> run = RunPaths(Path(tempfile.mkdtemp())).create()
    >>> pd.DataFrame({"unit_id": ["a-p000", "a-p001", "a-p002"], "article_id": ["a"] * 3,
    ...     "text": ["Rusia dan Korut memperkuat kerja sama pertahanan.",
    ...              "Korea Utara dan Rusia: kerja sama militer.", "Baca juga: 23/6/2024"]}
    ...     ).to_parquet(run.file("units"))
    >>> result = prepare_text(run, params={"no_above": 1.0})
    >>> pd.read_parquet(result.tokens_path)["tokens"].map(list).tolist()
    [['rusia', 'korea_utara', 'kerja_sama'], ['korea_utara', 'rusia', 'kerja_sama'], []]
    """
    language = _stage_language(paths, language)
    units = _units_file(paths)
    n_units = _count_units(units)
    if n_units == 0:
        raise AnalysisError("no units to process (empty input)", path=units)
    params = _stage_params(params, n_units)
    lexicon = _lexicon(language, params)
    tally = _Tally()
    paths.data.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.data, prefix=".text-") as tmp, workers.pool(params.n_jobs) as pool:
        chunks = _plan(units, n_units, Path(tmp), "stage1")
        phrases = _first_pass(pool, chunks, lexicon, params, tally)
        chunks = _then(chunks, Path(tmp), "stage2")
        dictionary, memo = _second_pass(pool, chunks, phrases, lexicon, params, tally)
        _filter_vocabulary(dictionary, params, tally.n_units)
        dictionary.save(str(paths.file("dictionary")))
        n_empty = _final_pass(pool, _then(chunks, Path(tmp), "stage3"), paths, dictionary, tally)
    result = TextResult(
        dictionary=dictionary, tokens_path=paths.file("tokens"), dictionary_path=paths.file("dictionary"),
        bow_path=paths.file("bow"), steps=_steps_table(tally, params), top_terms=_top_terms_table(dictionary),
        alias_hits=_alias_hits_table(tally.hits),
        stemming=tabulate_stems(memo, tally.counts["phrases"]) if params.stem else None,
        n_units=tally.n_units, n_empty_units=n_empty, params=params, language=language,
    )
    _write_tables(paths, result)
    return result
