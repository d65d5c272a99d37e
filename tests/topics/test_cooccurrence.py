"""Tests for analysis.topics.cooccurrence: the network's inputs from a model, and the junk-topic rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import topics


@pytest.mark.parametrize("coverage", [0.5, 0.8, 0.9, 1.0])
def test_even_spread_divergence_is_the_js_divergence_of_an_even_spread(coverage):
    q = np.full(1000, 1 / 1000)
    p = np.where(np.arange(1000) < coverage * 1000, q / coverage, 0.0)
    assert topics.even_spread_divergence(coverage) == pytest.approx(topics.js_divergence(p, q), abs=1e-9)


def test_js_divergence_is_symmetric_and_bounded():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(8)), rng.dirichlet(np.ones(8))
    assert topics.js_divergence(p, q) == pytest.approx(topics.js_divergence(q, p))
    assert 0 < topics.js_divergence(p, q) < 1
    assert topics.js_divergence([1, 0, 0], [0, 0, 1]) == pytest.approx(1.0)


def _documents(rng, n=60):
    lengths = rng.integers(20, 200, size=n).astype(float)
    specific = (np.arange(n) < n // 3).astype(float)             # in a third of the documents only
    background = np.full(n, 0.3)                                 # the same share of every document
    theta = np.column_stack([specific * 0.7, background, 1 - specific * 0.7 - background])
    return theta, lengths


def test_a_topic_spread_evenly_over_the_documents_is_junk_and_a_specific_one_is_not():
    rng = np.random.default_rng(1)
    theta, lengths = _documents(rng)
    phi = rng.dirichlet(np.full(30, 0.1), size=3)
    freq = rng.integers(1, 50, size=30).astype(float)
    table = topics.topic_specificity(theta, lengths, phi, freq)
    assert table["junk"].tolist() == [False, True, False]
    assert table.loc[1, "reason"] == "spread evenly over the documents"
    assert table.loc[1, "doc_divergence"] < topics.JUNK_DIVERGENCE < table.loc[0, "doc_divergence"]


def test_a_topic_of_the_corpus_words_is_junk():
    rng = np.random.default_rng(2)
    theta, lengths = _documents(rng)
    freq = rng.integers(1, 50, size=30).astype(float)
    phi = np.vstack([rng.dirichlet(np.full(30, 0.1)), freq / freq.sum(), rng.dirichlet(np.full(30, 0.1))])
    table = topics.topic_specificity(theta, lengths, phi, freq)
    assert "as common as the corpus words" in table.loc[1, "reason"]
    assert not table.loc[0, "junk"] and table.loc[1, "word_divergence"] == pytest.approx(0.0, abs=1e-9)


def test_junk_rule_text_states_its_numbers():
    text = topics.junk_rule_text(cite=True)
    assert "90%" in text and f"{topics.JUNK_DIVERGENCE:.3f}" in text and "[@alsumait2009]" in text


def test_topic_cosine_is_the_cosine_of_the_columns():
    from sklearn.metrics.pairwise import cosine_similarity

    theta = np.random.default_rng(3).dirichlet(np.ones(4), size=20)
    np.testing.assert_allclose(topics.topic_cosine(theta), cosine_similarity(theta.T))
    unused = np.column_stack([theta[:, :2], np.zeros(20)])
    assert topics.topic_cosine(unused)[2].tolist() == [0.0, 0.0, 0.0]


def test_network_inputs_list_every_pair_once_with_word_weighted_prevalence():
    theta = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]])
    nodes, pairs = topics.network_inputs("reference", "reference", 7, theta, np.array([3.0, 1.0]),
                                         np.full((3, 4), 0.25), np.ones(4))
    assert nodes["prevalence"].tolist() == [0.75, 0.125, 0.125]
    assert pairs[["source", "target"]].values.tolist() == [[1, 2], [1, 3], [2, 3]]
    assert pairs["weight"].tolist() == [0.0, 0.0, 1.0]
    assert (nodes["model"] == "reference").all() and (nodes["seed"] == 7).all() and (nodes["k"] == 3).all()


def test_alternative_models_are_read_on_one_sample_with_a_fixed_seed():
    a = topics.cooccurrence.sample_positions(100_000, 50, seed=4)
    assert (a == topics.cooccurrence.sample_positions(100_000, 50, seed=4)).all() and len(np.unique(a)) == 50
    assert (np.diff(a) > 0).all()
    assert not (a == topics.cooccurrence.sample_positions(100_000, 50, seed=5)).all()
