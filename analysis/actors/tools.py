"""The speaker coding from the command line: export a sheet of a finished run, import a filled one.

``python -m analysis speaker-sheet --run NAME --coder NAME`` writes
``speakers-<coder>.xlsx`` (drop-down lists) and ``.csv`` into the run's
internal ``data/coding_sheets/`` (full text: never published).
``python -m analysis import-speakers SHEET --run NAME --set SET`` checks a
filled sheet against that run and keeps it as
``data/coding/SET/speakers/coders/<coder>.csv``; it never overwrites an
earlier import. Both follow the frame coding's workflow
(:mod:`analysis.validation.tools`).
"""

from __future__ import annotations

from pathlib import Path

from .. import registry
from ..errors import AnalysisError
from ..paths import DATA_CODING, check_run_name, runs_root
from .lexicon import load_attribution
from .stage import code_lists
from .validation import FOLDER, import_speaker_sheet, speaker_sheet_frame, speaker_sheet_id, write_speaker_sheet

GUIDE = DATA_CODING / "ru-alliances-id" / FOLDER / "README.md"  # the coding rules, with the example


def _run(run: str) -> registry.RunPaths:
    paths = registry.RunPaths(runs_root() / check_run_name(run))
    if not paths.units.is_file():
        raise AnalysisError(f"run {run!r} has no units: run `python -m analysis run` first", path=paths.units)
    return paths


def _guide() -> str:
    text = GUIDE.read_text(encoding="utf-8") if GUIDE.is_file() else ""
    rules = text.split("## Coding rules", 1)[1].split("## Replacing", 1)[0] if "## Coding rules" in text else ""
    return "Speaker coding: one row per attributed statement (copy a row for a second statement of a unit).\n" \
        + rules.strip()


def speaker_sheet(run: str, *, coder: str) -> list[str]:
    """Write one coder's speaker sheet (XLSX and CSV) for a finished run; return what was written, as lines."""
    paths = _run(run)
    check_run_name(coder)
    units, articles = registry.read(paths, "units"), registry.read(paths, "articles")
    frame = speaker_sheet_frame(units, articles, coder=coder)
    written = write_speaker_sheet(frame, paths.file("coding_sheets"), coder, code_lists(load_attribution()),
                                  guide=_guide())
    return [f"sheet: {p}" for p in written] + [f"{len(frame)} units; sheet id {frame['sheet_id'].iloc[0]}"]


def import_speakers(sheet: Path, *, run: str, coding_set: str) -> Path:
    """Check a filled speaker sheet against ``run`` and add it to ``data/coding/<set>/speakers/coders/``."""
    paths = _run(run)
    check_run_name(coding_set)
    units, articles = registry.read(paths, "units"), registry.read(paths, "articles")
    sid = speaker_sheet_id(articles, units["unit_id"])
    return import_speaker_sheet(Path(sheet), DATA_CODING / coding_set / FOLDER, units=units, sid=sid,
                                lists=code_lists(load_attribution()))
