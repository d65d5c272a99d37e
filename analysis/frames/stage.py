"""The frames stage: :func:`analyse_frames` reads a run's units and topics and writes every frames table.

It reads ``units``, ``articles``, ``doc_topics`` and ``topic_terms`` through
the registry (internal Parquet, never a published CSV; the units by Parquet
batches, coded in chunks over :func:`analysis.workers.pool`) and writes, through
the registry, the codebook as used, the question codes and unit scores (sparse:
the yes codes and the scores above 0 only; every count's universe is ``units``),
the article roll-up, the evidence table, prevalence overall, by outlet, by
date and by unit type (headlines and leads against the body), the inductive
frames with their shares by outlet and article, the comparison of the two, how
stable the inductive frames are (:mod:`.stability`), and the topic network as
GraphML. The network is built from the topic stage's ``topic_network_nodes``
and ``topic_network_pairs`` (at the level the model was fitted on, junk topics
left out); a run without them (written before they existed) gets the network
of the units' ``doc_topics`` and no stability. Notebook ``03-analyse-frames``
calls it and displays what it returns.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import networkx as nx
import pandas as pd

from .. import registry
from ..errors import AnalysisError
from ..files import read_yaml
from ..parameters import check_values, notebook_default
from ..registry import RunPaths
from .codebook import Codebook, load_codebook
from .coding import CodedUnits, choose_language, code_unit_file, describe_coding, rollup_articles
from .network import (ClosestMatch, build_topic_network, closest_match, communities, compare_frames,
                      describe_frames, describe_network, detect_frames, mark_backbone, network_from_tables,
                      number_communities, unit_frame_shares, write_network)
from .prevalence import TopFrames, frame_prevalence, most_common_frames, outlet_gap
from .prevalence import compare_unit_types, headline_codes, unit_type_prevalence
from .stability import FrameStability, assess_frame_stability, frame_stability


@dataclass(frozen=True)
class FrameParams:
    """Parameters of the frames stage; defaults and ranges are notebook 03's parameters cell.

    Examples
    --------
    >>> FrameParams().frame_threshold
    0.2
    >>> FrameParams(frame_threshold=1.5)
    Traceback (most recent call last):
    ...
    analysis.errors.AnalysisError: frames parameters: parameter 'frame_threshold' must be between 0.0 and 1.0, got 1.5
    """

    language: str = notebook_default("language")
    codebook_file: str = notebook_default("codebook_file")
    codebook_extra: str = notebook_default("codebook_extra")
    resolution: float = notebook_default("resolution")
    edge_quantile: float = notebook_default("edge_quantile")
    backbone_alpha: float = notebook_default("backbone_alpha")
    community: str = notebook_default("community")
    min_ari: float = notebook_default("min_ari")
    frame_threshold: float = notebook_default("frame_threshold")
    min_units: int = notebook_default("min_units")
    n_bootstrap: int = notebook_default("n_bootstrap")
    seed: int = notebook_default("seed")

    def __post_init__(self):
        check_values(self, source="frames parameters")


@dataclass
class FramesResult:
    """What :func:`analyse_frames` computed and wrote (``tables``: registry key → path)."""

    params: FrameParams
    codebook: Codebook
    language: str
    codebook_table: pd.DataFrame
    codes: pd.DataFrame
    unit_scores: pd.DataFrame
    article_scores: pd.DataFrame
    evidence: pd.DataFrame
    prevalence: pd.DataFrame
    prevalence_outlet: pd.DataFrame
    prevalence_date: pd.DataFrame
    network: nx.Graph
    inductive: pd.DataFrame
    inductive_summary: pd.DataFrame
    inductive_topics: pd.DataFrame
    inductive_stability: pd.DataFrame
    shares: pd.DataFrame
    inductive_outlet: pd.DataFrame
    inductive_article: pd.DataFrame
    comparison: pd.DataFrame
    # Headlines and leads against the body (unit types of the corpus stage).
    prevalence_unit_type: pd.DataFrame = field(default_factory=pd.DataFrame)
    headlines: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_units: int = 0
    # Rows of frame_codes_units and frame_evidence: ``codes`` and ``evidence`` hold only their first rows.
    n_codes: int = 0
    n_evidence: int = 0
    tables: dict[str, Path] = field(default_factory=dict)

    @property
    def frame_names(self) -> dict[str, str]:
        return self.codebook.frame_names()

    def describe_coding(self) -> str:
        """The sentence on what the deductive coding found."""
        return describe_coding(self.codes, self.unit_scores, self.codebook, threshold=self.params.frame_threshold,
                               min_units=self.params.min_units, n_units=self.n_units, n_yes=self.n_codes)

    def top_frames(self, units: str = "units") -> TopFrames:
        """The most common frame(s), ties named (:func:`most_common_frames`)."""
        return most_common_frames(self.prevalence, self.frame_names, articles=self.article_scores, units=units)

    def outlet_gap(self, units: str = "units") -> str:
        """The frame outlets differ on most (:func:`outlet_gap`)."""
        return outlet_gap(self.prevalence_outlet, self.frame_names, units=units)

    def unit_type_gap(self, units: str = "units") -> str:
        """Headlines and leads against the body, the indicators' raw codes (:func:`compare_unit_types`)."""
        return compare_unit_types(self.prevalence_unit_type, self.frame_names, units=units)

    def describe_network(self) -> str:
        """The prose on the topic network (:func:`describe_network`)."""
        return describe_network(self.network, self.inductive_summary, resolution=self.params.resolution,
                                seed=self.params.seed, method=self.params.community,
                                n_junk=int(self.inductive_topics["junk"].sum()),
                                backbone_alpha=self.params.backbone_alpha)

    def frame_stability(self) -> FrameStability:
        """How stable the inductive frames are, and the sentence that says so (:func:`assess_frame_stability`)."""
        return assess_frame_stability(self.inductive_stability, threshold=self.params.min_ari,
                                      n_frames=len(self.inductive_summary), n_topics=self.network.number_of_nodes(),
                                      method=self.params.community)

    def closest_match(self, units: str = "units") -> ClosestMatch:
        """The deductive frame that tracks an inductive frame most closely (:func:`closest_match`).

        Without distinct inductive frames there is nothing to compare; frames that are not stable are compared
        as a description only, and the sentence says so first.
        """
        verdict = self.frame_stability()
        if not verdict.structure:
            return ClosestMatch(None, "There are no distinct inductive frames to compare the deductive frames with.")
        match = closest_match(self.comparison, self.frame_names, units=units)
        if match.found and verdict.stable is not True:
            return ClosestMatch(match.row, f"The inductive frames are {verdict.headline}, so this is description, "
                                           f"not a finding: {match.text}")
        return match


def resolve_n_jobs(paths: RunPaths, n_units: int) -> int:
    """Worker processes for per-unit work: notebook 02's ``n_jobs`` as the run recorded it, by its rule.

    0 (the default) means every core beyond 2,000 units and one process below
    (starting workers costs more than it saves on a small corpus), the rule of
    :func:`analysis.text.prepare.scale_params`.
    """
    import os

    recorded = read_yaml(paths.params, what="run parameters") if paths.params.is_file() else {}
    n_jobs = int(recorded.get("n_jobs", 0) or 0) if isinstance(recorded, dict) else 0
    if n_jobs == 0:
        n_jobs = (os.cpu_count() or 1) if n_units > 2_000 else 1
    return max(1, n_jobs)


def _n_units(paths: RunPaths) -> int:
    import pyarrow.parquet as pq

    path = paths.file("units")
    if not path.is_file():
        raise AnalysisError("missing: run notebook 01-build-corpus first", path=path)
    try:
        n = pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError) as exc:
        raise AnalysisError(f"cannot read the units ({exc}); run notebook 01-build-corpus first", path=path) from None
    if n == 0:
        raise AnalysisError("no units: the corpus is empty", path=path)
    return n


def _read_inputs(paths: RunPaths) -> tuple[pd.DataFrame, ...]:
    # The articles' metadata, not their text: the units carry the text the stage codes.
    return (registry.read_without(paths, "articles", "text"), registry.read(paths, "doc_topics"),
            registry.read(paths, "topic_terms"))


def _deductive(coded: CodedUnits, articles, codebook: Codebook, params: FrameParams) -> dict:
    """Scores, roll-up and prevalence overall, by outlet, by date and by unit type, from the sparse codes."""
    units, frames = coded.units, coded.frames
    out = {"codes": coded.codes, "evidence": coded.evidence, "n_units": len(units), "n_codes": coded.n_codes,
           "n_evidence": coded.n_evidence}
    out["unit_scores"] = coded.scores(params.frame_threshold)
    out["article_scores"] = rollup_articles(out["unit_scores"], params.min_units, units=units, frames=frames)
    prevalence = partial(frame_prevalence, out["unit_scores"], articles, n_bootstrap=params.n_bootstrap,
                         seed=params.seed, units=units[["unit_id", "article_id"]], frames=frames)
    out["prevalence"] = prevalence()
    out["prevalence_outlet"] = prevalence(by="outlet")
    out["prevalence_date"] = prevalence(by="date")
    out["prevalence_unit_type"] = unit_type_prevalence(out["unit_scores"], units, n_bootstrap=params.n_bootstrap,
                                                       seed=params.seed, sparse=True, frames=frames)
    out["headlines"] = headline_codes(coded.headlines, out["unit_scores"], codebook.frame_names())
    return out


def _read_network_inputs(paths: RunPaths) -> dict:
    """The topic stage's network tables and labels, where this run has them (see the module docstring)."""
    inputs = {}
    if registry.exists(paths, "topic_labels"):
        inputs["topic_labels"] = registry.read(paths, "topic_labels")
    if registry.exists(paths, "topic_network_nodes") and registry.exists(paths, "topic_network_pairs"):
        inputs["topic_network_nodes"] = registry.read(paths, "topic_network_nodes")
        inputs["topic_network_pairs"] = registry.read(paths, "topic_network_pairs")
        if registry.exists(paths, "topic_refit_units"):
            inputs["topic_refit_units"] = registry.read(paths, "topic_refit_units")
    return inputs


def _topic_table(nodes: pd.DataFrame, network: nx.Graph, labels: dict, params: FrameParams) -> pd.DataFrame:
    """``inductive_topics``: every topic with its Louvain and Leiden community and its frame (0: junk, left out)."""
    found = {method: number_communities(network, communities(network, method=method, resolution=params.resolution,
                                                             seed=params.seed))
             for method in ("louvain", "leiden")}
    frame = nx.get_node_attributes(network, "frame")
    rows = []
    for row in nodes.sort_values("topic").itertuples(index=False):
        node = f"topic_{int(row.topic) - 1}"
        rows.append({"topic": int(row.topic), "label": labels.get(int(row.topic), ""), "junk": bool(row.junk),
                     "prevalence": float(row.prevalence), "louvain": found["louvain"].get(node, 0),
                     "leiden": found["leiden"].get(node, 0), "frame": frame.get(node, 0)})
    return pd.DataFrame(rows, columns=["topic", "label", "junk", "prevalence", "louvain", "leiden", "frame"])


def _inductive(doc_topics, topic_terms, articles, params: FrameParams, inputs: dict | None = None) -> dict:
    """The topic network, its backbone and communities, their stability, their shares per unit, outlet and article."""
    inputs = inputs or {}
    labels_table = inputs.get("topic_labels")
    labels = dict(zip(labels_table["topic"], labels_table["label"])) if labels_table is not None else {}
    if "topic_network_nodes" in inputs:
        nodes = inputs["topic_network_nodes"].query("model == 'reference'")
        network = network_from_tables(nodes, inputs["topic_network_pairs"].query("model == 'reference'"), labels,
                                      edge_quantile=params.edge_quantile)
    else:  # a run of an older topic stage: the units' network, every topic a node
        network = build_topic_network(doc_topics, params.edge_quantile)
        nodes = pd.DataFrame({"topic": nx.get_node_attributes(network, "topic").values(),
                              "prevalence": nx.get_node_attributes(network, "prevalence").values(), "junk": False})
    mark_backbone(network, params.backbone_alpha)
    inductive = detect_frames(network, resolution=params.resolution, seed=params.seed, method=params.community)
    shares = unit_frame_shares(doc_topics, inductive)
    stability = (frame_stability(inputs["topic_network_nodes"], inputs["topic_network_pairs"],
                                 inputs["topic_refit_units"], method=params.community, resolution=params.resolution,
                                 seed=params.seed, edge_quantile=params.edge_quantile)
                 if "topic_refit_units" in inputs else pd.DataFrame(columns=["model", "kind", "k", "seed", "n_units",
                                                                             "n_frames", "ari"]))
    return {
        "network": network,
        "inductive": inductive,
        "inductive_summary": describe_frames(inductive, topic_terms, labels=labels),
        "inductive_topics": _topic_table(nodes, network, labels, params),
        "inductive_stability": stability.astype({"k": int, "seed": int, "n_units": int, "n_frames": int,
                                                 "ari": float}),
        "shares": shares,
        "inductive_outlet": frame_prevalence(shares, articles, by="outlet", value="share",
                                             n_bootstrap=params.n_bootstrap, seed=params.seed),
        # Per article the shares are described, not estimated: no interval.
        "inductive_article": frame_prevalence(shares, by="article_id", value="share", n_bootstrap=0,
                                              seed=params.seed)[["group", "frame", "n_units", "prevalence"]],
    }


# Registry key → FramesResult attribute of every table the stage writes.
_TABLES = {
    "codebook": "codebook_table", "frames_units": "unit_scores", "frames_articles": "article_scores",
    "frame_prevalence": "prevalence", "frame_prevalence_outlet": "prevalence_outlet",
    "frame_prevalence_date": "prevalence_date", "frame_prevalence_unit_type": "prevalence_unit_type",
    "inductive_frames": "inductive_summary",
    "inductive_topics": "inductive_topics", "inductive_stability": "inductive_stability",
    "inductive_prevalence_outlet": "inductive_outlet", "inductive_prevalence_article": "inductive_article",
    "frame_comparison": "comparison",
}


def analyse_frames(paths: RunPaths, params: FrameParams | None = None) -> FramesResult:
    """Run the frames stage on a run folder: deductive coding, ANTMN frames, their comparison.

    Parameters
    ----------
    paths : the run folder (:func:`analysis.registry.run_paths`); stages 01 and 02 must have run.
    params : :class:`FrameParams` (default: notebook 03's defaults).

    Returns
    -------
    FramesResult
        Every table it wrote, the codebook and language used, the topic network,
        and the claims (``top_frames()``, ``closest_match()`` …) as sentences.

    Examples
    --------
    >>> result = analyse_frames(registry.run_paths("ru-alliances-id"))  # doctest: +SKIP
    >>> result.top_frames().text  # doctest: +SKIP
    """
    params = params or FrameParams()
    n_units = _n_units(paths)
    articles, doc_topics, topic_terms = _read_inputs(paths)
    codebook = load_codebook(params.codebook_file or None, params.codebook_extra or None)
    language = choose_language(params.language, articles, codebook)
    # The yes codes and their evidence go to their files as the chunks are coded (nothing after reads them);
    # the files replace the earlier run's only when the whole stage has succeeded.
    with ExitStack() as stack:
        streams = {"codes": stack.enter_context(registry.TableWriter(paths, "frame_codes_units")),
                   "evidence": stack.enter_context(registry.TableWriter(paths, "frame_evidence"))}
        coded = code_unit_file(paths.file("units"), codebook, language, n_jobs=resolve_n_jobs(paths, n_units),
                               streams=streams)
        deductive = _deductive(coded, articles, codebook, params)
        inductive = _inductive(doc_topics, topic_terms, articles, params, _read_network_inputs(paths))
        comparison = compare_frames(deductive["unit_scores"], inductive["shares"], units=coded.units["unit_id"],
                                    frames=coded.frames)
        result = FramesResult(params=params, codebook=codebook, language=language,
                              codebook_table=codebook.to_table(language), comparison=comparison, **deductive,
                              **inductive)
    result.tables.update({"frame_codes_units": streams["codes"].path, "frame_evidence": streams["evidence"].path})
    for key, attr in _TABLES.items():
        result.tables[key] = registry.write(paths, key, getattr(result, attr))
    result.tables["topic_network"] = write_network(result.network, paths.file("topic_network"))
    return result
