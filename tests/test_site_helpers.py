"""Unit tests for analysis.site's helpers: listing finished runs, assembling the project folder, finding Quarto."""

from __future__ import annotations

import sys

import pytest

from analysis import site
from analysis.paths import ROOT
from analysis.errors import AnalysisError


def make_run(runs, name, *, finished=True):
    run = runs / name
    for folder in ("data", "tables", "figures", "downloads", "_freeze"):
        (run / folder).mkdir(parents=True, exist_ok=True)
    (run / "data" / "units.parquet").write_bytes(b"corpus text")
    (run / "tables" / "articles.csv").write_text("article_id\na\n")
    (run / "figures" / "f.png").write_bytes(b"png")
    (run / "downloads" / f"{name}.zip").write_bytes(b"zip")
    (run / "_freeze" / "x.json").write_text("{}")
    (run / "data.ipynb").write_text("{}")
    (run / "provenance.json").write_text("{}")
    if finished:
        (run / "index.ipynb").write_text("{}")
    return run


# ---------------------------------------------------------------- list_runs


def test_list_runs_only_finished_visible_runs_sorted(tmp_path):
    runs = tmp_path / "runs"
    make_run(runs, "zeta")
    make_run(runs, "Alpha")
    make_run(runs, "beta")
    make_run(runs, "unfinished", finished=False)
    make_run(runs, "_staging")
    make_run(runs, ".hidden")
    (runs / "stray-file").write_text("x")
    (runs / "index.ipynb").write_text("{}")  # a notebook in the runs folder itself is not a run
    assert [p.name for p in site.list_runs(runs)] == ["Alpha", "beta", "zeta"]


def test_list_runs_missing_or_empty_folder(tmp_path):
    assert site.list_runs(tmp_path / "nowhere") == []
    (tmp_path / "empty").mkdir()
    assert site.list_runs(tmp_path / "empty") == []


def test_list_runs_defaults_to_runs_root(isolated_runs):
    make_run(isolated_runs, "r1")
    assert site.list_runs() == [isolated_runs / "r1"]


# ---------------------------------------------------------------- project folder


def test_project_dir_is_the_repository_for_its_own_runs():
    project, tmp = site._project_dir(ROOT / "runs")
    assert project == ROOT and tmp is None


def test_project_dir_copies_sources_and_published_run_files(tmp_path):
    runs = tmp_path / "runs"
    make_run(runs, "r1")
    make_run(runs, "draft", finished=False)
    project, tmp = site._project_dir(runs)
    try:
        assert project != ROOT and tmp is not None
        for name in site.SITE_SOURCES:
            assert (project / name).exists() == (ROOT / name).exists(), name
        assert (project / "_quarto.yml").read_bytes() == (ROOT / "_quarto.yml").read_bytes()
        copied = project / "runs" / "r1"
        assert sorted(p.relative_to(copied).as_posix() for p in copied.rglob("*") if p.is_file()) == [
            "data.ipynb", "downloads/r1.zip", "figures/f.png", "index.ipynb", "provenance.json",
            "tables/articles.csv"]
        assert not (copied / "data").exists()  # internal data, corpus text included, stays out
        assert not (copied / "_freeze").exists()
        assert not (project / "runs" / "draft").exists()
        assert (runs / "r1" / "data" / "units.parquet").exists()  # the source run is untouched
    finally:
        tmp.cleanup()
    assert not project.exists()


def test_project_dir_with_no_runs_has_an_empty_runs_folder(tmp_path):
    (tmp_path / "runs").mkdir()
    project, tmp = site._project_dir(tmp_path / "runs")
    try:
        assert not (project / "runs").exists()
        assert (project / "index.qmd").exists() == (ROOT / "index.qmd").exists()
    finally:
        tmp.cleanup()


# ---------------------------------------------------------------- quarto, build guard


def test_find_quarto_prefers_this_environment(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "quarto").write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "executable", str(bindir / "python"))
    monkeypatch.setattr(site.shutil, "which", lambda name: "/elsewhere/quarto")
    assert site.find_quarto() == str(bindir / "quarto")


def test_find_quarto_falls_back_to_path(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(site.shutil, "which", lambda name: f"/usr/local/bin/{name}")
    assert site.find_quarto() == "/usr/local/bin/quarto"
    monkeypatch.setattr(site.shutil, "which", lambda name: None)
    assert site.find_quarto() is None


def test_build_site_refuses_without_a_finished_run(tmp_path):
    runs = tmp_path / "runs"
    make_run(runs, "draft", finished=False)
    out = tmp_path / "_site"
    with pytest.raises(AnalysisError, match="no finished run to publish") as err:
        site.build_site(output_dir=out, force_offline=True, runs=runs, log=lambda *_: None)
    assert str(runs) in str(err.value)
    assert not out.exists()


# ---------------------------------------------------------------- the preview folds code as Quarto does


def test_fold_code_cells_writes_the_projects_code_fold_into_each_cell(tmp_path):
    import json

    import nbformat

    (tmp_path / "_quarto.yml").write_text('format:\n  html:\n    code-fold: true\n    code-summary: "Show the code"\n')
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("text"),
                                         nbformat.v4.new_code_cell("#| code-fold: false\ny = 2")])
    path = tmp_path / "runs" / "r" / "01.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    assert site.fold_code_cells(tmp_path) == 1
    cells = json.loads(path.read_text())["cells"]
    assert "".join(cells[0]["source"]).startswith('#| code-fold: true\n#| code-summary: "Show the code"\nx = 1')
    assert "".join(cells[2]["source"]).startswith("#| code-fold: false")  # a cell's own choice stands
    (tmp_path / "_quarto.yml").write_text("format:\n  html:\n    toc: true\n")
    assert site.fold_code_cells(tmp_path) == 0


def test_the_repositorys_quarto_options_keep_the_site_offline():
    import yaml

    html = yaml.safe_load((ROOT / "_quarto.yml").read_text())["format"]["html"]
    assert html["html-math-method"] in ("mathml", "plain")  # MathJax (the default) comes from a CDN
    assert html["code-fold"] is True and html["html-table-processing"] == "none"


# ---------------------------------------------------------------- nothing from the internet


def test_remote_assets_lists_scripts_styles_fonts_not_links(tmp_path):
    (tmp_path / "a.html").write_text(
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/x.css"><a href="https://example.org/paper">paper</a>'
        '<script src="site_libs/local.js"></script>')
    (tmp_path / "b.css").write_text('@import url("https://fonts.example.org/f.css"); p { background: url(img/x.png) }')
    found = site.remote_assets(tmp_path)
    assert found == ["a.html: https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js",
                     "a.html: //fonts.example.org/x.css", "b.css: https://fonts.example.org/f.css"]
    with pytest.raises(AnalysisError, match="3 remote assets, first a.html: https://cdnjs"):
        site.check_offline(tmp_path)
    (tmp_path / "a.html").write_text('<a href="https://example.org">a link is not a load</a>')
    (tmp_path / "b.css").write_text("p { color: red }")
    site.check_offline(tmp_path)


# ---------------------------------------------------------------- executed notebooks, ready to publish


def _executed_notebook():
    import nbformat

    params = nbformat.v4.new_code_cell('corpus: str = "x"', metadata={"tags": ["parameters"]})
    injected = nbformat.v4.new_code_cell('# Parameters\ncorpus = "/home/someone/news.csv"\n',
                                         metadata={"tags": ["injected-parameters"]})
    table = nbformat.v4.new_code_cell("HTML(t)", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/html": "<table><tr><td>```</td></tr></table>", "text/plain": "<HTML>"},
        execution_count=1)])
    widget = nbformat.v4.new_code_cell("w", outputs=[nbformat.v4.new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "w"})])
    nb = nbformat.v4.new_notebook(cells=[params, injected, table, widget])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    nb.metadata["papermill"] = {"input_path": str(ROOT / "notebooks" / "01-build-corpus.ipynb"),
                                "output_path": "/tmp/staging/r/01-build-corpus.ipynb", "cwd": "/tmp/staging/r"}
    return nb


def test_executed_notebooks_hold_no_output_that_makes_quarto_load_a_cdn(tmp_path):
    import json

    import nbformat

    from analysis import runner

    path = tmp_path / "01-build-corpus.ipynb"
    nbformat.write(_executed_notebook(), path)
    runner._prepare_for_site(path, "01-build-corpus", "r", {"corpus": "/home/someone/news.csv", "seed": 1})
    text = path.read_text()
    nb = json.loads(text)
    mimes = {m for c in nb["cells"] for o in c.get("outputs", []) for m in o.get("data", {})}
    assert not mimes & {"text/html", "application/javascript", "application/vnd.jupyter.widget-view+json"}
    table = "".join(nb["cells"][3]["outputs"][0]["data"]["text/markdown"])
    assert table.startswith("````{=html}\n<table>") and table.rstrip().endswith("````")  # longer than any ``` inside
    assert "widgets" not in nb["metadata"]
    tags = [c["metadata"].get("tags", []) for c in nb["cells"]]
    assert "remove-cell" in tags[0] and "remove-cell" in tags[1]  # papermill's cells: hidden from readers
    note = "".join(nb["cells"][2]["source"])
    assert "Parameters of this notebook as run" in note and "news.csv" in note
    assert "/home/someone" not in text and str(ROOT) not in text and "/tmp/staging" not in text
    assert nb["metadata"]["papermill"]["input_path"] == "notebooks/01-build-corpus.ipynb"


def test_report_pages_get_no_parameter_note(tmp_path):
    import json

    import nbformat

    from analysis import runner

    path = tmp_path / "data.ipynb"
    nbformat.write(_executed_notebook(), path)
    runner._prepare_for_site(path, "data", "r", {"run_name": "r"})
    assert "Parameters of this notebook" not in path.read_text()
    assert len(json.loads(path.read_text())["cells"]) == 4


# ---------------------------------------------------------------- the review view on the site only when allowed


@pytest.mark.parametrize("allowed", [True, False])
def test_review_view_is_published_only_for_a_corpus_whose_card_allows_it(tmp_path, allowed):
    import json

    from conftest import put_table

    from analysis.registry import RunPaths

    runs = tmp_path / "runs"
    run = make_run(runs, "r")
    paths = RunPaths(run)
    put_table(paths, "units", {"unit_id": ["a-p000"], "article_id": ["a"], "position": [0], "text": ["Teks."]})
    paths.provenance.write_text(json.dumps({"corpus": {"card": {"publish_review": allowed}}}))
    out = tmp_path / "_site"
    site._publish_reviews(runs, out, log=lambda *_: None)
    assert (out / "runs" / "r" / "review" / "a.html").exists() == allowed
