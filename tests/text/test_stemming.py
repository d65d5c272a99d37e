"""Tests for analysis.text.stemming: memoised PySastrawi and Snowball stemming."""

from __future__ import annotations

from collections import Counter

from analysis import text
from analysis.text import stemming


def test_stemming_is_memoized_over_the_vocabulary(monkeypatch):
    calls = Counter()

    def fake_stem(word):
        calls[word] += 1
        return word[:4]

    monkeypatch.setattr(stemming, "_stemmer", lambda language: fake_stem)
    docs = [["pertemuan", "pertemuan", "kerja_sama"], ["pertemuan", "bertemu", "aliansi"]] * 5
    stemmed, memo = text.stem_tokens(docs, "id", keep=frozenset({"aliansi"}))
    assert stemmed[1] == ["pert", "bert", "aliansi"]
    assert calls == Counter({"pertemuan": 1, "bertemu": 1})  # each distinct word once
    _, memo = text.stem_tokens([["pertemuan", "baru"]], "id", memo=memo)
    assert calls == Counter({"pertemuan": 1, "bertemu": 1, "baru": 1})


def test_real_stemmers_indonesian_and_english():
    assert text.stem_tokens([["pertemuan", "bertemu", "negara-negara"]], "id")[0] == [["temu", "temu", "negara"]]
    assert text.stem_tokens([["sanctions", "sanctioned", "us_ally"]], "en")[0] == [["sanction", "sanction", "us_ally"]]


def test_tabulate_stems_lists_only_stems_that_merged_seen_words():
    memo = {"bertemu": "temu", "pertemuan": "temu", "pertemuannya": "temu", "baru": "baru"}
    table = text.tabulate_stems(memo, Counter(["bertemu", "pertemuan", "baru"]))
    assert table.to_dict("records") == [{"stem": "temu", "n_words": 2, "words": "bertemu, pertemuan"}]
