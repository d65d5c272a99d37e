"""Inductive frames (ANTMN, Walter & Ophir 2019) and their comparison with the deductive ones.

The nodes of a network are the LDA topics; an edge joins two topics with the
cosine similarity of their columns in the document-topic matrix, so topics
that co-occur in the same units are linked. Communities of that network,
found by seeded Louvain (Blondel et al. 2008, networkx's implementation), are
frames. Unlike the reference R code, the community step takes an explicit
``seed``, so the same seed always gives the same frames.

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
from ..outputs import escape_markdown
from ..topics import topic_number
from ..files import require_columns
from .prevalence import frame_name

_TOPIC_COL = re.compile(r"^topic_(\d+)$")


def topic_columns(doc_topics: pd.DataFrame) -> list[str]:
    """Return the ``topic_<k>`` columns of a document-topic table, in topic order."""
    cols = [c for c in doc_topics.columns if _TOPIC_COL.match(str(c))]
    if len(cols) < 2:
        raise AnalysisError("doc_topics: needs at least two topic_<k> columns to build a topic network")
    return sorted(cols, key=lambda c: int(_TOPIC_COL.match(c).group(1)))


def build_topic_network(doc_topics: pd.DataFrame, edge_quantile: float = 0.0) -> nx.Graph:
    """Build the ANTMN topic network from a document-topic matrix.

    Nodes are topics (``topic_<k>``) with attribute ``prevalence`` (mean share
    over units; ANTMN weighs by document length, we weigh units equally because
    units are paragraphs of similar size). Edges join every pair of distinct
    topics with weight = cosine similarity of their columns; no self-loops.

    Backbone: with ``edge_quantile`` q > 0, only edges whose weight is at least
    the q-quantile of all pair weights are kept (a simple global threshold; the
    disparity filter of Serrano et al. 2009 is the alternative ANTMN offers,
    but on a handful of topics a quantile is easier to read and to report).
    ``edge_quantile`` is the notebook parameter, checked by :class:`FrameParams`.

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
    from sklearn.metrics.pairwise import cosine_similarity

    X = doc_topics[cols].to_numpy(dtype=float)
    if not np.isfinite(X).all():
        raise AnalysisError("doc_topics: topic columns contain missing or infinite values")
    sim = cosine_similarity(X.T)
    iu = np.triu_indices(len(cols), k=1)
    weights = sim[iu]
    cut = float(np.quantile(weights, edge_quantile)) if edge_quantile > 0 else -np.inf
    G = nx.Graph(name="ANTMN topic network")
    prevalence = X.mean(axis=0)
    for k, col in enumerate(cols):
        # ``topic`` is the number people see (from 1, as in every topic table and figure).
        G.add_node(col, topic=topic_number(col), prevalence=float(prevalence[k]))
    for i, j, w in zip(*iu, weights):
        if w > 0 and w >= cut:
            G.add_edge(cols[i], cols[j], weight=float(w))
    return G


def detect_frames(G: nx.Graph, *, resolution: float = 1.0, seed: int) -> pd.DataFrame:
    """Find inductive frames: Louvain communities of the topic network.

    Uses networkx's seeded ``louvain_communities`` (Blondel et al. 2008), so
    the same graph and seed always give the same partition. Frames are
    numbered by decreasing total topic prevalence (ties by lowest topic), and
    each node gets a ``frame`` attribute. ``resolution`` is the notebook
    parameter, checked by :class:`FrameParams`.

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
    communities = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    prev = nx.get_node_attributes(G, "prevalence")
    topic = nx.get_node_attributes(G, "topic")
    ranked = sorted(
        (sorted(c, key=lambda n: topic[n]) for c in communities),
        key=lambda c: (-round(sum(prev[n] for n in c), 12), topic[c[0]]),
    )
    rows = []
    for f, members in enumerate(ranked, start=1):
        for n in members:
            G.nodes[n]["frame"] = f
            rows.append({"topic": topic[n], "node": n, "frame": f, "prevalence": prev[n]})
    return pd.DataFrame(rows).sort_values("topic").reset_index(drop=True)


def describe_network(G: nx.Graph, summary: pd.DataFrame, *, resolution: float, seed: int) -> str:
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
    head = (f"The network of {G.number_of_nodes()} topics has {G.number_of_edges()} edges{span}. "
            f"Louvain (resolution {resolution:g}, seed {seed}) ")
    tail = " The network is downloadable as GraphML for Gephi."
    if len(summary) <= 1:
        return (head + "finds no community structure: all topics fall into one community, so this corpus yields no "
                "distinct inductive frames. Topics rarely share a unit, so the links are weak and alike." + tail)
    top = summary.sort_values("prevalence", ascending=False).iloc[0]
    return (head + f"finds {len(summary)} inductive frames. The largest, frame {int(top['frame'])}, joins topics "
            f"{top['topics']} and holds {top['prevalence']:.0%} of the topic mass." + tail)


def describe_frames(
    frames: pd.DataFrame, topic_terms: pd.DataFrame | None = None, n_terms: int = 8
) -> pd.DataFrame:
    """Summarise inductive frames: member topics, top terms, prevalence.

    A frame's top terms pool its topics' terms, weighting each term's
    probability by its topic's prevalence, so frequent topics speak louder.

    Returns
    -------
    frame, topics, n_topics, prevalence, top_terms.

    Examples
    --------
    >>> fr = pd.DataFrame({"topic": [0, 1], "node": ["topic_0", "topic_1"], "frame": [0, 0], "prevalence": [.6, .4]})
    >>> tt = pd.DataFrame({"topic": [0, 1], "rank": [1, 1], "term": ["a", "b"], "probability": [.5, .5]})
    >>> describe_frames(fr, tt)["top_terms"].item()
    'a, b'
    """
    rows = []
    terms = _normalise_topic_terms(topic_terms) if topic_terms is not None else None
    for f, grp in frames.groupby("frame", sort=True):
        row = {
            "frame": int(f),
            "topics": ", ".join(str(t) for t in sorted(grp["topic"])),
            "n_topics": len(grp),
            "prevalence": float(grp["prevalence"].sum()),
            "top_terms": "",
        }
        if terms is not None:
            weight = grp.set_index("topic")["prevalence"]
            sub = terms[terms["topic"].isin(weight.index)].copy()
            sub["w"] = sub["probability"] * sub["topic"].map(weight)
            top = sub.groupby("term")["w"].sum().reset_index().sort_values(["w", "term"], ascending=[False, True])
            row["top_terms"] = ", ".join(top["term"].head(n_terms))
        rows.append(row)
    return pd.DataFrame(rows)


def _normalise_topic_terms(topic_terms: pd.DataFrame) -> pd.DataFrame:
    require_columns(topic_terms, ("topic", "term", "probability"), "topic_terms")
    out = topic_terms.copy()
    # topic_terms numbers topics from 1 (as people see them); accept doc_topics
    # column names ("topic_0" = topic 1) too.
    out["topic"] = out["topic"].map(lambda t: topic_number(t) if str(t).startswith("topic_") else int(t))
    return out


def unit_frame_shares(doc_topics: pd.DataFrame, frames: pd.DataFrame) -> pd.DataFrame:
    """Return each unit's share of each inductive frame (sum of its topics' shares).

    Returns a long table: unit_id, article_id, frame, share.

    Examples
    --------
    >>> dt = pd.DataFrame({"unit_id": ["u"], "article_id": ["a"], "topic_0": [.7], "topic_1": [.3]})
    >>> fr = pd.DataFrame({"topic": [0, 1], "node": ["topic_0", "topic_1"], "frame": [0, 1], "prevalence": [.7, .3]})
    >>> unit_frame_shares(dt, fr)["share"].tolist()
    [0.7, 0.3]
    """
    require_columns(doc_topics, ("unit_id", "article_id"), "doc_topics")
    parts = []
    for f, grp in frames.groupby("frame", sort=True):
        parts.append(
            doc_topics[["unit_id", "article_id"]].assign(frame=int(f), share=doc_topics[list(grp["node"])].sum(axis=1))
        )
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


def compare_frames(unit_scores: pd.DataFrame, unit_shares: pd.DataFrame) -> pd.DataFrame:
    """Correlate deductive frame scores with inductive frame shares over units.

    Spearman rank correlation across units, one row per (deductive frame,
    inductive frame) pair; NaN where a frame never varies.

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
