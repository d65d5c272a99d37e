"""Tests of the topic stage (analysis/topics.py) on corpora drawn from planted topics.

The corpora come from the LDA generative process with a fixed seed, so the
true topics are known: a fitted model must recover them, refits must agree
on them, and a topic the data cannot pin down must score as unstable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary, MmCorpus

from analysis import topics

from analysis.paths import DATA_CODING, RESOURCES
from analysis.registry import RunPaths
from analysis.errors import AnalysisError

FAST = dict(passes=10, iterations=50)


# --------------------------------------------------------------------------- helpers


def _generate(beta: np.ndarray, *, n_docs: int, doc_len: int, alpha: float, seed: int) -> list[list[str]]:
    """Draw documents by LDA's generative process from topic-word matrix ``beta``."""
    rng = np.random.default_rng(seed)
    n_topics, n_terms = beta.shape
    vocab = [f"w{i:03d}" for i in range(n_terms)]
    texts = []
    for theta in rng.dirichlet(np.full(n_topics, alpha), size=n_docs):
        counts = sum(rng.multinomial(n, beta[k]) for k, n in enumerate(rng.multinomial(doc_len, theta)))
        texts.append([vocab[i] for i in range(n_terms) for _ in range(counts[i])])
    return texts


def planted_corpus(seed: int = 0, n_topics: int = 3, n_terms: int = 30, n_docs: int = 150, doc_len: int = 50):
    """Topics drawn from a sparse Dirichlet, documents from the LDA generative process."""
    rng = np.random.default_rng(seed)
    beta = rng.dirichlet(np.full(n_terms, 0.05), size=n_topics)
    return beta, _generate(beta, n_docs=n_docs, doc_len=doc_len, alpha=0.2, seed=seed + 1)


def block_corpus(seed: int = 0, n_topics: int = 3, block: int = 8, n_docs: int = 90, doc_len: int = 40):
    """Topics on disjoint blocks of exchangeable words (uniform within the block)."""
    beta = np.kron(np.eye(n_topics), np.full((1, block), 1 / block))
    return beta, _generate(beta, n_docs=n_docs, doc_len=doc_len, alpha=0.1, seed=seed)


def _bow(texts):
    dictionary = Dictionary(texts)
    # dictionary ids follow first appearance; the planted matrices index w000.. in order
    dictionary = Dictionary([sorted(dictionary.token2id)])
    return dictionary, [dictionary.doc2bow(t) for t in texts]


def _aligned(beta: np.ndarray, dictionary) -> np.ndarray:
    """The planted matrix with columns in the dictionary's term order."""
    return beta[:, [int(dictionary[i][1:]) for i in range(len(dictionary))]]


def write_run(root: Path, texts: list[list[str]]) -> RunPaths:
    """Write a run folder as the corpus and text stages would, from token lists."""
    paths = RunPaths(root).create()
    n = len(texts)
    article = [f"art{i % 4}" for i in range(n)]
    unit = [f"{a}-p{i:03d}" for i, a in enumerate(article)]
    pd.DataFrame({"unit_id": unit, "article_id": article, "tokens": texts}).to_parquet(paths.data / "tokens.parquet")
    dictionary = Dictionary([t for t in texts if t])
    dictionary.save(str(paths.data / "dictionary.gensim"))
    MmCorpus.serialize(str(paths.data / "bow.mm"), (dictionary.doc2bow(t) for t in texts))
    text = [" ".join(t[:30]) + " <script>x</script>" for t in texts]
    pd.DataFrame({"unit_id": unit, "article_id": article, "position": range(n), "text": text}).to_parquet(
        paths.data / "units.parquet")
    pd.DataFrame({
        "article_id": ["art0", "art1", "art2", "art3"],
        "outlet": ["Tempo", "WahanaNews.co", "Tempo", ""],
        "date": ["2024-06-23", "--06-19", "", "2023-09-13"],
        "date_precision": ["day", "day-no-year", "", "day"],
        "title": ["a", "b", "c", "d"],
    }).to_parquet(paths.data / "articles.parquet")
    return paths


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The same small run fitted twice with the same seed (plus one empty unit)."""
    _, texts = block_corpus(seed=0)
    texts = texts[:60] + [[]] + texts[60:]
    params = topics.TopicParams(k_min=2, k_max=4, n_stability_seeds=2, **FAST)
    results = []
    for name in ("first", "second"):
        paths = write_run(tmp_path_factory.mktemp(name), texts)
        results.append((paths, topics.fit_topics(paths, params=params, seed=11)))
    return results


# --------------------------------------------------------------------------- recovery and stability


def test_planted_topics_are_recovered():
    beta, texts = planted_corpus(seed=0)
    dictionary, corpus = _bow(texts)
    model = topics.fit_lda(corpus, dictionary, 3, params=topics.TopicParams(**FAST), seed=1)
    fitted = model.get_topics()
    np.testing.assert_allclose(fitted.sum(axis=1), 1.0, atol=1e-6)
    _, cosine = topics.match_topics(_aligned(beta, dictionary), fitted)
    assert cosine.mean() >= 0.9


def test_same_seed_same_model_and_other_seed_differs():
    _, texts = planted_corpus(seed=0, n_docs=60)
    dictionary, corpus = _bow(texts)
    params = topics.TopicParams(passes=3, iterations=20)
    a = topics.fit_lda(corpus, dictionary, 3, params=params, seed=5).get_topics()
    b = topics.fit_lda(corpus, dictionary, 3, params=params, seed=5).get_topics()
    c = topics.fit_lda(corpus, dictionary, 3, params=params, seed=6).get_topics()
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


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
    dictionary, corpus = _bow(texts)
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


# --------------------------------------------------------------------------- K selection


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


# --------------------------------------------------------------------------- parameters and bad input


@pytest.mark.parametrize("kwargs, name", [
    ({"k_min": 1}, "k_min"), ({"k_min": 5, "k_max": 3}, "k_max"), ({"n_topics": 1}, "n_topics"),
    ({"alpha": "sometimes"}, "alpha"), ({"eta": -1.0}, "eta"), ({"relevance_lambda": 1.5}, "relevance_lambda"),
    ({"passes": 0}, "passes"), ({"top_n": 2.5}, "top_n"), ({"stability_threshold": 2}, "stability_threshold"),
])
def test_bad_parameters_name_the_parameter(kwargs, name):
    with pytest.raises(AnalysisError, match=name):
        topics.TopicParams(**kwargs)


def test_k_larger_than_the_documents_is_refused():
    with pytest.raises(AnalysisError, match="k_max"):
        topics.check_k(topics.TopicParams(k_max=8), 6)
    with pytest.raises(AnalysisError, match="n_topics"):
        topics.check_k(topics.TopicParams(n_topics=6), 6)
    topics.check_k(topics.TopicParams(k_max=5), 6)


def test_fit_topics_refuses_too_few_units(tmp_path):
    _, texts = block_corpus(seed=0, n_docs=5)
    paths = write_run(tmp_path, texts)
    with pytest.raises(AnalysisError, match="k_max"):
        topics.fit_topics(paths, params=topics.TopicParams(k_max=8, **FAST), explorer=False)


def test_missing_or_broken_inputs_name_the_file(tmp_path):
    with pytest.raises(AnalysisError, match="dictionary.gensim: missing"):
        topics.load_bow(tmp_path)
    _, texts = block_corpus(seed=0, n_docs=10)
    paths = write_run(tmp_path / "run", texts)
    (paths.data / "dictionary.gensim").write_bytes(b"\x00\x01not a pickle")
    with pytest.raises(AnalysisError, match="dictionary.gensim: not a gensim Dictionary"):
        topics.load_bow(paths.data)
    paths = write_run(tmp_path / "run2", texts)
    pd.DataFrame({"unit_id": ["x"], "article_id": ["x"], "tokens": [["a"]]}).to_parquet(paths.data / "tokens.parquet")
    with pytest.raises(AnalysisError, match="tokens.parquet: has 1 rows but bow.mm has 10"):
        topics.load_bow(paths.data)
    paths = write_run(tmp_path / "run3", texts)
    (paths.data / "units.parquet").write_text("not parquet")
    with pytest.raises(AnalysisError, match="units.parquet: unreadable Parquet"):
        topics.fit_topics(paths, params=topics.TopicParams(k_max=3, **FAST), explorer=False)


def test_label_file(tmp_path):
    good = tmp_path / "labels.yml"
    good.write_text("n_topics: 3\nlabels:\n  1: Defence  pact\n  3: BRICS economy\n", encoding="utf-8")
    assert topics.load_labels(good, 3) == {1: "Defence pact", 3: "BRICS economy"}
    terms = pd.DataFrame({"topic": [1, 2, 3], "rank": [1, 1, 1], "term": ["a", "b", "c"]})
    labels = topics.label_topics(terms, 3, topics.load_labels(good, 3))
    assert labels["label"].tolist() == ["Defence pact", "b", "BRICS economy"]
    assert labels["source"].tolist() == ["user", "terms", "user"]
    with pytest.raises(AnalysisError, match=r"labels.yml: field n_topics is 3 but the model has 4"):
        topics.load_labels(good, 4)
    bad_key = tmp_path / "key.yml"
    bad_key.write_text("n_topics: 3\nlabels:\n  0: zero\n")
    with pytest.raises(AnalysisError, match=r"key.yml: labels key 0 is not a topic number 1..3"):
        topics.load_labels(bad_key, 3)
    broken = tmp_path / "broken.yml"
    broken.write_text("n_topics: [3\n")
    with pytest.raises(AnalysisError, match="broken.yml: not valid UTF-8 YAML"):
        topics.load_labels(broken, 3)


def test_example_label_file_is_valid():
    example = RESOURCES / "topic_labels.example.yml"
    import yaml

    n = yaml.safe_load(example.read_text(encoding="utf-8"))["n_topics"]
    assert topics.load_labels(example, n)


# --------------------------------------------------------------------------- tables


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


def test_aggregate_topics_weights_units_by_length():
    wide = pd.DataFrame({"g": ["x", "x", "y"], "topic_0": [1.0, 0.0, 0.5], "topic_1": [0.0, 1.0, 0.5]})
    table = topics.aggregate_topics(wide, pd.Series([3, 1, 2]), ["g"])
    assert table.columns.tolist() == ["g", "topic", "prevalence", "n_units"]
    assert table["prevalence"].tolist() == [0.75, 0.25, 0.5, 0.5]
    assert table.groupby("g")["prevalence"].sum().round(9).eq(1).all()


def test_fit_topics_writes_the_contracted_outputs(two_runs):
    paths, result = two_runs[0]
    doc = pd.read_parquet(paths.data / "doc_topics.parquet")
    k = result.n_topics
    assert doc.columns.tolist() == ["unit_id", "article_id", *[f"topic_{t}" for t in range(k)]]
    np.testing.assert_allclose(doc.filter(like="topic_").sum(axis=1), 1.0, atol=1e-5)
    assert len(doc) == 90 and result.n_empty_units == 1  # the empty unit carries no topic evidence
    assert (paths.data / "lda.model").exists()
    for name in ("topic_terms", "k_sweep", "topic_stability", "topic_labels", "topic_prevalence",
                 "doc_topics_units", "doc_topics_articles", "topic_prevalence_outlet",
                 "topic_prevalence_date", "representative_units"):
        assert (paths.tables / f"{name}.csv").exists(), name
    terms = pd.read_csv(paths.tables / "topic_terms.csv")
    assert terms.columns.tolist() == ["topic", "rank", "term", "probability", "relevance", "lift"]
    # one numbering: table topic N is doc_topics column topic_{N-1}
    assert sorted(terms["topic"].unique()) == list(range(1, k + 1))
    assert [topics.topic_column(t) for t in range(1, k + 1)] == list(doc.filter(like="topic_").columns)
    sweep = pd.read_csv(paths.tables / "k_sweep.csv")
    assert sweep["k"].tolist() == [2, 3, 4] and sweep["chosen"].sum() == 1
    assert int(sweep.loc[sweep["chosen"], "k"].iloc[0]) == k and str(k) in result.k_reason
    dates = pd.read_csv(paths.tables / "topic_prevalence_date.csv", keep_default_na=False)
    assert "" not in set(dates["date"]) and "--06-19" in set(dates["date"])
    reps = pd.read_csv(paths.tables / "representative_units.csv", keep_default_na=False)
    # Snippets are the text as written (the page escapes them), and short.
    assert reps["snippet"].str.contains("<script").any() and not reps["snippet"].str.contains("&lt;").any()
    assert reps["snippet"].str.len().max() <= 160
    assert "<script" not in topics.representative_html(reps)


def test_same_seed_gives_byte_identical_tables(two_runs):
    (first, _), (second, _) = two_runs
    for table in sorted(first.tables.glob("*.csv")):
        assert table.read_bytes() == (second.tables / table.name).read_bytes(), table.name
    assert (first.data / "doc_topics.parquet").read_bytes() == (second.data / "doc_topics.parquet").read_bytes()
    assert (first.explorer / "ldavis.html").read_bytes() == (second.explorer / "ldavis.html").read_bytes()


# --------------------------------------------------------------------------- explorer


def test_explorer_is_offline_and_matches_the_tables(two_runs):
    paths, result = two_runs[0]
    html = (paths.explorer / "ldavis.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "//d3js" not in html
    for asset in topics.EXPLORER_ASSETS:
        assert f'"{asset}"' in html and (paths.explorer / asset).stat().st_size > 0
    # sort_topics=False: the explorer's topic N has the table's topic N top-probability term among its terms
    terms = pd.read_csv(paths.tables / "topic_terms.csv")
    for topic in range(1, result.n_topics + 1):
        assert terms[terms["topic"] == topic]["term"].iloc[0] in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine")
def test_explorer_renders_in_headless_chromium_without_network(two_runs):
    paths, result = two_runs[0]
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
               # no proxy and no name resolution: any network request fails
               "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--dump-dom", (paths.explorer / "ldavis.html").as_uri()]
    if shutil.which("unshare") and os.geteuid() == 0:
        command = ["unshare", "-n", *command]  # a network namespace with no interfaces at all
    dom = subprocess.run(command, capture_output=True, text=True, timeout=90).stdout
    assert "<svg" in dom  # d3 and LDAvis ran from the local copies
    for topic in range(1, result.n_topics + 1):
        assert f'id="ldavis_topics-topic{topic}"' in dom


def test_sample_for_coherence_is_seeded_aligned_and_complete_when_small():
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


def test_coherence_sample_parameter_is_checked():
    with pytest.raises(AnalysisError, match="coherence_sample"):
        topics.TopicParams(coherence_sample=-1)


# --------------------------------------------------------------------------- coherence and document topics, directly


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
    dictionary, corpus = _bow(texts)
    planted = topics.score_coherence(_FixedTopics(_aligned(beta, dictionary)), corpus, dictionary, texts, top_n=5)
    mixed = topics.score_coherence(_FixedTopics(_aligned(_mixed_topics(), dictionary)), corpus, dictionary, texts,
                                   top_n=5)
    assert set(planted) == {"c_v", "c_npmi", "u_mass"}
    assert all(isinstance(v, float) and np.isfinite(v) for v in [*planted.values(), *mixed.values()])
    assert 0 <= mixed["c_v"] < planted["c_v"] <= 1
    assert -1 <= mixed["c_npmi"] < 0 < planted["c_npmi"] <= 1
    assert mixed["u_mass"] < planted["u_mass"] <= 0


def test_score_coherence_streams_texts_and_takes_u_mass_from_the_corpus(tmp_path):
    beta, texts = block_corpus(seed=0)
    dictionary, corpus = _bow(texts)
    model = _FixedTopics(_aligned(beta, dictionary))
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


@pytest.fixture(scope="module")
def small_model():
    """Three planted block topics, one empty unit at position 5, and a quickly fitted model."""
    beta, texts = block_corpus(seed=0)
    texts = texts[:5] + [[]] + texts[5:]
    dictionary, corpus = _bow(texts)
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
    index, _ = topics.match_topics(_aligned(beta, dictionary), model.get_topics())
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


# --------------------------------------------------------------------------- label file location


def test_labels_path_lives_with_the_coding_sheets(tmp_path, monkeypatch):
    assert topics.labels_path("ru-alliances-id") == DATA_CODING / "ru-alliances-id" / "topic_labels.yml"
    monkeypatch.setattr(topics, "DATA_CODING", tmp_path / "coding")
    path = topics.labels_path("my-run_2.v1")
    assert path == tmp_path / "coding" / "my-run_2.v1" / "topic_labels.yml"
    assert not path.parent.exists()  # asking where the file goes creates nothing


@pytest.mark.parametrize("name", ["../elsewhere", "", ".hidden", "a/b", "x" * 101])
def test_labels_path_refuses_unsafe_run_names(name):
    with pytest.raises(AnalysisError, match="is not safe"):
        topics.labels_path(name)


# --------------------------------------------------------------------------- explorer and tables, directly


def _explorer_data(html: str) -> dict:
    import json
    import re

    match = re.search(r'new LDAvis\("#" \+ "ldavis_topics", (\{.*?\})\);', html, re.S)
    assert match, "no LDAvis data in the page"
    return json.loads(match.group(1))


@pytest.fixture
def explorer_inputs():
    dictionary = Dictionary([["alpha", "beta", "gamma", "delta", "unseen"]])
    ids = {dictionary[i]: i for i in range(len(dictionary))}
    topic_word = np.zeros((3, 5))
    for k, weights in enumerate([{"alpha": 0.4, "beta": 0.3}, {"gamma": 0.4, "delta": 0.3}, {}]):
        topic_word[k] = 0.1
        for word, w in weights.items():
            topic_word[k, ids[word]] = w
    topic_word /= topic_word.sum(axis=1, keepdims=True)
    # Topic 3 is by far the most prevalent: a sorted explorer would show it as topic 1.
    doc_topics = pd.DataFrame({"unit_id": list("abcd"), "article_id": list("aabb"), "topic_0": [.1, .1, .1, .2],
                               "topic_1": [.1, .3, .3, .2], "topic_2": [.8, .6, .6, .6]})
    counts = {"alpha": 5.0, "beta": 4.0, "gamma": 3.0, "delta": 6.0, "unseen": 0.0}  # "unseen": not in the corpus
    term_frequency = np.array([counts[dictionary[i]] for i in range(len(dictionary))])
    return topic_word, doc_topics, np.array([3, 4, 5, 6]), term_frequency, dictionary


def test_write_explorer_keeps_the_models_topic_order_offline(tmp_path, explorer_inputs):
    topic_word, doc_topics, lengths, freq, dictionary = explorer_inputs
    folder = tmp_path / "run" / "explorer"  # created when missing
    path = topics.write_explorer(topic_word, doc_topics, lengths, freq, dictionary, folder, relevance_lambda=0.35,
                                 n_terms=4)
    assert path == folder / "ldavis.html"
    html = path.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    for asset in topics.EXPLORER_ASSETS:
        assert f'"{asset}"' in html and (folder / asset).stat().st_size > 0
    assert "rank terms at λ = 0.35." in html
    # Opened without a URL state (a download list, a bookmark), it still starts at the run's λ.
    assert "history.replaceState(null, '', '#topic=0&lambda=0.35&term=')" in html
    assert html.index("replaceState") < html.index("LDAvis(")
    data = _explorer_data(html)
    assert data["mdsDat"]["topics"] == [1, 2, 3] and data["topic.order"] == [1, 2, 3]
    assert data["mdsDat"]["Freq"][2] > data["mdsDat"]["Freq"][1] > data["mdsDat"]["Freq"][0]  # not re-sorted
    tinfo = pd.DataFrame(data["tinfo"])
    assert "unseen" not in set(tinfo["Term"])  # a term absent from the corpus is not offered
    top = tinfo[tinfo["Category"] != "Default"].sort_values("logprob", ascending=False).groupby("Category")["Term"].first()
    assert top["Topic1"] == "alpha" and top["Topic2"] == "gamma"  # explorer topic N is model topic N
    # phi is renormalised over the terms the corpus has: p(alpha | topic 1) = 0.4 / 0.9
    p_alpha = tinfo[(tinfo["Category"] == "Topic1") & (tinfo["Term"] == "alpha")]["logprob"].item()
    assert p_alpha == pytest.approx(np.log(0.4 / 0.9), abs=1e-4)


def test_write_explorer_gives_the_same_page_twice(tmp_path, explorer_inputs):
    first = topics.write_explorer(*explorer_inputs, tmp_path / "one")
    second = topics.write_explorer(*explorer_inputs, tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()


def test_write_topic_tables_writes_each_table_under_its_own_name(tmp_path):
    attributes = {"terms", "sweep", "stability", "labels", "prevalence", "doc_topics_units", "doc_topics_articles",
                  "prevalence_outlet", "prevalence_date", "representative"}
    tables = {attr: pd.DataFrame({"table": [attr], "value": [1 / 3]}) for attr in attributes}
    result = topics.TopicResult(n_topics=2, k_reason="", doc_topics=pd.DataFrame(), n_units=1, n_empty_units=0,
                                model_path=tmp_path / "lda.model", explorer_path=None, **tables)
    written = topics.write_topic_tables(result, tmp_path / "tables")
    expected = {"topic_terms": "terms", "k_sweep": "sweep", "topic_stability": "stability",
                "topic_labels": "labels", "topic_prevalence": "prevalence", "doc_topics_units": "doc_topics_units",
                "doc_topics_articles": "doc_topics_articles", "topic_prevalence_outlet": "prevalence_outlet",
                "topic_prevalence_date": "prevalence_date", "representative_units": "representative"}
    assert written == {name: tmp_path / "tables" / f"{name}.csv" for name in expected}
    for name, attr in expected.items():
        assert written[name].read_text(encoding="utf-8") == f"table,value\n{attr},0.333333\n"
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(f"{n}.csv" for n in expected)


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
