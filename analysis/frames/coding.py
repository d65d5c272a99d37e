"""Deductive coding: every unit answers every codebook question, with the indicators that fired as evidence.

A question is answered yes when one of its indicators for the coding
language matches the unit's text; a unit's frame score is the share of the
frame's questions answered yes; an article has a frame when at least
``min_units`` of its units have it (the codebook's roll-up rule). Every yes
carries its evidence, so each code can be audited.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import outputs, progress
from ..corpus import resolve_language
from ..errors import AnalysisError
from ..files import require_columns
from .codebook import _WORD, Codebook, compile_indicator, indicator_key


def choose_language(language: str, articles: pd.DataFrame | None, codebook: Codebook) -> str:
    """Return the indicator language to code with.

    ``"auto"`` picks the most frequent ``language`` of the articles that the
    codebook has indicators for (ties: alphabetical), else ``"en"``.

    Examples
    --------
    >>> from analysis.frames import load_codebook
    >>> choose_language("auto", pd.DataFrame({"language": ["id", "id", "en"]}), load_codebook())
    'id'
    """
    have = codebook.languages()
    if language != "auto" and language not in have:
        raise AnalysisError(f"parameter language={language!r}: the codebook has indicators for {', '.join(have)}")
    return resolve_language(language, articles, have)


def _compiled_questions(codebook: Codebook, language: str) -> list[tuple[str, str, list]]:
    """Return ``(frame, question, [(indicator, first word, pattern)])`` per question, in codebook order."""
    if language not in codebook.languages():
        raise AnalysisError(
            f"parameter language={language!r}: the codebook has no indicators for it "
            f"(it has {', '.join(codebook.languages())})"
        )
    return [
        (f.id, q.id, [(ind, indicator_key(ind), compile_indicator(ind)) for ind in q.indicators.get(language, [])])
        for f in codebook.frames
        for q in f.questions
    ]


def code_units(units: pd.DataFrame, codebook: Codebook, language: str = "id") -> pd.DataFrame:
    """Answer every codebook question for every unit, with evidence.

    A question is answered yes (``present`` = 1) when at least one of its
    indicators for ``language`` matches the unit's text; ``evidence`` lists
    the indicators that fired, in codebook order, joined by ``"; "``.

    Parameters
    ----------
    units : table with ``unit_id``, ``article_id``, ``text``.
    codebook : from :func:`load_codebook`.
    language : indicator language to use (a key of the codebook's indicators).

    Returns
    -------
    Long table: unit_id, article_id, frame, question, present, evidence.

    Examples
    --------
    >>> from analysis.frames import load_codebook
    >>> u = pd.DataFrame({"unit_id": ["a-p000"], "article_id": ["a"], "text": ["Perang dan sanksi."]})
    >>> c = code_units(u, load_codebook(), "id")
    >>> c.loc[c.question == "conflict_q1", "evidence"].item()
    'perang'
    """
    require_columns(units, ("unit_id", "article_id", "text"), "units")
    compiled = _compiled_questions(codebook, language)
    # The table has one row per unit and question (millions for a large corpus), so it
    # is built from compact arrays: unit and question columns by repetition, and each
    # distinct evidence string stored once.
    n_units, n_questions = len(units), len(compiled)
    present = np.zeros(n_units * n_questions, dtype=np.int64)
    evidence_ids = np.zeros(n_units * n_questions, dtype=np.int32)
    evidence_text: dict[str, int] = {"": 0}
    row = 0
    for text in units["text"]:
        progress.tick("frames", "units coded by the codebook's indicators", row // max(n_questions, 1), n_units)
        text = "" if pd.isna(text) else str(text)
        words = set(_WORD.findall(text.casefold()))
        for _frame_id, _qid, patterns in compiled:
            fired = [ind for ind, key, pat in patterns if (key is None or key in words) and pat.search(text)]
            if fired:
                present[row] = 1
                evidence_ids[row] = evidence_text.setdefault("; ".join(fired), len(evidence_text))
            row += 1
    return pd.DataFrame({
        "unit_id": np.repeat(units["unit_id"].to_numpy(dtype=object), n_questions),
        "article_id": np.repeat(units["article_id"].to_numpy(dtype=object), n_questions),
        "frame": np.tile(np.array([c[0] for c in compiled], dtype=object), n_units),
        "question": np.tile(np.array([c[1] for c in compiled], dtype=object), n_units),
        "present": present,
        "evidence": np.array(list(evidence_text), dtype=object)[evidence_ids],
    })


def score_units(codes: pd.DataFrame, threshold: float = 0.2) -> pd.DataFrame:
    """Score each unit on each frame from its question codes.

    ``score`` is the share of the frame's questions answered yes (in [0, 1]);
    ``present`` is 1 when ``score >= threshold`` and ``score > 0`` (so a
    threshold of 0 means "any question answered yes"). With the
    default 0.2 one yes answer suffices for every frame of the shipped
    codebook (none has more than five questions). ``threshold`` is the
    notebook parameter ``frame_threshold``, checked by :class:`FrameParams`.

    Examples
    --------
    >>> codes = pd.DataFrame({"unit_id": ["u", "u"], "article_id": ["a", "a"], "frame": ["f", "f"],
    ...                       "question": ["q1", "q2"], "present": [1, 0], "evidence": ["x", ""]})
    >>> score_units(codes)[["score", "present"]].values.tolist()
    [[0.5, 1.0]]
    """
    require_columns(codes, ("unit_id", "article_id", "frame", "question", "present", "evidence"), "frame codes")
    order = {f: i for i, f in enumerate(dict.fromkeys(codes["frame"]))}
    keys = ["unit_id", "article_id", "frame"]
    out = codes.groupby(keys, sort=False)["present"].mean().rename("score").reset_index()
    # Evidence is joined only where some question fired: most (unit, frame) pairs have none.
    fired = codes[codes["evidence"].fillna("") != ""]
    evidence = fired.groupby(keys, sort=False)["evidence"].agg(
        lambda s: "; ".join(dict.fromkeys(e for x in s for e in x.split("; "))))
    out = out.merge(evidence.reset_index(), on=keys, how="left")
    out["evidence"] = out["evidence"].fillna("")
    out["present"] = ((out["score"] >= threshold - 1e-9) & (out["score"] > 0)).astype("int64")
    out["_order"] = out["frame"].map(order)
    out = out.sort_values(["unit_id", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    return out[["unit_id", "article_id", "frame", "score", "present", "evidence"]]


def rollup_articles(unit_scores: pd.DataFrame, min_units: int = 1) -> pd.DataFrame:
    """Roll unit frame codes up to articles.

    Rule (the codebook's ``rollup``): an article has a frame if at least
    ``min_units`` of its units have it; the article score is the share of its
    units coded with the frame. ``min_units`` is the notebook parameter,
    checked by :class:`FrameParams`.

    Returns
    -------
    article_id, frame, n_units, n_units_coded, score, present.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "a"], "frame": ["f", "f"],
    ...                   "score": [0.5, 0.0], "present": [1, 0], "evidence": ["x", ""]})
    >>> rollup_articles(s)[["n_units_coded", "score", "present"]].values.tolist()
    [[1.0, 0.5, 1.0]]
    """
    require_columns(unit_scores, ("unit_id", "article_id", "frame", "present"), "unit frame scores")
    order = {f: i for i, f in enumerate(dict.fromkeys(unit_scores["frame"]))}
    out = (
        unit_scores.groupby(["article_id", "frame"], sort=False)
        .agg(n_units=("unit_id", "nunique"), n_units_coded=("present", "sum"))
        .reset_index()
    )
    out["score"] = out["n_units_coded"] / out["n_units"]
    out["present"] = (out["n_units_coded"] >= min_units).astype("int64")
    out["_order"] = out["frame"].map(order)
    return out.sort_values(["article_id", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


def code_evidence(units: pd.DataFrame, codes: pd.DataFrame, *, width: int = 140) -> pd.DataFrame:
    """Return every *yes* code with its evidence and a short snippet of the unit.

    Columns: unit_id, frame, question, evidence, snippet (plain text; a page
    shows it through :func:`analysis.outputs.html_table`, which escapes it).
    """
    fired = codes[codes["present"] == 1].merge(units[["unit_id", "text"]], on="unit_id", how="left")
    snip = fired["text"].fillna("").map(lambda t: outputs.snippet(t, width))
    return fired.assign(snippet=snip)[["unit_id", "frame", "question", "evidence", "snippet"]].reset_index(drop=True)


def describe_coding(codes: pd.DataFrame, unit_scores: pd.DataFrame, codebook: Codebook, *,
                    threshold: float, min_units: int) -> str:
    """Return the sentence on what the deductive coding found (units, questions, yes codes, roll-up rule).

    >>> from analysis.frames import load_codebook
    >>> u = pd.DataFrame({"unit_id": ["a-p000"], "article_id": ["a"], "text": ["Perang dan sanksi."]})
    >>> c = code_units(u, load_codebook(), "id")
    >>> describe_coding(c, score_units(c), load_codebook(), threshold=0.2, min_units=1)[:40]
    '1 units were coded on 10 frames (32 ques'
    """
    n_units = unit_scores["unit_id"].nunique()
    n_coded = unit_scores.loc[unit_scores["present"] == 1, "unit_id"].nunique()
    share = f" ({n_coded / n_units:.0%})" if n_units else ""
    return (f"{n_units} units were coded on {len(codebook.frames)} frames ({codes['question'].nunique()} questions). "
            f"{int(codes['present'].sum())} question codes are *yes*; {n_coded} units{share} carry at least one "
            f"frame at the threshold of {threshold:g}. Rule for articles: {codebook.rollup} (here `min_units` = "
            f"{min_units}).")
