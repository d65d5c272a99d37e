"""Tests of analysis.corpus.build: the stage function, its parameters, its files, and the notebook's tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import corpus, parameters, plots, registry
from analysis.errors import AnalysisError
from analysis.registry import RunPaths

from .samples import ARTICLE, SEEDS, write


# --------------------------------------------------------------------------- the stage and its files


def test_seed_outputs_are_consistent(seeds):
    summary, articles, units, log = seeds
    assert list(units["article_id"]) == sorted(units["article_id"])
    for aid, group in units.groupby("article_id"):
        text = articles.loc[aid, "text"]
        assert list(group["position"]) == list(range(len(group)))
        for row in group.itertuples():
            assert text[row.start:row.end] == row.text
            assert row.unit_id == f"{aid}-p{row.position:03d}"
            assert len(row.text.split()) >= 5 or row.unit_type in corpus.STRUCTURAL_TYPES
        assert articles.loc[aid, "n_units"] == len(group)
        assert (group["unit_type"] == "lead").sum() == 1
        assert (group["unit_type"] == "headline").sum() == bool(articles.loc[aid, "title"])
        assert group["unit_type"].iloc[0] == ("headline" if articles.loc[aid, "title"] else "lead")
    manifest = summary.manifest()
    assert manifest["files"][0]["sha256"] == corpus.corpus_sha256(SEEDS)["000_932b1eeb8b108611.txt"]
    assert set(log.columns) >= {"article_id", "rule", "line_no", "text"}
    assert (log["rule"] == "baca_juga").sum() >= 4


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    paths = RunPaths(tmp_path_factory.mktemp("runs") / "seeds")
    return paths, corpus.build_corpus(SEEDS, paths, corpus.CorpusParams())


def test_a_run_gets_every_file_the_registry_gives_the_stage(run):
    paths, _ = run
    for a in registry.ARTIFACTS:
        if a.stage == "corpus" and a.format != "figure":
            for rel in a.files():
                assert (paths.root / rel).is_file(), rel
    assert sorted(p.name for p in paths.tables.iterdir()) == ["articles.csv", "cleaning_summary.csv"]
    assert not list(paths.data.glob(".*.tmp"))


def test_published_tables_are_the_notebook_functions_of_the_internal_ones(run):
    paths, summary = run
    articles = summary.articles()
    assert summary.articles_overview().equals(corpus.articles_overview(articles))
    assert summary.cleaning_summary().equals(corpus.cleaning_summary(summary.cleaning_log()))
    published = pd.read_csv(paths.csv("articles_overview"), keep_default_na=False)
    assert "text" not in published.columns and len(published) == summary.n_articles


def test_the_summary_counts_what_the_tables_hold(run):
    _, summary = run
    assert summary.n_articles == len(summary.articles()) and summary.n_units == len(summary.units())
    assert summary.n_files == 5 and summary.unit == "paragraph" and not summary.mixed_languages
    counts = summary.manifest()["counts"]
    assert (counts["articles"], counts["units"], counts["short_units"]) == (
        summary.n_articles, summary.n_units, summary.n_short_units)


def test_a_plain_folder_holds_the_files_side_by_side(seeds):
    summary, _, _, _ = seeds
    names = {p.name for p in summary.paths.root.iterdir()}
    assert {"articles.parquet", "units.parquet", "cleaning_log.parquet", "articles.csv"} <= names


def test_empty_folder_and_all_empty_after_cleaning(tmp_path):
    (tmp_path / "none").mkdir()
    with pytest.raises(AnalysisError, match="no .txt files"):
        corpus.build_corpus(tmp_path / "none", tmp_path / "out")
    src = tmp_path / "junk"
    write(src, "a.txt", "Baca Juga:\nJudul\nFoto/AP\n")
    with pytest.raises(AnalysisError, match="empty corpus.*a.txt: no text left after cleaning"):
        corpus.build_corpus(src, tmp_path / "out")


def test_units_all_too_short_name_the_parameter(tmp_path):
    write(tmp_path / "src", "a.txt", "TEMPO.CO, Jakarta - Isi pendek.")
    with pytest.raises(AnalysisError, match="min_unit_words: every unit has fewer than 50 words"):
        corpus.build_corpus(tmp_path / "src", tmp_path / "out", min_unit_words=50)


def test_failure_keeps_earlier_outputs(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    write(src, "a.txt", ARTICLE)
    corpus.build_corpus(src, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = write(tmp_path, "bad.jsonl", '{"text": "Isi berita cukup panjang di sini"}\nnope\n')
    with pytest.raises(AnalysisError):
        corpus.build_corpus(bad, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_large_single_article_streams(tmp_path):
    # A few MB stand in for the 50 MB case (measured separately; see the report).
    para = "Presiden Rusia Vladimir Putin bertemu Kim Jong Un di Pyongyang membahas kerja sama pertahanan. " * 6
    path = tmp_path / "src" / "big.txt"
    path.parent.mkdir()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("TEMPO.CO, Jakarta - Awal berita besar hari ini di Jakarta.\n")
        for i in range(4000):
            fh.write(para + "\n")
            if i % 100 == 0:
                fh.write("Baca Juga: Judul lain\n")
    summary = corpus.build_corpus(path.parent, tmp_path / "out")
    assert summary.n_units == 4001 and summary.n_removed_lines == 40
    assert summary.articles_overview()["snippet"].item() == corpus.articles_overview(summary.articles())["snippet"].item()


def test_same_input_same_bytes(tmp_path):
    write(tmp_path / "src", "a.txt", ARTICLE)
    for name in ("o1", "o2"):
        corpus.build_corpus(tmp_path / "src", tmp_path / name, seed=3)
    first = {p.name: p.read_bytes() for p in (tmp_path / "o1").iterdir()}
    assert len(first) == 8 and first == {p.name: p.read_bytes() for p in (tmp_path / "o2").iterdir()}


def test_auto_language_detects_english(tmp_path):
    write(tmp_path / "src", "en.txt", "MOSCOW (Reuters) - Russia and North Korea signed a defence pact on Wednesday, "
                                      "officials said, as the two countries deepen their military cooperation.\n")
    write(tmp_path / "src", "id.txt", ARTICLE)
    summary = corpus.build_corpus(tmp_path / "src", tmp_path / "out", language="auto")
    assert summary.languages == {"en": 1, "id": 1} and summary.mixed_languages


# --------------------------------------------------------------------------- parameters


def test_parameters_default_to_the_notebook(tmp_path):
    params = corpus.CorpusParams()
    for name in ("unit", "language", "drop_duplicates", "min_unit_words", "extra_rules", "seed"):
        assert getattr(params, name) == parameters.default(name), name
    assert corpus.CorpusParams(extra_rules=tmp_path / "x.yaml").extra_rules == str(tmp_path / "x.yaml")


@pytest.mark.parametrize("kwargs, name", [({"unit": "chapter"}, "parameter 'unit'"),
                                          ({"min_unit_words": -1}, "parameter 'min_unit_words'"),
                                          ({"seed": "x"}, "parameter 'seed' must be of type int"),
                                          ({"drop_duplicates": "yes"}, "parameter 'drop_duplicates'"),
                                          ({"language": "xx"}, "language 'xx'")])
def test_bad_parameters(tmp_path, kwargs, name):
    write(tmp_path / "src", "a.txt", ARTICLE)
    with pytest.raises(AnalysisError, match=name):
        corpus.build_corpus(tmp_path / "src", tmp_path / "out", **kwargs)
    with pytest.raises(AnalysisError, match=name):
        corpus.CorpusParams(**kwargs)


# --------------------------------------------------------------------------- notebook helpers and plot


def test_summaries_and_plot(seeds):
    summary, articles, _, log = seeds
    table = corpus.cleaning_summary(log)
    assert table.loc[table["rule"] == "baca_juga", "blocks"].item() == 5
    sentence = corpus.describe_cleaning(table)
    assert "5 'baca_juga' blocks" in sentence and sentence.count("\n") == 0
    overview = corpus.articles_overview(articles.reset_index())
    assert "text" not in overview.columns and overview["snippet"].str.len().max() <= 130
    assert corpus.missing_metadata(articles.reset_index()).set_index("field").loc["outlet", "missing"] == 1
    assert len(corpus.inputs_table(summary.manifest())) == 5
    ax = plots.plot_units_per_article(articles.reset_index())
    assert len(ax.patches) == 5


def test_empty_log_gives_empty_summaries():
    log = pd.DataFrame(columns=["article_id", "rule", "category", "block", "line_no", "text"])
    assert corpus.cleaning_summary(log).empty and corpus.describe_cleaning(corpus.cleaning_summary(log)) == \
        "No lines were removed."


# ---------------------------------------------------------------- language of later stages


@pytest.mark.parametrize("langs, supported, expected", [
    (["id", "id", "en"], ("id", "en"), "id"),
    (["en", "id"], ("id", "en"), "en"),            # tie: alphabetical
    (["EN-us", "fr", "fr"], ("id", "en"), "en"),   # unsupported languages are not chosen
    ([], ("id", "en"), "en"),                      # nothing detected: English if it is supported
    (["fr"], ("id",), "id"),
])
def test_resolve_language_auto_takes_the_most_common_supported(langs, supported, expected):
    assert corpus.resolve_language("auto", pd.DataFrame({"language": langs}), supported) == expected


def test_resolve_language_checks_a_fixed_choice():
    assert corpus.resolve_language("id", None, ("id", "en")) == "id"
    with pytest.raises(AnalysisError, match="language 'fr' is not supported here"):
        corpus.resolve_language("fr", None, ("id", "en"))


# ---------------------------------------------------------------- duplicates and removal examples


def test_removal_examples_show_the_first_line_of_each_rule_shortened():
    log = pd.DataFrame({"rule": ["baca_juga", "foto", "baca_juga"], "article_id": ["a", "b", "c"],
                        "line_no": [4, 2, 7], "text": ["Baca juga:\n  Putin   ke Pyongyang", "Foto/AP", "Baca juga: x"]})
    out = corpus.removal_examples(log, width=20)
    assert out.values.tolist() == [["baca_juga", "a", 4, "Baca juga: Putin ke "], ["foto", "b", 2, "Foto/AP"]]
    assert corpus.removal_examples(log.iloc[:0]).empty


def test_describe_duplicates_reports_the_threshold_and_policy_used():
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "duplicate_of": ["", "a", "a"],
                             "outlet": ["X", "X", None], "n_words": [10, 10, 9]})
    assert corpus.duplicates_table(articles)["article_id"].tolist() == ["b", "c"]
    kept = corpus.describe_duplicates(articles, {"parameters": {"near_duplicate_threshold": 0.9, "drop_duplicates": False}})
    assert kept == "2 articles are exact or near duplicates (MinHash over word 5-grams, estimated Jaccard similarity ≥ 0.9)."
    dropped = corpus.describe_duplicates(articles, {"parameters": {"near_duplicate_threshold": 0.8, "drop_duplicates": True}})
    assert dropped.endswith("≥ 0.8); their units were left out.")
    none = corpus.describe_duplicates(articles.iloc[:1], {"parameters": {"near_duplicate_threshold": 0.8, "drop_duplicates": True}})
    assert none.startswith("0 articles are") and "left out" not in none
