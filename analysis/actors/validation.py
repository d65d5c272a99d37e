"""The speaker coding: sheets for coders, a strict import, and precision and recall of attribution.

Attribution is a measurement like frame coding, and is checked the same way
(:mod:`analysis.validation.sheets` writes and reads the sheets; this module
adds what a statement needs):

* **A sheet** has one row per unit, with its text. A coder writes, for each
  attributed statement, the speaker (resolved: "Andrei Lankov" for a
  "katanya"), the first words of what is attributed, copied from the text
  (``excerpt``, at least four words), and the kind, source type, origin and
  identity from drop-down lists. A unit with two statements gets a second row
  (copy the row); a unit with none keeps ``speaker`` empty.
* **The import** refuses, in one line naming file and row, a sheet for
  another run (its ``sheet_id``), an unknown unit, a value outside the lists,
  an excerpt not in the unit's text, a unit left out, a second coder in one
  sheet; it never overwrites an earlier import.
* **Scoring.** A coded statement is matched to a machine statement of the
  same unit whose content overlaps the excerpt and whose speaker shares a
  name word with the coded one (one to one). Precision is matched machine
  statements over all machine statements, recall matched coded statements
  over all coded ones; "speaker + type" (+ origin, + kind) count a match only
  when that code agrees too. Intervals resample articles. Units are found by
  their excerpt when the segmentation has changed since coding.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..files import read_csv_rows
from ..paths import DATA_CODING
from ..validation.codes import read_coding_set_info
from ..validation import sheets

SHEET_VERSION = "speakers-1"
CODE_COLUMNS = ("speaker", "excerpt", "kind", "source_type", "origin", "identity", "via", "note")
KINDS = ("direct", "indirect", "continuation")
IDENTITIES = ("named", "unnamed")
SCORE_COLUMNS = ["item", "n_gold", "n_machine", "n_matched", "tp", "precision", "precision_lo", "precision_hi",
                 "recall", "recall_lo", "recall_hi", "agreement"]
MISMATCH_COLUMNS = ["article_id", "unit_id", "problem", "coded_speaker", "machine_speaker", "coded", "machine"]
FOLDER = "speakers"  # under a coding set: data/coding/<set>/speakers/


# ------------------------------------------------------------------ sheets


def speaker_sheet_id(articles: pd.DataFrame, unit_ids) -> str:
    """The id every row of a speaker sheet carries: the corpus, this sheet's version and its units."""
    digest = articles["sha256"].astype(str).str.cat() if "sha256" in articles else ""
    return sheets.sheet_id(digest, SHEET_VERSION, unit_ids)


def speaker_sheet_frame(units: pd.DataFrame, articles: pd.DataFrame, *, coder: str) -> pd.DataFrame:
    """The rows of one coder's speaker sheet: ids, headline, the unit's text, then the empty code columns."""
    order = ["article_id", "position"] if "position" in units else ["article_id", "unit_id"]
    u = units.sort_values(order, kind="stable")
    titles = dict(zip(articles["article_id"], articles["title"])) if "title" in articles else {}
    out = pd.DataFrame({"sheet_id": speaker_sheet_id(articles, u["unit_id"]), "coder": coder,
                        "article_id": u["article_id"].to_numpy(), "unit_id": u["unit_id"].to_numpy(),
                        "headline": u["article_id"].map(titles).fillna("").to_numpy(),
                        "text": u["text"].fillna("").to_numpy()})
    for c in CODE_COLUMNS:
        out[c] = ""
    return out


def write_speaker_sheet(frame: pd.DataFrame, folder: Path, coder: str, lists: dict[str, list[str]],
                        guide: str = "") -> list[Path]:
    """Write the sheet as XLSX (drop-down lists on kind, source_type, origin and identity) and CSV."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    xlsx = sheets.write_xlsx(frame.assign(outlet="", unit_type="")[list(frame.columns)], [],
                             folder / f"speakers-{coder}.xlsx", guide=guide)
    wb = load_workbook(xlsx)
    ws = wb["coding"]
    last = len(frame) + 200  # room for the rows a coder adds for a second statement
    for column, values in lists.items():
        j = list(frame.columns).index(column) + 1
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle=column, error=f"One of: {', '.join(values)}.")
        dv.add(f"{get_column_letter(j)}2:{get_column_letter(j)}{last}")
        ws.add_data_validation(dv)
    wb.save(xlsx)
    return [xlsx, sheets.write_csv(frame, folder / f"speakers-{coder}.csv")]


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return sheets.xlsx_rows(path)  # the frame sheets' strict XLSX reader
    if path.suffix.lower() == ".csv":
        return read_csv_rows(path, what="speaker sheet")
    raise AnalysisError("a speaker sheet must be .xlsx or .csv", path=path)


def read_speaker_sheet(path: Path, *, units: pd.DataFrame, sid: str | None, lists: dict[str, list[str]]
                       ) -> pd.DataFrame:
    """Check a filled speaker sheet and return its statements (one row per coded statement).

    ``sid`` is the sheet id of the run (None accepts any); ``lists`` the
    allowed values of each drop-down column.
    """
    header, rows = _rows(path)
    missing = [c for c in ("sheet_id", "coder", "unit_id", *CODE_COLUMNS[:6]) if c not in header]
    if missing:
        raise AnalysisError(f"lacks column(s) {', '.join(missing)}", path=path, row=1)
    if not rows:
        raise AnalysisError("empty sheet: no unit rows", path=path)
    texts = dict(zip(units["unit_id"], units["text"].fillna("").astype(str)))
    article = dict(zip(units["unit_id"], units["article_id"]))
    out, coders, seen = [], set(), set()
    for n, row in rows:
        if sid is not None and row["sheet_id"] != sid:
            raise AnalysisError(f"sheet id {row['sheet_id']!r} is not this run's ({sid}): a speaker sheet for "
                                "another run", path=path, row=n)
        unit = row["unit_id"]
        if unit not in texts:
            raise AnalysisError(f"unknown unit {unit!r}", path=path, row=n)
        if not row["coder"]:
            raise AnalysisError("no coder name", path=path, row=n)
        coders.add(row["coder"])
        seen.add(unit)
        if not row.get("speaker", "").strip():
            continue
        _check_codes(row, path, n, lists, texts[unit])
        out.append({"coder": row["coder"], "article_id": article[unit], "unit_id": unit,
                    **{c: row.get(c, "").strip() for c in CODE_COLUMNS}})
    if len(coders) > 1:
        raise AnalysisError(f"one sheet, one coder: found {', '.join(sorted(coders))}", path=path)
    left = [u for u in units["unit_id"] if u not in seen]
    if sid is not None and left:
        raise AnalysisError(f"{len(left)} unit(s) of the sheet are missing, e.g. {left[0]!r} (keep every row; leave "
                            "speaker empty where no one speaks)", path=path)
    return pd.DataFrame(out, columns=["coder", "article_id", "unit_id", *CODE_COLUMNS])


def _check_codes(row: dict, path: Path, n: int, lists: dict, text: str) -> None:
    for column, values in lists.items():
        value = row.get(column, "").strip()
        if value not in values:
            raise AnalysisError(f"{column} is {value!r}, not one of {', '.join(values)}", path=path, row=n)
    excerpt = row.get("excerpt", "").strip()
    if len(re.findall(r"\w+", excerpt)) < 2:
        raise AnalysisError("excerpt must copy the first words of the statement (at least two words)", path=path, row=n)
    if _locate(excerpt, text) < 0:
        raise AnalysisError(f"excerpt {excerpt[:40]!r} is not in the unit's text", path=path, row=n)


def import_speaker_sheet(path: Path, target: Path, *, units: pd.DataFrame, sid: str | None,
                         lists: dict[str, list[str]]) -> Path:
    """Check a filled sheet and keep it as ``target/coders/<coder>.csv``; never overwrite an earlier import."""
    codes = read_speaker_sheet(path, units=units, sid=sid, lists=lists)
    if codes.empty:
        raise AnalysisError("no statement is coded in the sheet", path=path)
    coder = str(codes["coder"].iloc[0])
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in coder).strip(".-") or "coder"
    out = Path(target) / "coders" / f"{safe}.csv"
    if out.exists():
        raise AnalysisError(f"coder {coder!r} was imported before ({out.name}); an import never overwrites an "
                            "earlier one", path=path)
    out.parent.mkdir(parents=True, exist_ok=True)
    codes.insert(0, "sheet_id", sid or "")
    codes.to_csv(out, index=False, lineterminator="\n", encoding="utf-8")
    return out


# ------------------------------------------------------------------ the coding set


def resolve_speaker_coding(setting: str, corpus: str) -> str:
    """The speaker coding a run uses, as a folder under ``data/coding/`` ("" for none).

    ``auto`` takes ``<corpus>/speakers`` when that folder holds coded
    statements; a name is a coding set, whose ``speakers/`` folder is read.

    >>> resolve_speaker_coding("auto", "no-such-corpus"), resolve_speaker_coding("", "x")
    ('', '')
    >>> resolve_speaker_coding("mine", "x")
    'mine/speakers'
    """
    if not setting:
        return ""
    if setting == "auto":
        folder = DATA_CODING / corpus / FOLDER if corpus and "/" not in corpus else None
        return f"{corpus}/{FOLDER}" if folder is not None and list(folder.glob("**/*.csv")) else ""
    if not re.fullmatch(r"[\w.\-]+", setting) or setting.startswith("."):
        raise AnalysisError(f"parameter speaker_coding={setting!r} is not a folder name under data/coding/")
    return f"{setting}/{FOLDER}"


def load_speaker_coding(folder: str, lists: dict[str, list[str]]) -> tuple[pd.DataFrame, dict]:
    """The coded statements a run is scored against, and the set's front matter (who coded).

    ``adjudicated.csv`` when there is one, else the one coder's file; several
    coders and no adjudication are refused (say which codes are the reference).
    """
    if not folder:
        return pd.DataFrame(columns=["coder", "article_id", "unit_id", *CODE_COLUMNS]), {}
    root = DATA_CODING / folder
    files = [root / "adjudicated.csv"] if (root / "adjudicated.csv").is_file() else sorted((root / "coders").glob("*.csv"))
    if not files:
        raise AnalysisError("no coded statements (coders/*.csv or adjudicated.csv)", path=root)
    if len(files) > 1:
        raise AnalysisError(f"{len(files)} coders and no adjudicated.csv: write the adjudicated statements first",
                            path=root)
    header, rows = read_csv_rows(files[0], what="speaker coding", required=("article_id", "unit_id", *CODE_COLUMNS[:6]))
    out = []
    for n, row in rows:
        if not row["speaker"].strip():
            continue
        for column, values in lists.items():
            if row[column].strip() not in values:
                raise AnalysisError(f"{column} is {row[column]!r}, not one of {', '.join(values)}", path=files[0], row=n)
        out.append({"coder": row.get("coder", ""), "article_id": row["article_id"], "unit_id": row["unit_id"],
                    **{c: row.get(c, "").strip() for c in CODE_COLUMNS}, "row": n})
    info = read_coding_set_info(folder)
    info.setdefault("file", files[0].relative_to(DATA_CODING).as_posix())
    return pd.DataFrame(out), info


# ------------------------------------------------------------------ scoring


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))


def _locate(excerpt: str, text: str) -> int:
    """Where an excerpt starts in a text, spaces and quotation marks folded; -1 if absent."""
    pattern = r"\W*".join(re.escape(w) for w in re.findall(r"\w+", _fold(excerpt)))
    m = re.search(pattern, _fold(text)) if pattern else None
    return m.start() if m else -1


def _name_words(name: str, stop: set[str]) -> set[str]:
    """The words that identify a speaker: three letters or more, or an acronym ("AS", "UN")."""
    return {_fold(w) for w in re.findall(r"\w+", name) if (len(w) > 2 or w.isupper() and len(w) > 1)
            and _fold(w) not in stop}


def place_coding(gold: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Each coded statement's unit in this run and the excerpt's offset there (found again by its text if need be)."""
    texts = dict(zip(units["unit_id"], units["text"].fillna("").astype(str)))
    by_article = {a: g for a, g in units.groupby("article_id")}
    rows = []
    for r in gold.itertuples(index=False):
        unit, at = r.unit_id, _locate(r.excerpt, texts.get(r.unit_id, "")) if r.unit_id in texts else -1
        if at < 0:  # the segmentation changed since coding: find the unit by the excerpt
            for u, t in by_article.get(r.article_id, pd.DataFrame(columns=["unit_id", "text"]))[["unit_id", "text"]] \
                    .itertuples(index=False):
                at = _locate(r.excerpt, "" if pd.isna(t) else str(t))
                if at >= 0:
                    unit = u
                    break
        rows.append({**r._asdict(), "unit_id": unit if at >= 0 else r.unit_id, "at": at})
    return pd.DataFrame(rows, columns=[*gold.columns, "at"])


def match_statements(gold: pd.DataFrame, machine: pd.DataFrame, stop: set[str]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold row, machine row): same unit, content overlapping the excerpt, a shared name word."""
    pairs, used, done = [], set(), set()
    by_unit = {u: g for u, g in machine.groupby("unit_id")} if len(machine) else {}
    # First pass: the content overlaps the excerpt; second: the same speaker elsewhere in the unit (a coded
    # statement spans the sentence, the machine's may hold only one of its clauses).
    for need_overlap in (True, False):
        for gi, g in gold.iterrows():
            if g["at"] < 0 or gi in done:
                continue
            words = _name_words(g["speaker"], stop)
            best, overlap = None, -10 ** 9
            for mi, m in by_unit.get(g["unit_id"], machine.iloc[:0]).iterrows():
                if mi in used:
                    continue
                lo, hi = int(g["at"]), int(g["at"]) + max(len(g["excerpt"]), 1)
                ov = min(hi, int(m["quote_end"])) - max(lo, int(m["quote_start"]))
                mwords = _name_words(f"{m['speaker']} {m.get('surface', '')} {m.get('role', '')}", stop)
                if (ov > 0 or not need_overlap) and words & mwords and ov > overlap:
                    best, overlap = mi, ov
            if best is not None:
                used.add(best)
                done.add(gi)
                pairs.append((gi, best))
    return sorted(pairs)


def score_attribution(gold: pd.DataFrame, machine: pd.DataFrame, units: pd.DataFrame, *, stop: set[str],
                      n_bootstrap: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precision and recall of speaker extraction, and of type, origin and kind with it; and the mismatches."""
    if gold.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS), pd.DataFrame(columns=MISMATCH_COLUMNS)
    placed = place_coding(gold, units)
    articles = sorted(set(placed["article_id"]))
    machine = machine[machine["article_id"].isin(articles)].reset_index(drop=True)
    pairs = match_statements(placed, machine, stop)
    items = {"speaker": None, "speaker + type": "source_type", "speaker + origin": "origin",
             "speaker + kind": "kind"}
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(articles), size=(n_bootstrap, len(articles))) if n_bootstrap > 0 and len(articles) > 1 \
        else None
    position = {a: i for i, a in enumerate(articles)}
    g_art = placed["article_id"].map(position).to_numpy(dtype=np.int64)
    m_art = machine["article_id"].map(position).astype("int64")
    rows = []
    for item, column in items.items():
        ok = [(gi, mi) for gi, mi in pairs if column is None or placed.at[gi, column] == machine.at[mi, column]]
        rows.append(_score_row(item, placed, machine, pairs, ok, g_art, m_art.to_numpy(), articles, idx))
    for column in ("source_type", "origin"):
        for value in sorted(set(placed[column]) | set(machine[column])):
            g_n = int((placed.loc[[g for g, _ in pairs], column] == value).sum())
            m_n = int((machine.loc[[m for _, m in pairs], column] == value).sum())
            tp = sum(1 for g, m in pairs if placed.at[g, column] == value and machine.at[m, column] == value)
            rows.append({"item": f"{column} = {value}", "n_gold": g_n, "n_machine": m_n, "n_matched": len(pairs),
                         "tp": tp, "precision": tp / m_n if m_n else np.nan, "precision_lo": np.nan,
                         "precision_hi": np.nan, "recall": tp / g_n if g_n else np.nan, "recall_lo": np.nan,
                         "recall_hi": np.nan, "agreement": np.nan})
    return pd.DataFrame(rows, columns=SCORE_COLUMNS), _mismatches(placed, machine, pairs)


def _score_row(item, placed, machine, pairs, ok, g_art, m_art, articles, idx) -> dict:
    n_art = len(articles)
    tp_a = np.bincount([g_art[g] for g, _ in ok], minlength=n_art)
    gold_a, mach_a = np.bincount(g_art, minlength=n_art), np.bincount(m_art, minlength=n_art)
    tp, ng, nm = int(tp_a.sum()), len(placed), len(machine)
    row = {"item": item, "n_gold": ng, "n_machine": nm, "n_matched": len(pairs), "tp": tp,
           "precision": tp / nm if nm else np.nan, "recall": tp / ng if ng else np.nan,
           "agreement": tp / len(pairs) if pairs else np.nan}
    for name, denom in (("precision", mach_a), ("recall", gold_a)):
        if idx is None:
            row[f"{name}_lo"] = row[f"{name}_hi"] = np.nan
            continue
        t, d = tp_a[idx].sum(1), denom[idx].sum(1)
        boot = t[d > 0] / d[d > 0]
        row[f"{name}_lo"], row[f"{name}_hi"] = float(np.quantile(boot, .025)), float(np.quantile(boot, .975))
    return row


def _mismatches(placed, machine, pairs) -> pd.DataFrame:
    rows, matched_g, matched_m = [], {g for g, _ in pairs}, {m for _, m in pairs}
    for g, m in pairs:
        diff = [c for c in ("source_type", "origin", "kind") if placed.at[g, c] != machine.at[m, c]]
        if diff:
            rows.append((placed.at[g, "article_id"], placed.at[g, "unit_id"], "codes differ: " + ", ".join(diff),
                         placed.at[g, "speaker"], machine.at[m, "speaker"],
                         "; ".join(f"{c}={placed.at[g, c]}" for c in diff),
                         "; ".join(f"{c}={machine.at[m, c]}" for c in diff)))
    for g in placed.index.difference(list(matched_g)):
        r = placed.loc[g]
        rows.append((r["article_id"], r["unit_id"], "missed by the machine" if r["at"] >= 0 else
                     "excerpt not found in this run's units", r["speaker"], "",
                     f"{r['kind']}; {r['source_type']}; {r['origin']}", ""))
    for m in machine.index.difference(list(matched_m)):
        r = machine.loc[m]
        rows.append((r["article_id"], r["unit_id"], "not in the coding", "", r["speaker"], "",
                     f"{r['kind']}; {r['source_type']}; {r['origin']}"))
    out = pd.DataFrame(rows, columns=MISMATCH_COLUMNS)
    return out.sort_values(["article_id", "unit_id", "problem"], kind="stable").reset_index(drop=True)
