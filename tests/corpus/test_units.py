"""Typed units: headline, lead, subheading, body and list item, on small fixtures written for these tests (not the seeds)."""

from __future__ import annotations

import pytest

from analysis import corpus

from .samples import write

INDONESIAN = (
    "Banjir Rob Rendam Pesisir Semarang\n"
    "\n"
    "SEMARANG, KOMPAS.com - Banjir rob merendam ribuan rumah di pesisir utara Semarang sejak Selasa pagi.\n"
    "\n"
    "Warga mengungsi ke balai desa terdekat karena air terus naik hingga setinggi lutut orang dewasa.\n"
    "\n"
    "Pemerintah kota menyiapkan tiga langkah penanganan darurat bagi warga1. Membuka dapur umum\n"
    "\n"
    "2. Menambah pompa air di setiap kelurahan\n"
    "\n"
    "3. Mengerahkan perahu karet\n"
    "\n"
    "Tanggul Belum Selesai\n"
    "\n"
    "Pembangunan tanggul laut yang dijanjikan sejak lima tahun lalu belum juga rampung hingga kini.\n"
)

ENGLISH = (
    "Port Workers Walk Out Over Pay\n"
    "ROTTERDAM (Reuters) - Thousands of port workers walked off the job on Tuesday, halting container traffic.\n"
    "The union said talks with employers had collapsed after three weeks.\n"
    "What Happens Next\n"
    "Shipping lines said they would divert vessels to Antwerp and Hamburg while the strike lasted.\n"
    "• Talks are due to resume on Friday\n"
    "• The strike is the first since 2002\n"
    "Employers called the walkout irresponsible and said they had offered a fair deal.\n"
)


def _typed(text, lines=None, language="id", **given):
    rules = corpus.load_rules(language)
    art = corpus.clean_article(text.splitlines(), rules, given=given or None)
    units = corpus.segment_article(art.text, "paragraph", headline=art.headline,
                                   lead_start=art.lead_start if art.lead_start >= 0 else None)
    return art, [(art.text[u.start:u.end], u.unit_type) for u in units]


def test_headline_lead_list_and_subheading_in_indonesian_news():
    art, units = _typed(INDONESIAN)
    assert art.title == "Banjir Rob Rendam Pesisir Semarang" and art.outlet == "KOMPAS.com"
    assert units == [
        ("Banjir Rob Rendam Pesisir Semarang", "headline"),
        # The lead is the paragraph holding the dateline, from where the dateline ends.
        ("Banjir rob merendam ribuan rumah di pesisir utara Semarang sejak Selasa pagi.", "lead"),
        ("Warga mengungsi ke balai desa terdekat karena air terus naik hingga setinggi lutut orang dewasa.", "body"),
        # The numbered item glued to the sentence before it is split off; the sentence is title-shaped.
        ("Pemerintah kota menyiapkan tiga langkah penanganan darurat bagi warga", "subheading"),
        ("1. Membuka dapur umum", "list_item"),
        ("2. Menambah pompa air di setiap kelurahan", "list_item"),
        ("3. Mengerahkan perahu karet", "list_item"),
        ("Tanggul Belum Selesai", "subheading"),
        ("Pembangunan tanggul laut yang dijanjikan sejak lima tahun lalu belum juga rampung hingga kini.", "body"),
    ]


def test_english_news_with_bullets_and_a_crosshead():
    art, units = _typed(ENGLISH, language="en")
    assert art.title == "Port Workers Walk Out Over Pay" and (art.place, art.outlet) == ("ROTTERDAM", "Reuters")
    assert [t for _, t in units] == ["headline", "lead", "body", "subheading", "body", "list_item", "list_item", "body"]
    assert units[1][0].startswith("Thousands of port workers")


def test_without_headline_or_dateline_the_first_body_paragraph_is_the_lead():
    _, units = _typed("Harga beras naik lagi di pasar induk pagi ini.\nPedagang mengeluhkan pasokan yang seret.")
    assert [t for _, t in units] == ["lead", "body"]
    _, units = _typed("Sorotan Pekan Ini\nHarga beras naik lagi di pasar induk.\nPedagang mengeluh.")
    assert [t for _, t in units] == ["headline", "lead", "body"]


@pytest.mark.parametrize("text", [
    "Indonesia memimpin G20. Pertemuan itu berlangsung di Bali.",  # no list follows: "G20." stays
    "Jet tempur F16. Pesawat itu tiba kemarin.",
    "Pertumbuhan ekonomi mencapai 5.1. Angka itu di atas perkiraan.",  # a decimal number, not an item
])
def test_numbers_glued_to_words_without_a_list_are_not_split(text):
    assert corpus.split_glued_items(text, [(0, len(text))]) == [(0, len(text))]


def test_a_glued_item_after_sentence_punctuation_is_split_without_a_following_item():
    text = "Ada tiga syarat yang harus dipenuhi.1. Warga negara Indonesia"
    assert [text[s:e] for s, e in corpus.split_glued_items(text, [(0, len(text))])] == [
        "Ada tiga syarat yang harus dipenuhi.", "1. Warga negara Indonesia"]


def test_a_title_shaped_last_line_is_body_and_short_body_is_dropped_with_its_reason(tmp_path):
    write(tmp_path / "src", "a.txt", "JAKARTA - Isi berita yang cukup panjang untuk satu unit.\nLihat Galeri Foto\n")
    summary = corpus.build_corpus(tmp_path / "src", tmp_path / "out")
    log = summary.cleaning_log()
    assert summary.units()["unit_type"].tolist() == ["lead"]
    assert log[["rule", "category", "text"]].values.tolist() == [["min_unit_words", "short unit", "Lihat Galeri Foto"]]


def test_sentence_units_keep_their_paragraph_type_and_headings_stay_whole():
    text = "Judul Utama: Dua Bagian\nIsi pertama. Isi kedua.\nSub Judul\nLanjutan satu. Lanjutan dua."
    units = corpus.segment_article(text, "sentence", headline=True)
    assert [(text[u.start:u.end], u.unit_type) for u in units] == [
        ("Judul Utama: Dua Bagian", "headline"), ("Isi pertama.", "lead"), ("Isi kedua.", "lead"),
        ("Sub Judul", "subheading"), ("Lanjutan satu.", "body"), ("Lanjutan dua.", "body")]


def test_article_units_are_one_body_unit():
    assert [u.unit_type for u in corpus.segment_article("Judul\nIsi.", "article", headline=True)] == ["body"]


def test_the_units_table_has_types_and_the_headline_first(tmp_path):
    write(tmp_path / "src", "a.txt", INDONESIAN)
    units = corpus.build_corpus(tmp_path / "src", tmp_path / "out").units()
    assert set(units["unit_type"]) <= set(corpus.UNIT_TYPES)
    assert units.iloc[0][["position", "unit_type"]].tolist() == [0, "headline"]
    assert units["unit_id"].tolist() == sorted(units["unit_id"])
