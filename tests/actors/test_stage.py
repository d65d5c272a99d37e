"""The actors stage: every table of the registry, the same bytes twice, and the seeds' sources of issue 17."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import actors, registry
from analysis.errors import AnalysisError
from analysis.registry import RunPaths


def test_params_default_to_the_notebooks_parameters_cell():
    from analysis import parameters

    p = actors.ActorParams()
    assert (p.language, p.speaker_coding, p.sources_file) == (parameters.default("language"), "auto", "")
    with pytest.raises(AnalysisError, match="actors parameters: language 'fr'"):
        actors.ActorParams(language="fr")


@pytest.fixture
def run(tmp_path):
    """A run folder as stages 01 and 03 leave it (internal Parquet only)."""
    paths = RunPaths(tmp_path / "run").create()
    texts = ['“Kerja sama ini sangat rapuh dan terbatas,” kata Rina Wulandari, peneliti di Lowy Institute.',
             "Putin bertemu Kim Jong Un.", "Putin dan Kim Jong Un lagi.", '“Perang bisa berlangsung lama,” katanya.']
    units = pd.DataFrame({"unit_id": [f"a-p{i:03d}" for i in range(4)], "article_id": "a", "position": range(4),
                          "start": 0, "end": 0, "text": texts})
    units.to_parquet(paths.file("units"), index=False)
    pd.DataFrame({"article_id": ["a"], "language": ["id"], "outlet": ["X"], "wire_source": ["Reuters"],
                  "translated_from": [""], "credits": ["REUTERS"]}).to_parquet(paths.file("articles"), index=False)
    pd.DataFrame({"unit_id": units["unit_id"].repeat(2).tolist(), "article_id": "a",
                  "frame": ["conflict", "economic"] * 4, "score": 0.5, "present": [1, 0] * 4,
                  "evidence": ""}).to_parquet(paths.file("frames_units"), index=False)
    pd.DataFrame({"frame": ["conflict", "economic"], "frame_name": ["Conflict", "Economic"]}).to_parquet(
        paths.file("codebook"), index=False)
    return paths


def test_analyse_actors_writes_every_table_of_the_stage(run):
    result = actors.analyse_actors(run, actors.ActorParams(speaker_coding="", n_bootstrap=50))
    written = {a.key for a in registry.ARTIFACTS if a.stage == "actors" and a.format != "figure"}
    assert set(result.tables) == written
    for key in written - {"actor_network"}:
        assert registry.read(run, key).columns.tolist() == [c for c, _ in registry.artifact(key).columns], key
    s = result.statements
    assert s[["unit_id", "speaker", "kind"]].values.tolist() == [
        ["a-p000", "Rina Wulandari", "direct"], ["a-p003", "Rina Wulandari", "direct"]]
    assert result.story_origins["story"].tolist() == ["wire"]
    assert result.attribution_summary["status"].item() == "none"
    assert "not validated" in actors.attribution_status(result.attribution_summary)[1]
    assert result.describe_sources().startswith("**2 statements** by **1 distinct sources**")


def test_the_same_inputs_give_the_same_bytes(run, tmp_path):
    import shutil

    other = RunPaths(tmp_path / "again").create()
    for key in ("units", "articles", "frames_units", "codebook"):
        shutil.copy(run.file(key), other.file(key))
    params = actors.ActorParams(speaker_coding="", n_bootstrap=50)
    a, b = actors.analyse_actors(run, params), actors.analyse_actors(other, params)
    for key in a.tables:
        assert a.tables[key].read_bytes() == b.tables[key].read_bytes(), key


def test_analyse_actors_needs_the_frames_stage(run):
    run.file("frames_units").unlink()
    with pytest.raises(AnalysisError, match="frames_units.parquet: missing: run notebook 03-analyse-frames first"):
        actors.analyse_actors(run)


@pytest.fixture(scope="module")
def seed_statements(tmp_path_factory):
    from analysis import corpus
    from analysis.corpus import load_rules
    from analysis.paths import DATA_RAW, DEFAULT_CORPUS

    out = RunPaths(tmp_path_factory.mktemp("seeds") / "run").create()
    corpus.build_corpus(DATA_RAW / DEFAULT_CORPUS, out)
    units = registry.read(out, "units")
    return actors.attribute_statements(units, actors.compile_lexicon("id"), actors.load_gazetteer(),
                                       load_rules("id").abbreviations), units


def test_the_seeds_sources_named_in_issue_17_are_found_and_typed(seed_statements):
    s, units = seed_statements
    by = lambda name: s[s["speaker"] == name]  # noqa: E731
    assert set(by("Duyeon Kim")["source_type"]) == {"think_tank"}
    assert set(by("Nigel Gold-Davis")["source_type"]) == {"think_tank"}  # IISS, as the article spells him
    assert set(by("Institute for the Study of War")["source_type"]) == {"think_tank"}
    tempo_lead = s[s["article_id"].str.startswith("004") & (s["speaker"] == "para analis")]
    assert len(tempo_lead) == 1 and tempo_lead["identity"].item() == "unnamed"
    assert (s["speaker"] == "para ahli").sum() == 1
    pentagon = s[s["speaker"] == "pejabat Pentagon"]
    assert pentagon[["source_type", "origin"]].values.tolist() == [["government", "west"]]
    text = dict(zip(units["unit_id"], units["text"]))
    cont = s[s["kind"] == "continuation"]
    kim = [r for r in cont.itertuples() if text[r.unit_id][r.quote_start:].startswith("Kim juga memberi isyarat")]
    assert [r.speaker for r in kim] == ["Duyeon Kim"]
    for outlet in ("Newsweek", "Associated Press", "TASS", "The Wall Street Journal"):
        assert outlet in set(s["via"]), outlet


def test_a_speaker_coding_of_another_corpus_is_not_applied(run):
    # "auto" with a corpus id whose coding holds none of this run's articles: no check, never a wrong one.
    result = actors.analyse_actors(run, actors.ActorParams(speaker_coding="auto", corpus="ru-alliances-id",
                                                           n_bootstrap=20))
    assert result.attribution_summary["status"].item() == "none"
    with pytest.raises(AnalysisError, match="speaker_coding='ru-alliances-id': its statements are from articles"):
        actors.analyse_actors(run, actors.ActorParams(speaker_coding="ru-alliances-id", n_bootstrap=20))
