"""Intrusion sheets for people: written as XLSX (with drop-downs) and CSV, read back strictly, kept per coder.

``python -m analysis intrusion-sheet --run NAME`` writes one sheet per coder
from the run's tasks (:mod:`.intrusion`) into the run's internal
``data/intrusion_sheets/``. A sheet has one row per task: the task, its item,
for a topic task the document's text, the choices, and an empty ``answer``.
For a word task the answer is the intruding word (the drop-down lists the
row's words); for a topic task it is the number of the intruding choice.

``python -m analysis import-intrusion SHEET --run NAME`` checks a filled sheet
and keeps its answers as ``data/coding/<run>/intrusion/<coder>.csv``; the next
run of the same model scores them (model precision, topic log odds).

Rules kept here (as for the coding sheets of :mod:`analysis.validation.sheets`,
whose reader is shared): every row carries the sheet id of the model's tasks,
and a sheet for another run or model is refused; each refusal is one line
naming the file and the spreadsheet row (the header is row 1): an unknown or
repeated item, an answer left empty or outside the row's choices, two coders
in one sheet. An import never overwrites an earlier one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import registry
from ..errors import AnalysisError
from ..files import read_csv_rows
from ..paths import check_run_name, runs_root
from .intrusion import describe_intrusion, intrusion_path, score_intrusion, sheet_id

#: Characters of a document's text shown in a topic-intrusion task.
TEXT_WIDTH = 1500
FIXED = ("sheet_id", "coder", "task", "item", "text")
ANSWERS = ("sheet_id", "coder", "item", "answer")

GUIDE = """Intrusion tasks (Chang et al. 2009): do the topics of this model make sense to a reader?

Sheet "intrusion", one row per task. Write your name in every row's coder column if it is empty.

Word tasks (task = word). The choices are six words: five belong to one topic, one does not.
  Pick the word that does not belong, in the answer column (the drop-down lists the row's words).

Topic tasks (task = topic). The text is a news document; each choice is a topic, shown by its top words.
  All but one of the topics are prominent in the document. Pick the number (1, 2, ...) of the topic
  that does not belong to it, in the answer column.

Answer every row. Do not look at the run's topic tables while you answer. When done, save the file and run
  python -m analysis import-intrusion THIS_FILE --run {run}
"""


def _run(run: str) -> registry.RunPaths:
    paths = registry.RunPaths(runs_root() / check_run_name(run))
    if not paths.file("intrusion_choices").is_file():
        raise AnalysisError(f"run {run!r} has no intrusion tasks: run `python -m analysis run` first",
                            path=paths.file("intrusion_choices"))
    return paths


def _document_texts(paths: registry.RunPaths, ids: set[str]) -> dict[str, str]:
    """Each document's text: a unit's own, or an article's title and units in reading order; cut to TEXT_WIDTH."""
    units = registry.read(paths, "units", columns=["unit_id", "article_id", "text"])
    texts = dict(zip(units["unit_id"], units["text"]))
    articles = registry.read(paths, "articles", columns=["article_id", "title"])
    titles = dict(zip(articles["article_id"], articles["title"]))
    for article, group in units[units["article_id"].isin(ids)].groupby("article_id", sort=False):
        texts.setdefault(article, "\n\n".join([str(titles.get(article) or ""), *group["text"].astype(str)]).strip())
    return {i: (t if len(t) <= TEXT_WIDTH else t[:TEXT_WIDTH - 1] + "…") for i, t in texts.items() if i in ids}


def sheet_rows(tasks: pd.DataFrame, texts: dict[str, str], *, coder: str) -> pd.DataFrame:
    """One coder's sheet: the fixed columns, ``choice_1`` … ``choice_n`` and an empty ``answer``.

    >>> t = pd.DataFrame({"task": "word", "item": "W01", "topic": 1, "document_id": "", "choice": [1, 2],
    ...                   "word": ["a", "x"], "weight": [.5, .01], "intruder": [False, True]})
    >>> sheet_rows(t, {}, coder="ana").columns.tolist()
    ['sheet_id', 'coder', 'task', 'item', 'text', 'choice_1', 'choice_2', 'answer']
    """
    sid = sheet_id(tasks)
    n = int(tasks["choice"].max()) if len(tasks) else 0
    rows = []
    for (task, item), group in tasks.groupby(["task", "item"], sort=False):
        doc = str(group["document_id"].iloc[0])
        row = {"sheet_id": sid, "coder": coder, "task": task, "item": item,
               "text": texts.get(doc, "") if task == "topic" else ""}
        for choice, word in zip(group["choice"], group["word"]):
            row[f"choice_{int(choice)}"] = word
        rows.append(row)
    columns = [*FIXED, *[f"choice_{i}" for i in range(1, n + 1)], "answer"]
    return pd.DataFrame(rows, columns=columns).fillna("").assign(answer="")


def _choices(row: dict) -> list[str]:
    return [row[c] for c in sorted((c for c in row if c.startswith("choice_")), key=lambda c: int(c[7:])) if row[c]]


def _options(task: str, choices: list[str]) -> list[str]:
    """What the answer of a row may be: the words of a word task, the choice numbers of a topic task."""
    return choices if task == "word" else [str(i) for i in range(1, len(choices) + 1)]


def write_xlsx(frame: pd.DataFrame, path: Path, *, guide: str = "") -> Path:
    """Write an intrusion sheet as XLSX: a drop-down of the row's options on every answer, frozen header, a guide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "intrusion"
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    answer_col = get_column_letter(list(frame.columns).index("answer") + 1)
    widths = {"sheet_id": 14, "coder": 10, "task": 7, "item": 6, "text": 70, "answer": 16}
    for j, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(name, 18)
    for r, row in enumerate(frame.to_dict("records"), start=2):
        ws.append([None if v == "" else v for v in row.values()])
        for c in range(1, len(frame.columns) + 1):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
        options = _options(row["task"], _choices(row))
        listed = ",".join(options)
        # A list drop-down holds at most 255 characters and no commas or quotes in an option; the import checks
        # the answer either way.
        if len(listed) <= 255 and not any("," in o or '"' in o for o in options):
            dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True,
                                errorTitle="one of the choices", error="Pick one of this row's choices.")
            dv.add(f"{answer_col}{r}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "E2"
    from ..validation.sheets import save_workbook

    return save_workbook(wb, path, guide=guide, guide_width=110)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a sheet or answers as CSV (UTF-8, ``\\n``), as the coding sheets are written."""
    from ..validation.sheets import write_csv as write

    return write(frame, Path(path))


def write_intrusion_sheets(run: str, coders: str | None = None) -> list[str]:
    """Write one XLSX and one CSV intrusion sheet per coder of ``run``; return what was written, as lines."""
    paths = _run(run)
    tasks = registry.read(paths, "intrusion_choices")
    if tasks.empty:
        raise AnalysisError("the model has no intrusion tasks (too few topics or documents)",
                            path=paths.file("intrusion_choices"))
    texts = _document_texts(paths, set(tasks["document_id"]) - {""})
    folder = paths.file("intrusion_sheets")
    names = [c.strip() for c in (coders or "coder").split(",") if c.strip()]
    out = []
    for name in names:
        frame = sheet_rows(tasks, texts, coder=name)
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name).strip(".-") or "coder"
        write_xlsx(frame, folder / f"{safe}.xlsx", guide=GUIDE.format(run=run))
        write_csv(frame, folder / f"{safe}.csv")
        out.append(f"sheet: {folder / f'{safe}.xlsx'} (and .csv)")
    n_word = tasks.loc[tasks["task"] == "word", "item"].nunique()
    n_topic = tasks.loc[tasks["task"] == "topic", "item"].nunique()
    return [f"tasks: {n_word} word-intrusion and {n_topic} topic-intrusion (sheet id {sheet_id(tasks)})", *out]


def read_answers(path: Path, tasks: pd.DataFrame) -> pd.DataFrame:
    """Read a filled intrusion sheet (XLSX or CSV) into ``sheet_id, coder, item, answer`` (the choice number).

    Refusals are one line naming the file and row (see the module docstring).
    """
    # The coding sheets' reader (analysis.validation imports the frames stage, hence the late import).
    from ..validation.sheets import xlsx_rows

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        header, rows = xlsx_rows(path)
    elif path.suffix.lower() == ".csv":
        header, rows = read_csv_rows(path, what="intrusion sheet")
    else:
        raise AnalysisError("an intrusion sheet must be .xlsx or .csv", path=path)
    missing = [c for c in ("sheet_id", "coder", "task", "item", "answer") if c not in header]
    if missing:
        raise AnalysisError(f"lacks column(s) {', '.join(missing)}", path=path, row=1)
    if not rows:
        raise AnalysisError("empty sheet: no task rows", path=path)
    return pd.DataFrame(_check_rows(rows, path, tasks), columns=list(ANSWERS))


def _check_rows(rows, path: Path, tasks: pd.DataFrame) -> list[tuple]:
    sid = sheet_id(tasks)
    choices = {item: dict(zip(g["choice"].astype(int), g["word"])) for item, g in tasks.groupby("item")}
    kinds = dict(zip(tasks["item"], tasks["task"]))
    out, seen, coders = [], set(), set()
    for n, row in rows:
        if row.get("sheet_id", "") != sid:
            raise AnalysisError(f"sheet id {row.get('sheet_id')!r} is not this run's ({sid}): a sheet for another "
                                "run or model", path=path, row=n)
        item = row["item"]
        if item not in choices:
            raise AnalysisError(f"unknown task {item!r}", path=path, row=n)
        if item in seen:
            raise AnalysisError(f"task {item!r} appears twice", path=path, row=n)
        seen.add(item)
        if not row["coder"]:
            raise AnalysisError("no coder name", path=path, row=n)
        coders.add(row["coder"])
        out.append((sid, row["coder"], item, _answer(row["answer"], kinds[item], choices[item], path, n, item)))
    if len(coders) > 1:
        raise AnalysisError(f"one sheet, one coder: found {', '.join(sorted(coders))}", path=path)
    if seen != set(choices):
        raise AnalysisError(f"lacks task(s) {', '.join(sorted(set(choices) - seen))}", path=path)
    return out


def _answer(value: str, task: str, choices: dict[int, str], path: Path, n: int, item: str) -> int:
    """The choice number an answer names; an empty answer or one outside the row's choices is refused."""
    value = str(value).strip()
    options = _options(task, [choices[c] for c in sorted(choices)])
    if not value:
        raise AnalysisError(f"task {item} is not answered (pick one of: {', '.join(options)})", path=path, row=n)
    if task == "word":
        by_word = {w: c for c, w in choices.items()}
        if value in by_word:
            return by_word[value]
    elif value.removesuffix(".0") in options:
        return int(value.removesuffix(".0"))
    raise AnalysisError(f"answer {value!r} of task {item} is not one of its choices ({', '.join(options)})",
                        path=path, row=n)


def read_imported(folder: Path, tasks: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Every imported answer file of ``folder`` for this model's tasks, and how many are for another model.

    >>> read_imported(Path("/nonexistent"), pd.DataFrame(columns=["task", "item", "document_id", "choice", "word"]))[1]
    0
    """
    folder = Path(folder)
    sid = sheet_id(tasks)
    parts, stale = [], 0
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        header, rows = read_csv_rows(path, what="intrusion answers", required=ANSWERS)
        if any(row["sheet_id"] != sid for _, row in rows):
            stale += 1
            continue
        parts.append(pd.DataFrame([[row[c] for c in ANSWERS] for _, row in rows], columns=list(ANSWERS)))
    answers = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(ANSWERS))
    return answers.astype({"answer": int}), stale


def import_answers(sheet: Path, folder: Path, tasks: pd.DataFrame) -> Path:
    """Check a filled sheet against ``tasks`` and keep its answers as ``folder/<coder>.csv``; never overwrite."""
    answers = read_answers(sheet, tasks)
    coder = str(answers["coder"].iloc[0])
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in coder).strip(".-") or "coder"
    target = Path(folder) / f"{safe}.csv"
    if target.exists():
        raise AnalysisError(f"coder {coder!r} was imported before ({target.name}); an import never overwrites an "
                            "earlier one: rename the coder in the sheet or remove the old file yourself", path=sheet)
    return write_csv(answers, target)


def import_intrusion(sheet: Path, *, run: str, folder: Path | None = None) -> list[str]:
    """Import a filled sheet of ``run`` and return what it did and the scores so far, as lines."""
    paths = _run(run)
    tasks = registry.read(paths, "intrusion_choices")
    folder = Path(folder) if folder is not None else intrusion_path(run)
    target = import_answers(sheet, folder, tasks)
    answers, stale = read_imported(folder, tasks)
    word, topic = score_intrusion(tasks, answers)
    return [f"imported: {target}", describe_intrusion(word, topic, n_stale=stale),
            "The run's pages show the scores after the next `python -m analysis run` of this model."]
