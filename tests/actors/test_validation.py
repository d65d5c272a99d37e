"""The speaker coding: sheet export (XLSX with drop-downs, CSV), strict import, precision and recall."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import actors
from analysis.actors import validation as V
from analysis.errors import AnalysisError

LISTS = actors.code_lists(actors.load_attribution())
UNITS = pd.DataFrame({"unit_id": ["a-p000", "a-p001", "b-p000"], "article_id": ["a", "a", "b"], "position": [0, 1, 0],
                      "text": ["“Kerja sama ini rapuh sekali,” kata Rina Wulandari, peneliti di Lowy Institute.",
                               "Harga gandum naik.", "Para pengamat menilai langkah itu keliru."]})
ARTICLES = pd.DataFrame({"article_id": ["a", "b"], "sha256": ["x" * 64, "y" * 64], "title": ["A", "B"]})


def filled(frame: pd.DataFrame) -> pd.DataFrame:
    f = frame.copy()
    f.loc[0, ["speaker", "excerpt", "kind", "source_type", "origin", "identity"]] = [
        "Rina Wulandari", "Kerja sama ini rapuh", "direct", "think_tank", "other", "named"]
    f.loc[2, ["speaker", "excerpt", "kind", "source_type", "origin", "identity"]] = [
        "para pengamat", "langkah itu keliru", "indirect", "analyst_expert", "unknown", "unnamed"]
    return f


def test_sheet_round_trip_xlsx_and_csv(tmp_path):
    from openpyxl import load_workbook

    frame = V.speaker_sheet_frame(UNITS, ARTICLES, coder="ana")
    assert frame["sheet_id"].nunique() == 1 and len(frame) == 3
    xlsx, csv_path = V.write_speaker_sheet(filled(frame), tmp_path, "ana", LISTS, guide="rules")
    ws = load_workbook(xlsx)["coding"]
    formulas = sorted(dv.formula1 for dv in ws.data_validations.dataValidation)
    assert len(formulas) == 4  # kind, source_type, origin, identity have drop-downs
    assert '"direct,indirect,continuation"' in formulas
    sid = frame["sheet_id"].iloc[0]
    for path in (xlsx, csv_path):
        got = V.read_speaker_sheet(path, units=UNITS, sid=sid, lists=LISTS)
        assert got[["unit_id", "speaker", "source_type"]].values.tolist() == [
            ["a-p000", "Rina Wulandari", "think_tank"], ["b-p000", "para pengamat", "analyst_expert"]]
    target = V.import_speaker_sheet(csv_path, tmp_path / "set" / "speakers", units=UNITS, sid=sid, lists=LISTS)
    assert target.name == "ana.csv"
    with pytest.raises(AnalysisError, match="was imported before"):
        V.import_speaker_sheet(csv_path, tmp_path / "set" / "speakers", units=UNITS, sid=sid, lists=LISTS)


def _write(path, frame):
    frame.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return path


def test_a_sheet_for_another_run_is_refused_naming_file_and_row(tmp_path):
    frame = filled(V.speaker_sheet_frame(UNITS, ARTICLES, coder="ana"))
    path = _write(tmp_path / "s.csv", frame)
    other = V.speaker_sheet_id(ARTICLES.assign(sha256="z" * 64), UNITS["unit_id"])
    with pytest.raises(AnalysisError, match=r"s\.csv, row 2: sheet id .* a speaker sheet for another run"):
        V.read_speaker_sheet(path, units=UNITS, sid=other, lists=LISTS)


@pytest.mark.parametrize("column, value, message", [
    ("source_type", "pundit", r"row 2: source_type is 'pundit', not one of"),
    ("kind", "quote", r"row 2: kind is 'quote', not one of direct, indirect, continuation"),
    ("excerpt", "kata yang tidak ada", r"row 2: excerpt 'kata yang tidak ada' is not in the unit's text"),
    ("unit_id", "z-p009", r"row 2: unknown unit 'z-p009'"),
])
def test_bad_values_are_refused_naming_file_and_row(tmp_path, column, value, message):
    frame = filled(V.speaker_sheet_frame(UNITS, ARTICLES, coder="ana"))
    frame.loc[0, column] = value
    path = _write(tmp_path / "bad.csv", frame)
    with pytest.raises(AnalysisError, match=r"bad\.csv, " + message):
        V.read_speaker_sheet(path, units=UNITS, sid=frame["sheet_id"].iloc[0], lists=LISTS)


def test_a_dropped_unit_row_is_refused(tmp_path):
    frame = filled(V.speaker_sheet_frame(UNITS, ARTICLES, coder="ana")).drop(index=1)
    path = _write(tmp_path / "s.csv", frame)
    with pytest.raises(AnalysisError, match=r"1 unit\(s\) of the sheet are missing, e\.g\. 'a-p001'"):
        V.read_speaker_sheet(path, units=UNITS, sid=frame["sheet_id"].iloc[0], lists=LISTS)


def _machine():
    return actors.attribute_statements(UNITS, actors.compile_lexicon("id"), actors.load_gazetteer())


def _gold(rows):
    return pd.DataFrame(rows, columns=["coder", "article_id", "unit_id", *V.CODE_COLUMNS])


def test_precision_and_recall_count_matches_types_and_misses():
    gold = _gold([
        ("c", "a", "a-p000", "Rina Wulandari", "Kerja sama ini rapuh", "direct", "think_tank", "other", "named", "", ""),
        ("c", "b", "b-p000", "para pengamat", "langkah itu keliru", "indirect", "analyst_expert", "unknown", "unnamed", "", ""),
        ("c", "a", "a-p001", "Badan Pusat Statistik", "Harga gandum naik", "indirect", "government", "indonesia", "named", "", ""),
    ])
    scores, mismatches = V.score_attribution(gold, _machine(), UNITS, stop={"para"}, n_bootstrap=50, seed=1)
    s = scores.set_index("item")
    assert (s.loc["speaker", "n_gold"], s.loc["speaker", "n_machine"], s.loc["speaker", "tp"]) == (3, 2, 2)
    assert s.loc["speaker", "precision"] == 1.0 and s.loc["speaker", "recall"] == pytest.approx(2 / 3)
    assert s.loc["speaker + type", "tp"] == 2 and s.loc["speaker + origin", "tp"] == 2
    assert mismatches["problem"].tolist() == ["missed by the machine"]


def test_units_are_found_again_by_the_excerpt_when_segmentation_changed():
    gold = _gold([("c", "a", "a-p007", "Rina Wulandari", "Kerja sama ini rapuh", "direct", "think_tank", "other",
                   "named", "", "")])
    placed = V.place_coding(gold, UNITS)
    assert placed[["unit_id", "at"]].values.tolist() == [["a-p000", 1]]


def test_the_shipped_example_is_labelled_as_produced_by_ai():
    folder = V.resolve_speaker_coding("auto", "ru-alliances-id")
    gold, info = V.load_speaker_coding(folder, LISTS)
    assert info["example"] is True and "AI" in info["produced_by"] and "no human" in info["produced_by"]
    assert len(gold) >= 50 and set(gold["article_id"].str[:3]) == {"000", "001", "002", "003", "004"}
    status, note = actors.attribution_status(pd.DataFrame([{"status": "example", "precision": .9, "recall": .9,
                                                             "n_gold": 61, "holds": True}]))
    # An AI example coding is in-sample agreement, never a validation, however high its numbers.
    assert status == "not validated" and note.startswith("not validated") and "AI coding, not people" in note
    text = actors.describe_check(pd.DataFrame(columns=["item"]), pd.DataFrame([{
        "status": "example", "produced_by": info["produced_by"], "coding_set": folder, "n_gold": 61,
        "n_articles": 5, "holds": True}]))
    assert "not a validation" in text and "the rules' author" in text and "meet" not in text


def test_the_command_line_writes_a_sheet_and_imports_it(isolated_runs, tmp_path, monkeypatch, capsys):
    from analysis.__main__ import main
    from analysis.actors import tools
    from analysis.registry import RunPaths

    paths = RunPaths(isolated_runs / "demo").create()
    UNITS.to_parquet(paths.file("units"), index=False)
    ARTICLES.to_parquet(paths.file("articles"), index=False)
    assert main(["speaker-sheet", "--run", "demo", "--coder", "ana"]) == 0
    sheet = paths.file("coding_sheets") / "speakers-ana.csv"
    assert sheet.is_file() and (paths.file("coding_sheets") / "speakers-ana.xlsx").is_file()
    frame = filled(pd.read_csv(sheet, dtype=str, keep_default_na=False))
    _write(sheet, frame)
    monkeypatch.setattr(tools, "DATA_CODING", tmp_path / "coding")
    assert main(["import-speakers", str(sheet), "--run", "demo", "--set", "study"]) == 0
    assert (tmp_path / "coding" / "study" / "speakers" / "coders" / "ana.csv").is_file()
    frame.loc[:, "sheet_id"] = "0" * 12
    _write(sheet, frame)
    assert main(["import-speakers", str(sheet), "--run", "demo", "--set", "other"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("error: ") and "speakers-ana.csv, row 2: sheet id '000000000000'" in err
