"""Tests of analysis.corpus.segmentation: article, paragraph and sentence units, ids, short units."""

from __future__ import annotations

import pytest

from analysis import corpus
from analysis.errors import AnalysisError

from .samples import write


def test_units_article_paragraph_sentence(tmp_path):
    write(tmp_path / "src", "a.txt", "TEMPO.CO, Jakarta - Kalimat satu cukup panjang di sini. Kalimat dua juga cukup panjang.\n\n"
                                     "Paragraf kedua dengan beberapa kata lagi.\n")
    built = {u: corpus.build_corpus(tmp_path / "src", tmp_path / u, unit=u, min_unit_words=0) for u in corpus.UNITS}
    assert {u: s.n_units for u, s in built.items()} == {"article": 1, "paragraph": 2, "sentence": 3}
    assert built["sentence"].units()["unit_id"].tolist() == ["a-s000", "a-s001", "a-s002"]


def test_segment_paragraphs_by_blank_lines_or_lines():
    assert len(corpus.segment_text("a b\nc d\n\ne f\ng h", "paragraph")) == 4
    assert len(corpus.segment_text("a b\nc d\n\ne f\n\ng h", "paragraph")) == 3
    spans = corpus.segment_text("Dr. Budi datang. Ia bicara.", "sentence", abbreviations=("dr",))
    assert len(spans) == 2


@pytest.mark.parametrize("unit", corpus.UNITS)
def test_spans_hold_no_surrounding_whitespace_and_empty_text_has_none(unit):
    text = "  Satu dua tiga.  \n\n  Empat lima. Enam.  "
    for start, end in corpus.segment_text(text, unit):
        assert text[start:end] == text[start:end].strip() != ""
    assert corpus.segment_text(" \n ", unit) == []


def test_unknown_unit_is_refused():
    with pytest.raises(AnalysisError, match="unit 'chapter' is not one of"):
        corpus.segment_text("x", "chapter")


def test_unit_ids_sort_in_reading_order():
    ids = [corpus.unit_id("a", "paragraph", i) for i in (0, 2, 10)]
    assert ids == sorted(ids) == ["a-p000", "a-p002", "a-p010"]


def test_short_body_units_are_dropped_and_logged_but_headings_and_items_stay(tmp_path):
    write(tmp_path / "src", "a.txt", "TEMPO.CO, Jakarta - Isi berita panjang sekali hari ini.\n2. Sub judul\n"
                                     "Dua Kata\nIsi lain yang cukup panjang di sini.\nzvr\n")
    summary = corpus.build_corpus(tmp_path / "src", tmp_path / "out", min_unit_words=5)
    log, units = summary.cleaning_log(), summary.units()
    assert units["unit_type"].tolist() == ["lead", "list_item", "subheading", "body"]
    assert summary.n_short_units == 1
    assert log.loc[log["rule"] == "min_unit_words", ["text", "line_no", "category"]].values.tolist() == [
        ["zvr", 5, "short unit"]]
