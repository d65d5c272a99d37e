"""The gazetteer and the lexicon: shipped entries, a researcher's own file, one-line errors naming file and row."""

from __future__ import annotations

import pytest

from analysis import actors
from analysis.errors import AnalysisError

HEADER = "kind,name,surfaces,type,origin,country,role,source\n"


def test_every_shipped_entry_is_valid_and_has_a_source():
    table = actors.gazetteer_table(actors.load_gazetteer())
    assert len(table) > 300
    assert (table["source"].str.len() > 0).all()
    orgs = table[table["kind"] == "organisation"].set_index("name")
    assert orgs.loc["Center for a New American Security", "type"] == "think_tank"
    assert orgs.loc["International Institute for Strategic Studies", "origin"] == "west"
    for outlet in ("TASS", "The Wall Street Journal", "Newsweek", "Associated Press", "Reuters"):
        assert orgs.loc[outlet, "type"] == "news_outlet", outlet


def test_case_rule_and_longest_match():
    g = actors.load_gazetteer()
    assert g.whole("AP").name == "Associated Press" and g.whole("ap") is None
    hits = [e.name for _s, _e, e in g.find("peneliti di CSIS Indonesia dan di CSIS", ("organisation",))]
    assert hits == ["Centre for Strategic and International Studies (Jakarta)", "CSIS (Washington or Jakarta)"]


def test_an_unknown_type_is_refused_naming_file_and_row(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(HEADER + "organisation,Good,Good Org,think_tank,west,,,own site\n"
                 "organisation,Bad,Bad Org,thinktank,west,,,own site\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"mine\.csv, row 3: 'Bad': type 'thinktank' is not a source type"):
        actors.load_gazetteer(f)


def test_a_duplicate_with_conflicting_types_is_refused(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(HEADER + "organisation,Alpha,Alpha Center|ACX,think_tank,west,,,site\n"
                 "organisation,Alpha News,ACX,news_outlet,west,,,site\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"mine\.csv, row 3: 'ACX' is listed twice with conflicting types"):
        actors.load_gazetteer(f)


def test_an_unknown_origin_or_kind_is_refused(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(HEADER + "organisation,X,X Org,think_tank,mars,,,site\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"row 2: 'X': origin 'mars' is not an origin"):
        actors.load_gazetteer(f)
    f.write_text(HEADER + "planet,X,X Org,think_tank,west,,,site\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"row 2: kind 'planet' is not one of"):
        actors.load_gazetteer(f)


def test_a_researchers_own_file_types_a_speaker_and_wins_over_the_shipped_one(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(HEADER + "person,Budi Santoso,Budi Santoso,academic,indonesia,Indonesia,,my notes\n"
                 "organisation,Reuters (retyped),Reuters,business,west,,,my decision\n", encoding="utf-8")
    import pandas as pd

    units = pd.DataFrame({"unit_id": ["a-p0"], "article_id": "a", "position": [0],
                          "text": ["“Ini berbahaya,” kata Budi Santoso."]})
    s = actors.attribute_statements(units, actors.compile_lexicon("id"), actors.load_gazetteer(f))
    assert s[["source_type", "origin", "type_rule"]].values.tolist() == [
        ["academic", "indonesia", "user gazetteer: Budi Santoso"]]
    assert actors.load_gazetteer(f).whole("Reuters").type == "business"


def test_the_lexicon_is_checked(tmp_path):
    bad = tmp_path / "att.yml"
    bad.write_text("source_types: {government: g}\norigins: {unknown: u}\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"att\.yml, key source_types: 'source_types' must be a mapping"):
        actors.load_attribution(bad)
    with pytest.raises(AnalysisError, match=r"nope\.yml: attribution file not found"):
        actors.load_attribution(tmp_path / "nope.yml")
    with pytest.raises(AnalysisError, match="language='fr'"):
        actors.compile_lexicon("fr", actors.load_attribution())


def test_no_seed_speaker_is_in_the_lexicon():
    # Names live in the gazetteer with their sources; the attribution file holds words only.
    text = actors.ATTRIBUTION.read_text(encoding="utf-8")
    for name in ("Lankov", "Easley", "Richey", "Duyeon", "Reid", "Taufan", "Gould", "known_sources"):
        assert name not in text, name
