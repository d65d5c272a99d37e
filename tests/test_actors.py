"""Tests for analysis.actors: quote attribution (id, en), source typing, mentions, co-mentions."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from analysis import actors
from analysis.errors import AnalysisError

ALIASES = {  # a small alias table standing in for the text stage's
    "putin": ("vladimir_putin", "person", "Vladimir Putin"),
    "kim jong un": ("kim_jong_un", "person", "Kim Jong Un"),
    "kim": ("kim_jong_un", "person", "Kim Jong Un"),
    "duyeon kim": ("duyeon_kim", "person", "Duyeon Kim"),
    "rusia": ("rusia", "country", "Russia"),
    "AS": ("amerika_serikat", "country", "United States"),
    "kremlin": ("rusia", "metonym", "Kremlin"),
}


def _units(texts, article="a"):
    return pd.DataFrame({"unit_id": [f"{article}-p{i:03d}" for i in range(len(texts))],
                         "article_id": article, "position": range(len(texts)), "text": texts})


def _who(units, language="id", **kw):
    s = actors.attribute_quotes(units, language, aliases=kw.pop("aliases", ALIASES), **kw)
    return list(zip(s["unit_id"], s["source"], s["source_type"]))


@pytest.mark.parametrize(
    "text, source, source_type",
    [
        ('"Kerja sama ini terbatas," kata Andrei Lankov, pakar Korea di Universitas Kookmin.', "Andrei Lankov", "analyst_academic"),
        ('"Ini peringatan," ujar Budi Santoso, dosen hubungan internasional.', "Budi Santoso", "analyst_academic"),
        ('"Kami siap," tambah Reid.', "Gabrielle Reid", "analyst_academic"),
        ("Menurut Taufan H. Akbar, dosen Hubungan Internasional, hubungan itu erat.", "Taufan H. Akbar", "analyst_academic"),
        ("Menteri Luar Negeri Sergei Lavrov mengatakan Moskow siap.", "Sergei Lavrov", "government"),
        ("Dmitry Peskov menjawab: tidak mungkin.", "Dmitry Peskov", "government"),
        ("Belakangan, juru bicara Putin mengatakan Erdogan tidak bisa menjadi mediator.", "Dmitry Peskov", "government"),
        ("Hal ini diungkapkan oleh Institute for the Study of War (ISW).", "Institute for the Study of War (ISW)", "think_tank"),
        ("Presiden Joko Widodo mengatakan Indonesia netral.", "Joko Widodo", "government"),
        ("Sumber-sumber intelijen yang tidak disebutkan namanya, mengungkapkan hal itu.", "anonymous source(s)", "anonymous"),
        ("Rusia telah menegaskan bahwa itu bukan aliansi.", "Russia", "government"),
    ],
)
def test_indonesian_attribution_and_typing(text, source, source_type):
    found = _who(_units([text]))
    assert (f"a-p000", source, source_type) in found


@pytest.mark.parametrize(
    "text, source, source_type",
    [
        ('"It is a warning," said Leif-Eric Easley, a professor at Ewha University.', "Leif-Eric Easley", "analyst_academic"),
        ("Dmitry Peskov said the talks were useful.", "Dmitry Peskov", "government"),
        ("According to the Institute for the Study of War, Moscow wants a bloc.", "Institute for the Study of War (ISW)", "think_tank"),
        ("Jane Roe, a researcher at the Lowy Institute, said the pact is limited.", "Jane Roe", "analyst_academic"),
        ("Anonymous intelligence sources said the deal was signed.", "anonymous source(s)", "anonymous"),
    ],
)
def test_english_attribution_and_typing(text, source, source_type):
    assert ("a-p000", source, source_type) in _who(_units([text]), "en")


def test_anaphora_goes_to_previous_named_speaker_in_same_article():
    units = pd.concat([
        _units(['"Sulit," kata Mason Richey, seorang profesor.', '"Ini mungkin," katanya.']),
        _units(['"Tidak," katanya.'], article="b"),  # no earlier speaker in article b: dropped
    ], ignore_index=True)
    found = _who(units)
    assert ("a-p001", "Mason Richey", "analyst_academic") in found
    assert not [f for f in found if f[0] == "b-p000"]


def test_no_quote_no_source_and_sentence_openers_ignored():
    assert _who(_units(["Namun Rusia dan Korea Utara bertemu di Pyongyang.", ""])) == []


def test_snippet_is_plain_text_and_short():
    s = actors.attribute_quotes(_units(['<b>"Ya,"</b> kata Andrei Lankov.' + " x" * 300]), "id", aliases=ALIASES)
    assert s["snippet"].item().startswith('<b>"Ya,"</b> kata')  # the CSV holds the text as written
    assert len(s["snippet"].item()) <= 200


def test_unknown_language_raises():
    with pytest.raises(AnalysisError, match="language='fr'"):
        actors.attribute_quotes(_units(["x"]), "fr", aliases=ALIASES)


def test_user_can_extend_known_sources(tmp_path):
    extra = tmp_path / "more.yml"
    extra.write_text(yaml.safe_dump({"known_sources": [
        {"canonical": "budi", "label": "Budi S.", "type": "think_tank", "surfaces": ["Budi Santoso"]}]}), encoding="utf-8")
    att = actors.load_attribution(extra=extra)
    found = _who(_units(['"Ya," kata Budi Santoso, dosen.']), attribution=att)
    assert found == [("a-p000", "Budi S.", "think_tank")]
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump({"known_sources": [{"canonical": "x", "type": "alien", "surfaces": ["X"]}]}))
    with pytest.raises(AnalysisError, match="known source 'x': field 'type'"):
        actors.load_attribution(extra=bad)


def test_mentions_longest_match_and_case_rule():
    units = _units(["Duyeon Kim menilai Kim Jong Un dan Putin.", "Dia datang as usual ke Kremlin."])
    m = actors.find_mentions(units, actors.alias_table(ALIASES, attribution=actors.load_attribution()))
    first = m[m.unit_id == "a-p000"]["actor"].tolist()
    assert first == ["duyeon_kim", "kim_jong_un", "vladimir_putin"]
    second = m[m.unit_id == "a-p001"]
    assert "amerika_serikat" not in second["actor"].tolist()  # "as" is not "AS"
    assert second["label"].tolist() == ["Russia"]  # the metonym counts as its country


def test_comention_network_weights():
    units = _units(["Putin dan Kim Jong Un.", "Putin, Kim dan Rusia.", "Rusia saja."])
    m = actors.find_mentions(units, actors.alias_table(ALIASES, attribution=actors.load_attribution()))
    G = actors.comention_network(m)
    assert G["kim_jong_un"]["vladimir_putin"]["weight"] == 2
    assert G.nodes["rusia"]["n_units"] == 2
    assert "vladimir_putin" not in actors.comention_network(m, min_units=3)


def test_source_frames_crosstab():
    sources = pd.DataFrame({"unit_id": ["u1", "u2", "u2"], "source": ["A", "A", "B"],
                            "source_type": ["government", "government", "analyst_academic"]})
    scores = pd.DataFrame({"unit_id": ["u1", "u1", "u2", "u2"], "frame": ["f", "g"] * 2, "present": [1, 0, 1, 1]})
    sf = actors.source_frames(sources, scores).set_index(["source", "frame"])
    assert sf.loc[("A", "f"), "n_units"] == 2 and sf.loc[("A", "g"), "n_units"] == 1
    assert sf.loc[("A", "g"), "share"] == 0.5
    assert sf.loc[("B", "g"), "n_units_quoted"] == 1


def test_sources_for_display_escapes_snippets_exactly_once():
    # The original text holds a literal "&amp;": it must survive as written, not be decoded to "&".
    units = _units(['"Tom &amp; <b>Jerry</b>," kata Andrei Lankov.'])
    sources = actors.attribute_quotes(units, "id", aliases=ALIASES)
    stored = sources["snippet"].item()
    assert stored == '"Tom &amp; <b>Jerry</b>," kata Andrei Lankov.'  # sources.csv keeps the text as written
    shown = actors.sources_for_display(sources)
    assert shown.columns.tolist() == ["article_id", "unit_id", "source", "source_type", "cue", "role",
                                      "type_rule", "snippet"]
    assert shown["snippet"].item() == '"Tom &amp; <b>Jerry</b>," kata Andrei Lankov.'
    assert shown[["source", "source_type"]].values.tolist() == [["Andrei Lankov", "analyst_academic"]]
    assert sources["snippet"].item() == stored  # the input table is not changed
    # On the page the snippet is escaped once by html_table: tags are shown as text, never doubly escaped.
    from analysis import outputs

    page = outputs.html_table(shown)
    assert "&lt;b&gt;Jerry&lt;/b&gt;" in page and "<b>" not in page
    assert "&amp;lt;" not in page and "&amp;quot;" not in page


def test_sources_for_display_keeps_an_empty_table_empty():
    empty = pd.DataFrame(columns=actors.SOURCE_COLUMNS)
    shown = actors.sources_for_display(empty)
    assert shown.empty and "snippet" in shown.columns and "canonical" not in shown.columns


def test_count_actors_counts_units_not_mentions_and_orders_ties_by_id():
    mentions = pd.DataFrame({"unit_id": ["u1", "u1", "u2", "u3", "u3"],
                             "actor": ["rusia", "rusia", "rusia", "nato", "china"],
                             "label": ["Russia", "Russia", "Russia", "NATO", "China"],
                             "kind": ["country", "country", "country", "organisation", "country"]})
    out = actors.count_actors(mentions)
    assert out.values.tolist() == [["rusia", "Russia", "country", 2], ["china", "China", "country", 1],
                                   ["nato", "NATO", "organisation", 1]]
    assert actors.count_actors(mentions.iloc[:0]).empty


def test_attribution_files_are_read_by_the_checked_reader(tmp_path):
    bad = tmp_path / "broken.yml"
    bad.write_text("known_sources: [unclosed", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"broken\.yml, row 1: attribution file is not valid YAML"):
        actors.load_attribution(extra=bad)
    with pytest.raises(AnalysisError, match=r"nope\.yml: attribution file not found"):
        actors.load_attribution(tmp_path / "nope.yml")


# ------------------------------------------------------------------ sentences


def test_describe_sources_counts_types_and_names_every_top_source():
    s = pd.DataFrame({"source": ["A", "B", "[C](x)", "B"], "source_type": ["government", "analyst_academic",
                                                                          "analyst_academic", "analyst_academic"],
                      "unit_id": ["u1", "u2", "u3", "u4"]})
    types = pd.DataFrame({"source_type": ["government", "analyst_academic"], "label": ["officials", "analysts"]})
    text = actors.describe_sources(s, types, unit="paragraph")
    assert text.startswith("**3 distinct sources** are quoted or credited in 4 paragraphs. By type — analysts: "
                           "2 sources in 3 paragraphs; officials: 1 source in 1 paragraph.")
    assert "The most quoted type is **analysts**; the most quoted source is B (2 paragraphs)." in text
    assert "[C]" not in actors.describe_sources(s.iloc[:3], types)  # tied sources are all named, escaped
    assert actors.describe_sources(s.iloc[:0]) == "No quoted or attributed source was found in this corpus."


# ------------------------------------------------------------------ the stage


def test_params_default_to_the_notebooks_parameters_cell():
    from analysis import parameters

    assert actors.ActorParams().language == parameters.default("language")
    with pytest.raises(AnalysisError, match="actors parameters: language 'fr'"):
        actors.ActorParams(language="fr")


@pytest.fixture
def run(tmp_path):
    """A run folder as stages 01 and 03 leave it (internal Parquet only)."""
    from analysis.registry import RunPaths

    paths = RunPaths(tmp_path / "run").create()
    units = _units(['"Sulit," kata Andrei Lankov, seorang profesor.', "Putin bertemu Kim Jong Un.",
                    "Putin dan Kim Jong Un lagi.", '"Ya," katanya.'])
    units.to_parquet(paths.file("units"), index=False)
    pd.DataFrame({"article_id": ["a"], "language": ["id"]}).to_parquet(paths.file("articles"), index=False)
    pd.DataFrame({"unit_id": units["unit_id"].repeat(2).tolist(), "article_id": "a", "frame": ["conflict", "economic"] * 4,
                  "score": 0.5, "present": [1, 0] * 4, "evidence": ""}).to_parquet(paths.file("frames_units"), index=False)
    pd.DataFrame({"frame": ["conflict", "economic"], "frame_name": ["Conflict", "Economic"]}).to_parquet(
        paths.file("codebook"), index=False)
    return paths


def test_analyse_actors_writes_every_table_of_the_stage(run):
    from analysis import registry

    result = actors.analyse_actors(run)
    written = {a.key for a in registry.ARTIFACTS if a.stage == "actors" and a.format != "figure"}
    assert set(result.tables) == written
    for key in written - {"actor_network"}:
        assert registry.read(run, key).columns.tolist() == [c for c, _ in registry.artifact(key).columns], key
    assert sorted(p.name for p in run.root.rglob("*.graphml")) == ["actor_network.graphml"]
    assert result.frame_names == {"conflict": "Conflict", "economic": "Economic"}
    assert ("a-p003", "Andrei Lankov") in set(zip(result.sources["unit_id"], result.sources["source"]))
    assert result.source_frames.set_index(["source", "frame"]).loc[("Andrei Lankov", "conflict"), "n_units"] == 2
    assert result.describe_sources().startswith("**1 distinct sources** are quoted or credited in 2 units.")
    assert result.describe_network().startswith("The co-mention network links 2 actors named in at least 2 units")


def test_analyse_actors_needs_the_frames_stage(run):
    run.file("frames_units").unlink()
    with pytest.raises(AnalysisError, match="frames_units.parquet: missing: run notebook 03-analyse-frames first"):
        actors.analyse_actors(run)
