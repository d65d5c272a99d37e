"""The actors stage: :func:`analyse_actors` reads a run's units and frame codes and writes every actors table.

It reads ``units``, ``articles``, ``frames_units`` and ``codebook`` through
the registry and writes the statements and their sources, the counts by type
and by origin, the frames inside quotes against the journalist's words, the
wire comparison, the check of attribution against the speaker coding, the
actor mentions and the co-mention network. Notebook ``04-actors-and-sources``
calls it and displays what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd

from .. import registry
from ..corpus import load_rules, resolve_language
from ..errors import AnalysisError
from ..frames import choose_language, load_codebook, write_network
from ..parameters import check_values, notebook_default
from ..registry import RunPaths
from ..text import LANGUAGES, load_aliases
from . import sentences
from .gazetteer import load_gazetteer
from .lexicon import compile_lexicon, load_attribution
from .mentions import alias_table, comention_network, count_actors, find_mentions
from .sources import count_by, summarise_sources
from .statements import attribute_statements
from .validation import (IDENTITIES, KINDS, load_speaker_coding, resolve_speaker_coding, score_attribution)
from .voices import code_voices, quote_frames, source_frames, story_origins, voice_spans, wire_frames

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
    voice_frames: pd.DataFrame
    quote_frames: pd.DataFrame
    source_frames: pd.DataFrame
    story_origins: pd.DataFrame
    wire_frames: pd.DataFrame
    attribution_scores: pd.DataFrame
    attribution_mismatches: pd.DataFrame
    attribution_summary: pd.DataFrame
    mentions: pd.DataFrame
    top_actors: pd.DataFrame
    network: nx.Graph
    frame_names: dict[str, str]
    tables: dict[str, Path] = field(default_factory=dict)

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


def _check(paths: RunPaths, attribution: dict, statements: pd.DataFrame, units: pd.DataFrame, lex,
           params: ActorParams) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    folder = resolve_speaker_coding(params.speaker_coding, params.corpus)
    gold, info = load_speaker_coding(folder, {k: v for k, v in code_lists(attribution).items()})
    if len(gold) and not set(gold["article_id"]) & set(units["article_id"]):
        if params.speaker_coding != "auto":
            raise AnalysisError(f"parameter speaker_coding={params.speaker_coding!r}: its statements are from "
                                "articles this run does not have (a coding of another corpus)")
        gold = gold.iloc[:0]  # "auto" found the coding of another corpus than this run's: none applies
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


# Registry key → ActorsResult attribute of every table the stage writes.
_TABLES = {
    "statements": "statements", "sources": "sources", "source_types": "source_types",
    "source_origins": "source_origins", "voice_frames": "voice_frames", "quote_frames": "quote_frames",
    "source_frames": "source_frames", "story_origins": "story_origins", "wire_frames": "wire_frames",
    "attribution_scores": "attribution_scores", "attribution_mismatches": "attribution_mismatches",
    "attribution_summary": "attribution_summary", "actor_mentions": "mentions",
}


def analyse_actors(paths: RunPaths, params: ActorParams | None = None) -> ActorsResult:
    """Run the actors stage on a run folder: statements, their sources' types and origins, voices and frames.

    Stages 01 and 03 must have run (units, articles, frame codes, codebook).

    Examples
    --------
    >>> result = analyse_actors(registry.run_paths("ru-alliances-id"))  # doctest: +SKIP
    >>> result.describe_sources()  # doctest: +SKIP
    """
    params = params or ActorParams()
    units, articles = registry.read(paths, "units"), registry.read(paths, "articles")
    frames_units = registry.read(paths, "frames_units")
    codebook_table = registry.read(paths, "codebook", ["frame", "frame_name"])
    language = resolve_language(params.language, articles, LANGUAGES)
    attribution = load_attribution()
    lex = compile_lexicon(language)
    gaz = load_gazetteer(params.sources_file or None)
    statements = attribute_statements(units, lex, gaz, load_rules(language).abbreviations)
    codebook = load_codebook(params.codebook_file or None, params.codebook_extra or None)
    frame_language = choose_language(params.language, articles, codebook)
    codes = code_voices(voice_spans(units, statements), codebook, frame_language, params.frame_threshold)
    origins = story_origins(articles)
    scores, mismatches, summary = _check(paths, attribution, statements, units, lex, params)
    aliases = alias_table(load_aliases(language, params.aliases_file or None), language)
    mentions = find_mentions(units, aliases)
    result = ActorsResult(
        params=params, language=language, attribution=attribution, statements=statements,
        sources=summarise_sources(statements),
        source_types=count_by(statements, "source_type", attribution["source_types"]),
        source_origins=count_by(statements, "origin", attribution["origins"]), voice_frames=codes,
        quote_frames=quote_frames(codes, min_words=lex.min_quote_words, n_bootstrap=params.n_bootstrap,
                                  seed=params.seed, statements=statements),
        source_frames=source_frames(codes, statements, min_words=lex.min_quote_words), story_origins=origins,
        wire_frames=wire_frames(origins, frames_units[["unit_id", "article_id", "frame", "present"]],
                                n_bootstrap=params.n_bootstrap, seed=params.seed),
        attribution_scores=scores, attribution_mismatches=mismatches, attribution_summary=summary,
        mentions=mentions, top_actors=count_actors(mentions),
        network=comention_network(mentions, min_units=NETWORK_MIN_UNITS),
        frame_names=dict(zip(codebook_table["frame"], codebook_table["frame_name"])),
    )
    if len(units) == 0:
        raise AnalysisError("no units: the corpus is empty", path=paths.file("units"))
    for key, attr in _TABLES.items():
        result.tables[key] = registry.write(paths, key, getattr(result, attr))
    result.tables["actor_network"] = write_network(result.network, paths.file("actor_network"))
    return result
