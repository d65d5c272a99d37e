"""Coding sheets for people: written as XLSX and CSV, read back strictly.

A sheet has one row per unit and one column per codebook item (each
question, then each frame), to be filled with 0 (no) or 1 (yes). Beside
the unit's text it shows its article's headline and outlet, so a coder reads
a paragraph where it stands. The XLSX has a 0/1 drop-down on every item
cell, a frozen header and wrapped text; the CSV holds the same columns for
coders who prefer another tool.

Rules kept here:

* Every row carries the sheet's id: a digest of the corpus, the codebook
  version and the sampled units. A sheet filled for another run or codebook is
  refused, not silently merged.
* Reading is strict, and every refusal is one line naming the file and the
  spreadsheet row (the header is row 1): an empty sheet, an unknown unit, a
  unit twice, a value other than 0 or 1, an item left empty, a sheet from
  another run.
* An import never overwrites an earlier one: a coder's codes are kept under
  the coder's name, and a second sheet for the same name is refused.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from ..errors import AnalysisError
from .codes import ALLOWED_VALUES as VALUES  # a spreadsheet may turn 1 into 1.0

FIXED = ("sheet_id", "coder", "unit_id", "article_id", "outlet", "headline", "unit_type", "text")


def sheet_id(corpus_digest: str, codebook_version: str, unit_ids) -> str:
    """The id every row of a sheet carries: 12 hex digits of the corpus, the codebook and the sampled units.

    Two runs of the same corpus, codebook and seed draw the same sample and give the same id (a run's name
    is not part of it); another sample, corpus or codebook gives another.

    >>> len(sheet_id("abc", "1.0", ["u1", "u2"]))
    12
    """
    text = "\n".join([corpus_digest, codebook_version, *sorted(map(str, unit_ids))])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def sheet_frame(sample: pd.DataFrame, items: list[str], *, coder: str, sid: str) -> pd.DataFrame:
    """The rows of one coder's sheet: the fixed columns, then an empty column per item.

    ``sample`` holds ``unit_id``, ``article_id``, ``outlet``, ``headline``,
    ``unit_type`` and ``text``.
    """
    out = sample[["unit_id", "article_id", "outlet", "headline", "unit_type", "text"]].copy()
    out.insert(0, "coder", coder)
    out.insert(0, "sheet_id", sid)
    for item in items:
        out[item] = ""
    return out.reset_index(drop=True)


def write_xlsx(frame: pd.DataFrame, items: list[str], path: Path, *, guide: str = "") -> Path:
    """Write a coding sheet as XLSX: 0/1 drop-downs, frozen header and ids, wrapped text, a guide sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "coding"
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if v == "" else v for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = {"sheet_id": 14, "coder": 10, "unit_id": 26, "article_id": 22, "outlet": 16, "headline": 36,
              "unit_type": 11, "text": 80}
    for j, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(name, max(6, min(24, len(name) + 2)))
    text_col = list(frame.columns).index("text") + 1
    headline_col = list(frame.columns).index("headline") + 1
    for r in range(2, len(frame) + 2):
        for c in (text_col, headline_col):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    first_item = len(frame.columns) - len(items) + 1
    if items and len(frame):
        dv = DataValidation(type="list", formula1='"0,1"', allow_blank=True, showErrorMessage=True,
                            errorTitle="0 or 1", error="Code 1 (yes) or 0 (no).")
        dv.add(f"{get_column_letter(first_item)}2:{get_column_letter(len(frame.columns))}{len(frame) + 1}")
        ws.add_data_validation(dv)
    # Header and the unit's text stay in view while a coder scrolls right through the items.
    ws.freeze_panes = ws.cell(2, text_col + 1)
    return save_workbook(wb, path, guide=guide)


def save_workbook(wb, path: Path, *, guide: str = "", guide_width: int = 120) -> Path:
    """Add the guide as a sheet of its own (when given) and save ``wb`` to ``path`` atomically.

    Every sheet a coder fills (frames, speakers, intrusion tasks) is saved this
    way, so a half-written file never replaces a good one.
    """
    if guide:
        g = wb.create_sheet("guide")
        for line in guide.splitlines():
            g.append([line])
        g.column_dimensions["A"].width = guide_width
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a coding sheet as CSV (UTF-8, ``\\n``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def xlsx_rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a zip, not a workbook, corrupt: openpyxl raises several types
        raise AnalysisError(f"not a readable XLSX workbook ({type(exc).__name__})", path=path) from None
    ws = wb["coding"] if "coding" in wb.sheetnames else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        raise AnalysisError("empty sheet", path=path)
    header = [str(h).strip() if h is not None else "" for h in rows[0]]

    def cell(v):
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    return header, [(n, dict(zip(header, map(cell, r)))) for n, r in enumerate(rows[1:], start=2)]


def read_sheet(path: Path, *, items: list[str], valid_units: set[str], sid: str | None) -> pd.DataFrame:
    """Read a filled sheet (XLSX or CSV) into long codes ``coder, unit_id, item, value``; refuse bad ones.

    ``sid`` is the sheet id this run expects (None accepts any).
    """
    from ..files import read_csv_rows

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        header, rows = xlsx_rows(path)
    elif path.suffix.lower() == ".csv":
        header, rows = read_csv_rows(path, what="coding sheet")
    else:
        raise AnalysisError("a coding sheet must be .xlsx or .csv", path=path)
    missing = [c for c in ("sheet_id", "coder", "unit_id", *items) if c not in header]
    if missing:
        raise AnalysisError(f"lacks column(s) {', '.join(missing)}", path=path, row=1)
    if not rows:
        raise AnalysisError("empty sheet: no unit rows", path=path)
    return pd.DataFrame(_check_rows(rows, path, items, valid_units, sid),
                        columns=["coder", "unit_id", "item", "value"])


def _check_rows(rows, path, items, valid_units, sid) -> list[tuple]:
    out, seen, coders = [], set(), set()
    for n, row in rows:
        if sid is not None and row["sheet_id"] != sid:
            raise AnalysisError(f"sheet id {row['sheet_id']!r} is not this run's ({sid}): a sheet from another run "
                                "or codebook", path=path, row=n)
        unit = row["unit_id"]
        if unit not in valid_units:
            raise AnalysisError(f"unknown unit {unit!r}", path=path, row=n)
        if unit in seen:
            raise AnalysisError(f"unit {unit!r} appears twice", path=path, row=n)
        seen.add(unit)
        coder = row["coder"]
        if not coder:
            raise AnalysisError("no coder name", path=path, row=n)
        coders.add(coder)
        for item in items:
            value = row[item]
            if value == "":
                raise AnalysisError(f"{item} is not coded (write 0 or 1)", path=path, row=n)
            if value not in VALUES:
                raise AnalysisError(f"{item} is {value!r}, not 0 or 1", path=path, row=n)
            out.append((coder, unit, item, VALUES[value]))
    if len(coders) > 1:
        raise AnalysisError(f"one sheet, one coder: found {', '.join(sorted(coders))}", path=path)
    return out


def import_sheet(path: Path, coding_dir: Path, *, items: list[str], valid_units: set[str],
                 sid: str | None) -> Path:
    """Check a filled sheet and keep its codes as ``coding_dir/<coder>.csv``; never overwrite an earlier import."""
    codes = read_sheet(path, items=items, valid_units=valid_units, sid=sid)
    coder = str(codes["coder"].iloc[0])
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in coder).strip(".-") or "coder"
    target = Path(coding_dir) / f"{safe}.csv"
    if target.exists():
        raise AnalysisError(f"coder {coder!r} was imported before ({target.name}); an import never overwrites "
                            "an earlier one: rename the coder in the sheet or remove the old file yourself", path=path)
    wide = codes.pivot(index="unit_id", columns="item", values="value").reindex(columns=items).reset_index()
    wide.insert(0, "coder", coder)
    wide.insert(0, "sheet_id", sid or "")
    target.parent.mkdir(parents=True, exist_ok=True)
    wide.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
    return target
