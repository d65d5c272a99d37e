"""Tests of analysis.corpus.rules: shipped and user rules, one-line errors naming file and key, language choice."""

from __future__ import annotations

import pytest

from analysis import corpus
from analysis.errors import AnalysisError

from .samples import ARTICLE, write


def test_extra_rules_extend_the_shipped_ones(tmp_path):
    extra = write(tmp_path, "extra.yaml", "rules:\n  - name: iklan\n    category: advert\n    action: line\n    pattern: '^ADVERTORIAL$'\n")
    rules = corpus.load_rules("id", extra)
    art = corpus.clean_article(["TEMPO.CO, Jakarta - Isi berita.", "ADVERTORIAL", "Baca juga: x"], rules)
    assert [r["rule"] for r in art.removals] == ["iklan", "baca_juga"]


@pytest.mark.parametrize("content, message", [
    ("rules: [\n", "row 2: rules file is not valid YAML"),
    ("rules:\n  - name: x\n    action: line\n    pattern: '('\n", "key rules[0].pattern: bad regular expression"),
    ("rules:\n  - name: x\n    action: explode\n    pattern: 'x'\n", "key rules[0].action: 'explode' is not one of"),
    ("rules:\n  - name: x\n", "key rules[0]: lacks field(s) pattern, action"),
    ("rules: {name: x}\n", "key rules: must be a list"),
    ("- a list\n", "rules file must hold a mapping"),
    ("datelines:\n  - pattern: '^(?P<city>\\w+) -'\n", "key datelines[0].pattern: pattern needs a named group"),
    ("months: {juni: 13}\n", "key months.juni: must map to a number 1-12"),
    ("legacy_encodings: [no-such-codec]\n", "key legacy_encodings: unknown encoding"),
])
def test_bad_rules_file_names_the_file(tmp_path, content, message):
    extra = write(tmp_path, "bad.yaml", content)
    with pytest.raises(AnalysisError) as err:
        corpus.load_rules("id", extra)
    assert str(err.value).startswith(str(extra)) and message in str(err.value)
    assert "\n" not in str(err.value)


def test_unsupported_language_asks_for_rules():
    with pytest.raises(AnalysisError, match="supply cleaning rules and dateline patterns"):
        corpus.load_rules("fr")


def test_a_language_of_ones_own_needs_only_an_extra_rules_file(tmp_path):
    extra = write(tmp_path, "fr.yaml", "language: fr\ndatelines:\n  - pattern: '^(?P<place>[A-Z]+) \\('\n"
                                       "months: {juin: 6}\nweekdays: [mercredi]\n")
    rules = corpus.load_rules("fr", extra)
    assert rules.language == "fr" and rules.months == {"juin": 6}
    assert corpus.extract_date("le 19 juin 2024", rules) == ("2024-06-19", "day")
    assert rules.sources[0] == str(extra) and rules.sources[-1].endswith("common.yaml")


def test_auto_detects_the_languages_with_shipped_rules():
    assert corpus.detect_language(["Russia and North Korea signed a defence pact, officials said."]) == "en"
    assert corpus.detect_language(ARTICLE.splitlines()) == "id"
