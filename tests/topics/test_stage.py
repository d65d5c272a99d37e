"""Tests for analysis.topics.stage: fit_topics reads through the registry and writes every file of the stage."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis import registry, topics
from analysis.errors import AnalysisError
from analysis.topics import stage

from .planted import FAST, block_corpus, write_run

def test_fit_topics_cuts_the_sweep_to_the_documents_and_refuses_a_fixed_k_beyond_them(tmp_path):
    _, texts = block_corpus(seed=0, n_docs=5)
    paths = write_run(tmp_path, texts)
    result = topics.fit_topics(paths, params=topics.TopicParams(k_min=2, k_max=8, n_stability_seeds=0, **FAST),
                               explorer=False)
    assert result.sweep["k"].tolist() == [2, 3, 4] and "cut from K = 2–8 to K = 2–4" in result.k_reason
    with pytest.raises(AnalysisError, match=r"parameter n_topics \(5\) must be smaller than the number of non-empty "
                                            r"paragraphs \(5\)"):
        topics.fit_topics(paths, params=topics.TopicParams(n_topics=5, **FAST), explorer=False)


def test_fit_topics_writes_the_contracted_outputs(two_runs):
    paths, result = two_runs[0]
    doc = registry.read(paths, "doc_topics")
    k = result.n_topics
    assert doc.columns.tolist() == ["unit_id", "article_id", *[f"topic_{t}" for t in range(k)]]
    np.testing.assert_allclose(doc.filter(like="topic_").sum(axis=1), 1.0, atol=1e-5)
    assert len(doc) == 90 and result.n_empty_units == 1  # the empty unit carries no topic evidence
    assert paths.file("lda_model").exists() and result.model_path == paths.file("lda_model")
    for name in ("topic_terms", "k_sweep", "topic_stability", "topic_junk", "topic_labels", "topic_prevalence",
                 "doc_topics_units", "doc_topics_articles", "topic_prevalence_outlet",
                 "topic_prevalence_date", "representative_units", "word_intrusion", "topic_intrusion"):
        assert paths.csv(name).exists(), name
    terms = pd.read_csv(paths.csv("topic_terms"))
    assert terms.columns.tolist() == ["topic", "rank", "term", "probability", "relevance", "lift"]
    # one numbering: table topic N is doc_topics column topic_{N-1}
    assert sorted(terms["topic"].unique()) == list(range(1, k + 1))
    assert [topics.topic_column(t) for t in range(1, k + 1)] == list(doc.filter(like="topic_").columns)
    sweep = pd.read_csv(paths.csv("k_sweep"))
    assert sweep["k"].tolist() == [2, 3, 4] and sweep["chosen"].sum() == 1
    assert int(sweep.loc[sweep["chosen"], "k"].iloc[0]) == k and str(k) in result.k_reason
    dates = pd.read_csv(paths.csv("topic_prevalence_date"), keep_default_na=False)
    assert "" not in set(dates["date"]) and "--06-19" in set(dates["date"])
    reps = pd.read_csv(paths.csv("representative_units"), keep_default_na=False)
    # Snippets are the text as written (the page escapes them), and short.
    assert reps["snippet"].str.contains("<script").any() and not reps["snippet"].str.contains("&lt;").any()
    assert reps["snippet"].str.len().max() <= 160
    assert "<script" not in topics.representative_html(reps)


def test_same_seed_gives_byte_identical_tables(two_runs):
    (first, _), (second, _) = two_runs
    for table in sorted(first.tables.glob("*.csv")):
        assert table.read_bytes() == (second.tables / table.name).read_bytes(), table.name
    assert first.file("doc_topics").read_bytes() == second.file("doc_topics").read_bytes()
    assert first.file("explorer").read_bytes() == second.file("explorer").read_bytes()


def test_write_topic_tables_writes_each_table_under_its_own_name(two_runs, tmp_path):
    paths, result = two_runs[0]
    elsewhere = registry.RunPaths(tmp_path)
    written = topics.write_topic_tables(result, elsewhere)
    assert written == {key: elsewhere.csv(key) for key in topics.TABLES}
    for key, attr in topics.TABLES.items():
        assert written[key].read_bytes() == paths.csv(key).read_bytes(), key
        pd.testing.assert_frame_equal(registry.read(elsewhere, key), getattr(result, attr), check_dtype=False)
    assert sorted(p.name for p in elsewhere.tables.iterdir()) == sorted(f"{key}.csv" for key in topics.TABLES)
    swapped = dataclasses.replace(result, terms=result.sweep)  # a table under another table's name is refused
    with pytest.raises(ValueError, match="topic_terms"):
        topics.write_topic_tables(swapped, registry.RunPaths(tmp_path / "swapped"))


def test_fit_topics_writes_the_parameters_as_used(two_runs):
    paths, result = two_runs[0]
    table = registry.read(paths, "topic_params").set_index("parameter")["value"]
    assert list(table.index) == [f.name for f in dataclasses.fields(topics.TopicParams)] + [
        "document", "document_reason", "n_documents", "k_range_note", "model_documents", "sweep_on_sample"]
    # paragraphs of 40 tokens are long enough: auto keeps them as the documents
    assert (table["topic_unit"], table["document"], table["n_documents"]) == ("auto", "paragraph", "90")
    assert (table["k_min"], table["k_max"], table["passes"], table["n_stability_seeds"]) == ("2", "4", "10", "2")
    # the zeros are resolved (coherence_sample 0: the rule's sample; n_jobs 0: one process for 90 documents)
    assert result.params == topics.TopicParams(k_min=2, k_max=4, n_stability_seeds=2, coherence_sample=20_000,
                                               n_jobs=1, **FAST)
    assert (table["model_documents"], table["sweep_on_sample"]) == ("90", "false")


def test_the_stage_takes_parameters_as_a_mapping():
    assert stage._stage_params({"k_max": 4, "passes": 5}) == topics.TopicParams(k_max=4, passes=5)
    assert stage._stage_params(None) == topics.TopicParams()
    with pytest.raises(AnalysisError, match="params"):
        stage._stage_params([("k_max", 4)])


def test_a_label_file_names_topics_in_every_table_and_the_explorer(tmp_path):
    _, texts = block_corpus(seed=1, n_docs=30)
    paths = write_run(tmp_path / "run", texts)
    labels = tmp_path / "labels.yml"
    labels.write_text("n_topics: 3\nlabels:\n  2: Pakta <pertahanan>\n", encoding="utf-8")
    params = topics.TopicParams(n_topics=3, n_stability_seeds=0, **FAST)
    result = topics.fit_topics(paths, params=params, labels_file=labels, seed=3)
    assert result.labels.set_index("topic").loc[2, ["label", "source"]].tolist() == ["Pakta <pertahanan>", "user"]
    assert result.junk.set_index("topic").loc[2, "label"] == "Pakta <pertahanan>"
    page = result.explorer_path.read_text(encoding="utf-8")
    assert "T2 Pakta &lt;pertahanan&gt; (label by the researcher)" in page and "<pertahanan>" not in page
    wrong = tmp_path / "wrong.yml"
    wrong.write_text("n_topics: 3\nlabels:\n  1: ok\n  4: no such topic\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"wrong.yml, row 4: labels key 4 names no topic of this model"):
        topics.fit_topics(paths, params=params, labels_file=wrong, seed=3, explorer=False)
