"""Wire and translation credits, on sentences written for these tests (not from the seeds)."""

from __future__ import annotations

import pytest

from analysis import corpus
from analysis.errors import AnalysisError

from .samples import write


@pytest.fixture(scope="module")
def credit_rules():
    return corpus.load_credit_rules()


def _credits(lines, language="id", **given):
    rules = corpus.load_rules(language)
    art = corpus.clean_article(lines, rules, given=given or None)
    return corpus.extract_credits(art.text, art.removals, art.dateline_outlet, corpus.load_credit_rules(),
                                  own_outlet=art.outlet)


def test_a_closing_agency_line_is_the_wire_source_and_is_recorded_before_removal():
    got = _credits(["JAKARTA - Harga minyak dunia turun tajam pada perdagangan Senin.", "AFP"])
    assert (got.wire_source, got.translated_from, got.credits) == ("AFP", "", "AFP")


def test_an_agency_in_the_dateline_or_closing_a_paragraph():
    got = _credits(["LONDON (AP) — Prices fell sharply on Monday, traders said. (Reuters)"], language="en")
    assert got.wire_source == "AP; Reuters" and got.credits == "(Reuters)"


@pytest.mark.parametrize("sentence, wire, relayed", [
    ("Menurut laporan kantor berita Xinhua, banjir menewaskan 12 orang.", "Xinhua", ""),
    ("Mengutip laporan Al Jazeera, dua kapal tenggelam di lepas pantai.", "", "Al Jazeera"),
    ("Seperti dilaporkan The Guardian, pabrik itu ditutup pekan lalu.", "", "The Guardian"),
    ("Sumber: AP", "AP", ""),
    ("Seperti dikutip dari BBC, polisi menangkap dua orang.", "", "BBC"),
    ("Dalam wawancara dengan Associated Press, ia membantah tuduhan itu.", "AP", ""),
    ("Dilansir dari Kompas.com, harga cabai naik dua kali lipat.", "", "Kompas"),
    ("In an interview with Reuters, the minister denied the report.", "Reuters", ""),
    ("The Kyodo news agency reported the ship had sunk.", "Kyodo", ""),
    ("According to The New York Times, the deal was signed in March.", "", "The New York Times"),
])
def test_the_text_crediting_an_agency_or_outlet(sentence, wire, relayed):
    got = _credits([sentence], language="en" if sentence[0] in "ATI" else "id")
    assert (got.wire_source, got.translated_from) == (wire, relayed)


@pytest.mark.parametrize("sentence", [
    "Dalam tempo singkat, antara pukul tujuh dan delapan, air naik.",  # the words tempo and antara
    "Sanksi terhadap Sputnik diumumkan kemarin.",  # named, not credited
    "Warga melapor kepada RT setempat.",  # RT, the neighbourhood unit, is no outlet
    "Pesawat ap mendarat.",
])
def test_names_that_are_not_credits(sentence):
    assert _credits([sentence]) == corpus.Credits()


@pytest.mark.parametrize("sentence, language", [
    # One quote given to an outlet or an agency: that statement's via, not the story's origin.
    ("“Pabrik akan dibuka lagi,” kata Budi kepada Newsweek, dilansir Selasa.", "id"),
    ("Hal itu disampaikan Menteri kepada Al Jazeera, seperti dilansir Senin.", "id"),
    ("“Kami menolak usulan itu,” lapor kantor berita Xinhua.", "id"),
    ("A spokesman told Reuters the talks would resume.", "en"),
    ("“We will not sign,” the envoy said, Bernama reported.", "en"),
])
def test_a_credit_of_one_quote_is_not_the_story_s_origin(sentence, language):
    got = _credits(["Isi berita pertama di sini.", sentence], language=language)
    assert (got.wire_source, got.translated_from) == ("", "")


def test_an_outlet_the_story_is_based_on_is_never_a_wire():
    got = _credits(["Dalam laporan terbaru dari Wall Street Journal, dua pejabat mundur."])
    assert (got.wire_source, got.translated_from) == ("", "The Wall Street Journal")


def test_a_photo_credit_is_recorded_but_is_not_the_wire_source():
    got = _credits(["JAKARTA - Isi berita pertama di sini.", "Foto: Reuters/Ajeng Dinar", "Isi kedua berita."])
    assert (got.wire_source, got.credits) == ("", "Foto: Reuters/Ajeng Dinar")


def test_the_outlet_s_own_interview_is_not_relayed():
    got = _credits(["TEMPO.CO, Jakarta - Hal itu dikatakan Menteri kepada Tempo, Senin."])
    assert got.translated_from == ""


def test_the_articles_table_has_the_credit_columns(tmp_path):
    write(tmp_path / "src", "a.txt", "MANILA (AP) — A typhoon hit the coast on Sunday, according to CNN.\n")
    row = corpus.build_corpus(tmp_path / "src", tmp_path / "out", language="en").articles().iloc[0]
    assert (row["wire_source"], row["translated_from"]) == ("AP", "CNN")
    published = corpus.build_corpus(tmp_path / "src", tmp_path / "o2", language="en").articles_overview()
    assert {"wire_source", "translated_from"} <= set(published.columns) and "credits" not in published.columns


def test_a_user_gazetteer_entry_is_added_and_a_bad_one_named(tmp_path):
    extra = write(tmp_path, "mine.yaml", "agencies:\n  - {name: Suara Agency, aliases: [Suara Agency]}\n")
    rules = corpus.load_credit_rules(extra)
    got = corpus.extract_credits("Dilansir dari Suara Agency, harga naik.", [], "", rules)
    assert got.wire_source == "Suara Agency"
    bad = write(tmp_path, "bad.yaml", "outlets:\n  - {aliases: [X]}\n")
    with pytest.raises(AnalysisError, match=r"bad.yaml.*outlets\[0\].*needs a name"):
        corpus.load_credit_rules(bad)
