"""The picture of stages and artefacts in ``docs/architecture.md``, generated from the registry.

:mod:`analysis.registry` is the contract between the stages: which stage
writes each run file and which stages read it. This module turns it into
Markdown, a Mermaid flowchart of the stages (an arrow for every artefact one
stage reads from another) and one table per stage of the files it writes, and
keeps that text in ``docs/architecture.md`` between two marker comments.
Rules it keeps:

* Nothing between the markers is written by hand: ``python -m
  analysis.architecture`` regenerates it, and ``tests/test_architecture.py``
  fails when the document and the registry differ.
* The prose around the markers is the document's own and is left as it is.
"""

from __future__ import annotations

from pathlib import Path

from . import registry
from .paths import ROOT

BEGIN = "<!-- registry:begin -->"
END = "<!-- registry:end -->"
DOC = ROOT / "docs" / "architecture.md"

_NOTICE = ("<!-- Generated from analysis/registry.py by `python -m analysis.architecture`; "
           "edit the registry, not this block. -->")


def _node(stage: str) -> str:
    # Mermaid node: the stage name, then the notebook (or program) that runs it.
    label = registry.STAGES[stage].replace('"', "'")
    return f'    {stage}["<b>{stage}</b><br/>{label}"]'


def stage_edges() -> dict[tuple[str, str], list[str]]:
    """Return ``{(writer stage, reader stage): [artefact keys]}`` in registry order.

    A stage reading its own artefact (the corpus stage re-reading its cleaning
    log) is not an edge between stages.

    >>> stage_edges()[("corpus", "text")][:2]
    ['articles', 'units']
    """
    edges: dict[tuple[str, str], list[str]] = {}
    for a in registry.ARTIFACTS:
        for reader in a.read_by:
            if reader != a.stage:
                edges.setdefault((a.stage, reader), []).append(a.key)
    return edges


def flowchart() -> str:
    """Return a Mermaid flowchart: the stages in run order, an arrow per artefact read across stages.

    >>> flowchart().splitlines()[:2]
    ['```mermaid', 'flowchart LR']
    """
    lines = ["```mermaid", "flowchart LR"]
    lines += [_node(stage) for stage in registry.STAGES]
    lines += [f"    {writer} -->|{', '.join(keys)}| {reader}" for (writer, reader), keys in stage_edges().items()]
    lines.append("```")
    return "\n".join(lines)


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|")


def artefact_tables() -> str:
    """Return one Markdown table per stage: every artefact it writes, its file, format, publication and readers.

    >>> "| `units` | `data/units.parquet` | table | no |" in artefact_tables()
    True
    """
    table = registry.stage_table()
    parts = []
    for stage, notebook in registry.STAGES.items():
        rows = table[table["stage"] == stage]
        if rows.empty:
            continue
        parts.append(f"### {stage} ({notebook})\n")
        parts.append("| key | file | format | published | read by | what |")
        parts.append("|---|---|---|---|---|---|")
        for r in rows.itertuples():
            parts.append(f"| `{r.key}` | `{r.file}` | {r.format} | {r.published} | {_cell(r.read_by) or '—'} | "
                         f"{_cell(registry.artifact(r.key).description)} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def registry_section() -> str:
    """Return the generated block of ``docs/architecture.md``, markers included."""
    return "\n".join([BEGIN, _NOTICE, "", flowchart(), "", artefact_tables(), END])


def update(text: str) -> str:
    """Return ``text`` with the block between the markers replaced by :func:`registry_section`.

    >>> update(f"intro\\n{BEGIN}\\nold\\n{END}\\nrest").split("\\n")[-1]
    'rest'
    """
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the document lacks the markers {BEGIN} … {END}")
    return text[:start] + registry_section() + text[end + len(END):]


def write(path: Path = DOC) -> Path:
    """Regenerate the registry block of ``path`` (default ``docs/architecture.md``) and return the path."""
    path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write().relative_to(ROOT)}")
