"""Tests for analysis.text.phrases: collocations joined, never across gaps or entities."""

from __future__ import annotations

from analysis import text


def test_phrases_join_collocations_but_never_across_gaps_or_entities():
    docs = [["asia", "tengah", "kawasan"], ["pilar", "utama", "dunia"], ["asia", "tengah", "pilar", "utama"]] * 3
    frozen = text.learn_phrases(docs, "id", min_count=2, threshold=0.5)
    assert text.apply_phrases(["asia", "tengah", "dan", "pilar", "utama"], frozen,
                              connectors=text.connector_words("id")) == ["asia_tengah", "pilar_utama"]
    assert text.apply_phrases(["asia", "", "tengah"], frozen) == ["asia", "tengah"]
    assert text.apply_phrases(["asia", "tengah"], frozen, unjoinable=frozenset({"tengah"})) == ["asia", "tengah"]
    again = text.learn_phrases(docs, "id", min_count=2, threshold=0.5)
    assert dict(frozen.phrasegrams) == dict(again.phrasegrams)


def test_phrases_span_connector_words_in_english():
    docs = [["bank", "of", "america", "lends"], ["bank", "of", "america", "sues"], ["bank", "of", "america"]] * 2
    frozen = text.learn_phrases(docs, "en", min_count=2, threshold=0.3)
    assert text.apply_phrases(["bank", "of", "america"], frozen) == ["bank_of_america"]


def test_phrases_learned_in_batches_equal_phrases_learned_at_once():
    docs = [["asia", "tengah", "kawasan"], ["pilar", "utama", "dunia"], ["asia", "tengah", "pilar", "utama"]] * 3
    model = text.new_phrases("id", min_count=2, threshold=0.5)
    for start in range(0, len(docs), 2):
        text.learn_phrases(docs[start:start + 2], "id", phrases=model)
    at_once = text.learn_phrases(docs, "id", min_count=2, threshold=0.5)
    assert dict(model.freeze().phrasegrams) == dict(at_once.phrasegrams)
