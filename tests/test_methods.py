"""Unit tests for analysis.methods: each Methods section states the run's own parameters and table counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import methods
from analysis.registry import RunPaths
from analysis.findings import RunData
from analysis.report import render_markdown
from conftest import put_table

MANIFEST = {
    "corpus": {"id": "demo", "files": {"a.txt": "1" * 64, "b.txt": "2" * 64, "c.txt": "3" * 64}},
    "parameters": {
        "unit": "paragraph", "min_unit_words": 5, "language": "id", "phrases": True, "stem": False,
        "no_below": 0, "no_above": 0.5, "seed": 42, "passes": 20, "alpha": "auto", "n_topics": 0,
        "k_min": 2, "k_max": 8, "n_stability_seeds": 3, "stability_threshold": 0.6, "relevance_lambda": 0.6,
        "coherence_sample": 50, "edge_quantile": 0.5, "resolution": 1.0, "frame_threshold": 0.34,
        "min_units": 2, "n_bootstrap": 1000,
    },
}


@pytest.fixture
def paths(tmp_path) -> RunPaths:
    return RunPaths(tmp_path / "run").create()


def put(paths: RunPaths, key: str, data) -> None:
    put_table(paths, key, data)


def run_of(paths: RunPaths) -> RunData:
    return RunData(paths, {})


# ---------------------------------------------------------------- corpus


def _corpus(paths):
    put(paths, "articles_overview", {"article_id": ["a", "b", "c", "d"], "outlet": ["Kompas", None, None, "Tempo"],
                            "date": ["2024-01-01", "2024-01-02", None, "--06-19"]})
    put(paths, "cleaning_summary", {
        "rule": ["baca_juga", "photo_credit", "min_unit_words", "dateline"],
        "category": ["related link", "photo credit", "short unit", "metadata"],
        "blocks": [5, 5, 4, 3], "lines": [7, 5, 4, 3], "articles": [3, 1, 3, 3]})


def test_corpus_section_numbers(paths):
    _corpus(paths)
    text = methods.corpus_section(run_of(paths), MANIFEST)
    assert text.startswith("## 1. Corpus: ingest, repair, clean, segment\n\n")
    assert "The raw files (3, hashed on the Data page)" in text
    # Metadata lines (datelines) and dropped short units are not boilerplate: 7 + 5 lines.
    assert "(`analysis/resources/cleaning/`): 12 lines in this run" in text
    assert "(outlet missing for 2 of 4 articles, date for 1)" in text
    assert "cut into **paragraph** units." in text
    assert "lead and body units shorter than 5 words are dropped and logged" in text
    assert "a date the body mentions is the date of an event" in text
    assert "Language setting: `id`." in text


def test_corpus_section_without_cleaning_table_or_manifest(paths):
    put(paths, "articles_overview", {"article_id": ["a"], "outlet": ["Kompas"], "date": ["2024-01-01"]})
    text = methods.corpus_section(run_of(paths), {})
    assert "The raw files (0, hashed" in text
    assert ": 0 lines in this run" in text
    assert "(outlet missing for 0 of 1 articles, date for 0)" in text
    assert "**(not set)** units" in text


# ---------------------------------------------------------------- text


def test_text_section_metonyms_vocab_and_applied_filter(paths):
    put(paths, "text_steps", {"step": ["tokenize", "aliases", "stopwords"], "n_tokens": [2328, 2227, 1200],
                              "vocab_size": [809, 768, 557]})
    put(paths, "alias_hits", {"surface": ["rusia", "kremlin", "gedung putih"],
                              "canonical": ["rusia", "rusia", "amerika_serikat"],
                              "kind": ["country", "metonym", "metonym"], "count": [49, 3, 2]})
    put(paths, "text_params", {"parameter": ["extra_stopwords", "aliases_file", "stem", "no_below", "no_above"],
                               "value": ["", "None", "False", "3", "0.5"]})  # as the text stage writes it
    text = methods.text_section(run_of(paths), MANIFEST)
    assert "in this run: kremlin → rusia (3), gedung putih → amerika_serikat (2)." in text
    assert "rusia → rusia" not in text
    # The filter actually applied (3, scaled with the corpus) wins over the parameter (0).
    assert "occurs in at least 3 units and in at most 0.5 of them" in text
    assert "Vocabulary size after each step: tokenize 809 → aliases 768 → stopwords 557." in text
    assert "(phrases: `True`); stemming: `False`" in text


def test_text_section_without_tables(paths):
    text = methods.text_section(run_of(paths), MANIFEST)
    assert "in this run: none." in text
    assert "at least 0 units" in text  # no applied value recorded: the parameter as given
    assert "Vocabulary size after each step: (not recorded)." in text


def test_text_section_no_metonym_hits(paths):
    put(paths, "alias_hits", {"surface": ["putin"], "canonical": ["vladimir_putin"], "kind": ["person"], "count": [21]})
    assert "in this run: none." in methods.text_section(run_of(paths), MANIFEST)


# ---------------------------------------------------------------- topics


def _topics(paths, n_units=76):
    put(paths, "k_sweep", {"k": [2, 3, 4], "c_v": [0.33, 0.29, 0.34], "chosen": [False, True, False]})
    put(paths, "topic_params", {"parameter": ["k_min", "min_diversity"], "value": ["2", "0.5"]})
    put(paths, "topic_stability", {"topic": [1, 2, 3], "stability": [0.8, 0.5, 0.9],
                                   "unstable": [False, True, False]})
    put(paths, "doc_topics_units", {"unit_id": np.repeat([f"u{i}" for i in range(n_units)], 3),
                                    "topic": np.tile([1, 2, 3], n_units), "weight": 1 / 3})
    put(paths, "doc_topics", {"unit_id": [f"u{i}" for i in range(n_units)], "topic_0": 1 / 3, "topic_1": 1 / 3,
                              "topic_2": 1 / 3})


def test_topics_section_swept_k_with_sample(paths):
    _topics(paths)
    text = methods.topics_section(run_of(paths), MANIFEST)
    assert ("K = 3 was chosen by a sweep over K = 2…8 scored by coherence [c_v and c_npmi, @roder2015] and topic "
            "diversity, the share of unique words among the topics' top words [@dieng2020]; the rule: among the K "
            "whose topic diversity is at least 0.5, the highest") in text
    assert "u_mass [@mimno2011] is reported but not used" in text
    assert "Coherence was scored on a random sample of 50 of the 76 documents (seed 42)." in text
    assert "Latent Dirichlet allocation [@blei2003] with a fixed random seed" in text
    assert "The rule of `topic_unit: auto`: whole articles are the documents when the median unit has fewer " in text
    assert "[@chang2009]" in text and "No one has answered" in text
    assert "`random_state` = 42, 20 passes, alpha `auto`." in text
    assert "is flagged unstable (1 of 3 here)" in text
    assert "λ = 0.6 [@sievert2014]" in text


def test_topics_section_sample_not_mentioned_when_it_covers_all_units(paths):
    _topics(paths, n_units=40)
    text = methods.topics_section(run_of(paths), MANIFEST)
    assert "random sample" not in text
    text = methods.topics_section(run_of(paths), {"parameters": {**MANIFEST["parameters"], "coherence_sample": 0}})
    assert "random sample" not in text


def test_topics_section_researcher_set_k(paths):
    _topics(paths)
    text = methods.topics_section(run_of(paths), {"parameters": {**MANIFEST["parameters"], "n_topics": 5}})
    assert "K = 5 was set by the researcher (parameter `n_topics`)." in text
    assert "sweep" not in text and "random sample" not in text


def test_topics_section_k_from_stability_without_sweep(paths):
    put(paths, "topic_stability", {"topic": [1, 2], "stability": [0.8, 0.9], "unstable": [True, True]})
    text = methods.topics_section(run_of(paths), MANIFEST)
    assert "K = 2 was chosen by a sweep" in text
    assert "(2 of 2 here)" in text


def test_topics_section_renders_its_citations(paths):
    _topics(paths)
    html = render_markdown(methods.topics_section(run_of(paths), MANIFEST))
    for key in ("blei2003", "roder2015", "sievert2014", "dieng2020", "mimno2011"):
        assert f'data-cites="{key}"' in html


# ---------------------------------------------------------------- frames, codebook


CODEBOOK = {
    "frame": ["conflict", "conflict", "economic"],
    "frame_name": ["Conflict", "Conflict", "Economic"],
    "kind": ["generic", "generic", "issue-specific"],
    "source": ["semetko2000", "semetko2000", "devreese2005"],
    "question": ["conflict_q1", "conflict_q2", "economic_q1"],
    "text": ["Disagreement?", "Reproach?", "<b>Costs</b>?"],
    "indicators": ["perang", "kecam", "biaya"],
}

# A codebook that is not the shipped one: other frames, other kinds, another citation.
TOY_CODEBOOK = """\
name: "Blame and *hope* frames"
version: "0.3"
frames:
  - id: blame
    name: "Blame"
    kind: issue-specific
    definition: "Someone is held responsible."
    source: entman1993
    questions:
      - id: blame_q1
        text: {en: "Is someone blamed?"}
        indicators: {en: ["blame"]}
      - id: blame_q2
        text: {en: "Is someone accused?"}
        indicators: {en: ["accuse"]}
  - id: hope
    name: "Hope"
    kind: issue-specific
    definition: "A better future is promised."
    source: entman1993
    questions:
      - id: hope_q1
        text: {en: "Is a better future promised?"}
        indicators: {en: ["hope"]}
"""


def test_frames_section_counts_and_parameters(paths):
    put(paths, "codebook", CODEBOOK)
    text = methods.frames_section(run_of(paths), MANIFEST)
    assert "(version 1&#46;0; 2 frames, 3 yes/no questions, below) codes every unit" in text
    assert ", edges below the 0.5 quantile dropped, found by the Louvain method [@blondel2008]" in text
    assert "with seed 42 and resolution 1.0, are the frames, and the Leiden method is reported beside them" in text
    assert "disparity filter [@serrano2009]" in text and "adjusted Rand index [@hubert1985]" in text
    assert "mean reaches 0.65, the lower bound of moderate agreement [@steinley2004]" in text
    assert "reaches 0.34, and an article when at least 2 of its units do" in text
    assert "(1000 resamples)" in text
    assert "## 5. Sources" in text


def test_frames_section_names_the_frames_and_sources_of_the_runs_codebook_table(paths):
    put(paths, "codebook", CODEBOOK)
    text = methods.frames_section(run_of(paths), MANIFEST)
    # The run used the shipped codebook (no codebook_file): its name comes from the file.
    assert "the codebook “Generic and issue&#45;specific news frames” (version 1&#46;0;" in text
    assert ("codes every unit: the generic frame *Conflict* [@semetko2000]; the issue&#45;specific frame "
            "*Economic* [@devreese2005].") in text
    assert "five generic frames" not in text


def test_frames_section_describes_a_researchers_own_codebook(paths, tmp_path):
    from analysis import frames

    book = tmp_path / "toy-codebook.yml"
    book.write_text(TOY_CODEBOOK, encoding="utf-8")
    put(paths, "codebook", frames.load_codebook(book).to_table("en"))
    manifest = {"parameters": {**MANIFEST["parameters"], "codebook_file": str(book), "codebook_extra": ""}}
    text = methods.frames_section(run_of(paths), manifest)
    assert ("the codebook “Blame and &#42;hope&#42; frames” (version 0&#46;3; 2 frames, 3 yes/no questions, below) "
            "codes every unit: the issue&#45;specific frames *Blame* and *Hope* [@entman1993].") in text
    assert "semetko" not in text and "devreese" not in text and "generic frame" not in text
    html = render_markdown(text)
    assert 'data-cites="entman1993"' in html and "<em>Blame</em>" in html
    assert "<em>hope</em>" not in html  # the codebook's name is text, not Markdown


def test_frames_section_from_the_codebook_file_when_the_run_wrote_no_table(paths, tmp_path):
    book = tmp_path / "toy-codebook.yml"
    book.write_text(TOY_CODEBOOK, encoding="utf-8")
    text = methods.frames_section(run_of(paths), {"parameters": {"codebook_file": str(book)}})
    assert "(version 0&#46;3; 2 frames, 3 yes/no questions, below)" in text
    assert "*Blame* and *Hope* [@entman1993]" in text


def test_frames_section_when_the_codebook_file_is_gone(paths, tmp_path):
    # The file the run named has moved: the frames still come from the run's table, unnamed.
    put(paths, "codebook", CODEBOOK)
    text = methods.frames_section(run_of(paths), {"parameters": {"codebook_file": str(tmp_path / "gone.yml")}})
    assert "the codebook (2 frames, 3 yes/no questions, below) codes every unit: the generic frame *Conflict*" in text
    put_nothing = run_of(RunPaths(tmp_path / "empty"))
    text = methods.frames_section(put_nothing, {"parameters": {"codebook_file": str(tmp_path / "gone.yml")}})
    assert "a codebook (not recorded for this run) codes every unit." in text


def test_frames_section_without_codebook_or_manifest(paths):
    text = methods.frames_section(run_of(paths), {})
    assert "(version 1&#46;0; 10 frames," in text  # the notebook default: the shipped codebook
    assert "at least 1 of its units do" in text  # min_units defaults to 1
    assert "edges below" not in text  # no quantile recorded: no pruning is claimed


def test_codebook_table_columns(paths):
    assert methods.codebook_table(run_of(paths)).empty
    put(paths, "codebook", CODEBOOK)
    t = methods.codebook_table(run_of(paths))
    assert list(t.columns) == ["frame", "kind", "source", "question", "question text"]
    assert t["frame"].tolist() == ["Conflict", "Conflict", "Economic"]
    assert "indicators" not in t


# ---------------------------------------------------------------- validation


VALIDATION = {"coding_set": ["demo"], "n_coders": [2], "n_units": [12], "mean_alpha_frames": [0.898803],
              "min_alpha_frames": [0.634921], "mean_percent_agreement_frames": [0.983333],
              "macro_f1_frames": [0.57037], "mean_alpha_machine_frames": [0.538779], "n_frames": [10],
              "n_frames_alpha": [6]}


@pytest.mark.parametrize("table", [None, {"status": ["none"], "n_units": [0]}])
def test_validation_section_without_human_coding(paths, table):
    if table:
        put(paths, "validation_summary", table)
    text = methods.validation_section(run_of(paths), MANIFEST)
    assert text.startswith("## 6. Measurement and validation\n\n**Coding by design.**")
    assert text.endswith("no reliability or validity figure is reported and **no frame is validated**.")
    assert "@bloch1989" in text and "@rogan1978" in text and "grouped by article" in text


def test_validation_section_example_coding_says_who_coded(paths):
    put(paths, "validation_summary", {"status": ["example"], **VALIDATION, "produced_by": ["by an AI *assistant*"],
                                      "gold_source": ["adjudicated"]})
    put(paths, "frame_methods", {"frame": ["a", "b"], "method": "tfidf", "alpha": [0.8, 0.2], "alpha_lo": 0.1,
                                 "alpha_hi": 0.9, "validated": [True, False], "reason": ""})
    text = methods.validation_section(run_of(paths), MANIFEST)
    assert "**Who coded.** An example coding set, not human coders (by an AI &#42;assistant&#42;): 12 units" in text
    assert "with adjudicated codes as the reference the machine coders are scored against" in text
    assert "mean 0.899 across the 6 of 10 frames the coders used (undefined for the others) (minimum 0.635)" in text
    assert text.endswith("1 of 2 frames are validated.")


def test_validation_section_human_coding(paths):
    put(paths, "validation_summary", {"status": ["human"], **VALIDATION})
    text = methods.validation_section(run_of(paths), MANIFEST)
    assert "**Who coded.** Human coders: 12 units by 2 coders" in text
    assert "example" not in text


# ---------------------------------------------------------------- resources, references


def test_resource_table_counts_entries_and_bytes(tmp_path, monkeypatch):
    res = tmp_path / "resources"
    (res / "stopwords").mkdir(parents=True)
    (res / "stopwords" / "xx.txt").write_text("# header\n\nyang\ndan\n  \n# note\ndi\n", encoding="utf-8")
    (res / "aliases.yml").write_bytes(b"a" * 1234)
    (res / "RESOURCES.yml").write_text(
        "- {file: stopwords/xx.txt, what: Stopwords, source: here, licence: MIT}\n"
        "- {file: aliases.yml, what: Aliases, source: project, licence: CC0}\n", encoding="utf-8")
    monkeypatch.setattr(methods, "RESOURCES", res)
    t = methods.resource_table()
    assert t.values.tolist() == [["stopwords/xx.txt", "Stopwords", "3 entries", "here", "MIT"],
                                 ["aliases.yml", "Aliases", "1,234 bytes", "project", "CC0"]]


def test_resource_index_that_is_not_a_list_is_refused_in_one_line(tmp_path, monkeypatch):
    from analysis.errors import AnalysisError

    (tmp_path / "RESOURCES.yml").write_text("file: x\n", encoding="utf-8")
    monkeypatch.setattr(methods, "RESOURCES", tmp_path)
    with pytest.raises(AnalysisError, match=r"RESOURCES\.yml: resource index must hold a list"):
        methods.resource_table()


def test_shipped_resources_all_exist_with_source_and_licence():
    t = methods.resource_table()
    assert len(t) and all((methods.RESOURCES / f).is_file() for f in t["resource"])
    assert t["source"].astype(bool).all() and t["licence"].astype(bool).all()


def test_references_section_renders_the_reference_list():
    text = methods.references_section()
    assert "@okabe2008" in text and "::: {#refs}" in text
    html = render_markdown(text, bibliography=True)
    assert 'id="refs"' in html and 'id="ref-okabe2008"' in html
