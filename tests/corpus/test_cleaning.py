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
    assert (by["000"]["date"], by["000"]["date_precision"]) == ("2024-06-23", "day")
    assert (by["001"]["date"], by["001"]["date_precision"]) == ("--06-19", "day-no-year")
    assert (by["004"]["date"], by["004"]["date_precision"]) == ("2023-09-13", "day")
    # 003's only date "(28/3)" sits in a removed widget about another article.
    assert by["003"]["date"] == ""
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


def test_a_given_different_title_keeps_the_headline_in_the_text(rules):
    lines = ["Judul Berita", "TEMPO.CO, Jakarta - Isi berita di sini."]
    art = corpus.clean_article(lines, rules, given={"title": "Another title"})
    assert art.title == "Another title" and art.text.startswith("Judul Berita")
    same = corpus.clean_article(lines, rules, given={"title": "Judul  Berita"})
    assert same.text == lines[1] and [r["rule"] for r in same.removals] == ["title"]
