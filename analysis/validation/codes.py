"""Validation: human coding in, intercoder reliability and validity out.

A computational framing study is judged first on how its automated codes
compare with human coders. This module covers that workflow:

1. (The coding sample and its sheets: :mod:`.design`, :mod:`.sheets`.)
2. :func:`read_coding_sheets` reads one or more filled sheets (one per coder)
   and rejects malformed ones with an error naming file, row and column.
3. :func:`reliability` reports Krippendorff's alpha (nominal) and percent
   agreement between human coders, per frame and per question.
4. :func:`validity` compares the machine's deductive codes with the human
   majority: precision, recall, F1 and alpha per frame and question, plus
   :func:`confusion_table` and :func:`disagreements` for close reading.

Rules kept here:

* Codes are binary: ``1`` = yes, ``0`` = no, an empty cell = not coded.
  Not coded is missing data, never "no".
* Alpha comes from the ``krippendorff`` package (Castro 2017), never from a
  hand-written formula; where alpha is undefined (fewer than two pairable
  values, or every value identical) it is reported as NaN, not as 0 or 1.
* Row numbers in error messages are spreadsheet rows: the header is row 1,
  the first coded unit row 2.
* No invented numbers: with no coding sheets, every function here returns an
  empty table rather than a made-up figure.

The stage function is :func:`analysis.validation.stage.validate`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import outputs, registry
from ..errors import AnalysisError
from ..files import read_csv_rows, read_text, require_columns
from ..paths import DATA_CODING, check_run_name
from ..registry import RunPaths
from .agreement import ALPHA_RELIABLE, ALPHA_TENTATIVE, alpha, percent_agreement, verdict

REQUIRED_COLUMNS = ["unit_id", "coder"]
ALLOWED_VALUES = {"0": 0, "1": 1, "0.0": 0, "1.0": 1}  # spreadsheets may turn 1 into 1.0
UNKNOWN_OUTLET = "(unknown outlet)"
MACHINE = "machine"



# --------------------------------------------------------------------- codebook


def _get(obj, key, default=None):
    """Read ``key`` from a mapping or an attribute of an object."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _text_in(value, language: str) -> str:
    """Return the text of ``value`` in ``language`` (falling back to English, then any)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for lang in (language, "en"):
            if value.get(lang):
                return str(value[lang])
        return str(next(iter(value.values()), ""))
    return str(value)


def coding_items(codebook, language: str = "en") -> pd.DataFrame:
    """Return the items a coder answers: every question, then every frame.

    Parameters
    ----------
    codebook : Codebook or dict
        As returned by :func:`analysis.frames.load_codebook` (or the parsed YAML).
    language : str
        Language of the question texts ("id", "en", ...); English is the fallback.

    Returns
    -------
    DataFrame
        ``item``, ``kind`` ("question" or "frame"), ``frame``, ``name``,
        ``text`` (the question, or the frame's definition), in codebook order.

    Examples
    --------
    >>> cb = {"frames": [{"id": "conflict", "name": "Conflict", "definition": "Disagreement.",
    ...        "questions": [{"id": "conflict_q1", "text": {"en": "Disagreement?"}}]}]}
    >>> coding_items(cb)["item"].tolist()
    ['conflict_q1', 'conflict']
    """
    frames = _get(codebook, "frames") or []
    if not frames:
        raise AnalysisError("codebook has no frames", path="codebook")
    questions, frame_rows = [], []
    for frame in frames:
        fid = str(_get(frame, "id"))
        name = str(_get(frame, "name", fid) or fid)
        for question in _get(frame, "questions") or []:
            questions.append(
                {"item": str(_get(question, "id")), "kind": "question", "frame": fid, "name": name,
                 "text": _text_in(_get(question, "text"), language)}
            )
        frame_rows.append(
            {"item": fid, "kind": "frame", "frame": fid, "name": name,
             "text": _text_in(_get(frame, "definition"), language)}
        )
    items = pd.DataFrame(questions + frame_rows, columns=["item", "kind", "frame", "name", "text"])
    duplicated = items["item"][items["item"].duplicated()].tolist()
    if duplicated:
        raise AnalysisError(f"codebook item ids are not unique: {', '.join(duplicated)}", path="codebook")
    return items


def read_coding_sheets(paths: list[Path], codebook, valid_unit_ids) -> pd.DataFrame:
    """Read filled coding sheets (one per coder) into a long table of codes.

    Each sheet must have the columns ``unit_id``, ``coder`` and one column per
    codebook item (other columns, e.g. notes, are ignored). Every row needs a
    coder name, a known unit id and values in {0, 1, empty}; the same coder
    may code a unit only once across all sheets. Empty cells are left out of
    the result (not coded). Row numbers in errors count the header as row 1.

    Parameters
    ----------
    paths : list of Path
        The filled sheets.
    codebook : Codebook or dict
        The codebook the sheets were exported with.
    valid_unit_ids : iterable of str
        Unit ids of the run (``data/units.parquet``).

    Returns
    -------
    DataFrame
        ``coder``, ``unit_id``, ``item``, ``value`` (int 0/1), sorted.

    Raises
    ------
    AnalysisError
        Naming the file, row and column of the first problem found.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text("unit_id,coder,c_q1,c\\nu1,ann,1,\\n")
    >>> cb = {"frames": [{"id": "c", "questions": [{"id": "c_q1"}]}]}
    >>> read_coding_sheets([p], cb, {"u1"}).values.tolist()
    [['ann', 'u1', 'c_q1', 1]]
    """
    items = coding_items(codebook)["item"].tolist()
    valid = {str(u) for u in valid_unit_ids}
    if not paths:
        raise AnalysisError("no coding sheets given")
    records, seen = [], {}
    for path in map(Path, paths):
        _, rows = read_csv_rows(path, what="coding sheet", required=tuple(REQUIRED_COLUMNS + items))
        for number, row in rows:
            records += _row_codes(row, items, valid, seen, path, number)
    codes = pd.DataFrame(records, columns=["coder", "unit_id", "item", "value"])
    codes["value"] = codes["value"].astype("int64")
    return codes.sort_values(["coder", "unit_id", "item"], kind="stable").reset_index(drop=True)


def _row_codes(row: dict, items: list[str], valid: set[str], seen: dict, path: Path, number: int) -> list[tuple]:
    """Check one sheet row and return its codes ``(coder, unit, item, 0/1)``; empty cells are not coded."""
    unit, coder = row["unit_id"], row["coder"]
    if not unit:
        raise AnalysisError("column unit_id is empty", path=path, row=number)
    if unit not in valid:
        raise AnalysisError(f"column unit_id: unknown unit id {unit!r}", path=path, row=number)
    if not coder:
        raise AnalysisError("column coder: missing coder name", path=path, row=number)
    if (coder, unit) in seen:
        raise AnalysisError(f"duplicate row, coder {coder!r} already coded unit {unit!r} ({seen[coder, unit]})",
                            path=path, row=number)
    seen[coder, unit] = f"{path.name} row {number}"
    codes = []
    for item in items:
        cell = row[item]
        if cell == "":
            continue  # not coded: missing data, not "no"
        if cell not in ALLOWED_VALUES:
            raise AnalysisError(f"column {item}: value {cell!r} is not allowed (use 0, 1 or leave empty)",
                                path=path, row=number)
        codes.append((coder, unit, item, ALLOWED_VALUES[cell]))
    return codes


def resolve_coding_set(coding_set: str, corpus: str) -> str:
    """Return the coding set a run uses: ``"auto"`` means the set named after the corpus.

    A corpus given by id (``ru-alliances-id``) uses ``data/coding/<id>/`` when
    that folder exists; any other corpus has no human coding until the
    researcher names a set, so ``"auto"`` then gives ``""``.

    >>> resolve_coding_set("auto", "no-such-corpus")
    ''
    >>> resolve_coding_set("mine", "x")
    'mine'
    """
    if coding_set != "auto":
        return coding_set
    folder = DATA_CODING / corpus if corpus and "/" not in corpus else None
    return corpus if folder is not None and folder.is_dir() and any(folder.glob("*.csv")) else ""


def find_coding_sheets(coding_set: str) -> list[Path]:
    """Return the filled sheets (``*.csv``) of a coding set under ``data/coding/``.

    ``coding_set`` is a folder name under :data:`analysis.paths.DATA_CODING`;
    ``""`` means no human coding and returns ``[]``. A named set that does not
    exist, or holds no CSV, raises :class:`AnalysisError` naming the parameter.

    >>> find_coding_sheets("")
    []
    """
    if not coding_set:
        return []
    try:
        check_run_name(coding_set)  # same safety rule as run names: no path escapes
    except AnalysisError:
        raise AnalysisError(f"coding_set {coding_set!r} is not a folder name under {DATA_CODING}") from None
    folder = DATA_CODING / coding_set
    sheets = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not sheets:
        raise AnalysisError(f"coding_set {coding_set!r}: no coding sheets (*.csv) in {folder}")
    return sheets


def read_coding_set_info(coding_set: str) -> dict:
    """Return the front matter of a coding set's README.md (``{}`` if none).

    The front matter states who coded and whether the set is only an example
    (``example: true``), so pages can label it.

    >>> read_coding_set_info("")
    {}
    """
    if not coding_set:
        return {}
    readme = DATA_CODING / coding_set / "README.md"
    if not readme.is_file():
        return {}
    text = read_text(readme, what="coding set README")
    if not text.startswith("---"):
        return {}
    try:
        info = yaml.safe_load(text.split("---", 2)[1]) or {}
    except (yaml.YAMLError, IndexError) as err:
        raise AnalysisError(f"malformed front matter: {' '.join(str(err).split())}", path=readme) from None
    if not isinstance(info, dict):
        raise AnalysisError("front matter is not a mapping", path=readme)
    return info


# ---------------------------------------------------------------- reliability


# Krippendorff's α, percent agreement and the verdicts are computed in :mod:`.agreement`, once.
nominal_alpha = alpha
_percent_agreement = percent_agreement
_verdict = verdict


def reliability(codes: pd.DataFrame, codebook=None) -> pd.DataFrame:
    """Return Krippendorff's alpha (nominal) and percent agreement per item.

    Parameters
    ----------
    codes : DataFrame
        Long codes as from :func:`read_coding_sheets` (``coder``, ``unit_id``,
        ``item``, ``value``).
    codebook : Codebook or dict, optional
        Adds ``kind`` and ``frame`` columns and keeps codebook order.

    Returns
    -------
    DataFrame
        ``item``, [``kind``, ``frame``,] ``n_coders``, ``n_units`` (units
        coded by at least two coders), ``alpha``, ``percent_agreement`` (in
        [0, 1], share of agreeing coder pairs within units), ``verdict``
        (reliable >= .800, tentative >= .667, unreliable, or undefined).
        Empty when fewer than two coders coded.

    Examples
    --------
    >>> codes = pd.DataFrame({"coder": ["a", "a", "b", "b"], "unit_id": ["u1", "u2", "u1", "u2"],
    ...                       "item": "x", "value": [1, 0, 1, 0]})
    >>> reliability(codes)[["item", "alpha", "percent_agreement"]].values.tolist()
    [['x', 1.0, 1.0]]
    """
    columns = ["item", "n_coders", "n_units", "alpha", "percent_agreement", "verdict"]
    rows = []
    for item, group in codes.groupby("item", sort=True):
        table = group.pivot_table(index="coder", columns="unit_id", values="value", aggfunc="first")
        data = table.to_numpy(dtype=float)
        n_units = int(((~np.isnan(data)).sum(axis=0) >= 2).sum())
        if table.shape[0] < 2:
            continue
        alpha = nominal_alpha(data)
        rows.append((item, table.shape[0], n_units, alpha, _percent_agreement(data), _verdict(alpha)))
    result = pd.DataFrame(rows, columns=columns)
    return _with_items(result, codebook)


def _with_items(result: pd.DataFrame, codebook) -> pd.DataFrame:
    """Add ``kind`` and ``frame`` from the codebook and order rows as it does."""
    if codebook is None:
        return result.reset_index(drop=True)
    items = coding_items(codebook)[["item", "kind", "frame"]]
    items = items.assign(_order=range(len(items)))
    merged = items.merge(result, on="item", how="inner").sort_values("_order").drop(columns="_order")
    return merged.reset_index(drop=True)


def human_majority(codes: pd.DataFrame) -> pd.DataFrame:
    """Return the human majority code per unit and item.

    Tie rule: a unit and item whose coders split evenly (e.g. one yes, one
    no) has no majority and is left out of the gold standard; such ties are
    counted in ``validity``'s ``n_ties``. A single coder's code is its own
    majority.

    Returns
    -------
    DataFrame
        ``unit_id``, ``item``, ``value`` (0/1, NaN on a tie), ``n_coders``, ``tie`` (bool).

    Examples
    --------
    >>> codes = pd.DataFrame({"coder": ["a", "b", "c"], "unit_id": "u1", "item": "x", "value": [1, 1, 0]})
    >>> human_majority(codes)[["value", "tie"]].values.tolist()
    [[1.0, False]]
    """
    humans = codes[codes["coder"] != MACHINE]
    grouped = humans.groupby(["unit_id", "item"])["value"]
    summary = grouped.agg(yes="sum", n_coders="count").reset_index()
    no = summary["n_coders"] - summary["yes"]
    summary["tie"] = summary["yes"] == no
    summary["value"] = np.where(summary["tie"], np.nan, (summary["yes"] > no).astype(float))
    return summary[["unit_id", "item", "value", "n_coders", "tie"]]


# ------------------------------------------------------------------- validity


def read_machine_codes(paths: RunPaths, unit_ids=None, codebook=None) -> pd.DataFrame:
    """Read the frames stage's deductive codes of a run, through the registry, with every *no* filled in.

    Questions come from ``frame_codes_units``, frames (present by the frames
    stage's threshold) from ``frames_units``. Both hold only what fired (the
    yes codes, the scores above 0), so each unit of the run (``units``; the
    codes' own units in a run without that table) gets a 0 for every question
    of ``codebook`` (else of the run's ``codebook`` table), and every frame, that has no row.
    ``unit_ids`` keeps only those units (the units humans coded): give it on a
    large corpus, where every unit's every code would not fit in memory.

    Returns
    -------
    DataFrame
        ``coder`` (= "machine"), ``unit_id``, ``item``, ``value`` (0/1), ``evidence``.
    """
    parts = []
    tables = {"frame_codes_units": registry.read(paths, "frame_codes_units", ["unit_id", "frame", "question", "present",
                                                                              "evidence"]),
              "frames_units": registry.read(paths, "frames_units", ["unit_id", "frame", "present", "evidence"])}
    for key, df in tables.items():
        if not df["present"].isin([0, 1]).all():
            raise AnalysisError("column present holds values other than 0/1", path=paths.file(key))
    universe = _machine_units(paths, tables, unit_ids)
    questions = _machine_questions(paths, tables["frame_codes_units"], codebook)
    grids = {"frame_codes_units": ("question", questions["question"].tolist(), universe),
             "frames_units": ("frame", list(dict.fromkeys(questions["frame"])), sorted(universe))}
    for key, (item_col, items, ids) in grids.items():
        df = tables[key]
        df = df[df["unit_id"].isin(set(ids))].astype({item_col: str}).set_index(["unit_id", item_col])
        grid = pd.MultiIndex.from_product([pd.Index(ids, dtype=object), pd.Index(items, dtype=object)],
                                          names=["unit_id", item_col])
        df = df[~df.index.duplicated()].reindex(grid)
        parts.append(pd.DataFrame({"coder": MACHINE, "unit_id": grid.get_level_values(0).astype(str),
                                   "item": grid.get_level_values(1).astype(str),
                                   "value": df["present"].fillna(0).astype("int64").to_numpy(),
                                   "evidence": df["evidence"].to_numpy()}))
    machine = pd.concat(parts, ignore_index=True)
    machine["evidence"] = machine["evidence"].fillna("").astype(str)
    return machine


def _machine_units(paths: RunPaths, tables: dict, unit_ids) -> list:
    """The units the machine coded (the run's ``units``, in file order), those of ``unit_ids`` only when given."""
    if registry.exists(paths, "units"):
        every = registry.read(paths, "units", ["unit_id"])["unit_id"]
    else:
        every = pd.concat([tables["frame_codes_units"]["unit_id"], tables["frames_units"]["unit_id"]])
    every = list(dict.fromkeys(every))
    if unit_ids is None:
        return every
    keep = set(unit_ids)
    return [u for u in every if u in keep]


def _machine_questions(paths: RunPaths, codes: pd.DataFrame, codebook=None) -> pd.DataFrame:
    """Every question the machine answered (``frame``, ``question``), in codebook order."""
    if codebook is not None:
        items = coding_items(codebook)
        table = items.loc[items["kind"] == "question", ["frame", "item"]].rename(columns={"item": "question"})
    elif registry.exists(paths, "codebook"):
        table = registry.read(paths, "codebook", ["frame", "question"])
    else:
        table = codes[["frame", "question"]]
    return table.astype(str).drop_duplicates("question").reset_index(drop=True)


def _paired(machine: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Join machine codes with the human majority on unit and item (ties dropped)."""
    gold = human_majority(codes)
    gold = gold[~gold["tie"]].rename(columns={"value": "coders"})
    pairs = gold.merge(
        machine[["unit_id", "item", "value", "evidence"]].rename(columns={"value": "machine"}),
        on=["unit_id", "item"], how="inner",
    )
    pairs["coders"] = pairs["coders"].astype("int64")
    return pairs


def validity(machine: pd.DataFrame, codes: pd.DataFrame, codebook=None) -> pd.DataFrame:
    """Return precision, recall, F1 and alpha of the machine against the human majority.

    The gold standard is :func:`human_majority` (ties left out). Per item:
    ``n_units`` compared, ``n_ties`` left out, ``tp``, ``fp``, ``fn``, ``tn``,
    ``precision``, ``recall``, ``f1`` (scikit-learn; NaN where undefined, e.g.
    recall when humans never coded the item present) and ``alpha`` between
    machine and human majority (nominal, NaN where undefined).

    Examples
    --------
    >>> codes = pd.DataFrame({"coder": "a", "unit_id": ["u1", "u2"], "item": "x", "value": [1, 0]})
    >>> machine = pd.DataFrame({"coder": "machine", "unit_id": ["u1", "u2"], "item": "x", "value": [1, 1],
    ...                         "evidence": ["", ""]})
    >>> validity(machine, codes)[["precision", "recall", "f1"]].values.tolist()
    [[0.5, 1.0, 0.6666666666666666]]
    """
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    pairs = _paired(machine, codes)
    ties = human_majority(codes).groupby("item")["tie"].sum()
    rows = []
    for item, group in pairs.groupby("item", sort=True):
        y_true, y_pred = group["coders"].to_numpy(), group["machine"].to_numpy()
        tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
        p, r, f, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=[1], average="binary", pos_label=1, zero_division=np.nan
        )
        alpha = nominal_alpha(np.vstack([y_true, y_pred]))
        rows.append((item, len(group), int(ties.get(item, 0)), int(tp), int(fp), int(fn), int(tn),
                     float(p), float(r), float(f), alpha))
    columns = ["item", "n_units", "n_ties", "tp", "fp", "fn", "tn", "precision", "recall", "f1", "alpha"]
    return _with_items(pd.DataFrame(rows, columns=columns), codebook)


def confusion_table(machine: pd.DataFrame, codes: pd.DataFrame, codebook=None) -> pd.DataFrame:
    """Return the tidy confusion table: ``item``, ``human``, ``machine``, ``n`` (all four cells per item).

    >>> codes = pd.DataFrame({"coder": "a", "unit_id": ["u1"], "item": "x", "value": [1]})
    >>> machine = pd.DataFrame({"coder": "machine", "unit_id": ["u1"], "item": "x", "value": [0], "evidence": [""]})
    >>> confusion_table(machine, codes)["n"].tolist()
    [0, 0, 1, 0]
    """
    pairs = _paired(machine, codes)
    full = pd.MultiIndex.from_product([sorted(pairs["item"].unique()), [0, 1], [0, 1]], names=["item", "coders", "machine"])
    table = pairs.groupby(["item", "coders", "machine"]).size().reindex(full, fill_value=0).rename("n").reset_index()
    if codebook is not None:
        order = {item: i for i, item in enumerate(coding_items(codebook)["item"])}
        table = table.sort_values(["item", "coders", "machine"], key=lambda s: s.map(order) if s.name == "item" else s)
    return table.reset_index(drop=True)


def disagreements(
    machine: pd.DataFrame, codes: pd.DataFrame, units: pd.DataFrame, *, kind: str | None = None,
    codebook=None, width: int = 160,
) -> pd.DataFrame:
    """List the units where machine and human majority disagree, for close reading.

    Parameters
    ----------
    units : DataFrame
        ``unit_id`` and ``text`` (for the snippet).
    kind : {"frame", "question", None}
        Keep only frames or only questions (needs ``codebook``); None keeps all.
    width : int
        Snippet length in characters. Snippets are plain text: show them with
        :func:`analysis.outputs.html_table`, which escapes them.

    Returns
    -------
    DataFrame
        ``unit_id``, ``item``, ``machine``, ``human``, ``evidence``, ``snippet``.
    """
    pairs = _paired(machine, codes)
    pairs = pairs[pairs["machine"] != pairs["coders"]]
    if kind is not None:
        if codebook is None:
            raise AnalysisError("disagreements: kind needs the codebook")
        keep = coding_items(codebook).query("kind == @kind")["item"]
        pairs = pairs[pairs["item"].isin(keep)]
    text = units.drop_duplicates("unit_id").set_index("unit_id")["text"]
    # Plain text here: outputs.html_table escapes every cell once on display,
    # and the published CSV is plain text; only a short snippet ever leaves.
    pairs = pairs.assign(snippet=[outputs.snippet(text.get(u, ""), width) for u in pairs["unit_id"]])
    pairs = pairs.sort_values(["item", "unit_id"], kind="stable")
    return pairs[["unit_id", "item", "machine", "coders", "evidence", "snippet"]].reset_index(drop=True)


# ------------------------------------------------------------------- run glue


def summarize(codes: pd.DataFrame, rel: pd.DataFrame, val: pd.DataFrame, info: dict, coding_set: str) -> pd.DataFrame:
    """Return a one-row summary for the Methods page (``tables/validation_summary.csv``).

    ``status`` is "none" (no human coding: every number is left empty),
    "example" (an illustrative set, ``example: true`` in its README) or
    "human". Means are over frames only (questions are reported in full in
    the reliability and validity tables). The columns are the registry's.
    """
    columns = [name for name, _ in registry.artifact("validation_summary").columns]
    humans = codes[codes["coder"] != MACHINE] if not codes.empty else codes
    if humans.empty:
        # Without coding every number is left empty (missing), never 0.
        return pd.DataFrame([{"status": "none", "coding_set": coding_set}], columns=columns)

    def _frames(df):
        return df[df["kind"] == "frame"] if "kind" in df.columns else df

    rel_f, val_f = _frames(rel), _frames(val)
    return pd.DataFrame([{
        "status": "example" if info.get("example") else "human",
        "coding_set": coding_set,
        "n_coders": humans["coder"].nunique(),
        "n_units": humans["unit_id"].nunique(),
        # Who coded: an example set says so (e.g. not human coders), and pages must repeat it.
        "produced_by": " ".join(str(info.get("produced_by", "")).split()),
        "n_frames": len(rel_f),
        # α is undefined for a frame no coder ever used; means are over the others.
        "n_frames_alpha": int(rel_f["alpha"].notna().sum()) if not rel_f.empty else 0,
        "mean_alpha_frames": rel_f["alpha"].mean() if not rel_f.empty else math.nan,
        "min_alpha_frames": rel_f["alpha"].min() if not rel_f.empty else math.nan,
        "mean_percent_agreement_frames": rel_f["percent_agreement"].mean() if not rel_f.empty else math.nan,
        "macro_f1_frames": val_f["f1"].mean() if not val_f.empty else math.nan,
        "mean_alpha_machine_frames": val_f["alpha"].mean() if not val_f.empty else math.nan,
    }])


def describe_coding(codes: pd.DataFrame, info: dict, coding_set: str) -> str:
    """Return Markdown saying what human coding there is, or how to produce it.

    With no coding it states plainly that no figures are reported and gives
    the steps; with an example set (``example: true``) it says so first.
    """
    humans = codes[codes["coder"] != MACHINE]
    if humans.empty:
        return (
            "**No human coding exists yet for this run**, so this page reports no reliability or validity "
            "figures. To produce them:\n\n"
            f"1. Give each coder their sheet from `{registry.artifact('coding_sheets').file}/` of this run folder "
            "(XLSX with 0/1 drop-downs, or CSV; full unit text, never published) and the coder guide beside it. "
            "Coders work independently.\n"
            "2. Import each filled sheet: `python -m analysis import-coding SHEET --run RUN --set my-study` "
            "(it checks the sheet against this run and never overwrites an earlier import).\n"
            "3. Resolve the coders' disagreements into `data/coding/my-study/adjudicated.csv` (same columns), and "
            "write a `README.md` saying who coded, when and how.\n"
            "4. Run again with the parameter `coding_set: my-study`."
        )
    coders = sorted(humans["coder"].unique())
    lines = []
    if info.get("example"):
        lines.append(
            f"**Example coding, not a gold standard.** The coding set `{coding_set}` was "
            f"{info.get('produced_by', 'made as an example')} ({info.get('date', 'undated')}). It shows the workflow end to end; its figures say nothing about "
            "the reliability of human coders or the validity of the codebook."
        )
    lines.append(
        f"{outputs.count_noun(len(coders), 'coder')} ({', '.join(f'`{c}`' for c in coders)}) coded {humans['unit_id'].nunique()} "
        f"units on {humans['item'].nunique()} items ({len(humans)} codes; empty cells are missing, not \"no\")."
    )
    return "\n\n".join(lines)


# ------------------------------------------------------------------- sentences


def describe_reliability(rel: pd.DataFrame) -> str:
    """Return the sentence on intercoder reliability over frames ("" without two coders).

    >>> rel = pd.DataFrame({"kind": "frame", "alpha": [0.9, 0.7], "verdict": ["reliable", "tentative"],
    ...                     "percent_agreement": [1.0, 0.9]})
    >>> describe_reliability(rel)
    'Across the 2 frames, α ranges from 0.70 to 0.90 (0 undefined); 1 frame reach 0.800 and 1 lie between 0.667 and 0.800, 0 below 0.667. Mean percent agreement is 95%.'
    """
    frames = rel[rel["kind"] == "frame"] if "kind" in rel.columns else rel
    if frames.empty:
        return ""
    return (f"Across the {len(frames)} frames, α ranges from {frames['alpha'].min():.2f} to "
            f"{frames['alpha'].max():.2f} ({frames['alpha'].isna().sum()} undefined); "
            f"{outputs.count_noun((frames['verdict'] == 'reliable').sum(), 'frame')} reach 0.800 and "
            f"{(frames['verdict'] == 'tentative').sum()} lie between 0.667 and 0.800, "
            f"{(frames['verdict'] == 'unreliable').sum()} below 0.667. "
            f"Mean percent agreement is {frames['percent_agreement'].mean():.0%}.")


def describe_validity(val: pd.DataFrame) -> str:
    """Return the sentence on the machine's frame codes against the human majority ("" without coding).

    >>> val = pd.DataFrame({"kind": "frame", "n_units": [12, 12], "f1": [0.5, 1.0], "precision": [0.5, 1.0],
    ...                     "recall": [0.5, 1.0], "alpha": [0.2, 1.0]})
    >>> describe_validity(val)[:70]
    "Over 12 units where the coders agree, the indicators' frame codes reac"
    """
    frames = val[val["kind"] == "frame"] if "kind" in val.columns else val
    if frames.empty:
        return ""
    return (f"Over {frames['n_units'].max()} units where the coders agree, the indicators' frame codes reach a macro-averaged F1 of "
            f"{frames['f1'].mean():.2f} (precision {frames['precision'].mean():.2f}, recall "
            f"{frames['recall'].mean():.2f}, averaged over the frames where each is defined); indicator–coder α "
            f"averages {frames['alpha'].mean():.2f}.")


def alpha_scope(r) -> str:
    """Say over how many frames a mean α was taken (α is undefined for frames no coder used).

    >>> alpha_scope({"n_frames": 10, "n_frames_alpha": 8})
    ' across the 8 of 10 frames the coders used (undefined for the others)'
    """
    n_frames, n_alpha = r.get("n_frames"), r.get("n_frames_alpha")
    if pd.isna(n_frames) or pd.isna(n_alpha):
        return " across frames"
    n_frames, n_alpha = int(n_frames), int(n_alpha)
    if n_alpha == n_frames:
        return f" across {outputs.count_noun(n_frames, 'frame')}"
    return f" across the {n_alpha} of {n_frames} frames the coders used (undefined for the others)"


def describe_validation(summary, *, unit: str = "unit", where: str = "") -> str:
    """Return what the validation rests on and its headline numbers, from a ``validation_summary`` row.

    The notebook and the Findings page's limits state it with this sentence;
    ``where`` is put before the final period (e.g. " (Validation page)").
    With no coding it says the codes are not validated.

    >>> describe_validation({"status": "none"})
    'No human coding exists yet for this corpus, so the automated codes are **not validated**.'
    """
    r = summary.iloc[0] if isinstance(summary, pd.DataFrame) else summary
    if r.get("status", "none") == "none":
        return "No human coding exists yet for this corpus, so the automated codes are **not validated**" + where + "."
    what = (f"{outputs.count_noun(int(r['n_units']), unit)} coded by "
            f"{outputs.count_noun(int(r['n_coders']), 'coder')}")
    who = r.get("produced_by")
    who = "" if who is None or pd.isna(who) else outputs.escape_markdown(who)
    if r["status"] == "example":
        kind = (f"an illustrative example coding ({what}; {who or 'see the Validation page'}), not human coding "
                "and not a gold standard, so its figures show the workflow, not the codes' quality")
    else:
        kind = f"human coding ({what})"
    return (f"Validation rests on {kind}: mean Krippendorff's α {r['mean_alpha_frames']:.2f}{alpha_scope(r)}, "
            f"macro F1 of the automated frame codes {r['macro_f1_frames']:.2f}{where}.")
