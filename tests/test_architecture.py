"""docs/architecture.md against the registry, and the registry's ``read_by`` against the code.

The picture of stages and artefacts in ``docs/architecture.md`` is generated
from :mod:`analysis.registry` (:mod:`analysis.architecture`); it must be the
same text the registry gives now. Each artefact's ``read_by`` must match the
code: a table that a stage reads through the registry must name that stage.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis import architecture, registry
from analysis.paths import NOTEBOOKS, ROOT

PACKAGE = ROOT / "analysis"

# Modules whose first path component under analysis/ is not a stage name, but which belong to one.
REPORT_MODULES = {"findings", "methods", "report", "runner"}  # the runner reads a run's size for the site's listing

# A read through the registry, in a module or a notebook: registry.read(paths, "key"),
# report.read_table(paths, "key"), run.table("key") (findings.RunData).
_READS = (
    re.compile(r"(?<![\w.])(?:registry\.)?read(?:_without)?\(\s*[^,()]+,\s*[\"'](\w+)[\"']"),
    re.compile(r"\bread_table\(\s*[^,()]+,\s*[\"'](\w+)[\"']"),
    re.compile(r"\.table\(\s*[\"'](\w+)[\"']"),
)
# Looser: any mention of an artefact through the registry (a path, a read, a write), for "is it used at all".
_MENTIONS = (*_READS, re.compile(r"\.file\(\s*[\"'](\w+)[\"']"), re.compile(r"\bpaths\.(units|articles)\b"))


def module_stages(path: Path) -> set[str]:
    """The stage(s) a source file belongs to; empty for shared modules (paths, registry, plots …).

    ``analysis/<stage>.py`` and ``analysis/<stage>/…`` (the stage subpackages)
    belong to their stage; findings, methods, report and the report pages to
    ``report``; a stage notebook to the stages it runs (02 runs text and topics).
    """
    path = Path(path)
    if path.suffix == ".ipynb":
        if path.parent.name == "pages":
            return {"report"}
        return {stage for stage, nb in registry.STAGES.items() if nb == path.stem}
    first = Path(path.relative_to(PACKAGE).parts[0]).stem
    if first in REPORT_MODULES:
        return {"report"}
    return {first} if first in registry.STAGES else set()


def _source(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return path.read_text(encoding="utf-8")


def _sources() -> list[Path]:
    # Whatever exists now: stage modules move into subpackages (analysis/corpus/ …) one by one.
    return sorted([*PACKAGE.rglob("*.py"), *NOTEBOOKS.glob("*.ipynb"), *(NOTEBOOKS / "pages").glob("*.ipynb")])


def found(patterns) -> list[tuple[set[str], str, str]]:
    """Every ``(stages, key, "file:line")`` the patterns find in the package and the notebooks."""
    hits = []
    for path in _sources():
        stages = module_stages(path)
        if not stages:
            continue
        text = _source(path)
        for pattern in patterns:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                hits.append((stages, m.group(1), f"{path.relative_to(ROOT)}:{line}"))
    return hits


# ---------------------------------------------------------------- the document


def test_docs_architecture_matches_the_registry():
    text = architecture.DOC.read_text(encoding="utf-8")
    assert architecture.BEGIN in text and architecture.END in text
    assert text == architecture.update(text), (
        "docs/architecture.md differs from analysis/registry.py: run `python -m analysis.architecture`")


def test_generated_block_names_every_artefact_and_every_stage():
    block = architecture.registry_section()
    for a in registry.ARTIFACTS:
        assert f"| `{a.key}` | `{a.csv or a.file}` |" in block, a.key
    for stage in registry.STAGES:
        assert f'    {stage}["<b>{stage}</b>' in block, stage


def test_flowchart_has_an_arrow_for_every_read_across_stages():
    chart = architecture.flowchart()
    for a in registry.ARTIFACTS:
        for reader in a.read_by:
            if reader != a.stage:
                arrow = next(line for line in chart.splitlines() if line.startswith(f"    {a.stage} -->|")
                             and line.endswith(f"| {reader}"))
                assert a.key in arrow.split("|")[1].split(", "), (a.key, reader)


def test_update_keeps_the_prose_and_needs_the_markers(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text(f"# Title\n\nHand-written.\n\n{architecture.BEGIN}\nstale\n{architecture.END}\n\nMore prose.\n",
                   encoding="utf-8")
    text = architecture.write(doc).read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nHand-written.\n\n<!-- registry:begin -->")
    assert text.endswith("<!-- registry:end -->\n\nMore prose.\n") and "stale" not in text
    assert architecture.update(text) == text  # regenerating is idempotent
    with pytest.raises(ValueError, match="lacks the markers"):
        architecture.update("no markers here")


# ---------------------------------------------------------------- read_by against the code


def test_module_stages_map_paths_to_stages():
    assert module_stages(PACKAGE / "corpus" / "cleaning.py") == {"corpus"}
    assert module_stages(PACKAGE / "frames.py") == {"frames"}
    assert module_stages(PACKAGE / "findings.py") == module_stages(NOTEBOOKS / "pages" / "data.ipynb") == {"report"}
    assert module_stages(NOTEBOOKS / "02-fit-topics.ipynb") == {"text", "topics"}
    assert module_stages(PACKAGE / "registry.py") == module_stages(PACKAGE / "plots.py") == set()


def test_the_scan_finds_reads_of_every_form():
    text = ('registry.read(paths, "units")\nreport.read_table(paths, "k_sweep")\nrun.table("codebook")\nzf.read(info)\n'
            'registry.read_without(paths, "articles", "text")')
    keys = [m.group(1) for p in _READS for m in p.finditer(text)]
    assert sorted(keys) == ["articles", "codebook", "k_sweep", "units"]


def test_every_table_read_in_the_code_is_declared_in_read_by():
    """A stage that reads a table through the registry must be among its ``read_by`` (or be its writer).

    Only reads that exist are checked: a stage still reading a published CSV
    or a file path directly is not found here until it moves to the registry.
    """
    undeclared = []
    for stages, key, where in found(_READS):
        if key not in registry.BY_KEY:
            undeclared.append(f"{where}: reads {key!r}, which the registry does not know")
            continue
        a = registry.artifact(key)
        if not stages & {a.stage, *a.read_by}:
            undeclared.append(f"{where}: {'/'.join(sorted(stages))} reads {key!r}, read_by is {list(a.read_by)}")
    assert not undeclared, "\n".join(undeclared)


def _unread(stage: str) -> list[str]:
    used = {key for stages, key, _ in found(_MENTIONS) if stage in stages}
    return [a.key for a in registry.ARTIFACTS if a.is_table and stage in a.read_by and a.key not in used]


def test_every_table_declared_as_read_by_the_report_is_read_by_it():
    assert not _unread("report"), "declared in read_by but not read by the report pages"


@pytest.mark.parametrize("stage", [s for s in registry.STAGES if s not in ("report", "runner")])
def test_every_table_declared_as_read_by_a_stage_is_read_by_it(stage):
    assert not _unread(stage), f"declared in read_by but not read by the {stage} stage"
