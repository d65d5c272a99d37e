"""Tests for analysis.topics.intrusion and .intrusion_sheets: word and topic intrusion, out to people and back.

Answers here are synthetic (written by the tests); no run ships answers that no one gave.
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from analysis import registry, topics
from analysis.__main__ import main
from analysis.errors import AnalysisError
from analysis.topics import intrusion, intrusion_sheets

from .planted import FAST, block_corpus, write_run


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A small paragraph-level run under its own runs root, as the command line finds it."""
    root = tmp_path_factory.mktemp("runs")
    _, texts = block_corpus(seed=2, n_docs=40)
    paths = write_run(root / "intr", texts)
    topics.fit_topics(paths, params=topics.TopicParams(k_min=3, k_max=3, n_stability_seeds=0, **FAST), seed=9,
                      explorer=False)
    return paths


@pytest.fixture
def cli(run, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUNS_ROOT", str(run.root.parent))
    monkeypatch.setattr(intrusion, "DATA_CODING", tmp_path / "coding")
    return tmp_path / "coding" / run.name / "intrusion"


def tasks_of(paths):
    return registry.read(paths, "intrusion_choices")


def test_word_tasks_hide_one_intruder_from_another_topic(run):
    tasks = tasks_of(run)
    terms = registry.read(run, "topic_terms")
    top = {t: set(g["term"]) for t, g in terms.groupby("topic")}
    word = tasks[tasks["task"] == "word"]
    assert sorted(word["topic"].unique()) == [1, 2, 3]
    for item, g in word.groupby("item"):
        assert len(g) == intrusion.N_WORDS + 1 and g["word"].is_unique and g["intruder"].sum() == 1
        topic, intruder = int(g["topic"].iloc[0]), g.loc[g["intruder"], "word"].item()
        assert intruder not in top[topic] and any(intruder in top[t] for t in top if t != topic)
        # improbable in its task's topic: below every word shown beside it
        assert g.loc[g["intruder"], "weight"].item() < g.loc[~g["intruder"], "weight"].min()


def test_topic_tasks_show_a_documents_top_topics_and_one_improbable_topic(run):
    tasks = tasks_of(run)
    topic = tasks[tasks["task"] == "topic"]
    assert topic["item"].nunique() == intrusion.N_DOCUMENTS
    for _, g in topic.groupby("item"):
        assert len(g) == 3 and g["intruder"].sum() == 1 and g["topic"].is_unique  # K = 3: two top topics and one
        assert g.loc[g["intruder"], "weight"].item() <= g.loc[~g["intruder"], "weight"].min()
        assert g["word"].str.count(",").min() >= 1  # each topic shown by its top words


def test_tasks_are_drawn_with_the_seed(run):
    terms = registry.read(run, "topic_terms")
    dictionary, _, _ = topics.load_bow(run)
    from gensim.models import LdaModel

    phi = LdaModel.load(str(run.file("lda_model"))).get_topics()
    dt = registry.read(run, "doc_topics").rename(columns={"unit_id": "document_id"})
    a = topics.intrusion_tasks(terms, phi, dictionary, dt, seed=9)
    pd.testing.assert_frame_equal(a, tasks_of(run))
    b = topics.intrusion_tasks(terms, phi, dictionary, dt, seed=10)
    assert topics.sheet_id(a) != topics.sheet_id(b)


def test_scores_are_model_precision_and_topic_log_odds():
    tasks = pd.DataFrame({
        "task": ["word"] * 3 + ["topic"] * 3, "item": ["W01"] * 3 + ["D01"] * 3, "topic": [1, 1, 1, 2, 1, 3],
        "document_id": [""] * 3 + ["d"] * 3, "choice": [1, 2, 3, 1, 2, 3], "word": list("abx") + ["t2", "t1", "t3"],
        "weight": [.4, .3, .01, .6, .3, .1], "intruder": [False, False, True, False, False, True]})
    answers = pd.DataFrame({"coder": ["ana", "budi", "citra", "ana", "budi"], "item": ["W01", "W01", "W01", "D01", "D01"],
                            "answer": [3, 3, 1, 3, 2]})
    word, topic = topics.score_intrusion(tasks, answers)
    assert word.to_dict("records") == [{"topic": 1, "n_coders": 3, "n_correct": 2, "model_precision": pytest.approx(2 / 3)}]
    # ana found the intruder (log odds 0); budi took topic 1 (θ = .3) for it: log .1 − log .3
    assert topic["log_odds"].item() == pytest.approx((0 + np.log(0.1) - np.log(0.3)) / 2)
    assert topic["n_coders"].item() == 2 and topic["n_correct"].item() == 1


def test_no_answers_are_said_plainly_and_give_no_number(run):
    assert registry.read(run, "word_intrusion").empty and registry.read(run, "topic_intrusion").empty
    text = topics.describe_intrusion(registry.read(run, "word_intrusion"), registry.read(run, "topic_intrusion"),
                                     command="python -m analysis intrusion-sheet --run x")
    assert text.startswith("No one has answered") and "precision" not in text and "log odds" not in text


def _fill(path, tasks, *, wrong=()):
    """Answer every task of an XLSX sheet with openpyxl: the intruder, or the first other choice for ``wrong`` items."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["intrusion"]
    header = [c.value for c in ws[1]]
    col = header.index("answer") + 1
    for r in range(2, ws.max_row + 1):
        item = ws.cell(r, header.index("item") + 1).value
        g = tasks[tasks["item"] == item]
        pick = g[~g["intruder"]].iloc[0] if item in wrong else g[g["intruder"]].iloc[0]
        ws.cell(r, col).value = pick["word"] if pick["task"] == "word" else int(pick["choice"])
    wb.save(path)
    return path


def test_sheet_round_trips_through_openpyxl_and_the_command_line(run, cli, capsys):
    assert main(["intrusion-sheet", "--run", run.name, "--coders", "ana,budi"]) == 0
    out = capsys.readouterr().out
    assert "word-intrusion" in out and (run.file("intrusion_sheets") / "ana.xlsx").is_file()
    from openpyxl import load_workbook

    ws = load_workbook(run.file("intrusion_sheets") / "ana.xlsx")["intrusion"]
    assert ws.freeze_panes == "E2" and len(ws.data_validations.dataValidation) == ws.max_row - 1
    tasks = tasks_of(run)
    sheet = _fill(run.file("intrusion_sheets") / "ana.xlsx", tasks, wrong={"W02", "D01"})
    assert main(["import-intrusion", str(sheet), "--run", run.name]) == 0
    assert "People checked the topics" in capsys.readouterr().out
    answers, stale = intrusion_sheets.read_imported(cli, tasks)
    assert stale == 0 and len(answers) == tasks["item"].nunique()
    word, topic = topics.score_intrusion(tasks, answers)
    assert word.set_index("topic")["model_precision"].to_dict() == {1: 1.0, 2: 0.0, 3: 1.0}
    assert (topic["log_odds"] < 0).sum() == 1 and topic["log_odds"].max() == 0
    # an import never overwrites an earlier one
    assert main(["import-intrusion", str(sheet), "--run", run.name]) == 2
    assert "was imported before" in capsys.readouterr().err


def _csv_sheet(run, tmp_path, change=None):
    tasks = tasks_of(run)
    frame = intrusion_sheets.sheet_rows(tasks, {}, coder="ana")
    for r, row in frame.iterrows():
        g = tasks[(tasks["item"] == row["item"]) & tasks["intruder"]]
        frame.loc[r, "answer"] = g["word"].item() if row["task"] == "word" else str(g["choice"].item())
    if change:
        change(frame)
    path = tmp_path / "ana.csv"
    frame.to_csv(path, index=False)
    return path, tasks


def test_a_filled_csv_is_read(run, tmp_path):
    path, tasks = _csv_sheet(run, tmp_path)
    answers = intrusion_sheets.read_answers(path, tasks)
    assert len(answers) == tasks["item"].nunique()
    merged = answers.merge(tasks, left_on=["item", "answer"], right_on=["item", "choice"])
    assert merged["intruder"].all()


@pytest.mark.parametrize("change, message", [
    (lambda f: f.__setitem__("sheet_id", "0123456789ab"),
     r"ana.csv, row 2: sheet id '0123456789ab' is not this run's \(\w{12}\): a sheet for another run or model"),
    (lambda f: f.loc.__setitem__((2, "answer"), "kerja_sama_xyz"),
     r"ana.csv, row 4: answer 'kerja_sama_xyz' of task W03 is not one of its choices \("),
    (lambda f: f.loc.__setitem__((5, "answer"), "7"), r"ana.csv, row 7: answer '7' of task D03 is not one of its "
                                                      r"choices \(1, 2, 3\)"),
    (lambda f: f.loc.__setitem__((0, "answer"), ""), r"ana.csv, row 2: task W01 is not answered"),
    (lambda f: f.loc.__setitem__((1, "item"), "W01"), r"ana.csv, row 3: task 'W01' appears twice"),
    (lambda f: f.loc.__setitem__((1, "coder"), "budi"), r"ana.csv: one sheet, one coder: found ana, budi"),
])
def test_bad_answers_are_refused_in_one_line_naming_file_and_row(run, tmp_path, change, message):
    path, tasks = _csv_sheet(run, tmp_path, change)
    with pytest.raises(AnalysisError, match=message) as err:
        intrusion_sheets.read_answers(path, tasks)
    assert "\n" not in str(err.value)


def test_another_runs_sheet_is_refused_by_the_command_line(run, cli, tmp_path, capsys):
    path, _ = _csv_sheet(run, tmp_path, lambda f: f.__setitem__("sheet_id", "ffffffffffff"))
    assert main(["import-intrusion", str(path), "--run", run.name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "row 2: sheet id 'ffffffffffff'" in err and err.count("\n") == 1


def test_the_next_run_scores_imported_answers_and_skips_those_of_another_model(run, tmp_path):
    path, tasks = _csv_sheet(run, tmp_path)
    folder = tmp_path / "answers"
    intrusion_sheets.import_answers(path, folder, tasks)
    pd.DataFrame({"sheet_id": ["000000000000"], "coder": ["old"], "item": ["W01"], "answer": [1]}).to_csv(
        folder / "old.csv", index=False)
    result = topics.fit_topics(run, params=topics.TopicParams(k_min=3, k_max=3, n_stability_seeds=0, **FAST), seed=9,
                               explorer=False, intrusion_dir=folder)
    assert result.word_intrusion["model_precision"].eq(1.0).all() and len(result.word_intrusion) == 3
    assert result.topic_intrusion["log_odds"].eq(0).all()
    assert "mean model precision 1.00" in result.intrusion_text and "1 answer file(s)" in result.intrusion_text
    # the answers change no other table: the same model, the same tasks
    pd.testing.assert_frame_equal(registry.read(run, "intrusion_choices"), tasks)
    topics.fit_topics(run, params=topics.TopicParams(k_min=3, k_max=3, n_stability_seeds=0, **FAST), seed=9,
                      explorer=False)  # leave the module's run as it was: no answers


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc) is not installed")
def test_intrusion_sheet_round_trips_through_libreoffice(run, tmp_path):
    tasks = tasks_of(run)
    frame = intrusion_sheets.sheet_rows(tasks, {}, coder="ana")
    path = _fill(intrusion_sheets.write_xlsx(frame, tmp_path / "ana.xlsx"), tasks, wrong={"W01"})
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(path)],
                   check=True, capture_output=True, timeout=120)
    answers = intrusion_sheets.read_answers(tmp_path / "lo" / "ana.xlsx", tasks)
    word, _ = topics.score_intrusion(tasks, answers)
    assert word.set_index("topic")["model_precision"].to_dict() == {1: 0.0, 2: 1.0, 3: 1.0}
