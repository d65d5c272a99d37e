"""Inductive frames (ANTMN, Walter & Ophir 2019) and their comparison with the deductive ones.

The nodes of a network are the LDA topics; an edge joins two topics with the
cosine similarity of their columns in the document-topic matrix, at the level
the model was fitted on (articles or paragraphs), so topics that co-occur in
the same documents are linked. What ANTMN does, this module does:

* **Junk topics are left out.** A topic the topic stage flags as junk
  (:data:`analysis.topics.JUNK_RULE`) is no node of the network.
* **Backbone.** Serrano et al.'s (2009) disparity filter marks the edges that
  carry a significant share of a node's strength (:func:`disparity_filter`);
  they are drawn and exported as the backbone. Communities use the full
  weighted network, as ANTMN does by default.
* **Communities are frames**, found by Louvain (Blondel et al. 2008; networkx)
  or Leiden (Traag et al. 2019; leidenalg), each with an explicit ``seed``, so
  the same seed always gives the same frames (the reference R code has none).

The comparison correlates each deductive frame's unit scores with each
inductive frame's unit shares (Spearman); :func:`closest_match` states the
strongest pair, once, for the notebook and the Findings page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..files import require_columns
from ..outputs import count_noun, escape_markdown
from ..topics import topic_column, topic_cosine, topic_number
from .prevalence import frame_name

_TOPIC_COL = re.compile(r"^topic_(\d+)$")

#: Community detection methods of the topic network.
COMMUNITY_METHODS = ("louvain", "leiden")


def topic_columns(doc_topics: pd.DataFrame) -> list[str]:
    """Return the ``topic_<k>`` columns of a document-topic table, in topic order."""
    cols = [c for c in doc_topics.columns if _TOPIC_COL.match(str(c))]
    if len(cols) < 2:
        raise AnalysisError("doc_topics: needs at least two topic_<k> columns to build a topic network")
    return sorted(cols, key=lambda c: int(_TOPIC_COL.match(c).group(1)))


def _prune(G: nx.Graph, edge_quantile: float) -> nx.Graph:
    """Keep edges whose weight is at least the ``edge_quantile``-quantile of all weights (0 keeps every edge)."""
    weights = [d["weight"] for _, _, d in G.edges(data=True)]
    if edge_quantile > 0 and weights:
        cut = float(np.quantile(weights, edge_quantile))
        G.remove_edges_from([(a, b) for a, b, d in G.edges(data=True) if d["weight"] < cut])
    return G


def build_topic_network(doc_topics: pd.DataFrame, edge_quantile: float = 0.0) -> nx.Graph:
    """Build the ANTMN topic network from a wide document-topic matrix (every topic a node, units weighed equally).

    The topic stage writes the network's inputs at the level it fitted
    (:func:`network_from_tables`); this builds the same network from any
    matrix. Nodes are topics (``topic_<k>``) with ``topic`` (from 1) and
    ``prevalence`` (mean share); edges join every two topics with weight =
    cosine similarity of their columns, no self-loops. With
    ``edge_quantile`` q > 0, only edges at or above the q-quantile of the
    weights are kept (the notebook parameter, checked by :class:`FrameParams`).

    Examples
    --------
    >>> dt = pd.DataFrame({"topic_0": [.9, .8, .1], "topic_1": [.1, .2, .9]})
    >>> G = build_topic_network(dt)
    >>> sorted(G.nodes), G.number_of_edges()
    (['topic_0', 'topic_1'], 1)
    """
    cols = topic_columns(doc_topics)
    if len(doc_topics) < 2:
        raise AnalysisError(f"doc_topics: {len(doc_topics)} unit(s); a topic network needs at least 2")
    X = doc_topics[cols].to_numpy(dtype=float)
    if not np.isfinite(X).all():
        raise AnalysisError("doc_topics: topic columns contain missing or infinite values")
    nodes = pd.DataFrame({"topic": [topic_number(c) for c in cols], "prevalence": X.mean(axis=0), "junk": False})
    sim = topic_cosine(X)
    iu = np.triu_indices(len(cols), k=1)
    pairs = pd.DataFrame({"source": iu[0] + 1, "target": iu[1] + 1, "weight": sim[iu]})
    return network_from_tables(nodes, pairs, edge_quantile=edge_quantile)


def network_from_tables(nodes: pd.DataFrame, pairs: pd.DataFrame, labels: Mapping[int, str] | None = None, *,
                        edge_quantile: float = 0.0) -> nx.Graph:
    """Build one model's topic network from its rows of ``topic_network_nodes`` and ``topic_network_pairs``.

    Junk topics are left out; an edge of weight 0 (topics that never share a
    document) is no edge. Nodes are ``topic_<k>`` with ``topic``,
    ``prevalence`` and ``label`` ("T<k> label" when ``labels`` names it).

    >>> nodes = pd.DataFrame({"topic": [1, 2, 3], "prevalence": [.5, .3, .2], "junk": [False, False, True]})
    >>> pairs = pd.DataFrame({"source": [1, 1, 2], "target": [2, 3, 3], "weight": [.4, .9, .9]})
    >>> sorted(network_from_tables(nodes, pairs).edges)
    [('topic_0', 'topic_1')]
    """
    labels = labels or {}
    G = nx.Graph(name="ANTMN topic network")
    kept = nodes[~nodes["junk"].astype(bool)].sort_values("topic")
    for row in kept.itertuples(index=False):
        t = int(row.topic)
        G.add_node(topic_column(t), topic=t, prevalence=float(row.prevalence),
                   label=f"T{t} {labels[t]}" if labels.get(t) else f"T{t}")
    for row in pairs.sort_values(["source", "target"]).itertuples(index=False):
        a, b = topic_column(int(row.source)), topic_column(int(row.target))
        if a in G and b in G and row.weight > 0:
            G.add_edge(a, b, weight=float(row.weight))
    return _prune(G, edge_quantile)


def disparity_filter(G: nx.Graph, weight: str = "weight") -> dict[tuple, float]:
    """Serrano et al.'s (2009) disparity filter: each edge's p-value under the null of evenly spread strength.

    For a node *i* of degree k > 1 and strength s (the sum of its edge
    weights), an edge of weight w carries the share p = w / s, and
    α = (1 − p)^(k − 1) is the chance that one of k − 1 uniform cuts of the
    unit interval leaves a share that large. An edge keeps the smaller α of its
    two ends; a node of degree 1 has no alternative edge to test, so only the
    other end counts (α = 1 at its own end). An edge is in the backbone at
    level a when α < a.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "b", 8), ("a", "c", 1), ("a", "d", 1)])
    >>> {e: round(p, 2) for e, p in disparity_filter(G).items()}
    {('a', 'b'): 0.04, ('a', 'c'): 0.81, ('a', 'd'): 0.81}
    """
    strength = dict(G.degree(weight=weight))
    degree = dict(G.degree())

    def alpha(node, w):
        k, s = degree[node], strength[node]
        return 1.0 if k < 2 or s <= 0 else float((1 - w / s) ** (k - 1))

    return {(a, b): min(alpha(a, d[weight]), alpha(b, d[weight])) for a, b, d in G.edges(data=True)}


def mark_backbone(G: nx.Graph, alpha: float) -> int:
    """Set each edge's ``disparity`` (p-value) and ``backbone`` (p < ``alpha``) attributes; return the backbone's size.

    >>> G = nx.Graph([("a", "b", {"weight": 8}), ("a", "c", {"weight": 1}), ("a", "d", {"weight": 1})])
    >>> mark_backbone(G, 0.05), G["a"]["b"]["backbone"]
    (1, True)
    """
    p = disparity_filter(G)
    for (a, b), value in p.items():
        G[a][b]["disparity"] = round(value, 6)
        G[a][b]["backbone"] = bool(value < alpha)
    return sum(v < alpha for v in p.values())


def communities(G: nx.Graph, *, method: str = "louvain", resolution: float = 1.0, seed: int) -> list[list[str]]:
    """The communities of ``G`` by ``method`` (``louvain`` or ``leiden``), each sorted, in no particular order.

    Both optimise modularity with the same ``resolution`` (Leiden through
    leidenalg's RBConfiguration partition, which is modularity with a
    resolution), each with the explicit ``seed``. Leiden guarantees connected
    communities, which Louvain does not (Traag et al. 2019).

    >>> G = nx.Graph([("a", "b", {"weight": 1}), ("c", "d", {"weight": 1})])
    >>> sorted(communities(G, seed=1)) == sorted(communities(G, method="leiden", seed=1)) == [["a", "b"], ["c", "d"]]
    True
    """
    if method not in COMMUNITY_METHODS:
        raise AnalysisError(f"parameter community must be one of {', '.join(COMMUNITY_METHODS)}, got {method!r}")
    if G.number_of_nodes() == 0:
        return []
    if method == "louvain":
        found = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
        return [sorted(c) for c in found]
    import igraph as ig
    import leidenalg as la

    order = sorted(G.nodes)
    g = ig.Graph(n=len(order), edges=[(order.index(a), order.index(b)) for a, b in G.edges])
    g.es["weight"] = [float(d.get("weight", 1.0)) for _, _, d in G.edges(data=True)]
    # leidenalg takes a C int seed
    part = la.find_partition(g, la.RBConfigurationVertexPartition, weights="weight",
                             resolution_parameter=resolution, seed=int(seed) % (2 ** 31 - 1), n_iterations=-1)
    return [sorted(order[i] for i in members) for members in part]


def number_communities(G: nx.Graph, found: list[list[str]]) -> dict[str, int]:
    """Number communities from 1 by decreasing total prevalence (ties: lowest topic); return node → number.

    >>> G = nx.Graph()
    >>> G.add_nodes_from([("topic_0", {"topic": 1, "prevalence": .2}), ("topic_1", {"topic": 2, "prevalence": .8})])
    >>> number_communities(G, [["topic_0"], ["topic_1"]])
    {'topic_1': 1, 'topic_0': 2}
    """
    prev = nx.get_node_attributes(G, "prevalence")
    topic = nx.get_node_attributes(G, "topic")
    ranked = sorted((sorted(c, key=lambda n: topic[n]) for c in found),
                    key=lambda c: (-round(sum(prev[n] for n in c), 12), topic[c[0]]))
    return {n: f for f, members in enumerate(ranked, start=1) for n in members}


def detect_frames(G: nx.Graph, *, resolution: float = 1.0, seed: int, method: str = "louvain") -> pd.DataFrame:
    """Find inductive frames: the communities of the topic network (:func:`communities`).

    Frames are numbered by decreasing total topic prevalence (ties by lowest
    topic), and each node gets a ``frame`` attribute. ``resolution`` and
    ``method`` are notebook parameters, checked by :class:`FrameParams`.

    Returns
    -------
    topic (int, counted from 1), node (doc_topics column), frame (int, counted from 1, as topics are),
    prevalence.

    Examples
    --------
    >>> dt = pd.DataFrame({"topic_0": [.5, .4, 0, .05], "topic_1": [.45, .5, .05, 0],
    ...                    "topic_2": [.05, 0, .5, .45], "topic_3": [0, .1, .45, .4]})
    >>> detect_frames(build_topic_network(dt), seed=1)["frame"].tolist()
    [1, 1, 2, 2]
    """
    numbers = number_communities(G, communities(G, method=method, resolution=resolution, seed=seed))
    prev = nx.get_node_attributes(G, "prevalence")
    topic = nx.get_node_attributes(G, "topic")
    for n, f in numbers.items():
        G.nodes[n]["frame"] = f
    rows = [{"topic": topic[n], "node": n, "frame": f, "prevalence": prev[n]} for n, f in numbers.items()]
    return pd.DataFrame(rows, columns=["topic", "node", "frame", "prevalence"]).sort_values("topic").reset_index(
        drop=True)


def describe_network(G: nx.Graph, summary: pd.DataFrame, *, resolution: float, seed: int, method: str = "louvain",
                     n_junk: int = 0, backbone_alpha: float | None = None) -> str:
    """Return the prose on the topic network and its communities, from :func:`describe_frames`' table.

    One community holding every topic is said to be no structure, not "one frame".

    Examples
    --------
    >>> G = nx.Graph([("topic_0", "topic_1", {"weight": 0.05}), ("topic_1", "topic_2", {"weight": 0.04})])
    >>> s = pd.DataFrame({"frame": [0], "topics": ["1, 2, 3"], "prevalence": [1.0]})
    >>> describe_network(G, s, resolution=1.0, seed=7)[:120]
    'The network of 3 topics has 2 edges (weights 0.04–0.05). Louvain (resolution 1, seed 7) finds no community structure: al'
    """
    weights = [d.get("weight", 0.0) for _, _, d in G.edges(data=True)]
    span = f" (weights {min(weights):.2f}–{max(weights):.2f})" if weights else ""
    junk = f" {count_noun(n_junk, 'junk topic')} {'is' if n_junk == 1 else 'are'} left out." if n_junk else ""
    backbone = ""
    if backbone_alpha is not None and weights:
        size = sum(bool(d.get("backbone")) for _, _, d in G.edges(data=True))
        backbone = (f" Its backbone (disparity filter, α = {backbone_alpha:g}) keeps {size} of the "
                    f"{len(weights)} edges.")
    head = (f"The network of {G.number_of_nodes()} topics has {count_noun(G.number_of_edges(), 'edge')}{span}.{junk}{backbone} "
            f"{method.capitalize()} (resolution {resolution:g}, seed {seed}) ")
    tail = " The network is downloadable as GraphML for Gephi."
    if G.number_of_nodes() < 3:
        return (head + f"has too few topics to find communities in: {G.number_of_nodes()} topic(s) remain, so this "
                "corpus yields no inductive frames." + tail)
    if len(summary) <= 1:
        return (head + "finds no community structure: all topics fall into one community, so this corpus yields no "
                "distinct inductive frames. Topics rarely share a document, so the links are weak and alike." + tail)
    top = summary.sort_values("prevalence", ascending=False).iloc[0]
    return (head + f"finds {len(summary)} inductive frames. The largest, frame {int(top['frame'])}, joins topics "
            f"{top['topics']} and holds {top['prevalence']:.0%} of the topic mass." + tail)


def describe_frames(
    frames: pd.DataFrame, topic_terms: pd.DataFrame | None = None, n_terms: int = 8,
    labels: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """Summarise inductive frames: member topics, top terms, prevalence, the topics' labels.

    A frame's top terms pool its topics' terms, weighting each term's
    probability by its topic's prevalence, so frequent topics speak louder.

    Returns
    -------
    frame, topics, n_topics, prevalence, top_terms, topic_labels ("T2 label; T5 label").

    Examples
    --------
    >>> fr = pd.DataFrame({"topic": [0, 1], "node": ["topic_0", "topic_1"], "frame": [0, 0], "prevalence": [.6, .4]})
    >>> tt = pd.DataFrame({"topic": [0, 1], "rank": [1, 1], "term": ["a", "b"], "probability": [.5, .5]})
    >>> describe_frames(fr, tt)["top_terms"].item()
    'a, b'
    """
    rows = []
    labels = labels or {}
    terms = _normalise_topic_terms(topic_terms) if topic_terms is not None else None
    for f, grp in frames.groupby("frame", sort=True):
        topics = sorted(grp["topic"])
        row = {
            "frame": int(f),
            "topics": ", ".join(str(t) for t in topics),
            "n_topics": len(grp),
            "prevalence": float(grp["prevalence"].sum()),
            "top_terms": "",
            "topic_labels": "; ".join(f"T{t} {labels.get(t, '')}".strip() for t in topics),
        }
        if terms is not None:
            weight = grp.set_index("topic")["prevalence"]
            sub = terms[terms["topic"].isin(weight.index)].copy()
            sub["w"] = sub["probability"] * sub["topic"].map(weight)
            top = sub.groupby("term")["w"].sum().reset_index().sort_values(["w", "term"], ascending=[False, True])
            row["top_terms"] = ", ".join(top["term"].head(n_terms))
        rows.append(row)
    return pd.DataFrame(rows, columns=["frame", "topics", "n_topics", "prevalence", "top_terms", "topic_labels"])


def _normalise_topic_terms(topic_terms: pd.DataFrame) -> pd.DataFrame:
    require_columns(topic_terms, ("topic", "term", "probability"), "topic_terms")
    out = topic_terms.copy()
    # topic_terms numbers topics from 1 (as people see them); accept doc_topics
    # column names ("topic_0" = topic 1) too.
    out["topic"] = out["topic"].map(lambda t: topic_number(t) if str(t).startswith("topic_") else int(t))
    return out


def unit_frame_shares(doc_topics: pd.DataFrame, frames: pd.DataFrame) -> pd.DataFrame:
    """Return each unit's share of each inductive frame (sum of its topics' shares; junk topics are in no frame).

    Returns a long table: unit_id, article_id, frame, share.

    Examples
    --------
    >>> dt = pd.DataFrame({"unit_id": ["u"], "article_id": ["a"], "topic_0": [.7], "topic_1": [.3]})
    >>> fr = pd.DataFrame({"topic": [0, 1], "node": ["topic_0", "topic_1"], "frame": [0, 1], "prevalence": [.7, .3]})
    >>> unit_frame_shares(dt, fr)["share"].tolist()
    [0.7, 0.3]
    """
    require_columns(doc_topics, ("unit_id", "article_id"), "doc_topics")
    parts = [doc_topics[["unit_id", "article_id"]].assign(frame=int(f), share=doc_topics[list(grp["node"])].sum(axis=1))
             for f, grp in frames.groupby("frame", sort=True)]
    if not parts:
        return pd.DataFrame(columns=["unit_id", "article_id", "frame", "share"])
    return pd.concat(parts, ignore_index=True).sort_values(["unit_id", "frame"]).reset_index(drop=True)


def network_tables(G: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(nodes, edges)`` tables of a network for plotting and download.

    ``nodes`` has ``node``, every node attribute, and ``label`` (the node's
    ``label`` attribute, else "T<k>" for topics, else the node id); ``edges``
    has ``source``, ``target``, ``weight``.

    Examples
    --------
    >>> G = build_topic_network(pd.DataFrame({"topic_0": [.9, .1], "topic_1": [.1, .9]}))
    >>> network_tables(G)[0]["label"].tolist()
    ['T1', 'T2']
    """
    nodes = pd.DataFrame([{"node": n, **attrs} for n, attrs in G.nodes(data=True)])
    if nodes.empty:
        nodes = pd.DataFrame(columns=["node", "label"])
    if "label" not in nodes.columns:
        nodes["label"] = [f"T{t}" for t in nodes["topic"]] if "topic" in nodes.columns else nodes["node"]
    edges = pd.DataFrame(
        [(a, b, float(d.get("weight", 1.0))) for a, b, d in G.edges(data=True)], columns=["source", "target", "weight"]
    )
    return nodes, edges


def backbone_edges(G: nx.Graph) -> pd.DataFrame:
    """The network's edges with their disparity p-value and whether they are in the backbone (:func:`mark_backbone`).

    >>> G = nx.Graph([("a", "b", {"weight": .5, "disparity": .01, "backbone": True})])
    >>> backbone_edges(G)["backbone"].tolist()
    [True]
    """
    return pd.DataFrame([(a, b, float(d.get("weight", 1.0)), float(d.get("disparity", np.nan)),
                          bool(d.get("backbone", False))) for a, b, d in G.edges(data=True)],
                        columns=["source", "target", "weight", "disparity", "backbone"])


def write_network(G: nx.Graph, path: Path) -> Path:
    """Write ``G`` as GraphML (for Gephi) to ``path`` (a registered file, e.g. ``paths.file("topic_network")``).

    >>> import tempfile
    >>> write_network(nx.Graph([("a", "b")]), Path(tempfile.mkdtemp()) / "g.graphml").suffix
    '.graphml'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(G, path)
    return path


# --------------------------------------------------------------------------- comparison


def compare_frames(unit_scores: pd.DataFrame, unit_shares: pd.DataFrame, *, units=None,
                   frames: list | None = None) -> pd.DataFrame:
    """Correlate deductive frame scores with inductive frame shares over units.

    Spearman rank correlation across units, one row per (deductive frame,
    inductive frame) pair; NaN where a frame never varies. With ``units``
    (every unit id) and ``frames`` (the deductive frames, in order),
    ``unit_scores`` may be sparse (``frames_units``): a missing score is 0.

    Returns
    -------
    deductive, inductive, rho, n_units.

    Examples
    --------
    >>> sc = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "frame": "f", "score": [0.0, 0.5, 1.0]})
    >>> sh = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "frame": 1, "share": [0.1, 0.2, 0.9]})
    >>> compare_frames(sc, sh)["rho"].item()
    1.0
    """
    ded = unit_scores.pivot_table(index="unit_id", columns="frame", values="score", sort=False)
    if units is not None:
        ded = ded.reindex(index=pd.Index(sorted(units), name="unit_id"),
                          columns=list(frames if frames is not None else ded.columns)).fillna(0.0)
    ind = unit_shares.pivot_table(index="unit_id", columns="frame", values="share")
    common = ded.index.intersection(ind.index)
    ded, ind = ded.loc[common], ind.loc[common]
    rows = []
    for d in ded.columns:
        for i in ind.columns:
            # Topic proportions are float32 sums: a frame holding every topic is 1 up to
            # noise of about 1e-6, which must not be read as variation.
            a, b = ded[d].round(5), ind[i].round(5)
            rho = a.corr(b, method="spearman") if a.nunique() > 1 and b.nunique() > 1 else float("nan")
            rows.append({"deductive": d, "inductive": int(i), "rho": rho, "n_units": len(common)})
    return pd.DataFrame(rows, columns=["deductive", "inductive", "rho", "n_units"])


# Said when no pair has a defined ρ (every frame constant over the units).
NO_COMPARISON = "No frame varies enough across units to compare the two approaches."


@dataclass(frozen=True)
class ClosestMatch:
    """The (deductive, inductive) pair with the strongest correlation, and the sentence that states it.

    ``row`` is that row of :func:`compare_frames` (None when no ρ is defined).
    """

    row: pd.Series | None
    text: str

    @property
    def found(self) -> bool:
        return self.row is not None


def closest_match(comparison: pd.DataFrame, names: Mapping[str, str] | None = None, *,
                  units: str = "units") -> ClosestMatch:
    """Return the deductive frame that tracks an inductive frame most closely: the largest |ρ|, its sign shown.

    Ties in |ρ| go to the first pair in the table's order (codebook order,
    then inductive frame number).

    Examples
    --------
    >>> c = pd.DataFrame({"deductive": ["a", "b"], "inductive": [1, 2], "rho": [0.4, -0.8], "n_units": [9, 9]})
    >>> closest_match(c, {"b": "Economic"}).text
    'The deductive frame that tracks an inductive frame most closely is **Economic** (Spearman ρ = -0.80 with inductive frame 2, over 9 units). The correlation is negative: units high on one tend to be low on the other.'
    """
    defined = comparison.dropna(subset=["rho"]) if not comparison.empty else comparison
    if defined.empty:
        return ClosestMatch(None, NO_COMPARISON)
    # Strength in either direction: the comparison asks whether the keyword codebook and
    # the topic network measure related things, and a strong negative ρ (the codebook
    # frame is absent where the inductive frame is strong) answers that as clearly as a
    # positive one. The sign is always printed, and a negative one is said in words, so
    # "tracks" is never read as "agrees".
    best = defined.loc[defined["rho"].abs().idxmax()]
    text = (f"The deductive frame that tracks an inductive frame most closely is "
            f"**{frame_name(names, best['deductive'])}** (Spearman ρ = {best['rho']:.2f} with inductive frame "
            f"{escape_markdown(best['inductive'])}, over {int(best['n_units'])} {units}).")
    if best["rho"] < 0:
        text += " The correlation is negative: units high on one tend to be low on the other."
    return ClosestMatch(best, text)
