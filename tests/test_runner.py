"""Tests for analysis.runner: validation before running, and run isolation.

papermill is replaced by a fake here, so these tests check the runner's own
rules (staging, swapping, keeping the last good run) in milliseconds; the real
notebooks run in tests/test_notebooks.py.
"""

from pathlib import Path

import nbformat
import papermill
import pytest

from analysis import runner
from analysis.errors import AnalysisError


def _fake_execute(fail_on=None, interrupt_on=None, marker="new"):
    def execute(src, out, parameters, **kwargs):
        nb_name = Path(out).stem
        if nb_name == interrupt_on:
            raise KeyboardInterrupt
        run_dir = Path(out).parent
        (run_dir / "data").mkdir(exist_ok=True)
        (run_dir / "tables").mkdir(exist_ok=True)
        (run_dir / "tables" / f"{nb_name}.csv").write_text(f"{marker}\n")
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_raw_cell("---\ntitle: Findings\n---")] if nb_name == "index" else []
        nbformat.write(nb, out)
        if nb_name == fail_on:
            raise papermill.PapermillExecutionError(3, 7, "x", "AnalysisError", "data/x.txt: empty file", [])
    return execute


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Paragraf satu.\n\nParagraf dua.\n\nParagraf tiga.\n\nParagraf empat.\n")
    return folder


@pytest.fixture
def one_line_corpus(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.txt").write_text("Sebuah berita.\n")
    return folder


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_run_lands_in_its_folder_with_provenance(isolated_runs, corpus, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", _fake_execute())
    final = runner.run_pipeline(str(corpus), name="t", progress=False, log=lambda *_: None)
    assert final == isolated_runs / "t"
    assert (final / "provenance.json").exists() and (final / "params.yaml").exists()
    index = nbformat.read(final / "index.ipynb", as_version=4)
    assert index.cells[0].cell_type == "raw" and "run-time" in index.cells[0].source
    assert not (isolated_runs / "_staging").exists()  # nothing half-done is left behind
    import zipfile

    with zipfile.ZipFile(final / "downloads" / "t.zip") as whole, zipfile.ZipFile(final / "downloads" / "t-notebooks.zip") as nbs:
        # Both downloads hold the findings notebook as published (stamped front matter included).
        assert whole.read("t/index.ipynb") == nbs.read("t-notebooks/index.ipynb") == (final / "index.ipynb").read_bytes()


def test_the_runner_prints_and_logs_the_stages_progress_and_the_notebooks_hold_none(isolated_runs, corpus,
                                                                                    monkeypatch, capsys):
    from analysis import progress

    fake = _fake_execute()

    def execute(src, out, parameters, **kwargs):
        fake(src, out, parameters, **kwargs)
        if Path(out).stem == "02-fit-topics":  # as the topic stage does, from the kernel
            progress.report("topics", "K sweep: K = 3 fitted", done=1, total=6)

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    final = runner.run_pipeline(str(corpus), name="t", progress=True, log=lambda *_: None)
    line = "[02-fit-topics] topics: K sweep: K = 3 fitted (1/6)"
    assert line in capsys.readouterr().err
    log = (final / "run.log").read_text(encoding="utf-8")
    assert line in log and "[02-fit-topics] done in" in log
    assert all("K sweep" not in p.read_text(encoding="utf-8") for p in final.glob("*.ipynb"))
    assert progress.ENV not in __import__("os").environ  # the runner restores the environment


@pytest.mark.parametrize("fail", [{"fail_on": "02-fit-topics"}, {"interrupt_on": "03-analyse-frames"}])
def test_a_failed_run_leaves_the_last_good_run_byte_identical(isolated_runs, corpus, monkeypatch, fail):
    monkeypatch.setattr(papermill, "execute_notebook", _fake_execute(marker="old"))
    good = runner.run_pipeline(str(corpus), name="t", progress=False, log=lambda *_: None)
    before = _snapshot(good)
    monkeypatch.setattr(papermill, "execute_notebook", _fake_execute(marker="new", **fail))
    with pytest.raises(AnalysisError) as err:
        runner.run_pipeline(str(corpus), name="t", progress=False, log=lambda *_: None)
    assert _snapshot(good) == before
    assert (isolated_runs / "_failed" / "t").is_dir()  # kept for debugging
    message = str(err.value)
    assert "\n" not in message
    if "fail_on" in fail:
        assert message == "02-fit-topics.ipynb, cell [7]: data/x.txt: empty file"
    else:
        assert "interrupted" in message and "last good run is unchanged" in message


def test_a_runs_published_params_file_reruns_it(isolated_runs, corpus, monkeypatch):
    import yaml
    from analysis import parameters as P

    monkeypatch.setattr(papermill, "execute_notebook", _fake_execute())
    first = runner.run_pipeline(str(corpus), name="t", progress=False, log=lambda *_: None)
    written = yaml.safe_load((first / "params.yaml").read_text())
    # Plain YAML; the runner's own keys are comments. The corpus states no language: it is detected (auto).
    assert written == {**P.defaults(P.parameter_schema()), "language": "auto"}
    again = runner.run_pipeline(str(corpus), name="t2", params_file=first / "params.yaml", progress=False,
                                log=lambda *_: None)
    assert yaml.safe_load((again / "params.yaml").read_text()) == written


def test_a_successful_rerun_replaces_the_run(isolated_runs, corpus, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", _fake_execute(marker="old"))
    runner.run_pipeline(str(corpus), name="t", progress=False, log=lambda *_: None)
    monkeypatch.setattr(papermill, "execute_notebook", _fake_execute(marker="new"))
    final = runner.run_pipeline(str(corpus), name="t", progress=False, log=lambda *_: None)
    assert (final / "tables" / "index.csv").read_text() == "new\n"


def test_missing_corpus_is_refused_before_running(isolated_runs, monkeypatch, tmp_path):
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("must not run"))
    with pytest.raises(AnalysisError, match="corpus not found"):
        runner.run_pipeline(str(tmp_path / "nope"), progress=False)


def test_empty_corpus_folder_is_refused(isolated_runs, monkeypatch, tmp_path):
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("must not run"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(AnalysisError, match="empty corpus"):
        runner.run_pipeline(str(tmp_path / "empty"), progress=False)


def test_params_typo_is_refused(isolated_runs, corpus, monkeypatch, tmp_path):
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("must not run"))
    params = tmp_path / "p.yaml"
    params.write_text("n_topic: 4\n")
    with pytest.raises(AnalysisError, match="unknown parameter 'n_topic'.*n_topics"):
        runner.run_pipeline(str(corpus), params_file=params, progress=False)


def test_unsafe_name_is_refused(isolated_runs, corpus):
    with pytest.raises(AnalysisError, match="not safe"):
        runner.run_pipeline(str(corpus), name="../x", progress=False)


def test_cli_prints_one_line_and_exits_2(isolated_runs, capsys, tmp_path):
    from analysis.__main__ import main

    assert main(["run", "--corpus", str(tmp_path / "missing"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_default_run_name():
    assert runner.default_run_name("x.csv", Path("/a/my corpus.csv")) == "my-corpus"


def test_more_topics_than_units_is_refused_before_running(isolated_runs, one_line_corpus, monkeypatch, tmp_path):
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("must not run"))
    params = tmp_path / "p.yaml"
    params.write_text("n_topics: 5\n")
    with pytest.raises(AnalysisError, match="'n_topics' is 5, but the corpus has at most 1 units"):
        runner.run_pipeline(str(one_line_corpus), params_file=params, progress=False)


def test_one_document_corpus_is_refused_clearly_by_default(isolated_runs, one_line_corpus, monkeypatch):
    # One short article cannot carry a topic model with the default K range.
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("must not run"))
    with pytest.raises(AnalysisError, match="'k_min' is 3, but the corpus has at most 1 units"):
        runner.run_pipeline(str(one_line_corpus), progress=False)


def test_unsupported_language_says_what_to_supply(isolated_runs, corpus):
    with pytest.raises(AnalysisError, match="supply a stopword list"):
        runner.run_pipeline(str(corpus), language="fr", progress=False)


# ------------------------------------------------------------------ preflight, directly


def _preflight_error(source, params=None) -> str:
    with pytest.raises(AnalysisError) as err:
        runner.preflight(source, params or {})
    message = str(err.value)
    assert message.startswith(f"{source}: ") and "\n" not in message
    return message


def test_preflight_accepts_a_corpus_with_more_units_than_topics(corpus):
    assert runner.preflight(corpus, {"n_topics": 2}) is None  # three paragraphs: at most three units
    assert runner.preflight(corpus, {"n_topics": 0, "k_min": 2}) is None


def test_preflight_refuses_a_k_the_corpus_cannot_have(corpus):
    # Four non-empty lines bound the units at four: K = 4 needs more units than topics.
    assert "'n_topics' is 4, but the corpus has at most 4 units" in _preflight_error(corpus, {"n_topics": 4})
    # With K chosen by the sweep, k_min is the bound that matters (and defaults to 3).
    assert "'k_min' is 4, but the corpus has at most 4 units" in _preflight_error(corpus, {"n_topics": 0, "k_min": 4})


def test_preflight_counts_units_across_files(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.txt").write_text("Satu.\n\n   \nDua.\n")
    (folder / "b.txt").write_text("Tiga.\n")
    runner.preflight(folder, {"n_topics": 2})
    assert "at most 3 units" in _preflight_error(folder, {"n_topics": 4})


def test_preflight_counts_articles_when_articles_are_the_documents(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.txt").write_text("Satu.\n\nDua.\n\nTiga.\n")
    (folder / "b.txt").write_text("Empat.\n")
    runner.preflight(folder, {"n_topics": 3})  # four paragraph units
    assert "at most 2 articles" in _preflight_error(folder, {"n_topics": 3, "topic_unit": "article"})


def test_preflight_refuses_empty_folders(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".DS_Store").write_text("hidden files do not count")
    assert "empty corpus: the folder holds no files" in _preflight_error(empty)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "README.md").write_text("# about\n")
    assert "no .txt files in the corpus folder" in _preflight_error(docs)
    blank = tmp_path / "blank"
    blank.mkdir()
    (blank / "a.txt").write_text("")
    (blank / "b.TXT").write_text("")
    assert "empty corpus: every .txt file is empty" in _preflight_error(blank)


def test_preflight_refuses_unsupported_or_empty_files(tmp_path):
    docx = tmp_path / "news.docx"
    docx.write_bytes(b"PK\x03\x04")
    assert "unsupported corpus file type" in _preflight_error(docx)
    empty_csv = tmp_path / "news.csv"
    empty_csv.write_text("")
    assert _preflight_error(empty_csv) == f"{empty_csv}: empty corpus file"


def test_preflight_accepts_a_table_file_with_enough_rows(tmp_path):
    table = tmp_path / "news.csv"
    table.write_text("id,text\na,Paragraf satu.\nb,Paragraf dua.\nc,Paragraf tiga.\n", encoding="utf-8")
    runner.preflight(table, {"n_topics": 2})
    assert "at most 3 units" in _preflight_error(table, {"n_topics": 3})


def test_run_summary_counts_articles_units_and_languages_from_the_internal_tables(tmp_path):
    from analysis.registry import RunPaths
    from conftest import put_table

    run = RunPaths(tmp_path / "r").create()
    assert runner._run_summary(run) == {"articles": None, "units": None, "language": None}
    put_table(run, "articles", {"article_id": ["a", "b", "c"], "language": ["id", "en", "id"]})
    put_table(run, "units", {"unit_id": ["a-p001", "a-p002", "b-p001", "c-p001"], "article_id": ["a", "a", "b", "c"]})
    assert runner._run_summary(run) == {"articles": 3, "units": 4, "language": "en, id"}
    put_table(run, "articles", {"article_id": ["a"], "language": [""]})  # language not detected
    assert runner._run_summary(run)["language"] is None
