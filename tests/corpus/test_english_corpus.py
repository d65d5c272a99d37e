"""A new English corpus run without flags: analysed as English, dates never from the body, quotes and stopwords work.

The corpus is ``tests/corpus/data/english_news.csv`` (written for these tests; see its README). It has no
corpus.yml, so the run's language is detected (``auto``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import actors, corpus, registry, runner
from analysis.registry import RunPaths
from analysis.text import prepare_text

CSV = Path(__file__).parent / "data" / "english_news.csv"
# The dates the bodies mention: events, never publication dates.
BODY_YEARS = ("1999", "2014", "1975", "2009", "1974", "2010", "2019", "1998", "2021", "2016")


@pytest.fixture(scope="module")
def english_run(tmp_path_factory):
    source, name, params = runner._resolve_run(str(CSV), None, None, None)
    paths = RunPaths(tmp_path_factory.mktemp("runs") / name).create()
    summary = corpus.build_corpus(source, paths, language=params["language"])
    return params, paths, summary


def test_without_flags_the_language_is_detected(english_run):
    params, _, summary = english_run
    assert corpus.stated_language(CSV) == "" and params["language"] == "auto"
    assert summary.languages == {"en": 12}
    assert corpus.resolve_language(params["language"], summary.articles(), ("id", "en")) == "en"


def test_a_date_in_the_body_is_never_the_publication_date(english_run):
    _, _, summary = english_run
    articles = summary.articles().set_index("article_id")
    assert not any(year in date for date in articles["date"] for year in BODY_YEARS)
    # Only the dateline "LONDON, June 4 (Reuters) -" carries a date (no year: kept as such, never guessed).
    assert articles.loc[articles["date"] != "", ["date", "date_precision"]].values.tolist() == [["--06-04", "day-no-year"]]


def test_headlines_leads_and_wires(english_run):
    _, _, summary = english_run
    units, articles = summary.units(), summary.articles().set_index("article_id")
    first = units.groupby("article_id").head(2)
    assert first["unit_type"].tolist() == ["headline", "lead"] * 12
    lead = units[(units["article_id"] == "en01") & (units["unit_type"] == "lead")]["text"].item()
    assert lead.startswith("The harbour bridge reopened")  # the dateline "WELLINGTON (AP) —" stays metadata
    assert articles.loc["en01", ["place", "outlet", "wire_source"]].tolist() == ["WELLINGTON", "AP", "AP"]
    assert articles.loc["en12", "wire_source"] == "Reuters" and articles.loc["en05", "wire_source"] == ""
    assert "(Reporting by Ana Ruiz; Editing by Tom Hale)" in articles.loc["en02", "credits"]


def test_english_stopwords_and_quotes(english_run):
    _, paths, summary = english_run
    result = prepare_text(paths, language="auto")
    assert result.language == "en"
    vocabulary = {t for tokens in registry.read(paths, "tokens")["tokens"] for t in tokens}
    assert vocabulary and not vocabulary & {"the", "and", "said", "which", "was"}
    # English attribution cues ("said", "told") find speakers in most articles.
    statements = actors.attribute_statements(summary.units(), actors.compile_lexicon("en"), actors.load_gazetteer())
    assert statements["article_id"].nunique() >= 6
    speakers = set(statements["speaker"])
    assert any("Helen Brandt" in s for s in speakers) and any("Ramos-Horta" in s for s in speakers), speakers


def test_a_set_language_that_most_articles_are_not_in_is_said_in_one_line(capsys):
    runner.preflight(CSV, {"n_topics": 0, "k_min": 3, "language": "id"}, language_set_by="--language")
    err = capsys.readouterr().err.strip()
    assert err == ("language: --language sets 'id' (Indonesian), but 12 of the first 12 articles are detected as "
                   "English ('en'); the run uses 'id' as set (--language auto detects each article's language).")
    runner.preflight(CSV, {"n_topics": 0, "k_min": 3, "language": "en"}, language_set_by="--language")
    assert capsys.readouterr().err == ""


def test_a_corpus_card_states_the_language(tmp_path):
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "a.txt").write_text("One.\n\nTwo.\n\nThree.\n\nFour.\n", encoding="utf-8")
    (folder / "corpus.yml").write_text("language: en\n", encoding="utf-8")
    assert runner._resolve_run(str(folder), None, None, None)[2]["language"] == "en"
    assert runner._resolve_run(str(folder), None, None, "id")[2]["language"] == "id"  # --language wins
    (folder / "corpus.yml").write_text("language: fr\n", encoding="utf-8")
    with pytest.raises(Exception, match="corpus.yml.*language 'fr' is not supported"):
        runner._resolve_run(str(folder), None, None, None)


@pytest.mark.slow
def test_the_runner_without_flags_analyses_it_as_english(runs_root):
    run = runner.run_pipeline(str(CSV), name="english-news-fixture", progress=False, log=lambda *_: None)
    articles = pd.read_csv(run / "tables" / "articles.csv", keep_default_na=False)
    assert set(articles["language"]) == {"en"}
    assert not any(year in str(d) for d in articles["date"] for year in BODY_YEARS)
    assert "language: auto" in (run / "params.yaml").read_text()
    assert pd.read_csv(run / "tables" / "statements.csv")["article_id"].nunique() >= 6  # speakers in most articles
    terms = set(pd.read_csv(run / "tables" / "topic_terms.csv")["term"])
    assert terms and not terms & {"the", "and", "said"}
