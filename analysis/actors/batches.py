"""Batches: the per-unit work of the actors stage, one batch of whole articles at a time, anywhere.

Finding and typing statements, cutting units into voices and coding them,
and finding actor mentions only ever look inside one article (an anaphor
takes the previous speaker *of its article*). So the stage cuts the units
table, streamed in file order, into batches of whole articles
(:func:`article_batches`) and hands each to :func:`attribute_batch` through
:func:`analysis.workers.pool`. A batch returns its statements, its voice
codes and its mentions, plus the small counts the corpus-wide tables are
summed from (:class:`BatchResult`). Rules kept:

* A batch's size depends on the units alone (:data:`BATCH_UNITS`), never on
  ``n_jobs``, and results come back in input order, so the tables are the
  same on one core, on many, or on a cluster.
* A batch carries its texts and the few settings a worker needs
  (:class:`Setup`); each worker compiles the lexicon, gazetteer, alias
  pattern and codebook once and keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from .mentions import find_mentions
from .statements import attribute_statements
from .voices import attributed_codes, code_voices, voice_spans

# Units per batch (whole articles, so a batch may run over): large enough that a
# batch's fixed costs vanish, small enough that a worker holds little and two
# cores share the work evenly. Fixed, so that no table depends on the machine.
BATCH_UNITS = 4000
UNIT_COLUMNS = ("unit_id", "article_id", "position", "unit_type", "text")


@dataclass(frozen=True)
class Setup:
    """What a worker needs to build the stage's tools (small and picklable; workers cache the tools per setup)."""

    language: str
    sources_file: str
    aliases_file: str
    codebook_file: str
    codebook_extra: str
    frame_language: str
    frame_threshold: float
    min_quote_words: int


@dataclass
class BatchResult:
    """One batch's rows and counts (see :func:`attribute_batch`)."""

    statements: pd.DataFrame
    voice_codes: pd.DataFrame
    mentions: pd.DataFrame
    voices: dict = field(default_factory=dict)  # voice -> (article ids, present counts [article x frame], n spans)
    short: dict = field(default_factory=dict)  # (voice, frame) -> spans too short to code
    sources: dict = field(default_factory=dict)  # voice -> set of canonical sources behind its long spans
    source_frames: pd.DataFrame | None = None
    actors: pd.DataFrame | None = None  # actor, label, kind, n_units
    nodes: dict = field(default_factory=dict)  # actor -> (label, kind) at its first mention
    node_units: dict = field(default_factory=dict)  # actor -> units naming it
    edges: dict = field(default_factory=dict)  # (a, b) -> [units naming both, first such unit id]


@lru_cache(maxsize=2)
def _tools(setup: Setup):
    from ..corpus import load_rules
    from ..frames import load_codebook
    from ..text import load_aliases
    from .gazetteer import load_gazetteer
    from .lexicon import compile_lexicon
    from .mentions import alias_table

    return (compile_lexicon(setup.language), load_gazetteer(setup.sources_file or None),
            load_rules(setup.language).abbreviations,
            load_codebook(setup.codebook_file or None, setup.codebook_extra or None),
            alias_table(load_aliases(setup.language, setup.aliases_file or None), setup.language))


def frame_order(setup: Setup) -> list[str]:
    """The codebook's frames, in codebook order."""
    return _tools(setup)[3].frame_ids()


def attribute_batch(item: tuple[Setup, pd.DataFrame]) -> BatchResult:
    """Statements, voice codes and mentions of a batch of whole articles, with the counts summed across batches.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["a-p0"], "article_id": ["a"], "position": [0],
    ...                   "text": ['“Perang ini akan berlangsung lama,” kata Rina Wulandari tentang Rusia.']})
    >>> r = attribute_batch((Setup("id", "", "", "", "", "id", 0.2, 4), u))
    >>> r.statements["speaker"].tolist(), sorted(r.voices)
    (['Rina Wulandari'], ['attributed', 'journalist', 'quoted'])
    """
    setup, units = item
    lex, gaz, abbreviations, codebook, aliases = _tools(setup)
    statements = attribute_statements(units, lex, gaz, abbreviations)
    codes = _dense(code_voices(voice_spans(units, statements), codebook, setup.frame_language,
                               setup.frame_threshold), codebook.frame_ids())
    mentions = find_mentions(units, aliases)
    out = BatchResult(statements, codes, mentions)
    _count_voices(out, codes, statements, setup.min_quote_words)
    _count_mentions(out, mentions)
    return out


def _dense(codes: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    """Every span with every frame (absent: not present, no evidence), whether the coder returned all rows or not."""
    if codes.empty:
        return codes
    spans = codes.drop_duplicates("span_id")
    if len(codes) == len(spans) * len(frames) and codes["frame"].notna().all():
        return codes
    keys = ["span_id", "article_id", "unit_id", "statement_id", "voice", "n_words"]
    grid = spans[keys].loc[spans.index.repeat(len(frames))].assign(frame=np.tile(frames, len(spans)))
    out = grid.merge(codes[["span_id", "frame", "present", "evidence"]].dropna(subset=["frame"]),
                     on=["span_id", "frame"], how="left")
    out["present"] = out["present"].fillna(0).astype("int64")
    out["evidence"] = out["evidence"].fillna("")
    return out.reset_index(drop=True)[list(codes.columns)]


def _count_voices(out: BatchResult, codes: pd.DataFrame, statements: pd.DataFrame, min_words: int) -> None:
    """The batch's share of ``quote_frames`` and ``source_frames`` (counts that add up across batches)."""
    from .voices import REPORTED_VOICES

    if codes.empty:
        return
    allc = pd.concat([codes, attributed_codes(codes)], ignore_index=True)
    long = allc[allc["n_words"] >= min_words]
    short = allc[allc["n_words"] < min_words]
    out.short = short.groupby(["voice", "frame"])["span_id"].nunique().to_dict()
    who = dict(zip(statements["statement_id"], statements["canonical"]))
    frames = list(dict.fromkeys(codes["frame"]))
    for voice in REPORTED_VOICES:
        sub = long[long["voice"] == voice]
        if sub.empty:
            continue
        per = sub.pivot_table(index="article_id", columns="frame", values="present", aggfunc="sum", sort=True)
        n = sub[sub["frame"] == frames[0]].groupby("article_id").size().reindex(per.index).to_numpy(np.int64)
        out.voices[voice] = (per.index.to_numpy(dtype=object), per.reindex(columns=frames).fillna(0)
                             .to_numpy(np.int64), n)
        if voice != "journalist":
            out.sources[voice] = {who.get(s, s) for s in sub["statement_id"] if s}
    sf = codes[(codes["voice"] != "journalist") & (codes["n_words"] >= min_words)]
    if len(sf) and len(statements):
        who_t = statements[["statement_id", "source_type", "speaker", "canonical"]].rename(columns={"speaker": "source"})
        merged = sf.merge(who_t, on="statement_id", how="inner")
        out.source_frames = (merged.groupby(["source_type", "source", "canonical", "voice", "frame"], sort=False)
                             .agg(n_statements=("statement_id", "nunique"), n_with_frame=("present", "sum"))
                             .reset_index())


def _count_mentions(out: BatchResult, mentions: pd.DataFrame) -> None:
    """The batch's share of the actor counts and of the co-mention network."""
    if mentions.empty:
        return
    out.actors = mentions.groupby(["actor", "label", "kind"], as_index=False)["unit_id"].nunique()
    per_unit = mentions.drop_duplicates(["unit_id", "actor"])
    for actor, label, kind in zip(per_unit["actor"], per_unit["label"], per_unit["kind"]):
        out.nodes.setdefault(actor, (label, kind))
    out.node_units = per_unit.groupby("actor")["unit_id"].nunique().to_dict()
    by_unit: dict[str, set] = {}
    for unit_id, actor in zip(per_unit["unit_id"], per_unit["actor"]):
        by_unit.setdefault(unit_id, set()).add(actor)
    for unit_id in sorted(by_unit):
        for pair in combinations(sorted(by_unit[unit_id]), 2):
            edge = out.edges.get(pair)
            if edge is None:
                out.edges[pair] = [1, unit_id]
            else:
                edge[0] += 1


# ------------------------------------------------------------------ reading the units in batches


def _present(path, wanted) -> list[str]:
    import pyarrow.parquet as pq

    names = pq.ParquetFile(path).schema_arrow.names
    return [c for c in wanted if c in names]


def contiguous(path) -> bool:
    """Whether each article's units are consecutive in the units file (the corpus stage writes them so)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    ids = pq.read_table(path, columns=["article_id"]).column("article_id").combine_chunks()
    if len(ids) < 2:
        return True
    runs = 1 + pc.sum(pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1))).as_py()
    return runs == pc.count_distinct(ids).as_py()


def article_batches(path, size: int | None = None):
    """Yield the units file as DataFrames of whole articles, about ``size`` (:data:`BATCH_UNITS`) units each, in file order.

    The file is streamed by record batches; when an article's units are not
    consecutive (a units table not written by the corpus stage), the table is
    read whole and ordered by article first.
    """
    import pyarrow.parquet as pq

    size = size or BATCH_UNITS
    columns = _present(path, UNIT_COLUMNS)
    if not contiguous(path):
        units = pq.read_table(path, columns=columns).to_pandas()
        units = units.sort_values("article_id", kind="stable").reset_index(drop=True)
        yield from _cut(iter([units]), size)
        return
    frames = (b.to_pandas() for b in pq.ParquetFile(path).iter_batches(batch_size=size, columns=columns))
    yield from _cut(frames, size)


def _cut(frames, size: int):
    pending = None
    for df in frames:
        pending = df if pending is None else pd.concat([pending, df], ignore_index=True)
        while len(pending) >= size:
            ids = pending["article_id"].to_numpy()
            last = ids[min(size, len(ids)) - 1]
            # The batch ends with the article of its size-th unit, all of it (it may go on in the next piece).
            stop = size
            while stop < len(ids) and ids[stop] == last:
                stop += 1
            if stop == len(ids):
                break  # the article may go on in the next piece of the file
            yield pending.iloc[:stop].reset_index(drop=True)
            pending = pending.iloc[stop:].reset_index(drop=True)
    if pending is not None and len(pending):
        yield pending


# ------------------------------------------------------------------ what the batches add up to


class Totals:
    """The corpus-wide tables summed from the batches' counts, in the batches' order."""

    def __init__(self):
        self.voices: dict[str, list] = {}
        self.short: dict = {}
        self.sources: dict[str, set] = {}
        self.source_frames: list[pd.DataFrame] = []
        self.actors: list[pd.DataFrame] = []
        self.nodes: dict = {}
        self.node_units: dict = {}
        self.edges: dict = {}

    def add(self, r: BatchResult) -> None:
        for voice, parts in r.voices.items():
            self.voices.setdefault(voice, []).append(parts)
        for key, n in r.short.items():
            self.short[key] = self.short.get(key, 0) + n
        for voice, names in r.sources.items():
            self.sources.setdefault(voice, set()).update(names)
        if r.source_frames is not None and len(r.source_frames):
            self.source_frames.append(r.source_frames)
        if r.actors is not None and len(r.actors):
            self.actors.append(r.actors)
        for actor, info in r.nodes.items():
            self.nodes.setdefault(actor, info)
        for actor, n in r.node_units.items():
            self.node_units[actor] = self.node_units.get(actor, 0) + n
        for pair, (n, first) in r.edges.items():
            edge = self.edges.get(pair)
            if edge is None:
                self.edges[pair] = [n, first]
            else:
                edge[0] += n
                edge[1] = min(edge[1], first)

    def quote_frames(self, frames: list[str], *, n_bootstrap: int, seed: int) -> pd.DataFrame:
        """:func:`.voices.quote_frames` of every batch's voice codes together."""
        from .voices import quote_shares

        voices = {}
        for voice, parts in self.voices.items():
            ids = np.concatenate([p[0] for p in parts])
            order = np.argsort(ids, kind="stable")
            voices[voice] = (np.concatenate([p[1] for p in parts])[order], np.concatenate([p[2] for p in parts])[order])
        return quote_shares(voices, self.short, {v: len(s) for v, s in self.sources.items()}, frames,
                            n_bootstrap=n_bootstrap, seed=seed)

    def source_frames_table(self, frames: list[str]) -> pd.DataFrame:
        """:func:`.voices.source_frames` of every batch's voice codes together."""
        cols = ["source_type", "source", "canonical", "voice", "frame", "n_statements", "n_with_frame", "share"]
        if not self.source_frames:
            return pd.DataFrame(columns=cols)
        keys = ["source_type", "source", "canonical", "voice", "frame"]
        parts = pd.concat(self.source_frames, ignore_index=True)
        out = parts.groupby(keys, sort=False)[["n_statements", "n_with_frame"]].sum().reset_index()
        out["n_statements"] = out["n_statements"].astype("int64")
        out["n_with_frame"] = out["n_with_frame"].astype("int64")
        out["share"] = out["n_with_frame"] / out["n_statements"]
        out["_o"] = out["frame"].map({f: i for i, f in enumerate(frames)})
        return (out.sort_values(["source_type", "source", "voice", "_o"], kind="stable").drop(columns="_o")
                .reset_index(drop=True)[cols])

    def top_actors(self) -> pd.DataFrame:
        """:func:`.mentions.count_actors` of every batch's mentions together."""
        if not self.actors:
            return pd.DataFrame(columns=["actor", "label", "kind", "n_units"])
        counts = pd.concat(self.actors, ignore_index=True).groupby(["actor", "label", "kind"], as_index=False)[
            "unit_id"].sum()
        counts = counts.rename(columns={"unit_id": "n_units"})
        return counts.sort_values(["n_units", "actor"], ascending=[False, True], ignore_index=True)

    def network(self, min_units: int):
        """:func:`.mentions.comention_network` of every batch's mentions together (same nodes and edge order)."""
        import networkx as nx

        G = nx.Graph(name="actor co-mentions")
        keep = {a for a, n in self.node_units.items() if n >= min_units}
        for actor in sorted(keep):
            label, kind = self.nodes[actor]
            G.add_node(actor, label=str(label), kind=str(kind), n_units=int(self.node_units[actor]))
        # Edges in the order the whole-corpus loop creates them: by the first unit naming both, then by pair.
        for (a, b), (n, _first) in sorted(self.edges.items(), key=lambda e: (e[1][1], e[0])):
            if a in keep and b in keep:
                G.add_edge(a, b, weight=n)
        return G
