"""Tests for analysis.topics.model: parameters, inputs, the fit, document topics, terms and labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary

from analysis import parameters, topics
from analysis.errors import AnalysisError
from analysis.paths import DATA_CODING, RESOURCES
from analysis.topics import model as topic_model

from .planted import FAST, aligned, block_corpus, bow_corpus, planted_corpus, write_run


# --------------------------------------------------------------------------- fit


def test_planted_topics_are_recovered():
    beta, texts = planted_corpus(seed=0)
    dictionary, corpus = bow_corpus(texts)
    model = topics.fit_lda(corpus, dictionary, 3, params=topics.TopicParams(**FAST), seed=1)
    fitted = model.get_topics()
    np.testing.assert_allclose(fitted.sum(axis=1), 1.0, atol=1e-6)
    _, cosine = topics.match_topics(aligned(beta, dictionary), fitted)
    assert cosine.mean() >= 0.9


def test_same_seed_same_model_and_other_seed_differs():
    _, texts = planted_corpus(seed=0, n_docs=60)
    dictionary, corpus = bow_corpus(texts)
    params = topics.TopicParams(passes=3, iterations=20)
    a = topics.fit_lda(corpus, dictionary, 3, params=params, seed=5).get_topics()
    b = topics.fit_lda(corpus, dictionary, 3, params=params, seed=5).get_topics()
    c = topics.fit_lda(corpus, dictionary, 3, params=params, seed=6).get_topics()
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)

# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize("kwargs, name", [
    ({"k_min": 1}, "k_min"), ({"k_min": 5, "k_max": 3}, "k_max"), ({"n_topics": 1}, "n_topics"),
    ({"alpha": "sometimes"}, "alpha"), ({"eta": -1.0}, "eta"), ({"relevance_lambda": 1.5}, "relevance_lambda"),
    ({"passes": -1}, "passes"), ({"top_n": 2.5}, "top_n"), ({"stability_threshold": 2}, "stability_threshold"),
    ({"alpha": 0.1}, "alpha"), ({"k_step": 0}, "k_step"), ({"n_representative": 0}, "n_representative"),
    ({"min_diversity": 1.5}, "min_diversity"),
])
def test_bad_parameters_name_the_parameter(kwargs, name):
    with pytest.raises(AnalysisError, match=name):
        topics.TopicParams(**kwargs)


def test_notebook_parameters_take_their_defaults_from_the_notebook():
    params = topics.TopicParams()
    for name in ("n_topics", "k_min", "k_max", "k_step", "passes", "iterations", "alpha", "n_stability_seeds",
                 "stability_threshold", "relevance_lambda", "coherence_sample"):
        assert getattr(params, name) == parameters.default(name), name
    assert params.k_min == 3  # notebook 02 says 3: inductive frames need more than two topics
    # the method's constants are no notebook parameters
    assert not {"eta", "min_diversity", "top_n", "n_representative"} & set(parameters.parameter_schema())


def test_params_from_a_mapping_refuse_unknown_keys():
    assert topics.TopicParams.from_dict({"k_max": 5}).k_range() == [3, 4, 5]
    with pytest.raises(AnalysisError, match="k_mx"):
        topics.TopicParams.from_dict({"k_mx": 5})


def test_coherence_sample_parameter_is_checked():
    with pytest.raises(AnalysisError, match="coherence_sample"):
        topics.TopicParams(coherence_sample=-1)


def test_topic_unit_parameter_is_checked():
    assert topics.TopicParams().topic_unit == "auto"
    with pytest.raises(AnalysisError, match="topic_unit"):
        topics.TopicParams(topic_unit="sentence")

# --------------------------------------------------------------------------- inputs


def test_missing_or_broken_inputs_name_the_file(tmp_path):
    with pytest.raises(AnalysisError, match="dictionary.gensim: missing"):
        topics.load_bow(tmp_path)
    _, texts = block_corpus(seed=0, n_docs=10)
    paths = write_run(tmp_path / "run", texts)
    paths.file("dictionary").write_bytes(b"\x00\x01not a pickle")
    with pytest.raises(AnalysisError, match="dictionary.gensim: not a gensim Dictionary"):
        topics.load_bow(paths.data)
    paths = write_run(tmp_path / "run2", texts)
    pd.DataFrame({"unit_id": ["x"], "article_id": ["x"], "tokens": [["a"]]}).to_parquet(paths.file("tokens"))
    with pytest.raises(AnalysisError, match="tokens.parquet: has 1 rows but bow.mm has 10"):
        topics.load_bow(paths.data)
    paths = write_run(tmp_path / "run3", texts)
    paths.file("units").write_text("not parquet")
    with pytest.raises(AnalysisError, match="units.parquet: unreadable Parquet"):
        topics.fit_topics(paths, params=topics.TopicParams(k_max=3, **FAST), explorer=False)

# --------------------------------------------------------------------------- document topics


@pytest.fixture(scope="module")
def small_model():
    """Three planted block topics, one empty unit at position 5, and a quickly fitted model."""
    beta, texts = block_corpus(seed=0)
    texts = texts[:5] + [[]] + texts[5:]
    dictionary, corpus = bow_corpus(texts)
    model = topics.fit_lda(corpus, dictionary, 3, params=topics.TopicParams(passes=5, iterations=50), seed=1)
    ids = pd.DataFrame({"unit_id": [f"u{i:03d}" for i in range(len(texts))],
                        "article_id": [f"a{i % 3}" for i in range(len(texts))]}, index=range(100, 100 + len(texts)))
    return beta, texts, dictionary, corpus, model, ids


def test_document_topics_rows_are_distributions_of_the_non_empty_units(small_model):
    _, texts, _, corpus, model, ids = small_model
    dt = topics.document_topics(model, corpus, ids, seed=3)
    assert dt.columns.tolist() == ["unit_id", "article_id", "topic_0", "topic_1", "topic_2"]
    assert len(dt) == len(texts) - 1 and "u005" not in set(dt["unit_id"])  # the empty unit is left out
    assert dt["unit_id"].tolist() == [u for u, t in zip(ids["unit_id"], texts) if t]  # ids stay aligned
    assert dt["article_id"].tolist() == [a for a, t in zip(ids["article_id"], texts) if t]
    np.testing.assert_allclose(dt.filter(like="topic_").sum(axis=1), 1.0, atol=1e-5)
    assert (dt.filter(like="topic_") >= 0).all().all()


def test_document_topics_recover_each_units_planted_mixture(small_model):
    beta, texts, dictionary, corpus, model, ids = small_model
    index, _ = topics.match_topics(aligned(beta, dictionary), model.get_topics())
    block = {f"w{i:03d}": i // 8 for i in range(beta.shape[1])}
    truth = np.array([[sum(block[w] == b for w in t) / len(t) for b in range(3)] for t in texts if t])
    estimate = topics.document_topics(model, corpus, ids, seed=3)[[f"topic_{index[b]}" for b in range(3)]]
    error = np.abs(truth - estimate.to_numpy())
    assert error.mean() < 0.03 and error.max() < 0.15


def test_document_topics_do_not_depend_on_earlier_inference(small_model):
    _, _, _, corpus, model, ids = small_model
    first = topics.document_topics(model, corpus, ids, seed=3)
    for doc in list(corpus)[:10]:  # inference in between moves the model's random state
        model.get_document_topics(doc)
    pd.testing.assert_frame_equal(topics.document_topics(model, corpus, ids, seed=3), first)


def test_document_topics_of_only_empty_units_is_an_empty_table(small_model):
    model = small_model[4]
    dt = topics.document_topics(model, [[], []], pd.DataFrame({"unit_id": ["x", "y"], "article_id": ["a", "a"]}))
    assert dt.empty and dt.columns.tolist() == ["unit_id", "article_id", "topic_0", "topic_1", "topic_2"]

# --------------------------------------------------------------------------- terms and labels


def test_relevance_at_lambda_one_ranks_by_probability():
    dictionary = Dictionary([["a", "b", "c", "d"]])
    phi = np.array([[0.1, 0.4, 0.2, 0.3], [0.4, 0.1, 0.3, 0.2]])
    freq = np.array([10.0, 1.0, 1.0, 1.0])
    by_prob = topics.topic_terms(phi, freq, dictionary, top_n=4, relevance_lambda=1.0)
    assert by_prob[by_prob["topic"] == 1]["term"].tolist() == ["b", "d", "c", "a"]
    # λ = 0 ranks by lift: the corpus-wide frequent "a" drops to the bottom of topic 2
    by_lift = topics.topic_terms(phi, freq, dictionary, top_n=4, relevance_lambda=0.0)
    assert by_lift[by_lift["topic"] == 2]["term"].tolist()[-1] == "a"
    np.testing.assert_allclose(by_lift["relevance"], np.log(by_lift["lift"]), rtol=1e-5)


def test_label_file(tmp_path):
    good = tmp_path / "labels.yml"
    good.write_text("n_topics: 3\nlabels:\n  1: Defence  pact\n  3: BRICS economy\n", encoding="utf-8")
    assert topics.load_labels(good, 3) == {1: "Defence pact", 3: "BRICS economy"}
    terms = pd.DataFrame({"topic": [1, 2, 3], "rank": [1, 1, 1], "term": ["a", "b", "c"]})
    labels = topics.label_topics(terms, 3, topics.load_labels(good, 3))
    assert labels["label"].tolist() == ["Defence pact", "b", "BRICS economy"]
    assert labels["source"].tolist() == ["user", "terms", "user"]
    with pytest.raises(AnalysisError, match=r"labels.yml, row 1: field n_topics is 3 but the model has 4"):
        topics.load_labels(good, 4)
    bad_key = tmp_path / "key.yml"
    bad_key.write_text("n_topics: 3\nlabels:\n  1: one\n  7: seven\n")
    # one line, naming the file and the row of the topic that does not exist
    with pytest.raises(AnalysisError, match=r"^\S*key.yml, row 4: labels key 7 names no topic of this model "
                                            r"\(topics are 1..3\)$"):
        topics.load_labels(bad_key, 3)
    zero = tmp_path / "zero.yml"
    zero.write_text("n_topics: 3\nlabels:\n  0: zero\n")
    with pytest.raises(AnalysisError, match=r"zero.yml, row 3: labels key 0 names no topic"):
        topics.load_labels(zero, 3)
    broken = tmp_path / "broken.yml"
    broken.write_text("n_topics: [3\n")
    with pytest.raises(AnalysisError, match=r"broken.yml, row \d+: label file is not valid YAML"):
        topics.load_labels(broken, 3)


def test_example_label_file_is_valid():
    example = RESOURCES / "topic_labels.example.yml"
    import yaml

    n = yaml.safe_load(example.read_text(encoding="utf-8"))["n_topics"]
    assert topics.load_labels(example, n)


def test_labels_path_lives_with_the_coding_sheets(tmp_path, monkeypatch):
    assert topics.labels_path("ru-alliances-id") == DATA_CODING / "ru-alliances-id" / "topic_labels.yml"
    monkeypatch.setattr(topic_model, "DATA_CODING", tmp_path / "coding")
    path = topics.labels_path("my-run_2.v1")
    assert path == tmp_path / "coding" / "my-run_2.v1" / "topic_labels.yml"
    assert not path.parent.exists()  # asking where the file goes creates nothing


@pytest.mark.parametrize("name", ["../elsewhere", "", ".hidden", "a/b", "x" * 101])
def test_labels_path_refuses_unsafe_run_names(name):
    with pytest.raises(AnalysisError, match="is not safe"):
        topics.labels_path(name)
