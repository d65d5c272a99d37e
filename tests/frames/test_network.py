"""Tests for analysis.frames.network: the ANTMN topic network, its communities, the comparison and its claim."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis import frames
from analysis.errors import AnalysisError

from .samples import block_matrix


def test_network_has_cosine_weights_and_no_self_loops():
    dt = block_matrix()
    G = frames.build_topic_network(dt)
    assert nx.number_of_selfloops(G) == 0
    assert G.number_of_nodes() == 6 and G.number_of_edges() == 15
    x, y = dt["topic_0"].to_numpy(), dt["topic_1"].to_numpy()
    assert G["topic_0"]["topic_1"]["weight"] == pytest.approx(x @ y / np.linalg.norm(x) / np.linalg.norm(y))
    assert G["topic_0"]["topic_1"]["weight"] > G["topic_0"]["topic_3"]["weight"]


def test_edge_quantile_backbone_keeps_strong_edges():
    G = frames.build_topic_network(block_matrix(), edge_quantile=0.5)
    assert 0 < G.number_of_edges() < 15
    assert G.has_edge("topic_0", "topic_1") and not G.has_edge("topic_0", "topic_3")


def test_planted_communities_are_recovered():
    fr = frames.detect_frames(frames.build_topic_network(block_matrix()), seed=7)
    groups = {frozenset(g["topic"]) for _, g in fr.groupby("frame")}
    # topics are numbered from 1 for people: columns topic_0..topic_2 are topics 1..3
    assert groups == {frozenset({1, 2, 3}), frozenset({4, 5, 6})}


def test_same_seed_same_network_and_frames(tmp_path):
    dt = block_matrix(seed=3)
    out = []
    for run in range(2):
        G = frames.build_topic_network(dt, edge_quantile=0.2)
        fr = frames.detect_frames(G, resolution=1.0, seed=20240619)
        path = frames.write_network(G, tmp_path / f"run{run}" / "topic_network.graphml")
        out.append((fr, path.read_bytes()))
    pd.testing.assert_frame_equal(out[0][0], out[1][0])
    assert out[0][1] == out[1][1]


def test_describe_and_shares():
    dt = block_matrix()
    fr = frames.detect_frames(frames.build_topic_network(dt), seed=1)
    terms = pd.DataFrame({"topic": [f"topic_{k}" for k in range(6)], "rank": 1,
                          "term": [f"w{k}" for k in range(6)], "probability": 0.1})
    desc = frames.describe_frames(fr, terms, n_terms=3)
    assert desc["prevalence"].sum() == pytest.approx(1.0)
    assert set(desc["top_terms"].str.split(", ").explode()) == {f"w{k}" for k in range(6)}
    shares = frames.unit_frame_shares(dt, fr)
    assert shares.groupby("unit_id")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_bad_doc_topics_raise():
    with pytest.raises(AnalysisError, match="topic_<k>"):
        frames.build_topic_network(pd.DataFrame({"unit_id": ["a"], "topic_0": [1.0]}))
    with pytest.raises(AnalysisError, match="at least 2"):
        frames.build_topic_network(block_matrix().iloc[:1])
    with pytest.raises(AnalysisError, match="missing or infinite"):
        frames.build_topic_network(block_matrix().assign(topic_0=np.nan))


def test_topic_columns_are_found_and_ordered_numerically():
    dt = pd.DataFrame(columns=["unit_id", "topic_10", "article_id", "topic_2", "topic_0", "topic_x", "my_topic_3",
                               "topic_1a"])
    assert frames.topic_columns(dt) == ["topic_0", "topic_2", "topic_10"]


@pytest.mark.parametrize("columns", [["unit_id", "topic_0"], ["unit_id", "topic_a", "topic_b"], []])
def test_topic_columns_needs_two_topics(columns):
    with pytest.raises(AnalysisError, match=r"doc_topics: needs at least two topic_<k> columns"):
        frames.topic_columns(pd.DataFrame(columns=columns))


def test_network_tables_label_topics_and_keep_attributes():
    G = frames.build_topic_network(block_matrix())
    nodes, edges = frames.network_tables(G)
    assert nodes["label"].tolist() == [f"T{k}" for k in range(1, 7)] and "prevalence" in nodes
    assert len(edges) == 15 and edges.columns.tolist() == ["source", "target", "weight"]
    empty_nodes, empty_edges = frames.network_tables(nx.Graph())
    assert empty_nodes.empty and empty_edges.empty


def test_describe_network_says_one_community_is_no_structure():
    G = nx.Graph()
    G.add_weighted_edges_from([("topic_0", "topic_1", 0.9), ("topic_2", "topic_3", 0.8), ("topic_1", "topic_2", 0.1)])
    two = pd.DataFrame({"frame": [1, 0], "topics": ["3, 4", "1, 2"], "prevalence": [0.45, 0.55]})
    text = frames.describe_network(G, two, resolution=1.0, seed=3)
    assert text.startswith("The network of 4 topics has 3 edges (weights 0.10–0.90). Louvain (resolution 1, seed 3) "
                           "finds 2 inductive frames. The largest, frame 0, joins topics 1, 2 and holds 55%")
    one = frames.describe_network(G, two.iloc[:1], resolution=1.0, seed=3)
    assert "finds no community structure" in one and "frame 1" not in one


# ------------------------------------------------------------------ comparison


def test_compare_frames_correlates():
    sc = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "frame": "f", "score": [0.0, 0.5, 1.0]})
    sh = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "frame": 0, "share": [0.1, 0.2, 0.9]})
    assert frames.compare_frames(sc, sh)["rho"].item() == pytest.approx(1.0)


def test_compare_frames_ignores_rounding_noise_in_a_frame_holding_every_topic():
    units = [f"u{i}" for i in range(6)]
    scores = pd.DataFrame({"unit_id": units, "frame": "conflict", "score": [0, 1, 0, 1, 1, 0]})
    # One community of all topics: its share is 1 in every unit, up to float noise.
    shares = pd.DataFrame({"unit_id": units, "frame": 0, "share": [1.0, 0.999999, 1.000001, 1.0, 0.9999991, 1.0]})
    out = frames.compare_frames(scores, shares)
    assert out["rho"].isna().all() and out["n_units"].tolist() == [6]


COMPARISON = pd.DataFrame({"deductive": ["conflict", "economic", "morality"], "inductive": [1, 2, 1],
                           "rho": [0.41, -0.83, np.nan], "n_units": [40, 40, 40]})


def test_closest_match_is_the_largest_absolute_rho_with_its_sign():
    match = frames.closest_match(COMPARISON, {"economic": "Economic"}, units="paragraphs")
    assert match.found and match.row["deductive"] == "economic"
    assert match.text.startswith("The deductive frame that tracks an inductive frame most closely is **Economic** "
                                 "(Spearman ρ = -0.83 with inductive frame 2, over 40 paragraphs).")
    assert "negative" in match.text  # an inverse relation is said in words, not only by the sign


def test_closest_match_positive_and_ties_take_the_first_pair():
    tied = COMPARISON.assign(rho=[0.5, -0.5, 0.2])
    match = frames.closest_match(tied)
    assert match.row["deductive"] == "conflict" and "negative" not in match.text
    assert "**conflict** (Spearman ρ = 0.50 with inductive frame 1, over 40 units)" in match.text


@pytest.mark.parametrize("comparison", [COMPARISON.assign(rho=np.nan), COMPARISON.iloc[:0]])
def test_closest_match_without_a_defined_rho_claims_nothing(comparison):
    match = frames.closest_match(comparison)
    assert not match.found and match.text == frames.NO_COMPARISON and "ρ" not in match.text


# ------------------------------------------------------------------ ANTMN: junk, backbone, Louvain and Leiden


def test_disparity_filter_matches_a_hand_computed_star():
    # a has strength 10 over 3 edges: p = .8 gives α = (1 − .8)² = .04; p = .1 gives .9² = .81.
    # b, c and d have one edge each, which only a's test can judge.
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 8.0), ("a", "c", 1.0), ("a", "d", 1.0)])
    p = frames.disparity_filter(G)
    assert p[("a", "b")] == pytest.approx(0.04) and p[("a", "c")] == pytest.approx(0.81)
    assert frames.mark_backbone(G, 0.05) == 1
    assert [e for e in G.edges if G.edges[e]["backbone"]] == [("a", "b")]
    assert frames.mark_backbone(G, 0.9) == 3


def test_disparity_filter_keeps_the_smaller_alpha_of_the_two_ends():
    # b: strength 6 over (a: 5, c: 1) → α(b–a) = 1/6; a: strength 5.5 over (b: 5, d: .5) → α(a–b) = .5/5.5
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 5.0), ("b", "c", 1.0), ("a", "d", 0.5)])
    p = frames.disparity_filter(G)
    assert p[("a", "b")] == pytest.approx(min(1 / 6, 0.5 / 5.5))
    assert p[("b", "c")] == pytest.approx(5 / 6) and p[("a", "d")] == pytest.approx(5 / 5.5)


def test_network_from_tables_leaves_junk_topics_and_empty_edges_out_and_names_topics():
    nodes = pd.DataFrame({"topic": [1, 2, 3, 4], "prevalence": [.4, .3, .2, .1], "junk": [False, False, True, False]})
    pairs = pd.DataFrame({"source": [1, 1, 1, 2, 2, 3], "target": [2, 3, 4, 3, 4, 4],
                          "weight": [.5, .9, 0.0, .9, .2, .9]})
    G = frames.network_from_tables(nodes, pairs, {1: "Defence pact"})
    assert sorted(G.nodes) == ["topic_0", "topic_1", "topic_3"] and "topic_2" not in G
    assert sorted(G.edges) == [("topic_0", "topic_1"), ("topic_1", "topic_3")]
    assert G.nodes["topic_0"]["label"] == "T1 Defence pact" and G.nodes["topic_1"]["label"] == "T2"


@pytest.mark.parametrize("method", frames.COMMUNITY_METHODS)
def test_louvain_and_leiden_recover_planted_communities_with_a_seed(method):
    G = frames.build_topic_network(block_matrix())
    first = frames.detect_frames(G, seed=7, method=method)
    assert {frozenset(g["topic"]) for _, g in first.groupby("frame")} == {frozenset({1, 2, 3}), frozenset({4, 5, 6})}
    pd.testing.assert_frame_equal(first, frames.detect_frames(frames.build_topic_network(block_matrix()), seed=7,
                                                              method=method))


def test_unknown_community_method_is_refused():
    with pytest.raises(AnalysisError, match="parameter community must be one of louvain, leiden"):
        frames.detect_frames(frames.build_topic_network(block_matrix()), seed=1, method="walktrap")


def test_backbone_edges_table_and_labels_of_frames():
    G = frames.build_topic_network(block_matrix())
    frames.mark_backbone(G, 0.05)
    edges = frames.backbone_edges(G)
    assert edges.columns.tolist() == ["source", "target", "weight", "disparity", "backbone"] and len(edges) == 15
    assert edges["disparity"].between(0, 1).all()
    fr = frames.detect_frames(G, seed=1)
    desc = frames.describe_frames(fr, labels={1: "Pakta", 4: "Ekonomi"})
    assert desc["topic_labels"].tolist() == ["T1 Pakta; T2; T3", "T4 Ekonomi; T5; T6"]


def test_describe_network_names_junk_backbone_and_too_few_topics():
    G = nx.Graph()
    G.add_node("topic_1", topic=2, prevalence=.6)
    G.add_node("topic_2", topic=3, prevalence=.4)
    G.add_edge("topic_1", "topic_2", weight=0.01)
    frames.mark_backbone(G, 0.05)
    s = pd.DataFrame({"frame": [1], "topics": ["2, 3"], "prevalence": [1.0]})
    text = frames.describe_network(G, s, resolution=1.0, seed=3, n_junk=1, backbone_alpha=0.05)
    assert "has 1 edge (weights 0.01–0.01). 1 junk topic is left out." in text
    assert "keeps 0 of the 1 edges" in text and "too few topics to find communities" in text
