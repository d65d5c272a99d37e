"""The review view: each article with its units in order, codes and quotes marked, corpus text escaped."""

from __future__ import annotations

import json

import pytest
from conftest import put_table

from analysis import registry, review
from analysis.errors import AnalysisError
from analysis.registry import RunPaths

XSS = '<script>alert("x")</script>'


def _has(key: str, column: str) -> bool:
    return column in dict(registry.artifact(key).columns)


@pytest.fixture
def run(tmp_path):
    paths = RunPaths(tmp_path / "runs" / "r").create()
    units = {"unit_id": ["a-p000", "a-p001", "a-p002", "b-p000"], "article_id": ["a", "a", "a", "b"],
             "position": [0, 1, 2, 0],
             "text": ["Perang dagang memanas", f"Menteri Budi mengatakan {XSS} kerja sama berlanjut.",
                      "Paragraf tanpa kode.", "Artikel kedua."]}
    if _has("units", "unit_type"):
        units["unit_type"] = ["headline", "lead", "body", "body"]
    put_table(paths, "units", units)
    put_table(paths, "articles", {"article_id": ["a", "b"], "title": [f"Judul {XSS}", "Kedua"],
                                  "outlet": ["Kompas", ""], "date": ["2024-06-23", ""]})
    put_table(paths, "codebook", {"frame": ["conflict"], "frame_name": ["Conflict"]})
    put_table(paths, "frames_units", {"unit_id": ["a-p000", "a-p001"], "article_id": ["a", "a"],
                                      "frame": ["conflict", "conflict"], "present": [1, 0],
                                      "evidence": ["perang; re:\\bmemanas\\b", ""]})
    put_table(paths, "frame_evidence", {"unit_id": ["a-p000"], "frame": ["conflict"], "question": ["conflict_q1"],
                                        "evidence": ["perang; re:\\bmemanas\\b"], "snippet": ["Perang dagang memanas"]})
    text = units["text"][1] if isinstance(units, dict) else units.loc[1, "text"]
    at = text.index("Menteri Budi")
    put_table(paths, "statements", {"statement_id": ["a-p001-1"], "article_id": ["a"], "unit_id": ["a-p001"],
                                    "speaker": ["Budi"], "speaker_start": [at], "speaker_end": [at + len("Menteri Budi")],
                                    "cue": ["mengatakan"], "kind": ["indirect"], "quote_start": [-1], "quote_end": [-1],
                                    "source_type": ["government"], "origin": ["Indonesian"]})
    put_table(paths, "source_types", {"source_type": ["government"], "label": ["government official"]})
    return paths


def test_each_article_shows_its_units_in_order_with_codes_and_quotes(run, tmp_path):
    index = review.build_review(run, tmp_path / "out")
    page = (index.parent / "a.html").read_text(encoding="utf-8")
    assert page.index("a-p000") < page.index("a-p001") < page.index("a-p002")  # reading order
    assert '<mark class="indicator"' in page and ">Perang</mark>" in page and ">memanas</mark>" in page
    assert "Conflict" in page and "conflict_q1" in page  # the frame by name, with the question that fired
    assert '<span class="speaker" title="speaker: Budi">Menteri Budi</span>' in page
    assert "government official" in page and "government</span>" not in page  # type by its label
    kinds = ["headline", "lead", "body"] if _has("units", "unit_type") else ["body"] * 3
    for kind in kinds:
        assert f'class="unit {kind}"' in page
    assert (index.parent / "b.html").exists() and "a.html" in index.read_text(encoding="utf-8")


def test_corpus_text_is_escaped_everywhere(run, tmp_path):
    out = review.build_review(run, tmp_path / "out").parent
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>" not in text, page.name
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in (out / "a.html").read_text(encoding="utf-8")


def test_marks_never_break_the_escaping_or_nest_badly():
    assert review._marked("a&b <i>", [(0, 3, "mark", ""), (2, 5, "mark", "")]) == "<mark>a&amp;b</mark> &lt;i&gt;"
    assert review._marked("abc", [(1, 9, "mark", "")]) == "abc"  # a span past the text is dropped


def test_indicator_spans_match_words_and_patterns_only():
    text = "Konflik dan perang; perangkat bukan perang."
    assert review._indicator_spans(text, "perang") == [(12, 18), (36, 42)]  # not inside "perangkat"
    assert review._indicator_spans(text, "re:[") == []  # a broken pattern is skipped, not an error


def test_it_is_private_by_default_and_published_only_when_the_card_allows(run, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUNS_ROOT", str(tmp_path / "runs"))
    assert review.review_root() == tmp_path / "review"
    index = review.build_review(run)
    assert index == tmp_path / "review" / "r" / "index.html"  # beside runs/, never in the site
    assert not review.may_publish(run)
    run.provenance.write_text(json.dumps({"corpus": {"card": {"publish_review": True}}}))
    assert review.may_publish(run)
    run.provenance.write_text(json.dumps({"corpus": {"card": {"publish_review": "yes"}}}))
    assert not review.may_publish(run)  # only an explicit true opts in


def test_a_run_without_units_is_refused(tmp_path):
    with pytest.raises(AnalysisError, match="no units in this run"):
        review.build_review(RunPaths(tmp_path / "empty"), tmp_path / "out")


def test_cli_builds_the_review_of_a_run(run, tmp_path, monkeypatch, capsys):
    from analysis.__main__ import main

    monkeypatch.setenv("ANALYSIS_RUNS_ROOT", str(tmp_path / "runs"))
    assert main(["review", "--run", "r"]) == 0
    assert (tmp_path / "review" / "r" / "a.html").exists()
    assert main(["review", "--run", "missing"]) == 2
    assert "no run named 'missing'" in capsys.readouterr().err
    assert not (tmp_path / "runs" / "missing").exists()
