"""The notebooks, executed for real: the default run, determinism, and new corpora.

The default run is made once per session (tests/conftest.py). These tests
check what each notebook wrote, that a second run with the same inputs and
seed gives byte-identical tables, and that corpora the project has never seen
(an English CSV, a folder of Indonesian .txt files) run with one command.
"""

from __future__ import annotations

import hashlib
import json
import textwrap

import nbformat
import pandas as pd
import pytest

from analysis import parameters as P
from analysis.runner import run_pipeline

pytestmark = pytest.mark.slow


def _errors(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]


def test_every_notebook_ran_without_error(default_run):
    for name in P.STAGES + P.PAGES:
        path = default_run / f"{name}.ipynb"
        assert path.exists(), name
        assert not _errors(path), name


def test_no_output_shows_a_local_path(default_run):
    # The site publishes the executed notebooks: machine paths are noise and leak the staging folder.
    for name in P.STAGES + P.PAGES:
        nb = nbformat.read(default_run / f"{name}.ipynb", as_version=4)
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []):
                shown = out.get("text", "") + "".join(str(v) for v in out.get("data", {}).values())
                assert "PosixPath(" not in shown and "_staging" not in shown, f"{name} cell {i}"


@pytest.mark.parametrize("table", [
    "articles", "cleaning_summary", "topic_terms", "k_sweep", "topic_stability", "doc_topics_articles",
    "frames_units", "frames_articles", "frame_codes_units", "sources",
])
def test_stage_tables_exist_and_are_not_empty(default_run, table):
    df = pd.read_csv(default_run / "tables" / f"{table}.csv")
    assert len(df) > 0


def test_provenance_records_the_run(default_run):
    manifest = json.loads((default_run / "provenance.json").read_text())
    assert manifest["corpus"]["id"] == "ru-alliances-id" and len(manifest["corpus"]["files"]) == 5
    assert manifest["seed"] == manifest["parameters"]["seed"]
    assert set(P.STAGES) <= set(manifest["stage_seconds"])


def test_articles_table_publishes_no_full_text(default_run, seed_corpus):
    articles = pd.read_csv(default_run / "tables" / "articles.csv")
    assert "text" not in articles.columns
    longest = max(len(str(v)) for col in articles.columns for v in articles[col])
    assert longest < 400


def test_same_inputs_and_seed_give_identical_tables(default_run):
    again = run_pipeline("ru-alliances-id", name="ru-alliances-id-again", progress=False, log=lambda *_: None)
    first = sorted(p.name for p in (default_run / "tables").glob("*.csv"))
    assert first == sorted(p.name for p in (again / "tables").glob("*.csv"))
    different = [n for n in first if (default_run / "tables" / n).read_bytes() != (again / "tables" / n).read_bytes()]
    assert not different, f"tables differ between two runs with the same seed: {different}"


ENGLISH = [
    ("Reuters", "2024-06-19", "Putin and Kim sign defence pact",
     "Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a mutual defence pact in Pyongyang. "
     "The treaty commits each side to military assistance if the other is attacked, analysts said."),
    ("AP", "2024-06-20", "Washington warns of new axis",
     "The United States said the pact threatens security in Asia and Europe. Officials in Washington warned of "
     "sanctions against Russia and North Korea, according to the State Department."),
    ("BBC", "2024-07-04", "SCO summit in Astana",
     "Xi Jinping and Vladimir Putin praised the Shanghai Cooperation Organisation as a pillar of a multipolar world order. "
     "Belarus joined the bloc, which presents itself as an alternative to Western institutions."),
    ("Guardian", "2024-07-05", "Limits of the partnership",
     "Experts said the partnership between Russia and China is transactional and limited. "
     "China keeps its distance to protect trade with the West, said Andrei Lankov, a professor in Seoul."),
]


def test_an_english_csv_runs_as_a_new_section(runs_root, tmp_path):
    rows = [{"id": f"en{i}", "outlet": o, "date": d, "title": t, "text": (x + "\n\n") * 3}
            for i, (o, d, t, x) in enumerate(ENGLISH)]
    csv = tmp_path / "english-news.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    # "auto": the language is detected per article and every stage then works in English.
    run = run_pipeline(str(csv), language="auto", progress=False, log=lambda *_: None)
    assert run.name == "english-news" and (run / "index.ipynb").exists()
    articles = pd.read_csv(run / "tables" / "articles.csv")
    assert set(articles["outlet"]) == {"Reuters", "AP", "BBC", "Guardian"}
    assert set(articles["language"]) == {"en"}
    vocabulary = set(pd.read_csv(run / "tables" / "topic_terms.csv")["term"])
    assert vocabulary and not vocabulary & {"the", "and", "said", "which"}  # English stopwords and news verbs went
    assert (runs_root / "ru-alliances-id" / "index.ipynb").exists()  # the default run is still there


def test_an_indonesian_txt_folder_runs_as_a_new_section(runs_root, tmp_path, seed_corpus):
    folder = tmp_path / "berita"
    folder.mkdir()
    for src in sorted(seed_corpus.glob("*.txt"))[:3]:
        (folder / src.name).write_bytes(src.read_bytes())
    # The researcher's own resources, named in a params file by paths relative to it.
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "frames.yml").write_text(textwrap.dedent("""\
        name: extra
        version: "0.1"
        frames:
          - id: state_visit
            name: State visit
            kind: issue-specific
            definition: Alliance-building shown through leaders' visits.
            source: devreese2005
            questions:
              - id: state_visit_q1
                text: {en: "Does the story report a state visit?", id: "Apakah berita melaporkan kunjungan kenegaraan?"}
                indicators: {id: [kunjungan], en: [visit]}
        """), encoding="utf-8")
    (conf / "aliases.yml").write_text(textwrap.dedent("""\
        entities:
          - canonical: juru_bicara_kremlin
            kind: person
            label: Kremlin spokesman
            surfaces: {any: [dmitry peskov, peskov]}
        """), encoding="utf-8")
    (conf / "cleaning.yml").write_text(textwrap.dedent("""\
        rules:
          - name: agency_tag_tass
            category: agency credit
            action: inline
            pattern: ',?\\s*lapor kantor berita Tass'
            description: a wire-agency tag at the end of a quote
        """), encoding="utf-8")
    params = conf / "params.yaml"
    params.write_text("codebook_extra: frames.yml\naliases_file: aliases.yml\nextra_rules: cleaning.yml\n")
    run = run_pipeline(str(folder), name="berita-baru", params_file=params, progress=False, log=lambda *_: None)
    assert len(pd.read_csv(run / "tables" / "articles.csv")) == 3
    assert (runs_root / "ru-alliances-id" / "index.ipynb").exists()
    assert "state_visit" in set(pd.read_csv(run / "tables" / "frame_prevalence.csv")["frame"])
    assert "juru_bicara_kremlin" in set(pd.read_csv(run / "tables" / "actor_mentions.csv")["actor"])
    assert "agency_tag_tass" in set(pd.read_csv(run / "tables" / "cleaning_summary.csv")["rule"])
    user_files = json.loads((run / "provenance.json").read_text())["user_files"]
    assert sorted(user_files) == ["aliases_file", "codebook_extra", "extra_rules"]
    assert user_files["codebook_extra"]["sha256"] == hashlib.sha256((conf / "frames.yml").read_bytes()).hexdigest()
