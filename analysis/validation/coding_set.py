"""A coding set: the coders' independent codes and the adjudicated codes, as stored under ``data/coding/<set>/``.

Layout of a set folder::

    README.md          front matter: who coded (example: true for a set no human produced), date, codebook
    coders/<name>.csv  one file per coder or coding pass: unit_id, coder, one column per codebook item
    adjudicated.csv    the codes after the coders' disagreements were resolved (the gold standard)

A folder with CSV files but no ``coders/`` is read as coders only (the
older layout); without ``adjudicated.csv`` the gold standard is the coders'
majority, and a unit on which they split evenly has none.

Rules kept here:

* Values are 0, 1 or empty (not coded). Anything else, a unit coded twice by
  one coder, or a missing column is refused in one line naming file and row.
* A coded unit must still be the unit the run has: when the file carries a
  ``text_sha`` column, a unit whose text has changed since it was coded is
  left out and counted, never silently re-used; so is a unit the run does not
  have (e.g. after a change of segmentation). The count is reported, with
  the ids of the rows left out.
* A row is matched by ``unit_id`` when the run's unit of that id has the
  coded text; else by its article and ``text_sha`` (the same text in the same
  article is the same unit), so a renumbering (a headline becoming unit 0)
  keeps every code whose text is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..files import read_csv_rows
from .codes import ALLOWED_VALUES, coding_items, find_coding_sheets, human_majority, read_coding_set_info
from .embeddings import text_key

ADJUDICATED = "adjudicated.csv"


@dataclass
class CodingSet:
    """The codes of one coding set, matched to a run's units."""

    name: str
    info: dict
    coders: pd.DataFrame  # long: coder, unit_id, item, value
    gold: pd.DataFrame  # wide: unit_id index, one 0/1 column per item (NaN: no gold value)
    gold_source: str  # "adjudicated" or "majority" or ""
    dropped: dict = field(default_factory=dict)  # reason (with the ids left out) -> number of coded rows left out

    @property
    def empty(self) -> bool:
        return self.coders.empty and self.gold.empty


# How many row ids a reason for leaving rows out names before "…".
_SHOWN_IDS = 3


class _UnitIndex:
    """The run's units by id and by (article, text sha), for matching coded rows."""

    def __init__(self, units: pd.DataFrame):
        self.sha = dict(zip(units["unit_id"], (text_key(t) for t in units["text"])))
        articles = units["article_id"] if "article_id" in units else units["unit_id"].str.rsplit("-", n=1).str[0]
        by_text: dict[tuple[str, str], list[str]] = {}
        for unit, article in zip(units["unit_id"], articles):
            by_text.setdefault((article, self.sha[unit]), []).append(unit)
        self.by_text = {k: v[0] for k, v in by_text.items() if len(v) == 1}  # ambiguous texts are not matched

    def match(self, row: dict) -> tuple[str | None, str]:
        """The run's unit id for a coded row, or None with the reason it is left out."""
        unit, sha = row["unit_id"], row.get("text_sha") or ""
        if unit in self.sha and (not sha or sha == self.sha[unit]):
            return unit, ""
        if sha:
            article = row.get("article_id") or unit.rsplit("-", 1)[0]
            found = self.by_text.get((article, sha))
            if found is not None:
                return found, ""
            return None, "unit text changed since coding" if unit in self.sha else "not a unit of this run"
        return None, "not a unit of this run"


def _count_dropped(dropped: dict, reason: str, unit: str) -> None:
    dropped.setdefault(reason, []).append(unit)


def _dropped_counts(dropped: dict) -> dict:
    """``{reason with the ids left out: number of rows}``, the ids shortened after :data:`_SHOWN_IDS`."""
    out = {}
    for reason, ids in dropped.items():
        names = list(dict.fromkeys(ids))
        shown = ", ".join(names[:_SHOWN_IDS]) + (f" and {len(names) - _SHOWN_IDS} more" if len(names) > _SHOWN_IDS else "")
        out[f"{reason} ({shown})"] = len(ids)
    return out


def _read_codes(path: Path, items: list[str], index: _UnitIndex, dropped: dict, coder: str | None = None):
    header, rows = read_csv_rows(path, what="coding sheet", required=("unit_id", *items))
    if coder is None and "coder" not in header:
        raise AnalysisError("coding sheet lacks column(s) coder", path=path, row=1)
    records, seen = [], set()
    for n, row in rows:
        who = coder or row["coder"]
        if not who:
            raise AnalysisError("no coder name", path=path, row=n)
        for item in items:
            if row[item] not in ALLOWED_VALUES and row[item] != "":
                raise AnalysisError(f"{item} is {row[item]!r}, not 0, 1 or empty", path=path, row=n)
        unit, reason = index.match(row)
        if unit is None:
            _count_dropped(dropped, reason, row["unit_id"])
            continue
        if (who, unit) in seen:
            raise AnalysisError(f"coder {who!r} coded unit {unit!r} twice", path=path, row=n)
        seen.add((who, unit))
        records += [(who, unit, item, ALLOWED_VALUES[row[item]]) for item in items if row[item] != ""]
    return records


def load_coding_set(name: str, codebook, units: pd.DataFrame, folder: Path | None = None) -> CodingSet:
    """Read coding set ``name`` (a folder under ``data/coding/``) against the run's ``units``."""
    items = coding_items(codebook)["item"].tolist()
    empty = pd.DataFrame(columns=["coder", "unit_id", "item", "value"])
    if not name:
        return CodingSet("", {}, empty, pd.DataFrame(columns=items), "")
    sheets = find_coding_sheets(name) if folder is None else sorted(folder.glob("*.csv"))
    base = sheets[0].parent if folder is None else folder
    coder_files = sorted((base / "coders").glob("*.csv")) if (base / "coders").is_dir() else \
        [s for s in sheets if s.name != ADJUDICATED]
    dropped: dict = {}
    index = _UnitIndex(units)
    records = [r for f in coder_files for r in _read_codes(f, items, index, dropped)]
    coders = pd.DataFrame(records, columns=["coder", "unit_id", "item", "value"]).astype({"value": "int64"})
    gold_file = base / ADJUDICATED
    if gold_file.is_file():
        gold_long = pd.DataFrame(_read_codes(gold_file, items, index, {}, coder="adjudicated"),
                                 columns=["coder", "unit_id", "item", "value"])
        source = "adjudicated"
    else:
        maj = human_majority(coders) if not coders.empty else pd.DataFrame(columns=["unit_id", "item", "value"])
        gold_long, source = maj.dropna(subset=["value"]), "majority" if not coders.empty else ""
    gold = (gold_long.pivot(index="unit_id", columns="item", values="value").reindex(columns=items).astype(float)
            if not gold_long.empty else pd.DataFrame(columns=items))
    return CodingSet(name, read_coding_set_info(name) if folder is None else {}, coders, gold, source,
                     _dropped_counts(dropped))


def gold_frames(coding: CodingSet, frame_ids: list[str], units: pd.DataFrame) -> pd.DataFrame:
    """The gold frame codes of the coded units, in the run's unit order (units with every frame coded)."""
    if coding.gold.empty:
        return pd.DataFrame(columns=frame_ids)
    g = coding.gold.reindex(columns=frame_ids)
    g = g[g.notna().all(axis=1)]
    order = [u for u in units["unit_id"] if u in g.index]
    return g.loc[order].astype(np.int64)
