"""Tests for analysis.text.lexicon: word lists, the alias table and the stopword step."""

from __future__ import annotations

import pytest

from analysis import text
from analysis.errors import AnalysisError
from analysis.text.lexicon import _read_word_list

# ----------------------------------------------------------------------------- word lists


def test_shipped_stopword_lists_match_their_sources():
    import stopwordsiso
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert _read_word_list(text.STOPWORDS_DIR / "id.txt") == frozenset(stopwordsiso.stopwords("id"))
    assert _read_word_list(text.STOPWORDS_DIR / "en.txt") == frozenset(ENGLISH_STOP_WORDS)


@pytest.mark.parametrize(
    "language, removed, kept",
    [
        ("id", {"yang", "dan", "menurut", "ujarnya", "baca", "sama", "luar"}, {"kerja", "pertahanan", "aliansi", "sanksi"}),
        ("en", {"the", "and", "said", "according", "reuters"}, {"system", "interest", "defense", "cooperation"}),
    ],
)
def test_stopwords_never_contain_protected_terms(language, removed, kept):
    stopwords = text.load_stopwords(language)
    assert removed <= stopwords
    assert not kept & stopwords
    assert not text.load_protected_terms(language) & stopwords


def test_user_stopwords_and_protected_terms():
    assert "rusia" in text.load_stopwords("id", extra=["Rusia"])
    assert "dalam" not in text.load_stopwords("id", protected=["dalam"])
    assert "kerja sama" in text.load_protected_terms("id")
    with pytest.raises(AnalysisError, match="extra_stopwords"):
        text.load_stopwords("id", extra="rusia")


# ----------------------------------------------------------------------------- aliases


@pytest.fixture(scope="module")
def id_table():
    return text.load_aliases("id")


def _aliased(sample: str, table, **kwargs):
    return text.apply_aliases(text.tokenize(sample, table.language, lower=False), table, **kwargs)


def test_aliases_map_surface_forms_to_one_token(id_table):
    tokens, hits = _aliased(
        "Korut, Korea Utara, Republik Demokratik Rakyat Korea; Tiongkok dan Cina; AS dan Amerika Serikat; "
        "Organisasi Kerja Sama Shanghai, CSO; Organisasi Perdagangan Atlantik Utara; Dewan Keamanan PBB",
        id_table,
    )
    assert tokens == [
        "korea_utara", "china", "dan", "china", "amerika_serikat", "dan", "amerika_serikat", "sco", "nato",
        "dewan_keamanan_pbb",
    ]
    assert hits[("korut", "korea_utara", "country")] == 1
    assert hits[("korea utara", "korea_utara", "country")] == 1


def test_aliases_keep_analysts_apart_from_leaders(id_table):
    tokens, _ = _aliased("Duyeon Kim menilai Kim dan Kim Jong Un; Leif-Eric Easley, Nigel Gold-Davis", id_table)
    assert tokens == ["duyeon_kim", "menilai", "kim_jong_un", "dan", "kim_jong_un", "leif_eric_easley", "nigel_gould_davies"]
    assert id_table.lookup("Duyeon Kim").canonical == "duyeon_kim"
    assert id_table.lookup("Kim").canonical == "kim_jong_un"


def test_aliases_case_sensitive_surface(id_table):
    assert _aliased("AS", id_table)[0] == ["amerika_serikat"]
    assert _aliased("as roda", id_table)[0] == ["as", "roda"]  # "as" (axle) is not the US


def test_metonyms_are_mapped_and_reported_or_kept_literal(id_table):
    tokens, hits = _aliased("Kremlin dan Washington berselisih, kata diplomat di Moskow.", id_table)
    assert tokens == ["rusia", "dan", "amerika_serikat", "berselisih", "kata", "diplomat", "di", "moskow"]
    assert hits[("kremlin", "rusia", "metonym")] == 1
    assert hits[("moskow", "moskow", "place")] == 1
    assert _aliased("Beijing", id_table, metonyms=False)[0] == ["beijing"]


def test_aliases_english(tmp_path):
    table = text.load_aliases("en")
    tokens, _ = _aliased("The US told us that North Korea (DPRK) and Moscow met in Moscow.", table)
    assert tokens == ["the", "amerika_serikat", "told", "us", "that", "korea_utara", "and", "rusia", "met", "in", "moscow"]
    assert table.lookup("Korut") is None  # Indonesian-only surface


def test_user_alias_file_is_merged_over_shipped(tmp_path):
    user = tmp_path / "aliases.yml"
    user.write_text(
        "drop: [kim]\nentities:\n"
        "  - {canonical: pemerintah_as, kind: metonym, surfaces: [washington]}\n"
        "  - {canonical: kim_yo_jong, kind: person, surfaces: [adik kim]}\n",
        encoding="utf-8",
    )
    table = text.load_aliases("id", user)
    assert table.lookup("Washington").canonical == "pemerintah_as"
    assert table.lookup("Kim") is None
    assert table.lookup("adik Kim").canonical == "kim_yo_jong"
    assert table.lookup("Korut").canonical == "korea_utara"
    frame = table.to_frame()
    assert list(frame.columns) == ["surface", "canonical", "kind", "label", "case_sensitive"]
    assert set(frame["kind"]) <= set(text.ALIAS_KINDS)


def test_an_empty_user_alias_file_changes_nothing(tmp_path, id_table):
    empty = tmp_path / "empty.yml"
    empty.write_text("", encoding="utf-8")
    assert text.load_aliases("id", empty).to_frame().equals(id_table.to_frame())


@pytest.mark.parametrize(
    "content, message",
    [
        ("entities: [\n", r", row \d+: alias file .*is not valid YAML"),
        ("- just a list\n", "mapping"),
        ("entities:\n  - {canonical: x, kind: planet, surfaces: [x]}\n", r"entities\[0\]\.kind"),
        ("entities:\n  - {canonical: X Y, kind: person, surfaces: [x]}\n", r"entities\[0\]\.canonical"),
        ("entities:\n  - {canonical: a, kind: person, surfaces: [x]}\n  - {canonical: b, kind: person, surfaces: [x]}\n",
         "already listed"),
    ],
)
def test_bad_alias_file_names_file_and_field(tmp_path, content, message):
    path = tmp_path / "bad.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AnalysisError, match=message) as info:
        text.load_aliases("id", path)
    assert str(path) in str(info.value)
    with pytest.raises(AnalysisError, match="not found"):
        text.load_aliases("id", tmp_path / "missing.yml")


# ----------------------------------------------------------------------------- stopwords step


def test_remove_stopwords_joins_protected_phrases_and_keeps_entities():
    sw = text.load_stopwords("id")
    tokens = "kerja sama yang erat antara rusia dan korea_utara satu sama lain x 40 hubungan luar negeri".split()
    kept = text.remove_stopwords(tokens, sw, protected=text.load_protected_terms("id"), keep=frozenset({"korea_utara"}))
    assert kept == ["kerja_sama", "erat", "rusia", "korea_utara", "hubungan", "luar_negeri"]
    gapped = text.remove_stopwords(
        "rusia dan ukraina yang perang".split(), sw, connectors=text.connector_words("id"), gaps=True
    )
    assert gapped == ["rusia", "dan", "ukraina", "yang", "perang"]


def test_remove_stopwords_english():
    sw = text.load_stopwords("en", extra=["watched"])
    kept = text.remove_stopwords(
        "the security system of the west was watched by us mutual defence".split(),
        sw,
        protected=text.load_protected_terms("en"),
    )
    assert kept == ["security", "system", "west", "mutual_defence"]
