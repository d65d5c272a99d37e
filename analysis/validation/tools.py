"""The coding workflow from the command line: draw a new sample of a finished run, import a filled sheet.

``python -m analysis sample --run NAME`` draws the sample with the run's own
parameters (or those given) and writes one XLSX and CSV sheet per coder and
the coder guide into the run's internal ``data/coding_sheets/``.
``python -m analysis import-coding SHEET --run NAME --set SET`` checks a
filled sheet against that run (its sheet id, its units, every value 0 or 1)
and keeps it as ``data/coding/SET/coders/<coder>.csv``; it never overwrites an
earlier import.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import registry
from ..errors import AnalysisError
from ..files import read_yaml
from ..frames import choose_language, load_codebook
from ..paths import DATA_CODING, check_run_name, runs_root
from .codes import coding_items
from .sheets import import_sheet
from .stage import ValidationParams, draw


def _run(run: str) -> registry.RunPaths:
    paths = registry.RunPaths(runs_root() / check_run_name(run))
    if not paths.units.is_file():
        raise AnalysisError(f"run {run!r} has no units: run `python -m analysis run` first", path=paths.units)
    return paths


def _params(paths: registry.RunPaths) -> ValidationParams:
    """The run's validation parameters, as it recorded them in its params.yaml."""
    recorded = read_yaml(paths.params, what="run parameters") if paths.params.is_file() else {}
    fields = set(ValidationParams.__dataclass_fields__)
    return ValidationParams(**{k: v for k, v in recorded.items() if k in fields})


def sample_run(run: str, *, coders: str | None = None, size: int | None = None, extra: int | None = None,
               seed: int | None = None) -> list[str]:
    """Draw and write a coding sample of a finished run; return what was written, as lines."""
    paths = _run(run)
    params = _params(paths)
    changes = {k: v for k, v in (("sample_size", size), ("extra_units", extra), ("seed", seed)) if v is not None}
    if coders:
        changes["coders"] = [c.strip() for c in coders.split(",") if c.strip()]
    params = replace(params, **changes)
    units, articles = registry.read(paths, "units"), registry.read(paths, "articles")
    codebook = load_codebook(params.codebook_file or None, params.codebook_extra or None)
    language = choose_language(params.language, articles, codebook)
    frames_units = registry.read(paths, "frames_units", ["unit_id", "frame", "present"])
    sample, rule = draw(paths, params, units, articles, codebook, language, frames_units)
    registry.write(paths, "coding_sample", sample)
    folder = paths.file("coding_sheets")
    return [f"sample: {len(sample)} units ({int(sample['overlap'].sum())} coded by every coder); rule: {rule}",
            *[f"sheet: {folder / f'{c}.xlsx'} (and .csv)" for c in params.coders], f"guide: {folder / 'coder_guide.md'}"]


def import_coding(sheet: Path, *, run: str, coding_set: str) -> Path:
    """Check a filled sheet against ``run`` and add it to ``data/coding/<coding_set>/coders/``."""
    paths = _run(run)
    check_run_name(coding_set)
    params = _params(paths)
    codebook = load_codebook(params.codebook_file or None, params.codebook_extra or None)
    sample = registry.read(paths, "coding_sample")
    sids = set(sample["sheet_id"])
    return import_sheet(sheet, DATA_CODING / coding_set / "coders", items=coding_items(codebook)["item"].tolist(),
                        valid_units=set(sample["unit_id"]), sid=sids.pop() if len(sids) == 1 else None)
