"""What notebook 04 and the Findings page say about voices, written once from the stage's tables.

Every sentence is computed from tables; names from the corpus are escaped
for Markdown. Who coded the speaker coding is said wherever its precision and
recall appear, and an example set no person produced is never called human.
"""

from __future__ import annotations

import math

import pandas as pd

from ..outputs import count_noun, escape_markdown
from ..validation.sentences import who_coded

# Attribution "holds" when speaker extraction and typing with it reach this
# precision and recall against the coding (a common bar for information extraction).
ATTRIBUTION_OK = 0.8


def _pct(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.0f}%"


def _interval(lo, hi) -> str:
    if lo is None or pd.isna(lo) or pd.isna(hi):
        return ""
    return f" [{_pct(lo)}, {_pct(hi)}]"


def describe_sources(statements: pd.DataFrame, types: pd.DataFrame, origins: pd.DataFrame, *,
                     unit: str = "unit") -> str:
    """Who speaks: statements and sources by type and by origin (unknown counted), channels and unnamed sources.

    >>> st = pd.DataFrame({"canonical": ["a", "a", "b"], "speaker": ["ISW", "ISW", "para analis"],
    ...                    "source_type": ["think_tank", "think_tank", "analyst_expert"],
    ...                    "origin": ["west", "west", "unknown"], "identity": ["named", "named", "unnamed"],
    ...                    "unit_id": ["u1", "u2", "u3"], "article_id": ["x", "x", "y"], "via": ["", "", ""]})
    >>> from analysis.actors.sources import count_by
    >>> t = count_by(st, "source_type", {"think_tank": "think tank", "analyst_expert": "analyst", "unknown": "unknown"})
    >>> o = count_by(st, "origin", {"west": "US, European or NATO", "unknown": "unknown"})
    >>> describe_sources(st, t, o)[:90]
    '**3 statements** by **2 distinct sources** are attributed in 3 units of 2 articles. By typ'
    """
    if statements.empty:
        return "No attributed statement was found in this corpus."
    units = f"{unit}s"
    parts = []
    for table, what in ((types, "type"), (origins, "origin")):
        rows = table[table["n_statements"] > 0].sort_values(["n_statements", "n_sources"], ascending=False,
                                                             kind="stable")
        parts.append(f"By {what} — " + "; ".join(
            f"{r.label}: {count_noun(int(r.n_sources), 'source')}, {count_noun(int(r.n_statements), 'statement')}"
            for r in rows.itertuples()) + ".")
    text = (f"**{count_noun(len(statements), 'statement')}** by **{statements['canonical'].nunique()} distinct "
            f"sources** are attributed in {statements['unit_id'].nunique()} {units} of "
            f"{count_noun(statements['article_id'].nunique(), 'article')}. " + " ".join(parts))
    unknown = int(types.loc[types["source_type"] == "unknown", "n_statements"].sum()) if len(types) else 0
    text += (f" {count_noun(unknown, 'statement')} {'has a speaker' if unknown == 1 else 'have speakers'} no rule "
             "could type (unknown)." if unknown else " Every speaker was typed by a rule.")
    unnamed = statements[statements["identity"].fillna("") == "unnamed"]
    if len(unnamed):
        names = ", ".join(f"“{escape_markdown(s)}”" for s in dict.fromkeys(unnamed["speaker"]))
        text += f" {count_noun(unnamed['canonical'].nunique(), 'source')} {'is' if unnamed['canonical'].nunique() == 1 else 'are'} unnamed (anonymous or plural): {names}."
    via = statements["via"].fillna("")
    via = via[via != ""]
    if len(via):
        counts = via.value_counts()
        text += (f" {count_noun(len(via), 'statement')} reached the story through a named outlet ("
                 + ", ".join(f"{escape_markdown(k)} {v}" for k, v in counts.items()) + ").")
    return text


def describe_voices(quote_frames: pd.DataFrame, names: dict[str, str], frames: list[str] | None = None) -> str:
    """Frames in the sources' direct quotes and in all their attributed words, against the journalist's words.

    Each share has its n spans (and n sources for the sources' voices); spans
    left out as too short are counted. ``frames`` limits the sentence to these
    frames (the validated ones), in order.

    >>> q = pd.DataFrame({"voice": ["quoted", "attributed", "journalist"], "frame": "f", "n_spans": [4, 9, 30],
    ...                   "n_articles": 2, "n_sources": [3, 5, 0], "n_short": [2, 0, 1], "n_present": 1,
    ...                   "share": [.5, .3, .1], "lo": float("nan"), "hi": float("nan")})
    >>> describe_voices(q, {"f": "F"})  # doctest: +NORMALIZE_WHITESPACE
    "Coding the sources' direct quotes (4 spans by 3 sources), all their attributed words (direct and indirect
    speech: 9 spans by 5 sources) and the journalist's own words (30 spans, at most one per unit) apart: **F**
    50% of direct quotes, 30% of attributed words, against 10% of the journalist's. Spans under the length a
    frame needs were left out (2 direct quotes, 1 journalist span). Intervals resample articles."
    """
    if quote_frames.empty:
        return "No statement is long enough to code its quoted words."
    q = quote_frames.set_index(["voice", "frame"])
    frames = [f for f in (frames if frames is not None else dict.fromkeys(quote_frames["frame"]))
              if ("quoted", f) in q.index and ("journalist", f) in q.index]
    if not frames:
        return "No frame is coded in both the quoted words and the journalist's words."
    f0 = frames[0]

    def n(voice, col):
        return int(q.loc[(voice, f0), col]) if (voice, f0) in q.index and col in q.columns else 0

    has_att = ("attributed", f0) in q.index

    def by(voice):  # tables written before n_sources existed say no number of sources
        return f" by {count_noun(n(voice, 'n_sources'), 'source')}" if "n_sources" in q.columns else ""

    parts = []
    for f in frames:
        a, b = q.loc[("quoted", f)], q.loc[("journalist", f)]
        att = (f"{_pct(q.loc[('attributed', f), 'share'])}"
               f"{_interval(q.loc[('attributed', f), 'lo'], q.loc[('attributed', f), 'hi'])} of attributed words, "
               if ("attributed", f) in q.index else "")
        parts.append(f"**{escape_markdown(names.get(f, f))}** {_pct(a['share'])}{_interval(a['lo'], a['hi'])} of "
                     f"direct quotes, {att}against {_pct(b['share'])}{_interval(b['lo'], b['hi'])} of the journalist's")
    att_part = (f", all their attributed words (direct and indirect speech: {count_noun(n('attributed', 'n_spans'), 'span')}"
                f"{by('attributed')})" if has_att else "")
    text = (f"Coding the sources' direct quotes ({count_noun(n('quoted', 'n_spans'), 'span')}{by('quoted')})"
            f"{att_part} and the journalist's own words "
            f"({count_noun(n('journalist', 'n_spans'), 'span')}, at most one per unit) apart: " + "; ".join(parts) + ".")
    short = [(n(v, "n_short"), label) for v, label in (("quoted", "direct quote"), ("attributed", "attributed span"),
                                                      ("journalist", "journalist span"))]
    short = [count_noun(k, label) for k, label in short if k]
    if short:
        text += f" Spans under the length a frame needs were left out ({', '.join(short)})."
    return text + " Intervals resample articles."


def describe_wire(wire: pd.DataFrame, origins: pd.DataFrame, names: dict[str, str],
                  frames: list[str] | None = None) -> str:
    """Frames of wire-based or translated stories against the outlet's own reporting, with n."""
    if origins.empty or (origins["story"] == "unknown").all():
        return ("The corpus stage recorded no wire or translation credits for this run, so wire-based stories "
                "cannot be told apart from the outlets' own reporting.")
    n_wire, n_own = int((origins["story"] == "wire").sum()), int((origins["story"] == "own").sum())
    credits = origins.loc[origins["story"] == "wire", ["wire_source", "translated_from"]].fillna("").astype(str).agg(
        lambda r: "; ".join(x for x in r if x), axis=1)
    text = (f"{count_noun(n_wire, 'article')} {'is' if n_wire == 1 else 'are'} credited to a wire or translated "
            f"({', '.join(escape_markdown(c) for c in dict.fromkeys(credits))}" if n_wire else
            "No article is credited to a wire or translated") + (")" if n_wire else "") + \
        f"; {count_noun(n_own, 'article')} {'is' if n_own == 1 else 'are'} the outlets' own reporting."
    if wire.empty or n_wire == 0 or n_own == 0:
        return text + " With one of the two groups empty, their frames cannot be compared."
    w = wire.set_index(["story", "frame"])
    frames = [f for f in (frames if frames is not None else dict.fromkeys(wire["frame"]))
              if ("wire", f) in w.index and ("own", f) in w.index]
    if not frames:
        return text + " No frame of the comparison is validated."
    n_art = {g: int(w.loc[(g, frames[0]), "n_articles"]) for g in ("wire", "own")}
    parts = [f"**{escape_markdown(names.get(f, f))}** {_pct(w.loc[('wire', f), 'share'])} of "
             f"{int(w.loc[('wire', f), 'n_units'])} units against {_pct(w.loc[('own', f), 'share'])} of "
             f"{int(w.loc[('own', f), 'n_units'])}" for f in frames]
    text += (f" Wire-based ({count_noun(n_art['wire'], 'article')}) against own reporting "
             f"({count_noun(n_art['own'], 'article')}): " + "; ".join(parts) + ".")
    one = [label for g, label in (("wire", "wire-based"), ("own", "own reporting")) if n_art[g] < 2]
    if one:
        text += (f" The {' and '.join(one)} side rests on 1 article: description only, no interval, "
                 "no comparison of outlets' practice.")
    return text


def attribution_status(summary: pd.DataFrame) -> tuple[str, str]:
    """``(status, heading note)``: validated / checked against an example coding / not validated.

    >>> attribution_status(pd.DataFrame())
    ('not validated', 'attribution not validated')
    """
    if summary.empty or summary.iloc[0]["status"] == "none" or pd.isna(summary.iloc[0]["precision"]):
        return "not validated", "attribution not validated"
    r = summary.iloc[0]
    holds = bool(r["holds"])
    nums = f"speaker precision {r['precision']:.2f}, recall {r['recall']:.2f}, n = {int(r['n_gold'])}"
    if r["status"] == "example":
        # An AI example coding (here by the session that wrote the rules) is in-sample agreement:
        # never a validation, whatever its numbers.
        return "not validated", f"not validated; agreement with an AI coding, not people: {nums}"
    return ("validated" if holds else "not validated",
            f"attribution {'validated' if holds else 'not validated'} against human coders: {nums}")


def describe_check(scores: pd.DataFrame, summary: pd.DataFrame) -> str:
    """Precision and recall of attribution against the speaker coding, saying who coded it."""
    if summary.empty or summary.iloc[0]["status"] == "none":
        return ("No speaker coding is available for this run, so attribution is not validated: its counts are "
                "description. A coding sheet and its import are described on this page.")
    r = summary.iloc[0]
    who = who_coded({"example": r["status"] == "example", "produced_by": r["produced_by"]}, r["coding_set"])
    rows = scores[scores["item"].isin(["speaker", "speaker + type", "speaker + origin", "speaker + kind"])]
    parts = [f"{s.item}: precision {_pct(s.precision)}{_interval(s.precision_lo, s.precision_hi)} "
             f"({s.tp} of {s.n_machine} machine statements), recall {_pct(s.recall)}"
             f"{_interval(s.recall_lo, s.recall_hi)} ({s.tp} of {s.n_gold} coded)" for s in rows.itertuples()]
    if r["status"] == "example":
        author = "the rules' author" if "same" in str(r["produced_by"]).lower() else "AI, not people"
        verdict = (f" This is agreement with an AI coding by {author}, not a validation: the coding shares the "
                   "rules' blind spots, so the numbers are in-sample and likely optimistic.")
    else:
        verdict = (f" Speaker extraction and typing {'meet' if r['holds'] else 'do not meet'} the bar of "
                   f"{ATTRIBUTION_OK:.0%} precision and recall.")
    return (f"Attribution is compared with {who} ({count_noun(int(r['n_gold']), 'coded statement')} in "
            f"{count_noun(int(r['n_articles']), 'article')}). " + "; ".join(parts) +
            f". Intervals resample articles.{verdict}")
