"""Whose words carry which frames: frames coded inside the quoted words and in the journalist's own words.

A unit's text is cut into *voices* by its statements (:mod:`.statements`):

* ``quoted``: the words in quotation marks inside a statement's content (the
  source's own words, as the outlet quotes them);
* ``reported``: the rest of a statement's content (indirect speech: what the
  source said, in the journalist's words);
* ``journalist``: every character of the unit outside any statement's
  content (attributions, context, unattributed quotes included).

A character inside nested statements ("Presiden Turki mengatakan bahwa
Erdogan mengatakan …") belongs to the innermost. Each voice span is coded
by the frames stage's own coder (:func:`analysis.frames.score_texts`, the
scores of :func:`~analysis.frames.score_units`, called on the spans, not copied), so
"which voices carry which frames" rests on the quoted words only, never on the
paragraph around them. Spans shorter than ``min_quote_words`` words are left
out of the shares (a short span can hardly carry a frame's indicators).

Shares have intervals that resample articles (a span's frames are not
independent of the other spans of its article). The wire comparison sets the
frames of stories credited to a wire or translated from another outlet
against the outlet's own reporting, when the corpus stage recorded credits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..frames import score_texts
from .attribution import count_words, find_quotes

VOICES = ("quoted", "reported", "journalist")
SPAN_COLUMNS = ["span_id", "article_id", "unit_id", "statement_id", "voice", "n_words", "text"]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    idx = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(idx[::2], idx[1::2]))


def voice_spans(units: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Cut every unit into its quoted, reported and journalist spans (one row per span, with its text).

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["a-p0"], "article_id": ["a"], "text": ['Ia menilai “perang akan lama,” katanya.']})
    >>> s = pd.DataFrame({"statement_id": ["s1"], "unit_id": ["a-p0"], "quote_start": [12], "quote_end": [29],
    ...                   "speaker_start": [30], "speaker_end": [37]})
    >>> voice_spans(u, s)[["voice", "text"]].values.tolist()
    [['quoted', 'perang akan lama,'], ['journalist', 'Ia menilai “ ” katanya.']]
    """
    rows = []
    by_unit: dict[str, list[tuple]] = {}
    if len(statements):
        cols = [statements[c].tolist() for c in
                ("unit_id", "statement_id", "quote_start", "quote_end", "speaker_start", "speaker_end")]
        for unit_id, *rest in zip(*cols):
            by_unit.setdefault(unit_id, []).append(rest)
    for unit_id, article_id, text in zip(units["unit_id"].tolist(), units["article_id"].tolist(),
                                         units["text"].tolist()):
        text = "" if pd.isna(text) else str(text)
        n = len(text)
        if not n:
            continue
        sts = by_unit.get(unit_id)
        if sts is None:  # no statement: the whole unit is the journalist's
            piece = text.strip()
            if piece:
                rows.append((f"{unit_id}:journalist", article_id, unit_id, "", "journalist", count_words(piece),
                             piece))
            continue
        inside_quote = np.zeros(n, dtype=bool)
        for s, e in find_quotes(text):
            inside_quote[s:e] = True
        owner = np.full(n, -1, dtype=np.int64)
        width = np.full(n, n + 1, dtype=np.int64)
        speaker = np.zeros(n, dtype=bool)
        for k, (_sid, qs, qe, ss, se) in enumerate(sts):
            s, e = int(qs), int(qe)
            narrower = (e - s) < width[s:e]
            owner[s:e][narrower], width[s:e][narrower] = k, e - s
            if ss >= 0:
                speaker[int(ss):int(se)] = True
        for k, (sid, *_offsets) in enumerate(sts):
            mine = (owner == k) & ~speaker
            for voice, mask in (("quoted", mine & inside_quote), ("reported", mine & ~inside_quote)):
                piece = " ".join(text[a:b].strip() for a, b in _runs(mask) if text[a:b].strip())
                if piece:
                    rows.append((f"{sid}:{voice}", article_id, unit_id, sid, voice, count_words(piece), piece))
        piece = " ".join(text[a:b].strip() for a, b in _runs(owner < 0) if text[a:b].strip())
        if piece:
            rows.append((f"{unit_id}:journalist", article_id, unit_id, "", "journalist", count_words(piece), piece))
    return pd.DataFrame(rows, columns=SPAN_COLUMNS)


def code_voices(spans: pd.DataFrame, codebook, language: str, threshold: float) -> pd.DataFrame:
    """Code every voice span with the frames stage's coder: span_id … voice, n_words, frame, present, evidence."""
    cols = ["span_id", "article_id", "unit_id", "statement_id", "voice", "n_words", "frame", "present", "evidence"]
    if spans.empty:
        return pd.DataFrame(columns=cols)
    pseudo = spans.rename(columns={"span_id": "unit_id", "unit_id": "_unit"})[["unit_id", "article_id", "text"]]
    scores = score_texts(pseudo, codebook, language, threshold)
    out = spans.drop(columns="text").merge(scores.rename(columns={"unit_id": "span_id"})[
        ["span_id", "frame", "present", "evidence"]], on="span_id", how="left")
    return out[cols].reset_index(drop=True)


def _cluster_share(groups: pd.Series, present: pd.Series, n_bootstrap: int, rng) -> tuple[float, float, float]:
    """Share of present, with a percentile interval resampling the groups (articles)."""
    per = pd.DataFrame({"g": groups.to_numpy(), "y": present.to_numpy()}).groupby("g")["y"].agg(["sum", "count"])
    return _share_of_counts(per["sum"].to_numpy(), per["count"].to_numpy(), n_bootstrap, rng)


# Resamples are drawn this many at a time: the same draws as all at once (a Generator's stream does not
# depend on how it is cut), with memory bounded at 100k articles.
_BOOT_BLOCK = 50


def _share_of_counts(k: np.ndarray, n: np.ndarray, n_bootstrap: int, rng) -> tuple[float, float, float]:
    """Share ``k.sum() / n.sum()`` of groups with ``k`` of ``n`` present, and its group-bootstrap interval."""
    total = n.sum()
    share = k.sum() / total if total else float("nan")
    if n_bootstrap <= 0 or len(n) < 2:
        return share, float("nan"), float("nan")
    boot = []
    for done in range(0, n_bootstrap, _BOOT_BLOCK):
        idx = rng.integers(0, len(n), size=(min(_BOOT_BLOCK, n_bootstrap - done), len(n)))
        s, c = k[idx].sum(1), n[idx].sum(1)
        boot.append(s[c > 0] / c[c > 0])
    boot = np.concatenate(boot)
    return share, float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))


def attributed_codes(voice_codes: pd.DataFrame) -> pd.DataFrame:
    """Each statement's attributed words (quoted and reported together) as one ``attributed`` span per frame.

    A statement carries a frame in its attributed words when its quoted or its
    reported words do; its length is the sum of both.

    >>> c = pd.DataFrame({"span_id": ["s:quoted", "s:reported"], "article_id": "a", "unit_id": "u",
    ...                   "statement_id": "s", "voice": ["quoted", "reported"], "n_words": [5, 7], "frame": "f",
    ...                   "present": [False, True], "evidence": ["", "x"]})
    >>> attributed_codes(c)[["voice", "n_words", "present"]].values.tolist()
    [['attributed', 12, True]]
    """
    sub = voice_codes[voice_codes["voice"].isin(["quoted", "reported"])] if len(voice_codes) else voice_codes
    if sub.empty:
        return sub.iloc[:0]
    out = (sub.groupby(["statement_id", "frame"], sort=False)
           .agg(article_id=("article_id", "first"), unit_id=("unit_id", "first"), n_words=("n_words", "sum"),
                present=("present", "any")).reset_index())
    out["span_id"], out["voice"], out["evidence"] = out["statement_id"] + ":attributed", "attributed", ""
    return out[list(voice_codes.columns)]


# The voices "which voices carry which frames" reports: the sources' direct quotes, their attributed
# words (direct and indirect speech), and the journalist's own words.
REPORTED_VOICES = ("quoted", "attributed", "journalist")


def quote_frames(voice_codes: pd.DataFrame, *, min_words: int, n_bootstrap: int, seed: int,
                 statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of spans of each voice that carry each frame, with n and an article-bootstrap interval.

    Voices: ``quoted`` (direct quotes), ``attributed`` (each statement's quoted
    and reported words together) and ``journalist``. Spans shorter than
    ``min_words`` are left out and counted in ``n_short``; ``n_sources`` is the
    number of distinct sources (``canonical`` of ``statements``) behind a
    voice's spans (0 for the journalist).

    Columns: voice, frame, n_spans, n_articles, n_sources, n_short, n_present, share, lo, hi.
    """
    cols = ["voice", "frame", "n_spans", "n_articles", "n_sources", "n_short", "n_present", "share", "lo", "hi"]
    if voice_codes.empty:
        return pd.DataFrame(columns=cols)
    allc = pd.concat([voice_codes, attributed_codes(voice_codes)], ignore_index=True)
    codes = allc[allc["n_words"] >= min_words]
    short = allc[allc["n_words"] < min_words].groupby(["voice", "frame"])["span_id"].nunique()
    who = (dict(zip(statements["statement_id"], statements["canonical"]))
           if statements is not None and len(statements) and "canonical" in statements else {})
    if codes.empty:
        return pd.DataFrame(columns=cols)
    rng = np.random.default_rng(seed)
    rows = []
    frames = list(dict.fromkeys(codes["frame"]))
    for voice in REPORTED_VOICES:
        sub = codes[codes["voice"] == voice]
        for frame in frames:
            f = sub[sub["frame"] == frame]
            if f.empty:
                continue
            share, lo, hi = _cluster_share(f["article_id"], f["present"], n_bootstrap, rng)
            n_sources = len({who.get(s, s) for s in f["statement_id"] if s}) if voice != "journalist" else 0
            rows.append((voice, frame, len(f), f["article_id"].nunique(), n_sources,
                         int(short.get((voice, frame), 0)), int(f["present"].sum()), share, lo, hi))
    return pd.DataFrame(rows, columns=cols)


def quote_shares(voices: dict, short: dict, n_sources: dict, frames: list[str], *, n_bootstrap: int,
                 seed: int) -> pd.DataFrame:
    """:func:`quote_frames` from counts, the same table: what the stage sums from its batches.

    ``voices``: voice → (present counts, an array of articles × ``frames``;
    spans per article), articles sorted by id, spans of at least the minimum
    length only. ``short``: (voice, frame) → spans left out as too short;
    ``n_sources``: voice → distinct sources behind its spans.

    >>> v = {"quoted": (np.array([[1], [0]]), np.array([2, 1]))}
    >>> quote_shares(v, {}, {"quoted": 2}, ["f"], n_bootstrap=0, seed=1)[["voice", "n_spans", "share"]].values.tolist()
    [['quoted', 3, 0.3333333333333333]]
    """
    cols = ["voice", "frame", "n_spans", "n_articles", "n_sources", "n_short", "n_present", "share", "lo", "hi"]
    rng = np.random.default_rng(seed)
    rows = []
    for voice in REPORTED_VOICES:
        if voice not in voices or not len(voices[voice][1]):
            continue
        k_all, n = voices[voice]
        for j, frame in enumerate(frames):
            k = k_all[:, j]
            share, lo, hi = _share_of_counts(k, n, n_bootstrap, rng)
            rows.append((voice, frame, int(n.sum()), len(n), n_sources.get(voice, 0) if voice != "journalist" else 0,
                         int(short.get((voice, frame), 0)), int(k.sum()), share, lo, hi))
    return pd.DataFrame(rows, columns=cols)


def source_frames(voice_codes: pd.DataFrame, statements: pd.DataFrame, *, min_words: int) -> pd.DataFrame:
    """For each source and frame: the statements whose quoted (or reported) words carry the frame.

    Columns: source_type, source, canonical, voice (quoted | reported), frame, n_statements,
    n_with_frame, share. Only the source's own span is coded, never the paragraph around it.
    """
    cols = ["source_type", "source", "canonical", "voice", "frame", "n_statements", "n_with_frame", "share"]
    codes = voice_codes[(voice_codes["voice"] != "journalist") & (voice_codes["n_words"] >= min_words)] \
        if len(voice_codes) else voice_codes
    if codes.empty or statements.empty:
        return pd.DataFrame(columns=cols)
    who = statements[["statement_id", "source_type", "speaker", "canonical"]].rename(columns={"speaker": "source"})
    merged = codes.merge(who, on="statement_id", how="inner")
    order = {f: i for i, f in enumerate(dict.fromkeys(codes["frame"]))}
    out = (merged.groupby(["source_type", "source", "canonical", "voice", "frame"], sort=False)
           .agg(n_statements=("statement_id", "nunique"), n_with_frame=("present", "sum")).reset_index())
    out["n_with_frame"] = out["n_with_frame"].astype("int64")
    out["share"] = out["n_with_frame"] / out["n_statements"]
    out["_o"] = out["frame"].map(order)
    return (out.sort_values(["source_type", "source", "voice", "_o"], kind="stable").drop(columns="_o")
            .reset_index(drop=True)[cols])


# ------------------------------------------------------------------ where the story is from


STORY_GROUPS = {"wire": "wire-based or translated", "own": "the outlet's own reporting"}


def story_origins(articles: pd.DataFrame) -> pd.DataFrame:
    """Each article's credits and its group: wire-based (a wire or a translation credit) or own reporting.

    Reads ``wire_source``, ``translated_from`` and ``credits`` when the corpus
    stage recorded them; without those columns every article is ``unknown``
    (no credit was recorded, which is not the same as none).

    >>> a = pd.DataFrame({"article_id": ["x", "y"], "outlet": ["Tempo", "Sindo"], "wire_source": ["Reuters", ""],
    ...                   "translated_from": ["", ""]})
    >>> story_origins(a)["story"].tolist()
    ['wire', 'own']
    >>> story_origins(a.drop(columns=["wire_source", "translated_from"]))["story"].tolist()
    ['unknown', 'unknown']
    """
    cols = ["article_id", "outlet", "wire_source", "translated_from", "credits", "story"]
    out = pd.DataFrame({"article_id": articles["article_id"]})
    out["outlet"] = articles["outlet"].fillna("").astype(str) if "outlet" in articles else ""
    recorded = "wire_source" in articles.columns or "translated_from" in articles.columns
    for c in ("wire_source", "translated_from", "credits"):
        out[c] = articles[c].fillna("").astype(str) if c in articles.columns else ""
    if not recorded:
        out["story"] = "unknown"
    else:
        wire = (out["wire_source"].str.strip() != "") | (out["translated_from"].str.strip() != "")
        out["story"] = np.where(wire, "wire", "own")
    return out[cols].reset_index(drop=True)


def wire_frames(origins: pd.DataFrame, unit_frames: pd.DataFrame, *, n_bootstrap: int, seed: int,
                units: pd.DataFrame | None = None, frames: list[str] | None = None) -> pd.DataFrame:
    """Frame shares of the units of wire-based stories against those of own reporting (article-bootstrap intervals).

    ``unit_frames`` holds unit_id, article_id, frame, present. With ``units``
    (unit_id, article_id: every unit of the run) it may be sparse: a unit
    without a ``present == 1`` row has no frame, and ``frames`` (codebook
    order) names the frames compared. Without ``units``, ``unit_frames`` is the
    dense table (every unit, every frame).

    Columns: story, frame, n_articles, n_units, n_present, share, lo, hi; empty
    when no credit was recorded (every story ``unknown``).
    """
    if units is None:
        units = unit_frames[["unit_id", "article_id"]].drop_duplicates("unit_id")
    if frames is None:
        frames = list(dict.fromkeys(unit_frames["frame"]))
    fired = unit_frames[unit_frames["present"] == 1]
    present = fired.groupby(["article_id", "frame"]).size() if len(fired) else pd.Series(dtype="int64")
    return wire_shares(origins, units["article_id"].value_counts(), present, frames,
                       n_bootstrap=n_bootstrap, seed=seed)


def wire_shares(origins: pd.DataFrame, units_per_article: pd.Series, present: pd.Series, frames: list[str], *,
                n_bootstrap: int, seed: int) -> pd.DataFrame:
    """:func:`wire_frames` from counts: units per article, and units with each frame per (article_id, frame).

    The stage streams the frame codes into these counts, so that no table of
    every unit and frame is held.

    >>> o = pd.DataFrame({"article_id": ["w", "o"], "story": ["wire", "own"]})
    >>> p = pd.Series([1], index=pd.MultiIndex.from_tuples([("w", "f")]))
    >>> wire_shares(o, pd.Series({"w": 2, "o": 2}), p, ["f"], n_bootstrap=0, seed=1)[["story", "share"]].values.tolist()
    [['wire', 0.5], ['own', 0.0]]
    """
    cols = ["story", "frame", "n_articles", "n_units", "n_present", "share", "lo", "hi"]
    known = origins[origins["story"].isin(list(STORY_GROUPS))]
    if known.empty or not len(units_per_article) or not frames:
        return pd.DataFrame(columns=cols)
    counts = units_per_article[units_per_article > 0].astype("int64")
    present = present.to_dict()
    rng = np.random.default_rng(seed)
    rows = []
    for story in STORY_GROUPS:
        ids = sorted(set(known.loc[known["story"] == story, "article_id"]) & set(counts.index))
        if not ids:
            continue
        n = counts.reindex(ids).to_numpy(dtype=np.int64)
        for frame in frames:
            k = np.array([int(present.get((a, frame), 0)) for a in ids], dtype=np.int64)
            share, lo, hi = _share_of_counts(k, n, n_bootstrap, rng)
            rows.append((story, frame, len(ids), int(n.sum()), int(k.sum()), share, lo, hi))
    return pd.DataFrame(rows, columns=cols)
