"""The review view: each article with its units in order, for checking the codes in context.

A reviewer checking a frame code should not have to jump between the
evidence table and the raw files. This view shows every article as the
pipeline cut it: its units in reading order, each typed (headline, lead,
body … as the corpus stage typed it), each deductive code the unit received
with the indicators that fired highlighted in the text, and each quote marked
with its speaker.

Rules it keeps:

* It holds the full text of the articles, which is copyrighted news text.
  It is therefore built into a private folder, ``review/<run>/`` beside
  ``runs/`` (git-ignored, never part of the site), unless the corpus card
  (``corpus.yml``) says ``publish_review: true`` because the corpus' licence
  allows it; only then does ``python -m analysis site`` put it in the run's
  section of the site.
* Every piece of corpus text is HTML-escaped; highlights are placed on the
  escaped text by character offsets, never by inserting markup into raw text.
* It reads the run's tables through the registry and works with what the run
  has: ``unit_type`` where the run has it (else units are "body"), and the
  actors stage's ``statements`` (a continuation quote has no speaker span in
  its unit, so only its quoted words are marked).
* The pages are static and self-contained (inline CSS, no script, relative
  links), so they open from ``file://`` with no network.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import registry
from .errors import AnalysisError
from .outputs import count_noun, escape
from .paths import runs_root
from .registry import RunPaths

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
header.article { border-bottom: 1px solid #ccc; margin-bottom: 1rem; }
.unit { display: grid; grid-template-columns: 6.5rem 1fr; gap: .25rem 1rem; padding: .5rem 0; border-bottom: 1px solid #eee; }
.unit .where { font-size: .8rem; color: #555; }
.unit .type { display: inline-block; padding: 0 .3rem; border-radius: .2rem; background: #eee; font-size: .75rem; }
.unit.headline .text { font-size: 1.25rem; font-weight: 700; }
.unit.lead .text { font-weight: 600; }
.unit .codes { grid-column: 2; font-size: .85rem; margin: .2rem 0 0; padding-left: 1rem; }
mark.indicator { background: #ffe08a; padding: 0 .1rem; }
.speaker { border-bottom: 2px solid #0072B2; font-weight: 600; }
q.quote { background: #e4f1fb; quotes: "\\201C" "\\201D"; }
.frame { font-weight: 600; }
.muted { color: #666; }
table { border-collapse: collapse; } td, th { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.num, th.num { text-align: right; }
@media (max-width: 32rem) { .unit { grid-template-columns: 1fr; } .unit .codes { grid-column: 1; } }
"""

# An indicator written as a regular expression in the codebook is "re:<pattern>".
_REGEX_PREFIX = "re:"


def review_root() -> Path:
    """Return the private folder review views are built into: ``review/`` beside the runs folder."""
    return runs_root().parent / "review"


def may_publish(paths: RunPaths) -> bool:
    """Return whether the run's corpus card allows the review view on the site (``publish_review: true``)."""
    from .report import run_manifest

    card = run_manifest(paths).get("corpus", {}).get("card") or {}
    return card.get("publish_review") is True


def _table(paths: RunPaths, key: str) -> pd.DataFrame:
    return registry.read(paths, key) if registry.exists(paths, key) else pd.DataFrame()


def _indicator_spans(text: str, evidence: str) -> list[tuple[int, int]]:
    """Return the character spans of ``text`` where the indicators of one code matched.

    ``evidence`` is the "; "-joined list the frames stage records: literal
    phrases (matched case-insensitively on word boundaries) and ``re:``
    patterns, as the codebook wrote them.

    >>> _indicator_spans("Rusia menyaingi Barat", "re:\\\\bmenyaingi\\\\b; barat")
    [(6, 15), (16, 21)]
    """
    spans = []
    for item in (e.strip() for e in str(evidence or "").split(";")):
        if not item:
            continue
        if item.startswith(_REGEX_PREFIX):
            try:
                pattern = re.compile(item[len(_REGEX_PREFIX):], re.IGNORECASE)
            except re.error:
                continue
        else:
            pattern = re.compile(rf"(?<!\w){re.escape(item)}(?!\w)", re.IGNORECASE)
        spans += [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
    return sorted(set(spans))


def _marked(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """Return ``text`` escaped, with each ``(start, end, tag, attrs)`` mark wrapped around its span.

    Marks that overlap an earlier one are dropped, so the markup always nests;
    the text between marks is escaped piece by piece.

    >>> _marked("a <b> c", [(2, 5, "mark", "")])
    'a <mark>&lt;b&gt;</mark> c'
    """
    out, pos = [], 0
    for start, end, tag, attrs in sorted(marks, key=lambda m: (m[0], -m[1])):
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(f"<{tag}{attrs}>{escape(text[start:end])}</{tag}>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _quotes(paths: RunPaths) -> pd.DataFrame:
    """Return the run's attributed statements (the actors stage's ``statements`` table): speaker and quote offsets."""
    statements = _table(paths, "statements")
    # A run without the table (or an older run) has no quotes to mark, not a broken page.
    return statements if not statements.empty else registry.empty("statements")


def _unit_html(unit, codes: pd.DataFrame, quotes: pd.DataFrame, names: dict[str, str]) -> str:
    text = str(unit.text)
    marks = []
    for q in quotes.itertuples():
        s, e = int(getattr(q, "speaker_start", -1)), int(getattr(q, "speaker_end", -1))
        if 0 <= s < e <= len(text) and text[s:e].strip():
            marks.append((s, e, "span", f' class="speaker" title="speaker: {escape(q.speaker)}"'))
        qs, qe = int(getattr(q, "quote_start", -1)), int(getattr(q, "quote_end", -1))
        if 0 <= qs < qe <= len(text):
            marks.append((qs, qe, "q", f' class="quote" title="quote by {escape(q.speaker)}"'))
    items = []
    for code in codes.itertuples():
        name = names.get(code.frame, code.frame)
        for s, e in _indicator_spans(text, code.evidence):
            marks.append((s, e, "mark", f' class="indicator" title="{escape(name)}: {escape(code.evidence)}"'))
        questions = f" ({escape(code.questions)})" if getattr(code, "questions", "") else ""
        items.append(f'<li><span class="frame">{escape(name)}</span>{questions}: indicators '
                     f'<em>{escape(code.evidence or "none recorded")}</em></li>')
    for q in quotes.itertuples():
        kind = f"{escape(q.kind)} quote" if str(q.kind) not in ("", "quoted") else "quoted"
        extra = "; ".join(escape(v) for v in (getattr(q, "source_type", ""), getattr(q, "cue", "")) if str(v))
        items.append(f'<li>{kind}: <span class="speaker">{escape(q.speaker)}</span>'
                     f'{f" <span class=muted>({extra})</span>" if extra else ""}</li>')
    kind = str(getattr(unit, "unit_type", "") or "body")
    codes_html = f'<ul class="codes">{"".join(items)}</ul>' if items else ""
    return (f'<section class="unit {escape(kind)}" id="{escape(unit.unit_id)}">'
            f'<div class="where">{int(unit.position) + 1}. <span class="type">{escape(kind)}</span></div>'
            f'<div class="text">{_marked(text, marks)}</div>{codes_html}</section>')


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{escape(title)}</title><style>{STYLE}</style></head>'
            f"<body>{body}</body></html>\n")


def _legend() -> str:
    return ('<p class="muted">Highlighted: <mark class="indicator">indicators that fired</mark> for a deductive '
            'code; <span class="speaker">speakers</span> of quotes; <q class="quote">quoted words</q> where the run '
            "records them. Each unit lists its codes (frame, questions answered yes, indicators) and its quotes.</p>")


def _frame_codes(paths: RunPaths) -> pd.DataFrame:
    """Return the units' yes codes: ``unit_id frame evidence questions``."""
    units = _table(paths, "frames_units")
    if units.empty:
        return pd.DataFrame(columns=["unit_id", "frame", "evidence", "questions"])
    yes = units[units["present"].astype(int) == 1][["unit_id", "frame", "evidence"]].copy()
    evidence = _table(paths, "frame_evidence")
    if not evidence.empty:
        q = evidence.groupby(["unit_id", "frame"])["question"].agg(lambda s: ", ".join(dict.fromkeys(s))).rename("questions")
        yes = yes.merge(q.reset_index(), on=["unit_id", "frame"], how="left")
    yes["questions"] = yes.get("questions", pd.Series("", index=yes.index)).fillna("")
    return yes


def build_review(paths: RunPaths, out: Path | None = None) -> Path:
    """Write the review view of a finished run and return its index page.

    One page per article (its units in order, typed, with codes, indicators
    and quotes marked) and an index of the articles. ``out`` defaults to the
    private ``review/<run>/`` folder (:func:`review_root`), never the site.

    Examples
    --------
    >>> import tempfile
    >>> try:
    ...     build_review(RunPaths(Path(tempfile.mkdtemp()) / "r"))
    ... except AnalysisError as exc:
    ...     print(str(exc).split(": ")[1])
    no units in this run
    """
    units = _table(paths, "units")
    if units.empty:
        raise AnalysisError("no units in this run: run `python -m analysis run --corpus ...` first", path=paths.root)
    out = Path(out) if out is not None else review_root() / paths.root.name
    out.mkdir(parents=True, exist_ok=True)
    articles = _table(paths, "articles")
    codebook = _table(paths, "codebook")
    names = dict(zip(codebook["frame"], codebook["frame_name"])) if not codebook.empty else {}
    codes, quotes = _frame_codes(paths), _quotes(paths)
    types = _table(paths, "source_types")
    if not quotes.empty and {"source_type", "label"} <= set(types.columns) and "source_type" in quotes:
        quotes = quotes.assign(source_type=quotes["source_type"].map(dict(zip(types["source_type"], types["label"])))
                               .fillna(quotes["source_type"]))
    meta = articles.set_index("article_id") if not articles.empty else pd.DataFrame()
    units = units.sort_values(["article_id", "position"], kind="stable")
    rows, ids = [], list(dict.fromkeys(units["article_id"]))
    for i, article_id in enumerate(ids):
        own = units[units["article_id"] == article_id]
        info = meta.loc[article_id] if article_id in meta.index else pd.Series(dtype=object)
        title = str(info.get("title") or article_id)
        facts = " · ".join(escape(v) for v in (info.get("outlet"), info.get("date"), info.get("url")) if v and str(v) != "nan")
        nav = " · ".join(f'<a href="{escape(ids[j])}.html">{label}</a>' for j, label in ((i - 1, "previous"), (i + 1, "next"))
                         if 0 <= j < len(ids))
        body = "".join(_unit_html(u, codes[codes["unit_id"] == u.unit_id], quotes[quotes["unit_id"] == u.unit_id], names)
                       for u in own.itertuples())
        (out / f"{article_id}.html").write_text(_page(title, (
            f'<p><a href="index.html">All articles</a>{" · " + nav if nav else ""}</p>'
            f'<header class="article"><h1>{escape(title)}</h1><p class="muted">{escape(article_id)}'
            f'{" · " + facts if facts else ""}</p></header>{_legend()}{body}')), encoding="utf-8")
        n_coded = codes[codes["unit_id"].isin(own["unit_id"])]["unit_id"].nunique()
        n_quotes = int(quotes["unit_id"].isin(own["unit_id"]).sum()) if not quotes.empty else 0
        rows.append(f'<tr><td><a href="{escape(article_id)}.html">{escape(article_id)}</a></td><td>{escape(title)}</td>'
                    f'<td class="num">{len(own)}</td><td class="num">{n_coded}</td><td class="num">{n_quotes}</td></tr>')
    index = out / "index.html"
    index.write_text(_page(f"Review: {paths.root.name}", (
        f"<h1>Review view of run {escape(paths.root.name)}</h1>"
        f"<p>{count_noun(len(ids), 'article')}, {count_noun(len(units), 'unit')}, in reading order. This view holds the "
        "articles' full text: it is for checking the codes in context and is not published unless the corpus card "
        "allows it (<code>publish_review: true</code>).</p>"
        '<table><thead><tr><th>article</th><th>title</th><th class="num">units</th><th class="num">units with a code</th>'
        f'<th class="num">quotes</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')), encoding="utf-8")
    return index
