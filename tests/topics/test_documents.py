"""Tests for analysis.topics.documents: the model's document (article or paragraph) and the K range it allows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import registry, topics
from analysis.errors import AnalysisError
from analysis.topics import documents

from .planted import FAST, aligned, article_corpus, write_run


@pytest.mark.parametrize("lengths, n_articles, expected", [
    ([8, 9, 12, 0, 0], 30, "article"),          # short paragraphs: articles (empty units do not count)
    ([19, 19, 25], 30, "article"),              # the median, not the mean, decides
    ([20, 40, 35], 30, "paragraph"),            # long enough for a mix of topics
    ([5, 6, 7], 3, "paragraph"),                # no more articles than the smallest K
])
def test_auto_follows_the_stated_rule(lengths, n_articles, expected):
    unit = topics.choose_topic_unit("auto", lengths, n_articles=n_articles, k_needed=3)
    assert unit.unit == expected
    assert "topic_unit auto" in unit.reason and "median unit has" in unit.reason


def test_a_set_topic_unit_is_kept_whatever_the_lengths():
    assert topics.choose_topic_unit("paragraph", [3, 4], n_articles=50, k_needed=3).unit == "paragraph"
    assert topics.choose_topic_unit("article", [80, 90], n_articles=50, k_needed=3).unit == "article"
    with pytest.raises(AnalysisError, match="topic_unit must be one of"):
        topics.choose_topic_unit("sentence", [3], n_articles=5, k_needed=3)


def test_the_rule_text_names_its_threshold_and_sources():
    text = topics.topic_unit_rule_text(cite=True)
    assert f"fewer than {topics.MIN_PARAGRAPH_TOKENS} tokens" in text
    assert "[@walter2019]" in text and "[@tang2014; @qiang2022]" in text
    assert "@" not in topics.topic_unit_rule_text()


def test_k_range_is_cut_to_fewer_topics_than_documents():
    assert topics.fit_k_range([3, 4, 5], 10, fixed=False) == ([3, 4, 5], "")
    ks, note = topics.fit_k_range([3, 4, 5, 6, 7, 8], 5, fixed=False, unit="article")
    assert ks == [3, 4] and "cut from K = 3–8 to K = 3–4" in note and "5 articles" in note
    with pytest.raises(AnalysisError, match=r"^parameter k_min \(5\) must be smaller than the number of non-empty "
                                            r"articles \(5\)$"):
        topics.fit_k_range([5, 6], 5, fixed=False, unit="article")
    with pytest.raises(AnalysisError, match=r"parameter n_topics \(6\) must be smaller"):
        topics.fit_k_range([6], 6, fixed=True)
    with pytest.raises(AnalysisError, match="too few non-empty articles"):
        topics.fit_k_range([2], 2, fixed=False, unit="article")


def test_article_documents_sum_their_units_whether_adjacent_or_not(tmp_path):
    bows = [[(0, 1)], [(1, 2)], [(0, 2), (3, 1)], [], [(2, 1)]]
    adjacent = pd.DataFrame({"unit_id": list("abcde"), "article_id": ["x", "x", "y", "y", "z"]})
    corpus, ids = topics.article_corpus(bows, adjacent, tmp_path / "a.mm")
    assert ids["document_id"].tolist() == ["x", "y", "z"]
    assert [[(t, int(n)) for t, n in doc] for doc in corpus] == [[(0, 1), (1, 2)], [(0, 2), (3, 1)], [(2, 1)]]
    mixed = pd.DataFrame({"unit_id": list("abcde"), "article_id": ["x", "y", "x", "y", "z"]})
    corpus, ids = topics.article_corpus(bows, mixed, tmp_path / "b.mm")
    assert ids["document_id"].tolist() == ["x", "y", "z"]
    assert [[(t, int(n)) for t, n in doc] for doc in corpus] == [[(0, 3), (3, 1)], [(1, 2)], [(2, 1)]]
    texts = documents.ArticleTokens([["a"], ["b"], ["c"], [], ["e"]], mixed)
    assert list(texts) == [["a", "c"], ["b"], ["e"]] and len(texts) == 3


@pytest.fixture(scope="module")
def article_run(tmp_path_factory):
    """Thirty articles of planted topics cut into paragraphs of eight tokens: auto must fit articles."""
    beta, texts, ids = article_corpus(seed=3)
    paths = write_run(tmp_path_factory.mktemp("articles"), texts, ids)
    result = topics.fit_topics(paths, params=topics.TopicParams(k_min=3, k_max=4, n_stability_seeds=1, **FAST),
                               seed=5, explorer=False)
    return beta, texts, paths, result


def test_short_paragraphs_fit_articles_and_the_units_keep_their_topics(article_run):
    beta, texts, paths, result = article_run
    assert result.topic_unit.unit == "article" and result.n_documents == 30
    used = registry.read(paths, "topic_params").set_index("parameter")["value"]
    assert used["document"] == "article" and used["n_documents"] == "30" and used["topic_unit"] == "auto"
    # the frames stage still gets one row per unit, inferred from the article model
    doc = registry.read(paths, "doc_topics")
    assert len(doc) == len(texts) and doc["unit_id"].is_unique
    np.testing.assert_allclose(doc.filter(like="topic_").sum(axis=1), 1.0, atol=1e-5)
    # the article model recovers each planted topic (matched cosine near 1), whichever K the rule chose
    from gensim.models import LdaModel

    dictionary, _, _ = topics.load_bow(paths)
    _, cos = topics.match_topics(aligned(beta, dictionary), LdaModel.load(str(paths.file("lda_model"))).get_topics())
    assert cos.min() > 0.9


def test_article_level_network_inputs_have_one_row_per_article(article_run):
    _, texts, paths, result = article_run
    nodes = registry.read(paths, "topic_network_nodes")
    assert set(nodes["kind"]) == {"reference", "seed", "k"}  # the refit and the sweep's other K, no new fit
    pairs = registry.read(paths, "topic_network_pairs")
    ref = pairs[pairs["model"] == "reference"]
    k = result.n_topics
    assert len(ref) == k * (k - 1) // 2 and ref["weight"].between(0, 1).all()
    units = registry.read(paths, "topic_refit_units")
    assert units.groupby("model")["unit_id"].nunique().eq(len(texts)).all()
