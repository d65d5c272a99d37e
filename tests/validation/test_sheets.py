"""Coding sheets: XLSX and CSV out, strict import back, never overwriting."""

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import AnalysisError
from analysis.validation import sheets

ITEMS = ["conflict_q1", "conflict"]
UNITS = {"u1", "u2"}


@pytest.fixture
def frame():
    sample = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "b"], "outlet": ["X", "Y"],
                           "headline": ["Judul A", "Judul B"], "unit_type": ["paragraph", "headline"],
                           "text": ["Teks satu <b>", "Teks dua"]})
    return sheets.sheet_frame(sample, ITEMS, coder="ana", sid="abc123")


def fill(frame, values):
    out = frame.copy()
    for item, col in zip(ITEMS, zip(*values)):
        out[item] = list(col)
    return out


def test_xlsx_has_dropdowns_frozen_header_and_guide(tmp_path, frame):
    from openpyxl import load_workbook

    p = sheets.write_xlsx(frame, ITEMS, tmp_path / "ana.xlsx", guide="# Guide\nCode 1 or 0.")
    wb = load_workbook(p)
    ws = wb["coding"]
    assert [c.value for c in ws[1]][:3] == ["sheet_id", "coder", "unit_id"]
    assert ws.freeze_panes == "I2"
    (dv,) = ws.data_validations.dataValidation
    assert dv.formula1 == '"0,1"' and str(dv.sqref) == "I2:J3"
    assert wb["guide"]["A1"].value == "# Guide"


def test_filled_xlsx_and_csv_read_back(tmp_path, frame):
    from openpyxl import load_workbook

    p = sheets.write_xlsx(frame, ITEMS, tmp_path / "ana.xlsx")
    wb = load_workbook(p)
    ws = wb["coding"]
    for r, vals in ((2, (1, 0)), (3, (0.0, "1"))):
        ws.cell(r, 9).value, ws.cell(r, 10).value = vals
    wb.save(p)
    codes = sheets.read_sheet(p, items=ITEMS, valid_units=UNITS, sid="abc123")
    assert codes["value"].tolist() == [1, 0, 0, 1]
    csv = sheets.write_csv(fill(frame, [(1, 0), (0, 1)]), tmp_path / "ana.csv")
    assert sheets.read_sheet(csv, items=ITEMS, valid_units=UNITS, sid="abc123").equals(codes)


@pytest.mark.parametrize("change, message", [
    (lambda f: f.iloc[:0], "empty sheet"),
    (lambda f: f.assign(unit_id=["u1", "zz"]), "row 3: unknown unit 'zz'"),
    (lambda f: f.assign(unit_id=["u1", "u1"]), "row 3: unit 'u1' appears twice"),
    (lambda f: f.assign(conflict=[1, 2]), "row 3: conflict is '2', not 0 or 1"),
    (lambda f: f.assign(conflict=[1, ""]), "row 3: conflict is not coded"),
    (lambda f: f.assign(sheet_id="other1"), "row 2: sheet id 'other1' is not this run's"),
    (lambda f: f.drop(columns="conflict"), "row 1: lacks column(s) conflict"),
])
def test_bad_sheets_are_refused_in_one_line(tmp_path, frame, change, message):
    bad = change(fill(frame, [(1, 0), (0, 1)]))
    path = tmp_path / "bad.csv"
    if len(bad):
        sheets.write_csv(bad, path)
    else:
        path.write_text(",".join(bad.columns) + "\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as err:
        sheets.read_sheet(path, items=ITEMS, valid_units=UNITS, sid="abc123")
    text = str(err.value)
    assert message in text and text.startswith(str(path)) and "\n" not in text


def test_a_broken_xlsx_is_refused(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"not a zip")
    with pytest.raises(AnalysisError, match="x.xlsx: not a readable XLSX workbook"):
        sheets.read_sheet(p, items=ITEMS, valid_units=UNITS, sid=None)


def test_import_never_overwrites(tmp_path, frame):
    src = sheets.write_csv(fill(frame, [(1, 0), (0, 1)]), tmp_path / "ana.csv")
    out = sheets.import_sheet(src, tmp_path / "coding", items=ITEMS, valid_units=UNITS, sid="abc123")
    assert out.name == "ana.csv"
    before = out.read_bytes()
    with pytest.raises(AnalysisError, match="imported before"):
        sheets.import_sheet(src, tmp_path / "coding", items=ITEMS, valid_units=UNITS, sid="abc123")
    assert out.read_bytes() == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc) is not installed")
def test_xlsx_round_trips_through_libreoffice(tmp_path, frame):
    from openpyxl import load_workbook

    p = sheets.write_xlsx(frame, ITEMS, tmp_path / "ana.xlsx")
    wb = load_workbook(p)
    ws = wb["coding"]
    ws["I2"], ws["J2"], ws["I3"], ws["J3"] = 1, 0, 0, 1
    wb.save(p)
    subprocess.run(["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path / "lo"), str(p)],
                   check=True, capture_output=True, timeout=120)
    codes = sheets.read_sheet(tmp_path / "lo" / "ana.csv", items=ITEMS, valid_units=UNITS, sid="abc123")
    assert codes["value"].tolist() == [1, 0, 0, 1]
