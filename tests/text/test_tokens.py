"""Tests for analysis.text.tokens: the tokenizer in Indonesian and English."""

from __future__ import annotations

import pytest

from analysis import text
from analysis.errors import AnalysisError

from .samples import CLEAN_TOKEN


def test_tokenize_indonesian_keeps_reduplication_and_splits_compounds():
    tokens = text.tokenize("Negara-negara BRICS, besar-besaran; hubungan Rusia-Korut dan Asia-Pasifik.")
    assert tokens == ["negara-negara", "brics", "besar-besaran", "hubungan", "rusia", "korut", "dan", "asia", "pasifik"]


def test_tokenize_drops_urls_domains_dates_numbers_quotes():
    tokens = text.tokenize(
        'WahanaNews.co, Jakarta - “Kemitraan” baru (23/6/2024) pada 13 September 2023, lihat '
        "https://www.tempo.co/a?b=1 atau tulis ke redaksi@contoh.id; 40 kali, 2,5% G20."
    )
    assert tokens == ["jakarta", "kemitraan", "baru", "pada", "september", "lihat", "atau", "tulis", "ke", "kali", "g20"]
    assert all(CLEAN_TOKEN.match(t) for t in tokens)


def test_tokenize_english_possessive_abbreviation_and_case():
    assert text.tokenize("The U.S. and Russia's allies don't agree.", "en", lower=False) == [
        "The", "US", "and", "Russia", "allies", "dont", "agree",
    ]
    assert text.tokenize("Russia's", "id") == ["russias"]  # no English possessive rule in Indonesian


def test_tokenize_is_deterministic_and_handles_missing_text():
    sample = "Kerja sama Rusia–Korut: “aliansi” baru?"
    assert text.tokenize(sample) == text.tokenize(sample)
    assert text.tokenize(None) == [] and text.tokenize("") == []
    with pytest.raises(AnalysisError, match="language"):
        text.tokenize("x", "fr")


def test_reduplication_is_kept_and_name_compounds_are_split():
    assert text.is_reduplication("sayur", "mayur") and text.is_reduplication("sebaik", "baiknya")
    assert not text.is_reduplication("Asia", "Pasifik")


def test_a_token_of_letters_alone_is_a_word_as_the_kind_patterns_say():
    from analysis.text.tokens import _KIND_REGEXES, _kind

    def by_patterns(token):
        return next((kind for kind, regex in _KIND_REGEXES if regex.fullmatch(token)), "word")

    letters = ["Rusia", "negara", "Москва", "北京", "Ḿa", "Éire", "ǅemal", "AS"]
    others = ["G20", "U.S.", "x@y.id", "tempo.co", "23/6/2024", "40", "40%", "www.x.id", "negara-negara"]
    for token in letters + others:
        assert _kind(token) == by_patterns(token), token
    assert {_kind(t) for t in letters} == {"word"}
