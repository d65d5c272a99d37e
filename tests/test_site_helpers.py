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
