"""The actors stage: :func:`analyse_actors` reads a run's units and frame codes and writes every actors table.

It reads ``units``, ``articles``, ``frames_units`` and ``codebook`` through
the registry and writes the statements and their sources, the counts by type
and by origin, the frames inside quotes against the journalist's words, the
wire comparison, the check of attribution against the speaker coding, the
actor mentions and the co-mention network. Notebook ``04-actors-and-sources``
calls it and displays what it returns.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd

from .. import progress, registry, workers
from ..corpus import resolve_language
from ..errors import AnalysisError
from ..frames import choose_language, load_codebook, write_network
from ..parameters import check_values, notebook_default
from ..registry import RunPaths
from ..text import LANGUAGES
from . import sentences
from .lexicon import compile_lexicon, load_attribution
from .batches import Setup, Totals, article_batches, attribute_batch
from .sources import count_by, summarise_sources
from .statements import STATEMENT_COLUMNS
from .validation import (IDENTITIES, KINDS, load_speaker_coding, resolve_speaker_coding, score_attribution)
from .voices import story_origins, wire_shares

# Actors named in fewer units are left out of the co-mention network (a single
# mention is noise at the scale of a network picture).
NETWORK_MIN_UNITS = 2
SUMMARY_COLUMNS = ["status", "coding_set", "produced_by", "n_gold", "n_machine", "n_articles", "precision",
                   "recall", "type_precision", "type_recall", "holds"]


@dataclass(frozen=True)
class ActorParams:
    """Parameters of the actors stage; defaults and ranges are notebook 04's parameters cell.

    >>> ActorParams().language
    'auto'
    """

    language: str = notebook_default("language")
    aliases_file: str = notebook_default("aliases_file")
    sources_file: str = notebook_default("sources_file")
    codebook_file: str = notebook_default("codebook_file")
    codebook_extra: str = notebook_default("codebook_extra")
    frame_threshold: float = notebook_default("frame_threshold")
    corpus: str = notebook_default("corpus")
    speaker_coding: str = notebook_default("speaker_coding")
    n_bootstrap: int = notebook_default("n_bootstrap")
    seed: int = notebook_default("seed")

    def __post_init__(self):
        check_values(self, source="actors parameters")


@dataclass
class ActorsResult:
    """What :func:`analyse_actors` computed and wrote (``tables``: registry key → path)."""

    params: ActorParams
    language: str
    attribution: dict
    statements: pd.DataFrame
    sources: pd.DataFrame
    source_types: pd.DataFrame
    source_origins: pd.DataFrame
    quote_frames: pd.DataFrame
    source_frames: pd.DataFrame
    story_origins: pd.DataFrame
    wire_frames: pd.DataFrame
    attribution_scores: pd.DataFrame
    attribution_mismatches: pd.DataFrame
    attribution_summary: pd.DataFrame
    top_actors: pd.DataFrame
    network: nx.Graph
    frame_names: dict[str, str]
    paths: RunPaths | None = None
    tables: dict[str, Path] = field(default_factory=dict)

    # The voice codes and the mentions are written batch by batch and never held whole: read back on demand.
    @property
    def voice_frames(self) -> pd.DataFrame:
        return registry.read(self.paths, "voice_frames")

    @property
    def mentions(self) -> pd.DataFrame:
        return registry.read(self.paths, "actor_mentions")

    @property
    def n_mentions(self) -> int:
        import pyarrow.parquet as pq

        return pq.read_metadata(self.paths.file("actor_mentions")).num_rows

    @property
    def type_labels(self) -> dict[str, str]:
        return dict(self.attribution["source_types"])

    @property
    def origin_labels(self) -> dict[str, str]:
        return dict(self.attribution["origins"])

    def describe_sources(self, unit: str = "unit") -> str:
        """Who speaks, by type and origin (:func:`.sentences.describe_sources`)."""
        return sentences.describe_sources(self.statements, self.source_types, self.source_origins, unit=unit)

    def describe_voices(self) -> str:
        """Frames inside quotes against the journalist's words (:func:`.sentences.describe_voices`)."""
        return sentences.describe_voices(self.quote_frames, self.frame_names)

    def describe_wire(self) -> str:
        """Wire-based stories against own reporting (:func:`.sentences.describe_wire`)."""
        return sentences.describe_wire(self.wire_frames, self.story_origins, self.frame_names)

    def describe_check(self) -> str:
        """Attribution against the speaker coding (:func:`.sentences.describe_check`)."""
        return sentences.describe_check(self.attribution_scores, self.attribution_summary)

    def describe_network(self) -> str:
        """The co-mention network's size."""
        return describe_network(self.network, NETWORK_MIN_UNITS)


def describe_network(G: nx.Graph, min_units: int) -> str:
    """Return the sentence on the co-mention network's size.

    >>> describe_network(nx.Graph([("a", "b")]), 2)
    'The co-mention network links 2 actors named in at least 2 units by 1 edge (actors named in the same unit).'
    """
    from ..outputs import count_noun

    return (f"The co-mention network links {count_noun(G.number_of_nodes(), 'actor')} named in at least "
            f"{count_noun(min_units, 'unit')} by {count_noun(G.number_of_edges(), 'edge')} "
            "(actors named in the same unit).")


def code_lists(attribution: dict) -> dict[str, list[str]]:
    """The closed lists a speaker sheet's drop-downs and its import use."""
    return {"kind": list(KINDS), "source_type": list(attribution["source_types"]),
            "origin": list(attribution["origins"]), "identity": list(IDENTITIES)}


def score_stop_words(lex) -> set[str]:
    """Words that do not identify a speaker when coded and machine speakers are compared."""
    words = {w.lower() for key in ("determiners", "anonymous_heads") for w in lex.spec.get(key) or []}
    return words | {"yang", "tidak", "disebutkan", "namanya", "the", "and", "dan", "dari", "di", "of"}


def _check(paths: RunPaths, attribution: dict, statements: pd.DataFrame, article_ids: set, lex,
           params: ActorParams) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    folder = resolve_speaker_coding(params.speaker_coding, params.corpus)
    gold, info = load_speaker_coding(folder, {k: v for k, v in code_lists(attribution).items()})
    if len(gold) and not set(gold["article_id"]) & article_ids:
        if params.speaker_coding != "auto":
            raise AnalysisError(f"parameter speaker_coding={params.speaker_coding!r}: its statements are from "
                                "articles this run does not have (a coding of another corpus)")
        gold = gold.iloc[:0]  # "auto" found the coding of another corpus than this run's: none applies
    # Only the coded articles' units are read: the coding is placed in them, never in the whole corpus.
    units = _units_of(paths, set(gold["article_id"])) if len(gold) else pd.DataFrame(
        columns=["unit_id", "article_id", "text"])
    scores, mismatches = score_attribution(gold, statements, units, stop=score_stop_words(lex),
                                           n_bootstrap=params.n_bootstrap, seed=params.seed)
    if gold.empty:
        summary = pd.DataFrame([{"status": "none", "coding_set": "", "produced_by": "", "n_gold": 0,
                                 "n_machine": len(statements), "n_articles": 0, "precision": float("nan"),
                                 "recall": float("nan"), "type_precision": float("nan"),
                                 "type_recall": float("nan"), "holds": False}], columns=SUMMARY_COLUMNS)
        return scores, mismatches, summary
    s = scores.set_index("item")
    sp, ty = s.loc["speaker"], s.loc["speaker + type"]
    ok = sentences.ATTRIBUTION_OK
    holds = bool(min(sp["precision"], sp["recall"], ty["precision"], ty["recall"]) >= ok)
    summary = pd.DataFrame([{
        "status": "example" if info.get("example") else "human", "coding_set": folder,
        "produced_by": str(info.get("produced_by") or ""), "n_gold": int(sp["n_gold"]),
        "n_machine": int(sp["n_machine"]), "n_articles": gold["article_id"].nunique(),
        "precision": float(sp["precision"]), "recall": float(sp["recall"]),
        "type_precision": float(ty["precision"]), "type_recall": float(ty["recall"]), "holds": holds}],
        columns=SUMMARY_COLUMNS)
    return scores, mismatches, summary


# Registry key → ActorsResult attribute of every table the stage writes whole (the voice codes and
# the mentions are written batch by batch as they come).
_TABLES = {
    "statements": "statements", "sources": "sources", "source_types": "source_types",
    "source_origins": "source_origins", "quote_frames": "quote_frames",
    "source_frames": "source_frames", "story_origins": "story_origins", "wire_frames": "wire_frames",
    "attribution_scores": "attribution_scores", "attribution_mismatches": "attribution_mismatches",
    "attribution_summary": "attribution_summary",
}
_ARTICLE_COLUMNS = ("article_id", "language", "outlet", "wire_source", "translated_from", "credits")
# Beyond this many units, n_jobs = 0 takes every core (the rule of notebook 02's n_jobs; below it,
# starting worker processes costs more than it saves).
PARALLEL_UNITS = 2_000


def resolve_jobs(n_jobs: int, n_units: int) -> int:
    """``n_jobs`` as the stage uses it: 0 is every core beyond :data:`PARALLEL_UNITS` units, else one.

    >>> resolve_jobs(0, 100), resolve_jobs(3, 100)
    (1, 3)
    """
    import os

    if n_jobs == 0:
        return (os.cpu_count() or 1) if n_units > PARALLEL_UNITS else 1
    return max(1, int(n_jobs))


def _read_present(paths: RunPaths, key: str, wanted) -> pd.DataFrame:
    """Table ``key`` with those of the ``wanted`` columns it has (none: only check that it exists)."""
    import pyarrow.parquet as pq

    path = paths.file(key)
    if not path.exists():
        return registry.read(paths, key)  # the registry's one-line error: which notebook writes it
    names = pq.ParquetFile(path).schema_arrow.names
    cols = [c for c in wanted if c in names]
    return registry.read(paths, key, cols) if cols else pd.DataFrame(index=range(1))


def _units_of(paths: RunPaths, article_ids: set) -> pd.DataFrame:
    """The units (unit_id, article_id, position, text) of ``article_ids`` only, in file order."""
    import pyarrow.parquet as pq

    path = paths.file("units")
    cols = [c for c in ("unit_id", "article_id", "position", "text") if c in pq.ParquetFile(path).schema_arrow.names]
    return pq.read_table(path, columns=cols, filters=[("article_id", "in", sorted(article_ids))]).to_pandas()


def _frame_counts(paths: RunPaths, articles: set) -> pd.Series:
    """Units with each frame per (article_id, frame), of ``articles``, streamed from ``frames_units``.

    Only ``present == 1`` rows count, so the table may be dense (every unit and frame) or sparse (only
    units with a score): a unit without a row has no frame.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = paths.file("frames_units")
    wanted = pa.array(sorted(articles), pa.string())
    parts = []
    for batch in pq.ParquetFile(path).iter_batches(columns=["article_id", "frame", "present"], batch_size=1 << 18):
        t = pa.Table.from_batches([batch])
        t = t.filter(pc.and_(pc.equal(t["present"], 1), pc.is_in(t["article_id"], value_set=wanted)))
        if len(t):
            parts.append(t.group_by(["article_id", "frame"]).aggregate([("present", "count")]))
    if not parts:
        return pd.Series(dtype="int64")
    counts = pa.concat_tables(parts).to_pandas().groupby(["article_id", "frame"])["present_count"].sum()
    return counts.astype("int64")


def _setup(params: ActorParams, language: str, frame_language: str, lex) -> Setup:
    return Setup(language, params.sources_file or "", params.aliases_file or "", params.codebook_file or "",
                 params.codebook_extra or "", frame_language, float(params.frame_threshold), lex.min_quote_words)


def _attribute(paths: RunPaths, setup: Setup, n_jobs: int, n_units: int):
    """Run every batch of units through :func:`.batches.attribute_batch`; write the voice codes and mentions.

    Returns the statements, the batches' totals, units per article and the two tables' paths.
    """
    statements, totals, article_ids, done = [], Totals(), {}, 0
    batches = article_batches(paths.file("units"))
    with workers.pool(n_jobs) as pool, registry.TableWriter(paths, "voice_frames") as voices, \
            registry.TableWriter(paths, "actor_mentions") as mentions:
        # A few batches per worker are out at a time (a sliding window, taken back in input order), so that
        # only those are held, texts and results, and no worker waits for a slow batch of another.
        window = 1 if not pool.parallel else 2 * pool.size
        pending: collections.deque = collections.deque()

        def take() -> None:
            nonlocal done
            units, result = pending.popleft()
            r = next(iter(result))
            for article_id, n in units["article_id"].value_counts(sort=False).items():
                article_ids[article_id] = article_ids.get(article_id, 0) + n
            statements.append(r.statements)
            voices.write(r.voice_codes)
            mentions.write(r.mentions)
            totals.add(r)
            done += len(units)
            progress.tick("actors", "units attributed", done, n_units, step=len(units), every=20_000)

        for units in batches:
            pending.append((units, pool.map(attribute_batch, [(setup, units)])))
            if len(pending) >= window:
                take()
        while pending:
            take()
    return statements, totals, article_ids, {"voice_frames": voices.path, "actor_mentions": mentions.path}


def analyse_actors(paths: RunPaths, params: ActorParams | None = None, *, n_jobs: int = 0) -> ActorsResult:
    """Run the actors stage on a run folder: statements, their sources' types and origins, voices and frames.

    Stages 01 and 03 must have run (units, articles, frame codes, codebook). The
    units are read in batches of whole articles, attributed in ``n_jobs``
    processes (0: :func:`resolve_jobs`) or on the run's Dask cluster; the
    tables do not depend on where.

    Examples
    --------
    >>> result = analyse_actors(registry.run_paths("ru-alliances-id"))  # doctest: +SKIP
    >>> result.describe_sources()  # doctest: +SKIP
    """
    import pyarrow.parquet as pq

    params = params or ActorParams()
    articles = _read_present(paths, "articles", _ARTICLE_COLUMNS)
    codebook_table = registry.read(paths, "codebook", ["frame", "frame_name"])
    _read_present(paths, "frames_units", ())  # stage 03 must have run (its one-line error otherwise)
    _read_present(paths, "units", ())
    n_units = pq.read_metadata(paths.file("units")).num_rows
    if n_units == 0:
        raise AnalysisError("no units: the corpus is empty", path=paths.file("units"))
    language = resolve_language(params.language, articles, LANGUAGES)
    attribution = load_attribution()
    lex = compile_lexicon(language)
    codebook = load_codebook(params.codebook_file or None, params.codebook_extra or None)
    frame_language = choose_language(params.language, articles, codebook)
    setup = _setup(params, language, frame_language, lex)
    parts, totals, article_ids, streamed = _attribute(paths, setup, resolve_jobs(n_jobs, n_units), n_units)
    statements = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=STATEMENT_COLUMNS)
    statements = statements.sort_values(["article_id", "unit_id", "quote_start", "statement_id"],
                                        kind="stable").reset_index(drop=True)
    frames = codebook.frame_ids()
    origins = story_origins(articles)
    known = set(origins.loc[origins["story"].isin(["wire", "own"]), "article_id"])
    units_per_article = pd.Series(article_ids, dtype="int64")
    scores, mismatches, summary = _check(paths, attribution, statements, set(article_ids), lex, params)
    result = ActorsResult(
        params=params, language=language, attribution=attribution, statements=statements,
        sources=summarise_sources(statements),
        source_types=count_by(statements, "source_type", attribution["source_types"]),
        source_origins=count_by(statements, "origin", attribution["origins"]),
        quote_frames=totals.quote_frames(frames, n_bootstrap=params.n_bootstrap, seed=params.seed),
        source_frames=totals.source_frames_table(frames), story_origins=origins,
        wire_frames=wire_shares(origins, units_per_article, _frame_counts(paths, known) if known else pd.Series(
            dtype="int64"), list(dict.fromkeys(codebook_table["frame"])), n_bootstrap=params.n_bootstrap, seed=params.seed),
        attribution_scores=scores, attribution_mismatches=mismatches, attribution_summary=summary,
        top_actors=totals.top_actors(), network=totals.network(NETWORK_MIN_UNITS),
        frame_names=dict(zip(codebook_table["frame"], codebook_table["frame_name"])), paths=paths,
    )
    result.tables.update(streamed)
    for key, attr in _TABLES.items():
        result.tables[key] = registry.write(paths, key, getattr(result, attr))
    result.tables["actor_network"] = write_network(result.network, paths.file("actor_network"))
    return result
