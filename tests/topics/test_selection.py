"""Tests for analysis.topics.selection: the K sweep, coherence, diversity and the K rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import topics

from .planted import aligned, block_corpus, bow_corpus

def _sweep(**columns):
    base = {"k": [2, 3, 4, 5], "c_v": [0.4, 0.5, 0.6, 0.3], "c_npmi": [0.0, 0.1, 0.2, -0.1],
            "u_mass": [-1.0, -2.0, -3.0, -4.0], "diversity": [1.0, 0.9, 0.8, 0.7]}
    base.update(columns)
    return pd.DataFrame(base)


def test_choose_k_takes_the_most_coherent_diverse_k():
    k, reason, table = topics.choose_k(_sweep())
    assert k == 4 and table["chosen"].tolist() == [False, False, True, False]
    assert "K = 4" in reason and "diversity" in reason


def test_choose_k_respects_the_diversity_floor_and_breaks_ties_to_smaller_k():
    k, _, table = topics.choose_k(_sweep(diversity=[1.0, 0.9, 0.3, 0.2]), min_diversity=0.5)
    assert k == 3 and table["eligible"].tolist() == [True, True, False, False]
    k, _, _ = topics.choose_k(_sweep(c_v=[0.5, 0.5, 0.1, 0.1], c_npmi=[0.2, 0.2, 0.0, 0.0]))
    assert k == 2


def test_choose_k_keeps_a_fixed_k():
    k, reason, _ = topics.choose_k(_sweep(), n_topics=5)
    assert k == 5 and "n_topics" in reason


def test_topic_diversity():
    assert topics.topic_diversity(np.eye(3), top_n=1) == 1.0
    assert topics.topic_diversity(np.array([[0.6, 0.4, 0.0], [0.5, 0.5, 0.0]]), top_n=2) == 0.5


def test_sample_for_coherence_has_a_fixed_seed_is_aligned_and_complete_when_small():
    bows = [[(i, 1)] for i in range(50)]
    texts = [[f"w{i}"] for i in range(50)]
    a = topics.sample_for_coherence(bows, texts, 10, seed=7)
    b = topics.sample_for_coherence(bows, texts, 10, seed=7)
    c = topics.sample_for_coherence(bows, texts, 10, seed=8)
    assert a == b and a != c
    assert len(a[0]) == len(a[1]) == 10
    # the bag of words and the tokens of a sampled unit stay paired
    assert all(bow[0][0] == int(tok[0][1:]) for bow, tok in zip(*a))
    assert topics.sample_for_coherence(bows, texts, 0, seed=7) == (bows, texts)
    assert topics.sample_for_coherence(bows, texts, 80, seed=7) == (bows, texts)


class _FixedTopics:
    """A stand-in model with a given topic-word matrix (all that coherence looks at)."""

    def __init__(self, topic_word):
        self.topic_word = topic_word

    def get_topics(self):
        return self.topic_word


def _mixed_topics(n_topics: int = 3, block: int = 8) -> np.ndarray:
    """Topics that each take two words from every planted block: incoherent by construction."""
    mixed = np.zeros((n_topics, n_topics * block))
    for k in range(n_topics):
        for b in range(n_topics):
            mixed[k, [b * block + 2 * k, b * block + 2 * k + 1]] = 1 / (2 * n_topics)
    return mixed


def test_score_coherence_prefers_the_planted_topics():
    beta, texts = block_corpus(seed=0)
    dictionary, corpus = bow_corpus(texts)
    planted = topics.score_coherence(_FixedTopics(aligned(beta, dictionary)), corpus, dictionary, texts, top_n=5)
    mixed = topics.score_coherence(_FixedTopics(aligned(_mixed_topics(), dictionary)), corpus, dictionary, texts,
                                   top_n=5)
    assert set(planted) == {"c_v", "c_npmi", "u_mass"}
    assert all(isinstance(v, float) and np.isfinite(v) for v in [*planted.values(), *mixed.values()])
    assert 0 <= mixed["c_v"] < planted["c_v"] <= 1
    assert -1 <= mixed["c_npmi"] < 0 < planted["c_npmi"] <= 1
    assert mixed["u_mass"] < planted["u_mass"] <= 0


def test_score_coherence_streams_texts_and_takes_u_mass_from_the_corpus(tmp_path):
    beta, texts = block_corpus(seed=0)
    dictionary, corpus = bow_corpus(texts)
    model = _FixedTopics(aligned(beta, dictionary))
    listed = topics.score_coherence(model, corpus, dictionary, texts, top_n=5)
    path = tmp_path / "tokens.parquet"
    pd.DataFrame({"unit_id": range(len(texts)), "tokens": texts}).to_parquet(path)
    assert topics.score_coherence(model, corpus, dictionary, topics.TokenStream(path, batch_size=7), top_n=5) == listed
    # Texts whose words are shuffled across units change c_v and c_npmi, never u_mass (the bag of words decides it).
    rng = np.random.default_rng(0)
    words = rng.permutation([w for t in texts for w in t]).tolist()
    shuffled = [words[i:i + 40] for i in range(0, len(words), 40)]
    other = topics.score_coherence(model, corpus, dictionary, shuffled, top_n=5)
    assert other["u_mass"] == listed["u_mass"]
    assert other["c_npmi"] < listed["c_npmi"]


def test_the_sweeps_saved_model_is_the_model_a_refit_gives(tmp_path):
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    texts = [["perang", "nato", "rusia"], ["dagang", "ekonomi", "china"], ["perang", "rusia", "nato"],
             ["ekonomi", "dagang", "china"]] * 5
    d = Dictionary(texts)
    corpus = [d.doc2bow(t) for t in texts]
    params = topics.TopicParams(k_min=2, k_max=3, passes=2, iterations=20, top_n=3)
    topics.sweep_k(corpus, d, texts, params=params, seed=5, model_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.glob("lda-k*.model")) == ["lda-k2.model", "lda-k3.model"]
    loaded = LdaModel.load(str(topics.sweep_model_path(tmp_path, 3)))
    refit = topics.fit_lda(corpus, d, 3, params=params, seed=5)
    assert np.array_equal(loaded.get_topics(), refit.get_topics())
    probe = d.doc2bow(["perang", "china"])
    loaded.random_state, refit.random_state = np.random.RandomState(1), np.random.RandomState(1)
    assert loaded.get_document_topics(probe, minimum_probability=0) == refit.get_document_topics(probe, minimum_probability=0)
