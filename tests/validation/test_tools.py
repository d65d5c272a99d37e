"""The coding workflow from the command line: sample, fill, import (never overwriting)."""

import pandas as pd
import pytest

from analysis import __main__ as cli
from analysis.errors import AnalysisError
from analysis.validation import tools


@pytest.fixture
def run(tmp_path, monkeypatch):
    from analysis import corpus, frames, registry
    from analysis.paths import resolve_corpus

    monkeypatch.setenv("ANALYSIS_RUNS_ROOT", str(tmp_path / "runs"))
    monkeypatch.setattr(tools, "DATA_CODING", tmp_path / "coding")
    paths = registry.run_paths("seed")
    corpus.build_corpus(resolve_corpus("ru-alliances-id"), paths)
    codes = frames.code_units(registry.read(paths, "units"), frames.load_codebook(), "id")
    registry.write(paths, "frame_codes_units", codes)
    registry.write(paths, "frames_units", frames.score_units(codes))
    return paths


def fill(path, value=1):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["coding"]
    header = [c.value for c in ws[1]]
    first = header.index("text") + 2
    for r in range(2, ws.max_row + 1):
        for c in range(first, len(header) + 1):
            ws.cell(r, c).value = value
    wb.save(path)
    return path


def test_sample_then_import_then_refuse_a_second_import(run, tmp_path, capsys):
    assert cli.main(["sample", "--run", "seed", "--coders", "ana,budi", "--size", "8", "--extra", "2"]) == 0
    out = capsys.readouterr().out
    assert "sample: 10 units (8 coded by every coder)" in out
    sheet = fill(run.file("coding_sheets") / "ana.xlsx")
    assert cli.main(["import-coding", str(sheet), "--run", "seed", "--set", "study"]) == 0
    kept = tmp_path / "coding" / "study" / "coders" / "ana.csv"
    assert len(pd.read_csv(kept)) == 9  # 8 overlap units + ana's share of the 2 extra
    assert cli.main(["import-coding", str(sheet), "--run", "seed", "--set", "study"]) == 2
    assert "imported before" in capsys.readouterr().err


def test_a_sheet_from_an_earlier_sample_is_refused(run, capsys):
    tools.sample_run("seed", coders="ana", size=5)
    old = fill(run.file("coding_sheets") / "ana.xlsx")
    moved = old.with_name("old-ana.xlsx")
    old.rename(moved)
    tools.sample_run("seed", coders="ana", size=6, seed=99)  # a new sample: a new sheet id
    with pytest.raises(AnalysisError, match="not this run's"):
        tools.import_coding(moved, run="seed", coding_set="study")


def test_sample_of_a_run_that_does_not_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUNS_ROOT", str(tmp_path))
    with pytest.raises(AnalysisError, match="has no units"):
        tools.sample_run("nope")
