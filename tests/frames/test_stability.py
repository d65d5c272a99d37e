"""Tests for analysis.frames.stability: the adjusted Rand index of inductive frames across models, and its verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import frames, registry, topics
from analysis.registry import RunPaths

from .samples import block_matrix


def model_tables(name: str, kind: str, dt: pd.DataFrame, *, seed: int = 1):
    """One model's rows of the topic stage's network tables, from a wide unit-topic matrix."""
    theta = dt.filter(like="topic_").to_numpy()
    k = theta.shape[1]
    # each topic its own word: no topic is junk by its words
    nodes, pairs = topics.network_inputs(name, kind, seed, theta, np.ones(len(dt)), np.eye(k), np.ones(k))
    units = topics.tidy_doc_topics(dt, ["unit_id"]).assign(model=name)[["model", "unit_id", "topic", "weight"]]
    return nodes, pairs, units


def tables(*models):
    parts = [model_tables(*m) for m in models]
    return tuple(pd.concat([p[i] for p in parts], ignore_index=True) for i in range(3))


def permuted(dt, order):
    cols = [f"topic_{k}" for k in order]
    out = dt[["unit_id", "article_id", *cols]].copy()
    out.columns = ["unit_id", "article_id", *[f"topic_{k}" for k in range(len(order))]]
    return out


def scrambled(seed=5, n=60):
    rng = np.random.default_rng(seed)
    dt = block_matrix(n=n)
    dt[[f"topic_{k}" for k in range(6)]] = rng.dirichlet(np.full(6, 0.3), size=n)
    return dt


def test_the_same_frames_under_other_topic_numbers_agree_perfectly_and_chance_frames_do_not():
    dt = block_matrix()
    nodes, pairs, units = tables(("reference", "reference", dt), ("seed-1", "seed", permuted(dt, [4, 2, 0, 5, 3, 1])),
                                 ("k-7", "k", scrambled()))
    table = frames.frame_stability(nodes, pairs, units, method="louvain", resolution=1.0, seed=3)
    ari = table.set_index("model")["ari"]
    assert ari["seed-1"] == pytest.approx(1.0)
    assert ari["k-7"] < 0.3
    assert ari["reference-leiden"] == pytest.approx(1.0)  # Leiden finds the planted frames too
    assert table.set_index("model").loc["seed-1", "n_units"] == 60
    assert table["kind"].tolist() == ["seed", "k", "method"]


def test_junk_topics_of_a_model_take_no_part_in_its_frames():
    dt = block_matrix()
    nodes, pairs, units = tables(("reference", "reference", dt))
    nodes.loc[nodes["topic"] == 1, "junk"] = True
    found = frames.model_frames(nodes, pairs, method="louvain", resolution=1.0, seed=1)
    assert sorted(found) == [2, 3, 4, 5, 6] and found[2] == found[3] != found[4] == found[5] == found[6]


def test_dominant_frame_ties_go_to_the_lower_frame_and_frameless_units_to_zero():
    w = pd.DataFrame({"unit_id": ["u", "u", "v"], "topic": [1, 2, 3], "weight": [.5, .5, 1.0]})
    assert frames.dominant_frames(w, {1: 2, 2: 1}).to_dict() == {"u": 1, "v": 0}


def verdict_table(aris, kinds=None):
    kinds = kinds or ["seed"] * len(aris)
    return pd.DataFrame({"model": [f"m{i}" for i in range(len(aris))] + ["reference-leiden"],
                         "kind": kinds + ["method"], "k": 4, "seed": 1, "n_units": 80, "n_frames": 2,
                         "ari": aris + [0.95]})


def test_verdict_stable_not_stable_and_not_measured():
    stable = frames.assess_frame_stability(verdict_table([0.9, 0.7], ["seed", "k"]), threshold=0.65, n_frames=2,
                                           n_topics=6)
    assert stable.stable and stable.headline == "stable across refits"
    assert stable.text.startswith("The inductive frames are **stable** across 1 refit with other seeds and the "
                                  "neighbouring K (4): the units' dominant frames agree with this model's at a mean "
                                  "adjusted Rand index of 0.80 (lowest 0.70; threshold 0.65")
    assert "Leiden and Louvain agree on this model's network at ARI 0.95" in stable.text
    weak = frames.assess_frame_stability(verdict_table([0.9, 0.2, 0.3]), threshold=0.65, n_frames=3, n_topics=6)
    assert weak.stable is False and "**not stable**" in weak.text and "are no finding" in weak.text
    none = frames.assess_frame_stability(verdict_table([]), threshold=0.65, n_frames=2, n_topics=6)
    assert none.stable is None and "was not measured" in none.text


def test_one_community_or_too_few_topics_is_no_structure_whatever_the_ari():
    one = frames.assess_frame_stability(verdict_table([1.0, 1.0]), threshold=0.65, n_frames=1, n_topics=5)
    assert one.structure is False and one.stable is False and "single community" in one.text
    assert "1.00" not in one.text and one.headline == "no community structure"
    two = frames.assess_frame_stability(verdict_table([1.0]), threshold=0.65, n_frames=2, n_topics=2)
    assert "has 2 topic(s) once junk topics are left out" in two.text


@pytest.fixture
def run(tmp_path) -> RunPaths:
    """A run as the topic stage leaves it, with the network tables of the chosen model, one refit and one K."""
    paths = RunPaths(tmp_path / "run").create()
    dt = block_matrix(n=24)
    texts = ["Perang dan sanksi terhadap Rusia.", "Kerja sama militer dan pakta pertahanan.", "Cuaca cerah."]
    units = dt[["unit_id", "article_id"]].assign(text=[texts[i % 3] for i in range(len(dt))])
    articles = pd.DataFrame({"article_id": sorted(units["article_id"].unique())}).assign(
        outlet="X", date="2024-06-19", language="id")
    terms = pd.DataFrame({"topic": range(1, 7), "rank": 1, "term": [f"w{k}" for k in range(6)],
                          "probability": 0.1, "relevance": 0.0, "lift": 1.0})
    labels = pd.DataFrame({"topic": range(1, 7), "label": [f"label {k}" for k in range(1, 7)], "top_terms": "",
                           "source": "user"})
    nodes, pairs, refit = tables(("reference", "reference", dt), ("seed-9", "seed", permuted(dt, [1, 0, 2, 3, 4, 5])),
                                 ("k-5", "k", scrambled(n=24)))
    for key, df in (("units", units), ("articles", articles), ("doc_topics", dt), ("topic_terms", terms),
                    ("topic_labels", labels), ("topic_network_nodes", nodes), ("topic_network_pairs", pairs),
                    ("topic_refit_units", refit)):
        df.to_parquet(paths.file(key), index=False)
    return paths


def test_analyse_frames_measures_and_states_stability(run):
    result = frames.analyse_frames(run, frames.FrameParams(n_bootstrap=20))
    table = registry.read(run, "inductive_stability")
    assert table["model"].tolist() == ["seed-9", "k-5", "reference-leiden"]
    assert table.set_index("model").loc["seed-9", "ari"] == pytest.approx(1.0)
    verdict = result.frame_stability()
    assert verdict.n_models == 2 and verdict.structure
    topics_table = registry.read(run, "inductive_topics")
    assert topics_table["label"].tolist()[0] == "label 1" and (topics_table["louvain"] > 0).all()
    assert registry.read(run, "inductive_frames")["topic_labels"].str.contains("T1 label 1").any()
    assert "backbone" in result.describe_network()


def test_frames_that_are_not_stable_are_compared_as_description_only(run):
    result = frames.analyse_frames(run, frames.FrameParams(n_bootstrap=0))
    verdict = result.frame_stability()
    assert verdict.stable is False  # one refit agrees, the scrambled neighbouring K does not
    assert result.closest_match().text.startswith("The inductive frames are not stable, so this is description, "
                                                  "not a finding: The deductive frame")


def test_the_index_is_missing_when_the_chosen_model_has_one_frame():
    dt = block_matrix()
    one = dt.copy()
    one[[f"topic_{k}" for k in range(6)]] = 1 / 6  # every topic in every unit alike: one community
    nodes, pairs, units = tables(("reference", "reference", one), ("seed-1", "seed", one))
    table = frames.frame_stability(nodes, pairs, units, method="louvain", resolution=1.0, seed=3)
    assert table["ari"].isna().all()
    ax = frames.plot_frame_stability(table, threshold=0.65)
    assert "not defined" in " ".join(t.get_text() for t in ax.texts)


@pytest.mark.slow
def test_planted_frames_are_found_from_articles_of_short_paragraphs_and_are_stable(tmp_path):
    """End to end: articles mix the topics of one of two planted groups; their paragraphs have ten tokens."""
    from topics.planted import write_run  # tests/ is on the path (its conftest), as for `from conftest import …`

    rng = np.random.default_rng(0)
    groups, block = ([0, 1, 2], [3, 4, 5]), 5
    texts, ids = [], []
    for a in range(100):
        theta = np.zeros(6)
        theta[groups[a % 2]] = rng.dirichlet(np.ones(3))
        words = [f"w{i:03d}" for k, n in enumerate(rng.multinomial(60, theta))
                 for i in rng.choice(np.arange(k * block, (k + 1) * block), size=n)]
        words = [words[i] for i in rng.permutation(len(words))]
        texts += [words[p * 10:(p + 1) * 10] for p in range(6)]
        ids += [f"art{a:02d}"] * 6
    paths = write_run(tmp_path / "run", texts, ids)
    result = topics.fit_topics(paths, params=topics.TopicParams(k_min=5, k_max=7, n_stability_seeds=2, passes=60,
                                                                alpha="auto"), seed=4, explorer=False)
    assert result.topic_unit.unit == "article" and result.n_topics == 6
    found = frames.analyse_frames(paths, frames.FrameParams(n_bootstrap=0))
    verdict = found.frame_stability()
    assert verdict.stable and verdict.mean_ari > 0.9 and verdict.method_ari == pytest.approx(1.0)
    # each frame's topics draw their words from one planted group's blocks
    terms = registry.read(paths, "topic_terms").query("rank <= 3")
    group_of = terms.assign(group=terms["term"].str[1:].astype(int) // (3 * block)).groupby("topic")["group"].agg(
        lambda g: g.mode().iloc[0])
    for _, members in found.inductive.groupby("frame"):
        assert group_of[members["topic"]].nunique() == 1
    assert found.inductive["frame"].nunique() == 2
