"""Tests of analysis.corpus.cleaning: every rule action, titles, datelines, dates, given metadata."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import corpus

from .samples import ARTICLE, BOILERPLATE, THAI, write


# --------------------------------------------------------------------------- done-when on the seeds


def test_seed_units_hold_no_boilerplate_and_no_thai(seeds):
    _, _, units, _ = seeds
    assert len(units) > 20
    for text in units["text"]:
        assert not any(b in text for b in BOILERPLATE), text
        assert not any(ch in text for ch in THAI), text


def test_seed_metadata(seeds):
    summary, articles, _, _ = seeds
    expected_outlets = {"000": "WahanaNews.co", "001": "Priangan.com", "002": "", "003": "IDM", "004": "TEMPO.CO"}
    for prefix, outlet in expected_outlets.items():
        row = articles[articles.index.str.startswith(prefix)].iloc[0]
        assert row["outlet"] == outlet
    # 002 names no outlet in its text: empty and counted, never guessed.
    assert summary.missing["outlet"] == 1
    by = {i[:3]: r for i, r in articles.iterrows()}
    # No seed has a date in its dateline, a date line or metadata. The dates in their bodies
    # ("dilansir Minggu (23/6/2024)", "pada Rabu (19/6)", "Rabu, 13 September 2023") are the
    # dates of what they report, never publication dates.
    assert set(articles["date"]) == {""} and summary.missing["date"] == 5
    assert by["001"]["title"] == "AS Dalam Ancaman Terbesar, Rusia Gerak Cepat Gabung Aliansi Baru"
    assert by["003"]["title"] == "Membaca Makna Keakraban Rusia-Korut"
    assert by["000"]["title"] == "" and by["004"]["title"] == ""
    assert by["001"]["place"] == "WASHINGTON" and by["002"]["place"] == "MOSKOW"


# --------------------------------------------------------------------------- rules, one by one


@pytest.mark.parametrize(
    "line, rule",
    [
        ("Baca juga: Tiba di Korea Utara, Putin Disambut Hangat", "baca_juga"),
        ("Tonton Juga :\u00a0 Keseriusan Nurhayati Tangani Stunting", "tonton_juga"),
        ("Foto/AP", "photo_credit"),
        ("Pilihan Editor KBRI Kairo Dituding Perintahkan Deportasi WNI", "pilihan_editor"),
        ("Vladimir Putin dan Kim Jong Un sepakat membangun pertahanan bersama | rt.com", "caption_with_source"),
        ("Estimated read time 4 min read", "read_time"),
        ("REUTERS", "agency_credit"),
        ("Daily News", "site_header"),
    ],
)
def test_each_line_rule_removes_and_logs(rules, line, rule):
    body = "TEMPO.CO, Jakarta - Rusia dan Korea Utara memperkuat kerja sama pertahanan."
    art = corpus.clean_article([body, line, "Kalimat penutup yang cukup panjang untuk dianalisis."], rules)
    assert line.strip() not in art.text
    assert [r["rule"] for r in art.removals] == [rule]
    assert art.removals[0]["line_no"] == 2


@pytest.mark.parametrize(
    "footer, rule",
    [("Berita Terkait", "berita_terkait"), ("Berita Terbaru", "berita_terkait"),
     ("You May Also Like", "you_may_also_like"), ("More From Author", "you_may_also_like"),
     ("Add yours", "comments_widget"), ("Bagaimana reaksi Anda tentang artikel ini?", "reaction_widget"),
     ("%d blogger menyukai ini:", "bloggers_like"), ("Subscribe hubungi bagian Sirkulasi", "subscription")],
)
def test_each_footer_rule_drops_the_rest(rules, footer, rule):
    lines = ["TEMPO.CO, Jakarta - Isi berita yang panjang tentang Rusia.", footer, "Widget teks lain", "Semarang, IDM – lain"]
    art = corpus.clean_article(lines, rules)
    assert art.text == lines[0]
    assert {r["rule"] for r in art.removals} == {rule}
    assert len({r["block"] for r in art.removals}) == 1  # one block, three lines


def test_block_rule_takes_the_headline_on_the_next_line(rules):
    art = corpus.clean_article(ARTICLE.splitlines(), rules)
    assert "Putin Disambut Hangat" not in art.text
    baca = [r for r in art.removals if r["rule"] == "baca_juga"]
    assert [r["line_no"] for r in baca] == [3, 4] and baca[0]["block"] == baca[1]["block"]


def test_inline_rules_cut_only_the_span(rules):
    art = corpus.clean_article(["TEMPO.CO, Jakarta - Isi berita panjang sekali. [Redaktur: Elsya TA]",
                                "Paragraf akhir berita ini ditutup inisial. (mth)"], rules)
    assert art.text == "TEMPO.CO, Jakarta - Isi berita panjang sekali.\nParagraf akhir berita ini ditutup inisial."
    assert [r["rule"] for r in art.removals] == ["editor_tag", "reporter_initials"]


def test_footer_before_any_text_only_drops_its_line(rules):
    art = corpus.clean_article(["Berita Terkait", "TEMPO.CO, Jakarta - Isi berita yang tetap ada."], rules)
    assert art.text == "TEMPO.CO, Jakarta - Isi berita yang tetap ada."


def test_line_numbers_point_at_the_raw_lines(rules):
    art = corpus.clean_article(["", "TEMPO.CO, Jakarta - Satu.", "Foto/AP", "", "", "Dua kalimat."], rules)
    assert art.text == "TEMPO.CO, Jakarta - Satu.\n\nDua kalimat."  # blank runs collapse, ends trimmed
    assert art.line_no_at(0) == 2 and art.line_no_at(art.text.index("Dua")) == 6
    assert art.n_removals == 1


# --------------------------------------------------------------------------- metadata


@pytest.mark.parametrize("line, outlet, place", [
    ("WahanaNews.co, Jakarta - Rusia diduga", "WahanaNews.co", "Jakarta"),
    ("TEMPO.CO, Jakarta - Hubungan akrab", "TEMPO.CO", "Jakarta"),
    ("WASHINGTON | Priangan.com – Kemitraan", "Priangan.com", "WASHINGTON"),
    ("Jakarta, IDM –\u00a0Rusia dan Korea", "IDM", "Jakarta"),
    ("JAKARTA, KOMPAS.com - Presiden", "KOMPAS.com", "JAKARTA"),
    ("Jakarta (ANTARA) - Menteri", "ANTARA", "Jakarta"),
    ("MOSKOW – Presiden Rusia", "", "MOSKOW"),
    ("Rusia dan Korea Utara - dua negara", "", ""),
])
def test_datelines(rules, line, outlet, place):
    found = corpus.extract_dateline(line, rules)
    assert (found["outlet"], found["place"]) == (outlet, place)


@pytest.mark.parametrize("text, expected", [
    ("dilansir Minggu (23/6/2024).", ("2024-06-23", "day")),
    ("pada Rabu (19/6), Presiden", ("--06-19", "day-no-year")),
    ("bicara, Rabu, 13 September 2023.", ("2023-09-13", "day")),
    ("terbit 2024-01-05 pagi", ("2024-01-05", "day")),
    ("Jumat (31/2/2024) bukan tanggal", ("", "")),
    ("pada tahun 2022 dan 19/6", ("", "")),
])
def test_indonesian_dates(rules, text, expected):
    assert corpus.extract_date(text, rules) == expected


def test_english_dates_and_datelines():
    rules = corpus.load_rules("en")
    assert corpus.extract_date("said on June 23, 2024 in", rules) == ("2024-06-23", "day")
    assert corpus.extract_dateline("MOSCOW (Reuters) - Russia said", rules)["outlet"] == "Reuters"


def test_title_only_when_it_looks_like_one(rules):
    assert corpus.clean_article(["TEMPO.CO, Jakarta - Isi.", "Lanjut."], rules).title == ""
    assert corpus.clean_article(["Judul Tanpa Titik", "Isi berita pertama di sini."], rules).title == "Judul Tanpa Titik"
    assert corpus.clean_article(["Kalimat pertama berakhir titik.", "Isi."], rules).title == ""


def test_given_metadata_wins(tmp_path):
    src = write(tmp_path, "c.csv", "")
    pd.DataFrame({"id": ["x1"], "text": [ARTICLE], "outlet": ["Tempo"], "date": ["2023-09"]}).to_csv(src, index=False)
    summary = corpus.build_corpus(src, tmp_path / "out")
    row = summary.articles().iloc[0]
    assert (row["outlet"], row["date"], row["date_precision"]) == ("Tempo", "2023-09", "month")
    assert row["title"] == "Judul Berita Rusia dan Korea Utara"  # not given: extracted


def test_a_given_different_title_heads_the_text_and_the_line_found_stays(rules):
    lines = ["Judul Berita", "TEMPO.CO, Jakarta - Isi berita di sini."]
    art = corpus.clean_article(lines, rules, given={"title": "Another title"})
    assert art.title == "Another title" and art.headline
    assert art.text.split("\n") == ["Another title", "Judul Berita", lines[1]] and art.line_nos == [0, 1, 2]
    same = corpus.clean_article(lines, rules, given={"title": "Judul  Berita"})
    assert same.text == "\n".join(lines) and same.headline and same.removals == []


def test_the_headline_stays_in_the_text_and_moves_to_its_head(rules):
    # A line before the headline that is no title (it ends with a period) stays, after the headline.
    art = corpus.clean_article(["Dunia.", "Kota Tua Dibuka Lagi", "JAKARTA - Isi berita di sini."], rules)
    assert art.title == "Kota Tua Dibuka Lagi" and art.headline
    assert art.text.split("\n") == ["Kota Tua Dibuka Lagi", "Dunia.", "JAKARTA - Isi berita di sini."]
    assert art.line_nos == [2, 1, 3]
    art = corpus.clean_article(["Kota Tua Dibuka Lagi", "", "JAKARTA - Isi berita di sini.", "", "Lanjut."], rules)
    assert art.title == "Kota Tua Dibuka Lagi" and art.headline and art.text.startswith("Kota Tua Dibuka Lagi\n\n")
    assert art.text[art.lead_start:] .startswith("Isi berita")


def test_a_given_title_absent_from_the_text_heads_it_in_the_text_s_paragraph_style(rules):
    blank = corpus.clean_article(["JAKARTA - Isi berita.", "", "Lanjut berita."], rules, given={"title": "Judul"})
    assert blank.text == "Judul\n\nJAKARTA - Isi berita.\n\nLanjut berita." and blank.line_nos[0] == 0
    lines = corpus.clean_article(["JAKARTA - Isi berita.", "Lanjut berita."], rules, given={"title": "Judul"})
    assert lines.text == "Judul\nJAKARTA - Isi berita.\nLanjut berita."
    assert lines.text[lines.lead_start:].startswith("Isi berita")


# --------------------------------------------------------------------------- publication dates (sentences written for these tests)


@pytest.mark.parametrize("language, lines", [
    ("en", ["Council Approves New Bridge", "SPRINGFIELD (AP) — The council approved the bridge on Monday.",
            "The old bridge was damaged in the accident on July 27, 1999, officials said."]),
    ("en", ["DILI — Timor-Leste marked the anniversary of Indonesia's 1975 invasion on Dec. 7, 2023."]),
    ("id", ["Gempa Guncang Cianjur", "CIANJUR - Warga masih mengingat gempa pada Senin (21/11/2022) itu."]),
])
def test_a_date_in_the_body_is_never_the_publication_date(language, lines):
    art = corpus.clean_article(lines, corpus.load_rules(language))
    assert (art.date, art.date_precision) == ("", "")


def test_the_date_comes_from_the_dateline():
    en = corpus.clean_article(["OSLO, March 3 (Reuters) - Norway said on Tuesday, March 3, 2020, it would act."],
                              corpus.load_rules("en"))
    assert (en.date, en.date_precision, en.outlet, en.place) == ("--03-03", "day-no-year", "Reuters", "OSLO")
    ind = corpus.clean_article(["Bandung, Kamis (14/9/2023) - Harga cabai naik sejak Senin (11/9/2023)."],
                               corpus.load_rules("id"))
    assert (ind.date, ind.place) == ("2023-09-14", "Bandung")
    assert ind.text[ind.lead_start:].startswith("Harga cabai")


def test_a_date_line_at_the_head_gives_the_date_and_is_logged():
    rules = corpus.load_rules("id")
    art = corpus.clean_article(["Harga Cabai Naik", "Kamis, 14 September 2023 | 10:15 WIB",
                                "BANDUNG - Harga cabai naik sejak 1 September 2023."], rules)
    assert (art.date, art.title) == ("2023-09-14", "Harga Cabai Naik")
    assert "WIB" not in art.text and art.text.startswith("Harga Cabai Naik\nBANDUNG")
    assert [(r["rule"], r["category"], r["line_no"]) for r in art.removals] == [("date_line", "metadata", 2)]
    en = corpus.clean_article(["Published June 3, 2024 at 10:15 a.m. EDT", "BOSTON — The mayor spoke."],
                              corpus.load_rules("en"))
    assert en.date == "2024-06-03"


def test_a_head_sentence_with_a_date_is_no_date_line():
    rules = corpus.load_rules("en")
    assert corpus.date_line("The accident on July 27, 1999", rules) == ("", "")
    assert corpus.date_line("Updated: Tuesday, July 27, 1999 6:02 PM", rules) == ("1999-07-27", "day")


def test_a_given_date_wins_over_dateline_and_date_line():
    art = corpus.clean_article(["OSLO, March 3 (Reuters) - Text."], corpus.load_rules("en"), given={"date": "2020-03-04"})
    assert (art.date, art.date_precision) == ("2020-03-04", "day")
