"""The scaling rule, parallel fits identical to one process, and the sweep on a sample."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import progress, registry, topics
from analysis.topics import scaling

from .planted import FAST, block_corpus, bow_corpus, planted_corpus, write_run


def test_passes_and_iterations_fall_with_the_documents_to_a_floor():
    assert [topics.scaled_passes(n) for n in (10, 1_000, 4_000, 15_000, 150_000, 10_000_000)] == [20, 20, 10, 5, 2, 1]
    assert [topics.scaled_iterations(n) for n in (10, 1_000, 4_000, 150_000)] == [100, 100, 50, 50]
    passes = [topics.scaled_passes(n) for n in range(500, 400_000, 997)]
    assert passes == sorted(passes, reverse=True)  # never more passes for more documents


def test_zeros_follow_the_rule_and_explicit_values_win():
    scaled = topics.scale_params(topics.TopicParams(passes=0, iterations=0, coherence_sample=0, n_jobs=0), 150_000)
    assert (scaled.passes, scaled.iterations, scaled.coherence_sample) == (2, 50, topics.SWEEP_SAMPLE)
    assert scaled.n_jobs >= 1
    kept = topics.scale_params(topics.TopicParams(passes=7, iterations=30, coherence_sample=500, n_jobs=3), 150_000)
    assert (kept.passes, kept.iterations, kept.coherence_sample, kept.n_jobs) == (7, 30, 500, 3)
    assert topics.scale_params(topics.TopicParams(n_jobs=0), 100).n_jobs == 1  # no pool for a small corpus
    assert topics.sweep_size(topics.TopicParams(coherence_sample=0), 10**6) == topics.SWEEP_SAMPLE


def test_the_rule_text_states_the_numbers_the_functions_use():
    text = topics.scale_rule_text()
    for number in (f"{scaling.PASSES} passes", f"{scaling.ITERATIONS} inference", f"{scaling.BASE_DOCUMENTS:,}",
                   f"{scaling.SWEEP_SAMPLE:,} documents", f"{scaling.MIN_ITERATIONS} iterations",
                   "K range (k_min to k_max) is not widened"):
        assert number in text


def test_the_shared_count_gives_each_model_its_own_coherence():
    _, texts = planted_corpus(seed=1, n_docs=120)
    dictionary, corpus = bow_corpus(texts)
    models = [topics.fit_lda(corpus, dictionary, k, params=topics.TopicParams(**FAST), seed=3) for k in (2, 3, 4)]
    words = [[[dictionary[i] for i in row] for row in topics.top_term_ids(m.get_topics(), 10)] for m in models]
    assert topics.score_sweep_coherence(words, corpus, dictionary, texts) == [
        topics.score_coherence(m, corpus, dictionary, texts) for m in models]



@pytest.fixture(scope="module")
def by_jobs(tmp_path_factory):
    """The same run fitted with n_jobs 1 and 2."""
    _, texts = block_corpus(seed=2)
    out = {}
    for n_jobs in (1, 2):
        paths = write_run(tmp_path_factory.mktemp(f"jobs{n_jobs}"), texts)
        params = topics.TopicParams(k_min=2, k_max=3, n_stability_seeds=2, n_jobs=n_jobs, passes=5, iterations=30)
        out[n_jobs] = (paths, topics.fit_topics(paths, params=params, seed=5, explorer=False))
    return out


def test_a_parallel_sweep_gives_the_tables_of_a_sequential_one(by_jobs):
    (one, r1), (two, r2) = by_jobs[1], by_jobs[2]
    for key in ("k_sweep", "topic_terms", "topic_stability", "doc_topics_units", "topic_network_nodes"):
        assert registry.read(one, key).equals(registry.read(two, key)), key
    assert r1.sweep.equals(r2.sweep) and r1.n_topics == r2.n_topics
    assert r1.describe_scale() != r2.describe_scale() and "2 processes" in r2.describe_scale()


def test_a_large_corpus_fits_every_model_on_one_sample_and_infers_every_document(tmp_path, monkeypatch):
    _, texts = block_corpus(seed=3)
    log = tmp_path / "progress.jsonl"
    monkeypatch.setenv(progress.ENV, str(log))
    paths = write_run(tmp_path / "run", texts)
    params = topics.TopicParams(k_min=2, k_max=3, n_stability_seeds=1, coherence_sample=40, passes=0, iterations=0)
    result = topics.fit_topics(paths, params=params, seed=5, explorer=False)
    used = registry.read(paths, "topic_params").set_index("parameter")["value"]
    assert (used["sweep_on_sample"], used["model_documents"], used["n_documents"]) == ("true", "40", "90")
    assert (used["passes"], used["iterations"]) == ("20", "100")  # the rule, resolved for the sample's 40
    assert len(result.doc_topics) == 90  # the chosen model infers every document, not only the sample's
    assert "random sample (fixed seed) of 40 of the 90 documents" in result.describe_scale()
    assert "differ from the chosen model in seed alone" in result.describe_scale()
    messages = [r["message"] for r in progress.read_records(log)]
    assert any(m.startswith("K sweep: fitting K = 2") for m in messages)
    assert not any("on all" in m for m in messages)  # no model is fitted on every document
    assert any(m.startswith("chosen K") and "refit 1 of 1" in m for m in messages)
    assert any(m == "inferring the topics of every unit" for m in messages)


def test_the_chosen_model_and_its_refits_are_fitted_on_the_sweeps_sample(tmp_path, monkeypatch):
    from analysis.topics import pool

    seen = []
    real = pool._fit_one

    def spy(corpus, dictionary, params, job):
        seen.append((job.name, len(corpus), params.passes))
        return real(corpus, dictionary, params, job)

    monkeypatch.setattr(pool, "_fit_one", spy)
    _, texts = block_corpus(seed=3)
    paths = write_run(tmp_path / "run", texts)
    params = topics.TopicParams(k_min=2, k_max=3, n_stability_seeds=2, coherence_sample=40, passes=3, iterations=10)
    result = topics.fit_topics(paths, params=params, seed=5, explorer=False)
    assert [name for name, _, _ in seen] == ["K = 2", "K = 3", "refit 1 of 2", "refit 2 of 2"]
    assert {(n, p) for _, n, p in seen} == {(40, 3)}  # one sample, one set of settings, for every model
    # the saved model is the sweep's model of the chosen K, refitted here on the sample with the run's seed
    from analysis.topics.selection import sample_for_coherence
    from analysis.topics.model import TokenStream, load_bow

    dictionary, corpus, _ = load_bow(paths)
    sample, _ = sample_for_coherence(corpus, TokenStream(paths.file("tokens")), 40, 5)
    again = topics.fit_lda(sample, dictionary, result.n_topics, params=result.params, seed=5)
    assert (topics.load_model(paths.file("lda_model")).get_topics() == again.get_topics()).all()
