"""Tests for analysis.topics.stability: refits, matching and scores on planted topics."""

from __future__ import annotations

import numpy as np

from analysis import topics

from .planted import FAST, block_corpus, bow_corpus

def test_match_topics_undoes_a_permutation():
    rng = np.random.default_rng(3)
    reference = rng.dirichlet(np.full(20, 0.1), size=4)
    order = np.array([2, 0, 3, 1])
    index, cosine = topics.match_topics(reference, reference[order])
    assert np.array_equal(order[index], np.arange(4))
    np.testing.assert_allclose(cosine, 1.0)


def test_stability_score_falls_for_a_perturbed_topic():
    rng = np.random.default_rng(4)
    reference = rng.dirichlet(np.full(40, 0.05), size=4)
    refits = []
    for _ in range(3):
        other = reference + rng.normal(0, 1e-4, reference.shape).clip(0)
        other[2] = rng.dirichlet(np.full(40, 1.0))  # topic 3 is redrawn in every refit
        refits.append(other[rng.permutation(4)])
    table = topics.score_stability(reference, refits, top_n=5, threshold=0.8)
    assert table["topic"].tolist() == [1, 2, 3, 4]
    assert table.loc[2, "stability"] < 0.8 < table.drop(index=2)["stability"].min()
    assert table["unstable"].tolist() == [False, False, True, False]
    assert table.loc[2, "jaccard"] < table.drop(index=2)["jaccard"].min()


def test_stability_falls_for_a_topic_the_data_cannot_pin_down():
    # Three planted topics; asking for a fourth forces the model to invent one
    # (split or junk topic) that the refits do not reproduce.
    _, texts = block_corpus(seed=0)
    dictionary, corpus = bow_corpus(texts)
    params = topics.TopicParams(n_stability_seeds=3, **FAST)
    right = topics.assess_stability(corpus, dictionary, topics.fit_lda(corpus, dictionary, 3, params=params, seed=1),
                                    params=params, seed=1)
    over = topics.assess_stability(corpus, dictionary, topics.fit_lda(corpus, dictionary, 4, params=params, seed=1),
                                   params=params, seed=1)
    assert right["stability"].min() >= 0.95 and not right["unstable"].any()
    assert over["stability"].min() < 0.8
    assert over["unstable"].sum() == 1
    assert over["stability"].min() < right["stability"].min()


def test_stability_seeds_are_derived_deterministically():
    assert topics.stability_seeds(7, 3) == topics.stability_seeds(7, 3)
    assert len(set(topics.stability_seeds(7, 3))) == 3
    assert topics.stability_seeds(7, 3) != topics.stability_seeds(8, 3)
