"""Unit tests for analysis.findings: every finding's numbers, edge cases and escaping, on small synthetic runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import findings
from analysis.registry import RunPaths
from analysis.findings import Finding, RunData, load_run
from analysis.report import render_markdown
from conftest import put_table

XSS = "<script>alert(1)</script>"
MD_LINK = "[click](javascript:alert(1))"

CODEBOOK = pd.DataFrame({
    "frame": ["conflict", "conflict", "economic", "morality", "human_interest"],
    "frame_name": ["Conflict", "Conflict", "Economic", "Morality", "Human interest"],
    "kind": ["generic"] * 5,
    "source": ["semetko2000"] * 5,
    "question": ["conflict_q1", "conflict_q2", "economic_q1", "morality_q1", "human_interest_q1"],
    "text": ["Q?"] * 5,
    "indicators": ["perang; konflik", "kecam", "ekonomi", "moral", "anak"],
})


@pytest.fixture
def paths(tmp_path) -> RunPaths:
    return RunPaths(tmp_path / "run").create()


def put(paths: RunPaths, key: str, data) -> None:
    """Write a table the way the stages do (through the registry; undeclared columns blank)."""
    put_table(paths, key, data)


def run_of(paths: RunPaths, manifest: dict | None = None) -> RunData:
    return RunData(paths, manifest or {})


def html_of(finding: Finding) -> str:
    return findings.render(finding)


def articles(outlets, dates, precisions=None):
    n = len(outlets)
    return {
        "article_id": [f"{i:03d}_a" for i in range(n)],
        "outlet": outlets,
        "place": ["Jakarta"] * n,
        "date": dates,
        "date_precision": precisions if precisions is not None else ["day" if d else "" for d in dates],
        "title": [f"Title {i}" for i in range(n)],
        "n_words": [100] * n,
        "n_units": [3] * n,
    }


# ---------------------------------------------------------------- RunData


def test_run_data_missing_table_is_empty_and_not_has(paths):
    run = run_of(paths)
    assert run.table("frame_prevalence").empty
    assert not run.has("frame_prevalence")
    assert run.figure("frame_prevalence") is None
    with pytest.raises(KeyError, match="no run file is registered as 'nope'"):
        run.table("nope")  # a key the registry does not know is a bug, not a missing table


def test_run_data_keeps_na_like_strings_and_reads_empty_as_missing(paths):
    put(paths, "articles_overview", articles(["NA", "", "None"], ["2024-01-01", "", ""]))
    a = run_of(paths).table("articles_overview")
    assert a["outlet"].tolist()[0] == "NA"
    assert a["outlet"].tolist()[2] == "None"
    assert pd.isna(a["outlet"].tolist()[1])


def test_run_data_reads_the_internal_parquet_not_the_csv(paths):
    put(paths, "topic_stability", {"topic": [1, 2], "stability": [0.5, 0.9], "unstable": [True, False]})
    paths.csv("topic_stability").write_text("not,the,table\n", encoding="utf-8")  # the CSV is an output only
    t = run_of(paths).table("topic_stability")
    assert t["unstable"].dtype == bool and t["unstable"].tolist() == [True, False]
    assert t["topic"].tolist() == [1, 2]


def test_run_data_caches_tables(paths):
    put(paths, "codebook", CODEBOOK)
    run = run_of(paths)
    first = run.table("codebook")
    paths.file("codebook").unlink()
    assert run.table("codebook") is first


def test_run_data_download_is_the_registered_file():
    assert RunData.download("frame_prevalence_outlet") == "tables/frame_prevalence_outlet.csv"
    assert RunData.download("articles_overview") == "tables/articles.csv"
    assert RunData.download("topic_network") == "tables/topic_network.graphml"


def test_frame_name_from_codebook_and_fallback(paths):
    put(paths, "codebook", CODEBOOK)
    run = run_of(paths)
    assert run.frame_name("human_interest") == "Human interest"
    assert run.frame_name("security_threat") == "security threat"
    assert run_of(RunPaths(paths.root.parent / "empty")).frame_name("a_b") == "a b"


def test_figure_path_only_when_png_exists(paths):
    (paths.figures / "frame_prevalence.png").write_bytes(b"\x89PNG")
    run = run_of(paths)
    assert run.figure("frame_prevalence") == "figures/frame_prevalence.png"
    assert run.figure("topic_network") is None


def test_load_run_reads_manifest(paths):
    paths.provenance.write_text('{"run_name": "r1", "seed": 7}', encoding="utf-8")
    assert load_run(paths).manifest == {"run_name": "r1", "seed": 7}
    paths.provenance.unlink()
    assert load_run(paths).manifest == {}


# ---------------------------------------------------------------- question


def test_question_counts_articles_outlets_units_and_date_span(paths):
    put(paths, "articles_overview", articles(["Kompas", "Tempo", "Kompas", None],
                                    ["2024-07-01", "--06-19", "2024-06-23", None],
                                    ["day", "day-no-year", "day", None]))
    # frames_units is sparse (u4 has no frame): the units are counted from the articles' roll-up.
    put(paths, "frames_units", {"unit_id": ["u1", "u1", "u2", "u3"], "frame": ["conflict", "economic"] * 2})
    put(paths, "frames_articles", {"article_id": ["a1", "a1", "a2", "a2"], "frame": ["conflict", "economic"] * 2,
                                   "n_units": [3, 3, 1, 1]})
    text = findings.question(run_of(paths), "Who frames what?")
    assert text.startswith("**Research question.** *Who frames what?*")
    assert ("The run analysed 4 articles from 2 named outlets, dated 23 June 2024 to 01 July 2024, "
            "cut into 4 units") in text


def test_question_without_dates_outlets_or_tables(paths):
    put(paths, "articles_overview", articles([None, None], [None, None], [None, None]))
    text = findings.question(run_of(paths))
    assert "2 articles from 0 named outlets, cut into 0 units" in text
    assert "dated" not in text
    empty = findings.question(run_of(RunPaths(paths.root.parent / "none")))
    assert "0 articles from 0 named outlets, cut into 0 units" in empty
    assert findings.GENERIC_QUESTION in empty


def test_question_from_corpus_card_unless_given(paths, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "mycorpus").mkdir(parents=True)
    (raw / "mycorpus" / "corpus.yml").write_text("research_question: How is the alliance framed?\n", encoding="utf-8")
    monkeypatch.setattr(findings, "DATA_RAW", raw)
    run = run_of(paths, {"corpus": {"id": "mycorpus"}})
    assert "*How is the alliance framed?*" in findings.question(run)
    assert "*Mine?*" in findings.question(run, "Mine?")
    # A corpus given as a path has no card: the generic question.
    by_path = run_of(paths, {"corpus": {"id": "/somewhere/mycorpus"}})
    assert findings.GENERIC_QUESTION in findings.question(by_path)


def test_question_is_escaped(paths):
    html = render_markdown(findings.question(run_of(paths), XSS))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---------------------------------------------------------------- dominant frames


def _prevalence(paths):
    put(paths, "codebook", CODEBOOK)
    put(paths, "frame_prevalence", {
        "group": ["all"] * 4 + ["Kompas"],
        "frame": ["economic", "conflict", "morality", "human_interest", "human_interest"],
        "n_units": [10, 10, 10, 10, 5],
        "prevalence": [0.3, 0.5, 0.3, 0.0, 0.9],
        "lo": [0.1, 0.2, 0.1, 0.0, 0.5],
        "hi": [0.6, 0.8, 0.6, 0.0, 1.0],
    })
    put(paths, "frames_articles", {
        "article_id": ["a", "a", "b", "b", "c", "c"],
        "frame": ["conflict", "economic"] * 3,
        "present": [1, 0, 1, 1, 0, 1],
    })


def test_dominant_frames_numbers(paths):
    _prevalence(paths)
    f = findings.dominant_frames(run_of(paths))
    # Without a coding set the finding says first that nothing is validated; the indicators' shares follow
    # as unvalidated description, never as the headline.
    assert f.text.startswith("**The frames of this run are not validated**: no coding set exists")
    assert f.text.endswith("Unvalidated description from the keyword indicators: The most common frame is "
                           "**Conflict**, coded in 50% of the 10 units (95% bootstrap interval 20%–80%) and in "
                           "2 of 3 articles. It is followed by **Economic** (30%) and **Morality** (30%). "
                           "1 frame never occurs: Human interest.")
    assert f.figure is None


def test_dominant_frames_without_interval_or_codebook(paths):
    put(paths, "frame_prevalence", {"group": ["all", "all"], "frame": ["security_threat", "conflict"],
                                    "n_units": [8, 8], "prevalence": [0.25, 0.125],
                                    "lo": [np.nan, 0.0], "hi": [np.nan, 0.25]})
    put(paths, "frames_articles", {"article_id": ["a"], "frame": ["conflict"], "present": [1]})
    f = findings.dominant_frames(run_of(paths))
    assert "**security threat**, coded in 25% of the 8 units and in 0 of 1 articles" in f.text
    assert "bootstrap interval" not in f.text
    assert "never occur" not in f.text


def test_dominant_frames_missing_tables(paths):
    assert findings.dominant_frames(run_of(paths)).text.startswith("**The frames of this run are not validated**")
    # Prevalence without the article table: no article count is stated (and no crash).
    put(paths, "frame_prevalence", {"group": ["all"], "frame": ["conflict"], "n_units": [4],
                                    "prevalence": [0.5], "lo": [0.25], "hi": [0.75]})
    f = findings.dominant_frames(run_of(paths))
    assert "coded in 50% of the 4 units (95% bootstrap interval 25%–75%)" in f.text
    assert "articles" not in f.text


def _validation(paths, validated=("conflict",)):
    put(paths, "codebook", CODEBOOK)
    frames_ = ["conflict", "economic"]
    put(paths, "frame_methods", {"frame": frames_, "method": ["tfidf", "indicators"], "alpha": [0.81, 0.4],
                                 "alpha_lo": [0.7, 0.1], "alpha_hi": [0.9, 0.6],
                                 "validated": [f in validated for f in frames_], "reason": "best out-of-sample α"})
    put(paths, "prevalence_corrected", {
        "by": ["all", "all", "outlet", "outlet", "outlet", "outlet"], "group": ["all", "all", "A", "B", "A", "B"],
        "frame": ["conflict", "economic", "conflict", "conflict", "economic", "economic"],
        "method": ["tfidf", "indicators"] + ["tfidf"] * 2 + ["indicators"] * 2, "n_units": [40, 40, 20, 20, 20, 20],
        "n_articles": [5, 5, 1, 4, 1, 4], "raw": [0.4, 0.5, 0.3, 0.5, 0.5, 0.5], "raw_lo": 0.3, "raw_hi": 0.6,
        "sensitivity": 0.8, "specificity": 0.9, "corrected": [0.35, 0.55, 0.2, 0.5, 0.5, 0.6], "lo": 0.1, "hi": 0.7})
    put(paths, "validation_summary", {"status": ["human"], "coding_set": ["study"], "produced_by": [""]})


def test_dominant_frames_lead_with_the_corrected_share_of_validated_frames_only(paths):
    _prevalence(paths)
    _validation(paths)
    (paths.figures / "prevalence_corrected.png").write_bytes(b"png")
    f = findings.dominant_frames(run_of(paths))
    assert ("**Conflict** in 35% of units (95% interval 10%–70%; raw machine share 40%; coded by tfidf, "
            "α machine vs adjudicated codes 0.81)") in f.text
    assert "Economic" not in f.text and "most common" not in f.text
    assert f.text.startswith("Measured against human coders (coding set `study`), 1 frame of 2 is validated (the coders agree")
    assert f.figure == "figures/prevalence_corrected.png"


def test_no_validated_frame_never_headlines(paths):
    _prevalence(paths)
    _validation(paths, validated=())
    f = findings.dominant_frames(run_of(paths))
    assert f.text.startswith("**The frames of this run are not validated**: on no frame do both the coders agree")
    assert findings.outlet_differences(run_of(paths)).text.startswith("No frame of this run is validated")


def test_outlets_are_compared_on_validated_frames_only(paths):
    _validation(paths)
    text = findings.outlet_differences(run_of(paths)).text
    assert "**Conflict**" in text and "Economic" not in text and "corrected for coding error" in text


# ---------------------------------------------------------------- inductive frames


def _inductive(paths, n_topics=5, unstable=(2, 4), aris=None):
    put(paths, "codebook", CODEBOOK)
    put(paths, "inductive_frames", {"frame": [0, 1], "topics": ["2, 4", "1, 3, 5"], "n_topics": [2, 3],
                                    "prevalence": [0.3, 0.7], "top_terms": ["ekonomi, dagang", "perang, nato"]})
    put(paths, "topic_stability", {"topic": range(1, n_topics + 1),
                                   "stability": np.linspace(0.5, 0.9, n_topics),
                                   "unstable": [t in unstable for t in range(1, n_topics + 1)]})
    if aris is not None:
        put(paths, "inductive_stability", {"model": [f"seed-{i}" for i in range(len(aris))] + ["reference-leiden"],
                                           "kind": ["seed"] * len(aris) + ["method"], "k": n_topics, "seed": 1,
                                           "n_units": 40, "n_frames": 2, "ari": [*aris, 1.0]})


COMPARISON = {"deductive": ["conflict", "economic", "morality"], "inductive": [1, 0, 1], "rho": [0.41, -0.83, np.nan],
              "n_units": [40, 40, 40]}


def test_inductive_frames_lead_with_stability_and_only_stable_frames_are_compared(paths):
    _inductive(paths, aris=[0.9, 0.8])
    put(paths, "frame_comparison", COMPARISON)
    put(paths, "topic_params", {"parameter": ["document", "n_documents"], "value": ["article", "30"]})
    f = findings.inductive_frames(run_of(paths, {"parameters": {"min_ari": 0.65}}))
    assert f.title == "2. Inductive frames from the topic network (stable across refits)"
    assert f.text.startswith("The inductive frames are **stable** across 2 refits with other seeds")
    assert ("The topic model has **5 topics**, fitted on whole articles (30 documents); 2 of them are flagged unstable "
            "across seeds. The topic network groups them into 2 inductive frames; the largest joins topics 1, 3, 5 "
            "and covers 70% of the text, with the terms *perang, nato*.") in f.text
    assert ("**Economic** (Spearman ρ = -0.83 with inductive frame 0, over 40 units)") in f.text
    assert "too few nodes" not in f.text
    assert f.alt.startswith("Network of 5 topics")


def test_unstable_inductive_frames_do_not_headline_and_show_their_stability(paths):
    _inductive(paths, aris=[0.2, 0.4])
    put(paths, "frame_comparison", COMPARISON)
    put(paths, "inductive_topics", {"topic": [1, 2, 3, 4, 5], "label": "", "junk": [False, False, False, False, True],
                                    "prevalence": 0.2, "louvain": [1, 0, 1, 0, 0], "leiden": [1, 0, 1, 0, 0],
                                    "frame": [1, 0, 1, 0, 0]})
    paths.file("fig_inductive_stability").parent.mkdir(parents=True, exist_ok=True)
    paths.file("fig_inductive_stability").write_bytes(b"png")
    f = findings.inductive_frames(run_of(paths, {"parameters": {"min_ari": 0.65}}))
    assert f.title.endswith("(not stable)") and f.text.startswith("The inductive frames are **not stable**")
    assert "mean adjusted Rand index of 0.30 (lowest 0.20; threshold 0.65" in f.text and "no finding" in f.text
    assert "and 1 junk topic is left out of the network" in f.text
    assert "Spearman" not in f.text  # nothing is compared with frames that are not stable
    assert f.figure == "figures/inductive_stability.png" and "adjusted Rand index" in f.alt


def test_inductive_frames_caveat_for_few_topics_and_labels_fallback(paths):
    _inductive(paths, n_topics=3, unstable=())
    paths.file("topic_stability").unlink()
    put(paths, "topic_labels", {"topic": [1, 2, 3], "label": ["a", "b", "c"]})
    put(paths, "frame_comparison", {"deductive": ["conflict"], "inductive": [0], "rho": [np.nan], "n_units": [9]})
    f = findings.inductive_frames(run_of(paths))
    assert f.text.startswith("How stable the inductive frames are was not measured")
    assert "**3 topics**; 0 of them are flagged unstable" in f.text
    assert "With only 3 topics in it the network has too few nodes" in f.text
    assert "Spearman" not in f.text  # every rho undefined: no comparison claimed


def test_inductive_frames_name_topics_by_their_labels(paths):
    _inductive(paths, aris=[0.9])
    put(paths, "inductive_frames", {"frame": [1, 2], "topics": ["1, 3", "2"], "n_topics": [2, 1],
                                    "prevalence": [0.7, 0.3], "top_terms": ["perang", "ekonomi"],
                                    "topic_labels": [f"T1 {XSS}; T3 Pakta", "T2"]})
    f = findings.inductive_frames(run_of(paths))
    assert "the largest joins T1" in f.text and "T3 Pakta" in f.text
    html = html_of(f)
    assert "<script" not in html


def test_inductive_frames_missing_and_escaped(paths):
    assert findings.inductive_frames(run_of(paths)).text == "The topic network stage wrote no frames for this run."
    put(paths, "inductive_frames", {"frame": [0, 1], "topics": ["1", "2"], "n_topics": [1, 1], "prevalence": [0.6, 0.4],
                                    "top_terms": [XSS, "b"]})
    html = html_of(findings.inductive_frames(run_of(paths)))
    assert "<script" not in html and "&lt;script&gt;" in html


def test_inductive_frames_one_community_is_reported_as_no_structure(paths):
    _inductive(paths, n_topics=6, unstable=(), aris=[1.0, 1.0])
    put(paths, "inductive_frames", {"frame": [0], "topics": ["1, 2, 3, 4, 5, 6"], "n_topics": [6], "prevalence": [1.0],
                                    "top_terms": ["perang, nato"]})
    f = findings.inductive_frames(run_of(paths))
    assert f.title.endswith("(no community structure)") and "no stability to measure" in f.text
    assert "shows **no community structure**: Louvain places all 6 topics in one community" in f.text
    assert "covers 100%" not in f.text and "perang" not in f.text and "1.00" not in f.text


def test_one_community_on_few_documents_shows_no_network_and_says_topics_are_articles(paths):
    """With a handful of documents the topics sort the articles: said from the data, no network figure."""
    _inductive(paths, n_topics=2, unstable=(), aris=[1.0, 1.0])
    put(paths, "inductive_frames", {"frame": [0], "topics": ["1, 2"], "n_topics": [2], "prevalence": [1.0],
                                    "top_terms": ["perang, nato"]})
    (paths.figures / "topic_network.png").write_bytes(b"png")
    put(paths, "topic_params", {"parameter": ["document", "n_documents"], "value": ["article", "3"]})
    put(paths, "doc_topics_units", {"unit_id": ["a-p0", "a-p1", "b-p0", "c-p0"] * 2,
                                    "article_id": ["a_1", "a_1", "b_1", "c_1"] * 2, "topic": [1] * 4 + [2] * 4,
                                    "weight": [0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.5, 0.5]})
    f = findings.inductive_frames(run_of(paths))
    assert f.figure is None
    assert ("Fitted on 3 documents, the topics largely reproduce the articles: the share of each topic's weight "
            "that lies in its dominant article is T1 90% in article a; T2 42% in article b") in f.text
    lines = findings.limits(run_of(paths))
    assert "fitted on 3 documents: its topics describe these articles and support no inductive frame" in lines
    assert "Topic stability across seeds" not in lines


# ---------------------------------------------------------------- outlets


def _outlets(paths, a="Kompas", b="Tempo"):
    put(paths, "codebook", CODEBOOK)
    put(paths, "frame_prevalence_outlet", {
        "group": [a, a, b, b], "frame": ["conflict", "economic", "conflict", "economic"],
        "n_units": [10, 10, 4, 4], "prevalence": [0.6, 0.2, 0.5, 0.75],
        "lo": [0.3, 0.0, 0.0, 0.25], "hi": [0.9, 0.5, 1.0, 1.0]})


def test_outlet_differences_numbers(paths):
    _outlets(paths)
    f = findings.outlet_differences(run_of(paths))
    assert f.text == ("Kompas leads with **Conflict** (60% of its 10 units); Tempo leads with **Economic** "
                      "(75% of its 4 units). Outlets differ most on **Economic**: from 20% of units in "
                      "Kompas to 75% in Tempo. The smallest outlet, Tempo, contributes only 4 units, so the "
                      "intervals in the figure are wide.")
    assert "for 2 outlets" in f.alt
    assert f.data == ["tables/frame_prevalence_outlet.csv"]


def test_outlet_differences_names_ties_and_articles_without_outlet(paths):
    put(paths, "codebook", CODEBOOK)
    put(paths, "frame_prevalence_outlet", {
        "group": ["Kompas", "Kompas", "unknown", "unknown"], "frame": ["conflict", "economic", "conflict", "economic"],
        "n_units": [60, 60, 1, 1], "prevalence": [0.4, 0.4, 1.0, 0.0], "lo": [0.0] * 4, "hi": [1.0] * 4})
    f = findings.outlet_differences(run_of(paths))
    assert f.text.startswith("Kompas leads with **Conflict** and **Economic** (40% each of its 60 units); "
                             "articles naming no outlet lead with **Conflict** (100% of their 1 unit).")
    assert "in articles naming no outlet" in f.text
    assert "smallest outlet" not in f.text  # the unnamed group is not an outlet


@pytest.mark.parametrize("groups", [[], ["Kompas"]])
def test_outlet_differences_needs_two_outlets(paths, groups):
    if groups:
        put(paths, "frame_prevalence_outlet", {"group": groups * 2, "frame": ["conflict", "economic"],
                                               "n_units": [3, 3], "prevalence": [0.3, 0.6]})
    f = findings.outlet_differences(run_of(paths))
    assert f.text.startswith("Fewer than two outlets are known")
    assert f.figure is None


def test_outlet_names_are_escaped_in_text_alt_and_html(paths):
    _outlets(paths, a=XSS, b='Say "hi" & go')
    f = findings.outlet_differences(run_of(paths))
    html = html_of(f)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; go" in html
    # The alt attribute cannot be broken out of by a quote in an outlet name.
    (paths.figures / "frame_prevalence_outlet.png").write_bytes(b"png")
    html = html_of(findings.outlet_differences(RunData(paths, {})))
    alt = html.split('alt="', 1)[1].split('" class=', 1)[0]
    assert '"' not in alt and "<" not in alt


def test_outlet_names_cannot_inject_markdown_links(paths):
    # An outlet given in an input table is arbitrary text; Markdown syntax in it must stay text.
    _outlets(paths, a=MD_LINK, b="# Tempo")
    html = html_of(findings.outlet_differences(run_of(paths)))
    assert "<a " not in html.split('<p class="small">')[0]  # no link before the data links
    assert "<p># Tempo leads with" in html  # not a heading, although it opens the paragraph
    assert "; [click](javascript:alert(1)) leads with" in html
    assert "<h1" not in html


def test_markdown_in_source_names_and_dates_shows_as_text(paths):
    _sources(paths, names=("*Putin*", "![img](x.png)", "@blei2003"), identity="unnamed")
    html = render_markdown(findings.who_speaks(run_of(paths)).text)  # with citations on, as a page would
    assert "<em>" not in html and "<img" not in html and "citation" not in html
    assert "“*Putin*”, “![img](x.png)”, “@blei2003”" in html


# ---------------------------------------------------------------- over time


def _dated(paths):
    put(paths, "codebook", CODEBOOK)
    put(paths, "articles_overview", articles(["A", "B", "C", "D"], ["2024-06-23", "2024-06-24", "--06-19", None],
                                    ["day", "day", "day-no-year", None]))
    put(paths, "frame_prevalence_date", {
        "group": ["2024-06-23"] * 4 + ["2024-06-24"] * 2 + ["--06-19"] * 2,
        "frame": ["conflict", "economic", "morality", "human_interest", "conflict", "economic", "conflict", "economic"],
        "n_units": [10, 10, 10, 10, 4, 4, 6, 6],
        "prevalence": [0.2, 0.5, 0.3, 0.1, 0.25, 0.25, 0.9, 0.1]})


def test_frames_over_time_numbers_and_table(paths):
    _dated(paths)
    f = findings.frames_over_time(run_of(paths))
    assert f.text.startswith("2 articles carry a full date (1 more carries a day without a year")
    # A tie (25% each on 2024-06-24) names both frames; the day without a year is left out.
    html = render_markdown(f.text)
    assert ("2024-06-23: <strong>Economic</strong> (50%); 2024-06-24: <strong>Conflict</strong> and "
            "<strong>Economic</strong> (25% each).") in html
    assert "06-19" not in html
    t = f.table
    assert list(t.columns) == ["date", "frame", "units", "share"]
    assert t["date"].tolist() == ["2024-06-23"] * 3 + ["2024-06-24"] * 2
    assert t["frame"].tolist()[:3] == ["Economic", "Morality", "Conflict"]
    assert t["share"].tolist()[:3] == ["50%", "30%", "20%"]
    assert "<table" in html_of(f)


def test_frames_over_time_table_keeps_every_frame_tied_at_third(paths):
    _dated(paths)
    put(paths, "frame_prevalence_date", {
        "group": ["2024-06-23"] * 4 + ["2024-06-24"] * 2,
        "frame": ["conflict", "economic", "morality", "human_interest", "conflict", "economic"],
        "n_units": [10] * 4 + [4] * 2, "prevalence": [0.2, 0.5, 0.2, 0.2, 0.25, 0.25]})
    t = findings.frames_over_time(run_of(paths)).table
    assert t.loc[t["date"] == "2024-06-23", "frame"].tolist() == ["Economic", "Conflict", "Human interest", "Morality"]


def test_frames_over_time_too_few_dates(paths):
    put(paths, "articles_overview", articles(["A", "B"], ["2024-06-23", "--06-19"], ["day", "day-no-year"]))
    put(paths, "frame_prevalence_date", {"group": ["2024-06-23"], "frame": ["conflict"], "n_units": [3],
                                         "prevalence": [1.0]})
    f = findings.frames_over_time(run_of(paths))
    assert f.text == ("Only 1 of 2 articles carries a full publication date (from a dateline or the metadata); "
                      "the comparison over time is not made.")
    assert f.table is None


def test_frames_over_time_without_any_date(paths):
    assert findings.frames_over_time(run_of(paths)).text.startswith("No article carries a full publication date")
    put(paths, "articles_overview", articles(["A", "B"], [None, None], [None, None]))
    assert findings.frames_over_time(run_of(paths)).text.startswith("None of the 2 articles carries a full")
    assert "Only 0" not in findings.frames_over_time(run_of(paths)).text


def test_frames_over_time_with_blank_date_columns(paths):
    # No article has a date or date precision (both written blank).
    put(paths, "articles_overview", {"article_id": ["a", "b"], "outlet": ["A", "B"]})
    put(paths, "frame_prevalence_date", {"group": ["2024-06-23"], "frame": ["conflict"], "n_units": [3],
                                         "prevalence": [1.0]})
    assert findings.frames_over_time(run_of(paths)).text.startswith("None of the 2 articles carries a full")


# ---------------------------------------------------------------- sources


def _sources(paths, names=("Vladimir Putin", "Sergei Lavrov", "Andrei Lankov"), identity="named"):
    put(paths, "statements", {
        "statement_id": ["s1", "s2", "s3", "s4", "s5"], "article_id": ["a", "a", "b", "b", "c"],
        "unit_id": ["a-p1", "a-p2", "b-p1", "b-p2", "c-p1"],
        "speaker": [names[0], names[0], names[1], names[2], names[2]],
        "canonical": ["p", "p", "l", "k", "k"], "identity": identity, "kind": "direct",
        "source_type": ["government", "government", "government", "academic", "academic"],
        "origin": ["russia", "russia", "russia", "other", "other"], "via": ["", "TASS", "", "", ""]})
    put(paths, "source_types", {"source_type": ["government", "academic", "unknown"],
                                "label": ["government official", "academic", "unknown"],
                                "n_sources": [2, 1, 0], "n_statements": [3, 2, 0], "n_units": [3, 2, 0],
                                "n_articles": [2, 2, 0]})
    put(paths, "source_origins", {"origin": ["russia", "other", "unknown"], "label": ["Russian", "other", "unknown"],
                                  "n_sources": [2, 1, 0], "n_statements": [3, 2, 0], "n_units": [3, 2, 0],
                                  "n_articles": [2, 2, 0]})


def _summary(paths, status="example", p=0.95, r=0.9):
    put(paths, "attribution_summary", {"status": [status], "coding_set": ["x/speakers"],
                                       "produced_by": ["an AI assistant"], "n_gold": [40], "n_machine": [38],
                                       "n_articles": [5], "precision": [p], "recall": [r], "type_precision": [p],
                                       "type_recall": [r], "holds": [min(p, r) >= 0.8]})
    put(paths, "attribution_scores", {"item": ["speaker", "speaker + type"], "n_gold": [40, 40], "n_machine": [38, 38],
                                      "n_matched": [36, 36], "tp": [36, 36], "precision": [p, p],
                                      "recall": [r, r]})


def test_who_speaks_reports_type_and_origin_with_n(paths):
    _sources(paths)
    f = findings.who_speaks(run_of(paths))
    assert f.title == "5. Whose voices are heard (attribution not validated)"
    assert f.text.startswith("**5 statements** by **3 distinct sources** are attributed in 5 units of 3 articles.")
    assert "By type — government official: 2 sources, 3 statements; academic: 1 source, 2 statements." in f.text
    assert "By origin — Russian: 2 sources, 3 statements; other: 1 source, 2 statements." in f.text
    assert "1 statement reached the story through a named outlet (TASS 1)." in f.text
    assert "No speaker coding is available" in f.text
    # The origin rules that move "whose voices" are stated (NATO members; academics by their institution).
    assert "every NATO member state (Türkiye included)" in f.text and "country of their institution" in f.text


def test_who_speaks_heading_says_who_checked_attribution(paths):
    _sources(paths)
    _summary(paths)
    title = findings.who_speaks(run_of(paths)).title
    assert "(not validated; agreement with an AI coding, not people" in title and "human" not in title
    assert "meet" not in findings.who_speaks(run_of(paths)).text
    _summary(paths, p=0.6)
    assert "not validated; agreement with an AI coding" in findings.who_speaks(run_of(paths)).title
    _summary(paths, status="human")
    assert "validated against human coders" in findings.who_speaks(run_of(paths)).title


def test_who_speaks_empty_and_escaped(paths):
    assert findings.who_speaks(run_of(paths)).text == "No attributed statement was found in this corpus."
    _sources(paths, names=(XSS, "B", "C"), identity="unnamed")
    html = html_of(findings.who_speaks(run_of(paths)))
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _voices(paths):
    put(paths, "codebook", CODEBOOK)
    put(paths, "source_types", {"source_type": ["government", "academic"], "label": ["government official", "academic"]})
    put(paths, "quote_frames", {
        "voice": ["quoted", "quoted", "journalist", "journalist"], "frame": ["conflict", "economic"] * 2,
        "n_spans": [10, 10, 40, 40], "n_articles": [3] * 4, "n_present": [5, 1, 8, 8],
        "share": [0.5, 0.1, 0.2, 0.2], "lo": [0.3, 0.0, 0.1, 0.1], "hi": [0.7, 0.2, 0.3, 0.3]})
    put(paths, "source_frames", {
        "source_type": ["government", "government", "academic", "academic"], "source": ["Putin", "Putin", "L", "L"],
        "canonical": ["p", "p", "l", "l"], "voice": ["quoted", "reported", "quoted", "quoted"],
        "frame": ["conflict", "economic", "conflict", "economic"], "n_statements": [4, 9, 2, 2],
        "n_with_frame": [3, 9, 0, 1], "share": [0.75, 1.0, 0.0, 0.5]})


def test_voices_and_frames_uses_the_quoted_words_with_n(paths):
    _voices(paths)
    f = findings.voices_and_frames(run_of(paths))
    assert f.title.startswith("6. Which voices carry which frames (frames not validated;")
    assert ("**Conflict** 50% [30%, 70%] of direct quotes, against 20% [10%, 30%] of the journalist's") in f.text
    assert "(40 spans, at most one per unit)" in f.text
    # Only quoted words speak for a source: the reported 100% economic of government is not its voice.
    assert "**government official** most often **Conflict** (75% of its 4 quoted statements by 1 source)" in f.text
    assert "**academic** most often **Economic** (50% of its 2 quoted statements by 1 source)" in f.text
    assert "recorded no wire or translation credits" in f.text


def test_voices_and_frames_states_only_validated_frames(paths):
    _voices(paths)
    put(paths, "frame_methods", {"frame": ["conflict", "economic"], "method": ["indicators", "tfidf"],
                                 "validated": [True, True]})
    f = findings.voices_and_frames(run_of(paths))
    assert "**Conflict**" in f.text and "**Economic**" not in f.text
    assert "left out: its validated coder is not the indicators" in f.text
    put(paths, "frame_methods", {"frame": ["conflict"], "method": ["indicators"], "validated": [False]})
    assert findings.voices_and_frames(run_of(paths)).text.startswith("No frame of this run is validated")


# ---------------------------------------------------------------- limits


def test_limits_tiny_unvalidated_corpus(paths):
    put(paths, "articles_overview", articles([None, "Kompas"], ["2024-01-01", None]))
    text = findings.limits(run_of(paths))
    lines = text.splitlines()
    assert lines[0].startswith("- **2 articles: descriptive only.**")
    assert "- 1 article names no outlet in its text; the outlet is left empty, not guessed." in lines
    assert any("**not validated**" in line for line in lines)
    assert "Topic stability" not in text


def test_limits_without_any_table(paths):
    text = findings.limits(run_of(paths))
    assert text.startswith("- **0 articles: descriptive only.**")
    assert "name no outlet" not in text
    assert "**not validated**" in text


@pytest.mark.parametrize("status, kind", [
    ("example", "an illustrative example coding (12 units coded by 2 coders; produced by an AI assistant), "
                "not human coding and not a gold standard, so its figures show the workflow, not the codes' quality"),
    ("human", "human coding (12 units coded by 2 coders)")])
def test_limits_validation_and_stability(paths, status, kind):
    put(paths, "articles_overview", articles(["A"], ["2024-01-01"]))
    put(paths, "validation_summary", {"status": [status], "n_coders": [2], "n_units": [12],
                                      "produced_by": ["produced by an AI assistant"], "n_frames": [10],
                                      "n_frames_alpha": [6], "mean_alpha_frames": [0.898803], "macro_f1_frames": [0.57037]})
    put(paths, "topic_stability", {"topic": [1, 2, 3], "stability": [0.802725, 0.5, 0.863388]})
    text = findings.limits(run_of(paths))
    assert f"- Validation rests on {kind}: mean Krippendorff's α 0.90 across the 6 of 10 frames the coders used " \
           f"(undefined for the others), macro F1 of the automated frame codes 0.57 (Validation page)." in text
    assert "ranges from 0.50 to 0.86" in text
    assert "not validated" not in text
    assert "name no outlet" not in text


def test_limits_status_none_row(paths):
    put(paths, "validation_summary", {"status": ["none"], "n_coders": [0], "n_units": [0]})
    assert "**not validated**" in findings.limits(run_of(paths))


# ---------------------------------------------------------------- render


def test_render_figure_finding_escapes_everything(paths):
    f = Finding(title="1. <b>T</b>", text="Share is **50%**.", figure="figures/x.png",
                alt='say "<x>"', caption="cap <i>", data=["tables/a&b.csv", "tables/sub/c.csv"],
                table=pd.DataFrame({"x": [1]}))
    html = findings.render(f)
    assert html.startswith('<section class="finding"><h3>1. &lt;b&gt;T&lt;/b&gt;</h3>')
    assert "<strong>50%</strong>" in html
    assert 'src="figures/x.png" alt="say &quot;&lt;x&gt;&quot;"' in html
    assert "<figcaption>cap &lt;i&gt;</figcaption>" in html
    assert "<table" not in html  # the figure wins over the table
    assert '<a href="tables/a&amp;b.csv" download>a&amp;b.csv</a> · <a href="tables/sub/c.csv" download>c.csv</a>' in html
    assert html.endswith("</section>")


def test_render_table_finding_and_no_data(paths):
    f = Finding(title="T", text="x", caption="Cap", table=pd.DataFrame({"date": ["2024-01-01"], "frame": [XSS]}))
    html = findings.render(f)
    assert "<caption>Cap</caption>" in html
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "Data:" not in html
    bare = findings.render(Finding(title="T", text="x", table=pd.DataFrame()))
    assert "<table" not in bare and "<figure" not in bare


def test_render_raw_html_in_text_is_not_let_through():
    html = findings.render(Finding(title="T", text=f"Raw {XSS} here"))
    assert "<script" not in html


def test_pct_and_interval_helpers():
    assert findings._pct(0.355263) == "36%"
    assert findings._pct(0) == "0%"


# ---------------------------------------------------------------- scale and unit of analysis


def test_prose_names_the_runs_unit_of_analysis(paths):
    _prevalence(paths)
    f = findings.dominant_frames(run_of(paths, {"parameters": {"unit": "sentence"}}))
    assert "of the 10 sentences" in f.text and "paragraph" not in f.text + f.caption + f.alt


def test_nothing_coded_says_so_instead_of_naming_a_top_frame(paths):
    put(paths, "frame_prevalence", {"group": ["all", "all"], "frame": ["conflict", "economic"], "n_units": [7, 7],
                                    "prevalence": [0.0, 0.0], "lo": [0.0, 0.0], "hi": [0.0, 0.0]})
    f = findings.dominant_frames(run_of(paths))
    assert "No codebook frame was coded in any of the 7 units" in f.text
    assert "most common" not in f.text


def test_large_corpus_limits_and_outlets_are_not_called_thin(paths):
    n = 120
    put(paths, "articles_overview", articles(["Kompas"] * n, ["2024-01-01"] * n))
    assert findings.limits(run_of(paths)).startswith("- **120 articles.** The findings describe this corpus")
    put(paths, "frame_prevalence_outlet", {
        "group": ["A", "A", "B", "B"], "frame": ["conflict", "economic"] * 2, "n_units": [400, 400, 300, 300],
        "prevalence": [0.6, 0.2, 0.5, 0.75], "lo": [0.5, 0.1, 0.4, 0.7], "hi": [0.7, 0.3, 0.6, 0.8]})
    assert "intervals in the figure are wide" not in findings.outlet_differences(run_of(paths)).text


def test_many_dates_are_summarised_not_listed(paths):
    dates = [f"2024-{m:02d}-{d:02d}" for m in range(1, 3) for d in range(1, 11)]  # 20 dates, two articles each
    put(paths, "articles_overview", articles(["Kompas"] * 40, dates * 2))
    put(paths, "codebook", CODEBOOK)
    put(paths, "frame_prevalence_date", {
        "group": [d for d in dates for _ in range(2)], "frame": ["conflict", "economic"] * 20,
        "n_units": [6] * 40, "prevalence": [0.5, 0.25] * 15 + [0.1, 0.4] * 5})
    f = findings.frames_over_time(run_of(paths))
    assert "Across 20 dates from 2024-01-01 to 2024-02-10" in html_of(f)
    assert "most often **Conflict** (15 of 20 dates" in f.text
    assert "Dates carry from 2 to 2 articles" in f.text
    assert f.text.count("2024&#45;") == 2  # the first and last date, not every date


def test_outlet_shares_state_articles_and_flag_one_article_outlets(paths):
    """An outlet of one article is that article: its share is description only, and n is stated."""
    _validation(paths)
    text = findings.outlet_differences(run_of(paths)).text
    corrected = pd.read_csv(paths.tables / "prevalence_corrected.csv")
    one = corrected[(corrected["by"] == "outlet") & (corrected["n_articles"] == 1)]["group"].unique()
    many = corrected[(corrected["by"] == "outlet") & (corrected["n_articles"] > 1)]["group"].unique()
    assert len(one) or len(many)
    for group in one:
        assert f"{group}'s" in text and "one article: description only" in text
    for group in many:
        assert "articles)" in text


def test_hundreds_of_dates_are_tabled_by_month(paths):
    """A year of daily news: the table pools days by month (weighted by units), the text still counts the days."""
    days = pd.date_range("2024-01-01", "2024-03-31").strftime("%Y-%m-%d").tolist()  # 91 dates
    put(paths, "articles_overview", articles(["Kompas"] * len(days), days))
    put(paths, "codebook", CODEBOOK)
    conflict = [0.5 if d.startswith("2024-01") else 0.1 for d in days]
    put(paths, "frame_prevalence_date", {
        "group": [d for d in days for _ in range(2)], "frame": ["conflict", "economic"] * len(days),
        "n_units": [4] * (2 * len(days)), "prevalence": [v for c in conflict for v in (c, 0.3)]})
    f = findings.frames_over_time(run_of(paths))
    assert "Across 91 dates" in f.text
    t = f.table
    assert list(t.columns) == ["month", "frame", "units", "share"]
    assert t["month"].unique().tolist() == ["2024-01", "2024-02", "2024-03"]
    assert t.loc[t["month"] == "2024-01", "frame"].tolist() == ["Conflict", "Economic"]
    assert t.loc[t["month"] == "2024-02", "frame"].tolist() == ["Economic", "Conflict"]
    assert t.loc[t["month"] == "2024-01", "units"].tolist() == [31 * 4] * 2
    assert "pooled by month" in f.caption


def test_many_outlets_name_the_largest_and_point_to_the_download(paths):
    put(paths, "codebook", CODEBOOK)
    names = [f"Outlet {i:02d}" for i in range(30)]
    put(paths, "frame_prevalence_outlet", {
        "group": [n for n in names for _ in range(2)], "frame": ["conflict", "economic"] * 30,
        "n_units": [100 - i for i in range(30) for _ in range(2)], "prevalence": [0.6, 0.2] * 30,
        "lo": [0.5, 0.1] * 30, "hi": [0.7, 0.3] * 30})
    text = findings.outlet_differences(run_of(paths)).text
    assert "Outlet 00 leads with" in text and "Outlet 06 leads with" in text
    assert "Outlet 07 leads with" not in text and "Outlet 29 leads with" not in text
    assert "23 smaller outlets are in the download" in text
