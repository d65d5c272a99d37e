"""Deductive coding: every unit answers every codebook question, with the indicators that fired as evidence.

A question is answered yes when one of its indicators for the coding
language matches the unit's text; a unit's frame score is the share of the
frame's questions answered yes; an article has a frame when at least
``min_units`` of its units have it (the codebook's roll-up rule). Every yes
carries its evidence, so each code can be audited.

Codes are stored **sparse**: a large corpus has millions of (unit, question)
pairs and almost all of them are *no*, so the stage keeps only the *yes*
codes (``frame_codes_units``) and the frame scores above zero
(``frames_units``). A missing pair is a *no* (score 0); the universe of units,
and so every denominator, is the corpus stage's ``units`` table.
:func:`code_unit_file` codes a run's units in chunks read from their Parquet
file, each chunk on :func:`analysis.workers.pool` (in this process, in local
processes or on the run's Dask cluster), and the chunks' results are joined in
file order, so the tables do not depend on where or in how many chunks the
work ran. :func:`code_units` codes a table in memory and returns every
question (*yes* and *no*), for small inputs such as the actors' voice spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import outputs, progress, workers
from ..corpus import resolve_language
from ..errors import AnalysisError
from ..files import require_columns
from .codebook import _WORD, Codebook, compile_indicator, indicator_key

# Units per chunk of coding: small enough that a chunk's texts travel cheaply to a worker,
# large enough that each chunk's overhead (pickling the patterns, a task) is negligible.
CHUNK_UNITS = 5_000

# Width of the unit snippet shown beside each yes code (frame_evidence).
SNIPPET_WIDTH = 140


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


def required_literal(indicator: str) -> str | None:
    """Return a lower-case ASCII string every match of a ``re:`` indicator contains (None: none found, or a phrase).

    The longest run of plain characters in the parsed pattern's top-level
    sequence, every item of which a match must contain (groups, classes,
    repeats, anchors and alternatives end a run; an alternation of the whole
    pattern leaves none, unless its branches share a prefix): a unit whose
    ASCII text lacks it cannot match, so the regex is not tried there (phrases
    have their first word, :func:`indicator_key`).

    >>> required_literal("re:(?:me|di)nuduh[a-z]*"), required_literal("re:criticis|criticiz"), required_literal("re:a|b")
    ('nuduh', 'critici', None)
    """
    if not indicator.startswith("re:"):
        return None
    try:
        import re._parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse
    try:
        items = list(sre_parse.parse(indicator[3:]))
    except Exception:
        return None
    runs, run = [], ""
    for op, arg in items:
        if op is sre_parse.LITERAL and arg < 128:
            run += chr(arg)
        else:  # a group, class, repeat, anchor or alternative ends the run
            runs.append(run)
            run = ""
    runs.append(run)
    best = max(runs, key=len).lower()
    return best if best else None


def _compiled_questions(codebook: Codebook, language: str) -> list[tuple[str, str, list]]:
    """Return ``(frame, question, [(indicator, first word, pattern, required literal)])`` per question, in order."""
    if language not in codebook.languages():
        raise AnalysisError(
            f"parameter language={language!r}: the codebook has no indicators for it "
            f"(it has {', '.join(codebook.languages())})"
        )
    return [
        (f.id, q.id, [(ind, indicator_key(ind), compile_indicator(ind), required_literal(ind))
                      for ind in q.indicators.get(language, [])])
        for f in codebook.frames
        for q in f.questions
    ]


def _code_texts(item: tuple) -> dict:
    """Code one chunk of texts (a :func:`analysis.workers.pool` item): only what fired is returned.

    ``item`` is ``(texts, compiled, width)``; ``compiled`` is
    :func:`_compiled_questions`. Returns, as arrays local to the chunk, the yes
    codes (row, question index, evidence), the frame scores above zero (row,
    frame index, questions answered yes, evidence: the indicators that fired,
    each once, in codebook order) and a snippet of every unit with a yes code.
    """
    texts, compiled, width = item
    frame_index = {f: i for i, f in enumerate(dict.fromkeys(c[0] for c in compiled))}
    q_frame = [frame_index[c[0]] for c in compiled]
    code_row, code_q, code_ev = [], [], []
    frame_row, frame_f, frame_n, frame_ev = [], [], [], []
    snippets = {}
    for row, text in enumerate(texts):
        text = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
        words = set(_WORD.findall(text.casefold()))
        # On ASCII text a case-insensitive regex matches only where its literal occurs, lower-cased.
        lower = text.lower() if text.isascii() else None
        per_frame: dict[int, list] = {}
        for q, (_frame_id, _qid, patterns) in enumerate(compiled):
            fired = [ind for ind, key, pat, lit in patterns
                     if (key is None or key in words) and (lit is None or lower is None or lit in lower)
                     and pat.search(text)]
            if fired:
                evidence = "; ".join(fired)
                code_row.append(row), code_q.append(q), code_ev.append(evidence)
                per_frame.setdefault(q_frame[q], []).append(evidence)
        if per_frame:
            snippets[row] = outputs.snippet(text, width)
        for f, found in per_frame.items():
            frame_row.append(row), frame_f.append(f), frame_n.append(len(found))
            frame_ev.append("; ".join(dict.fromkeys(e for x in found for e in x.split("; "))))
    import pyarrow as pa

    # Strings travel back as Arrow arrays, not Python lists: a few large buffers per chunk instead of
    # thousands of small objects, which at a million units fragmented the parent's heap by gigabytes.
    return {"code_row": np.asarray(code_row, dtype=np.int64), "code_q": np.asarray(code_q, dtype=np.int64),
            "code_ev": pa.array(code_ev, pa.string()), "frame_row": np.asarray(frame_row, dtype=np.int64),
            "frame_f": np.asarray(frame_f, dtype=np.int64), "frame_n": np.asarray(frame_n, dtype=np.int64),
            "frame_ev": pa.array(frame_ev, pa.string()), "snippet_row": np.asarray(list(snippets), dtype=np.int64),
            "snippet": pa.array(list(snippets.values()), pa.string()), "n": len(texts)}


def code_units(units: pd.DataFrame, codebook: Codebook, language: str = "id") -> pd.DataFrame:
    """Answer every codebook question for every unit of a table in memory, with evidence (*yes* and *no*).

    A question is answered yes (``present`` = 1) when at least one of its
    indicators for ``language`` matches the unit's text; ``evidence`` lists
    the indicators that fired, in codebook order, joined by ``"; "``. For a
    run's units, :func:`code_unit_file` codes the same way in chunks and keeps
    only the yes codes.

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
    n_units, n_questions = len(units), len(compiled)
    coded = _code_texts((units["text"].tolist(), compiled, SNIPPET_WIDTH))
    progress.tick("frames", "units coded by the codebook's indicators", n_units, n_units, step=n_units)
    at = coded["code_row"] * n_questions + coded["code_q"]
    present = np.zeros(n_units * n_questions, dtype=np.int64)
    present[at] = 1
    evidence = np.full(n_units * n_questions, "", dtype=object)
    evidence[at] = coded["code_ev"].to_numpy(zero_copy_only=False)
    return pd.DataFrame({
        "unit_id": np.repeat(units["unit_id"].to_numpy(dtype=object), n_questions),
        "article_id": np.repeat(units["article_id"].to_numpy(dtype=object), n_questions),
        "frame": np.tile(np.array([c[0] for c in compiled], dtype=object), n_units),
        "question": np.tile(np.array([c[1] for c in compiled], dtype=object), n_units),
        "present": present,
        "evidence": evidence,
    })


def score_texts(units: pd.DataFrame, codebook: Codebook, language: str = "id", threshold: float = 0.2
                ) -> pd.DataFrame:
    """:func:`score_units` of :func:`code_units`, computed without the long question table.

    The frame scores of every unit (every frame, zeros included) straight
    from the coded chunk: the same table, at a fraction of the time and
    memory, for callers that need the scores and not the question codes (the
    voices of the actors stage).

    >>> from analysis.frames import load_codebook
    >>> u = pd.DataFrame({"unit_id": ["a-p000"], "article_id": ["a"], "text": ["Perang dan sanksi."]})
    >>> score_texts(u, load_codebook()).equals(score_units(code_units(u, load_codebook())))
    True
    """
    require_columns(units, ("unit_id", "article_id", "text"), "units")
    compiled = _compiled_questions(codebook, language)
    frames = list(dict.fromkeys(c[0] for c in compiled))
    n_questions = np.array([sum(c[0] == f for c in compiled) for f in frames], dtype=np.int64)
    coded = _code_texts((units["text"].tolist(), compiled, SNIPPET_WIDTH))
    n_units, n_frames = len(units), len(frames)
    at = coded["frame_row"] * n_frames + coded["frame_f"]
    # as score_units: the mean of the frame's 0/1 answers, i.e. yes answers over questions
    score = np.zeros(n_units * n_frames, dtype=np.float64)
    score[at] = coded["frame_n"] / n_questions[coded["frame_f"]]
    evidence = np.full(n_units * n_frames, "", dtype=object)
    evidence[at] = coded["frame_ev"].to_numpy(zero_copy_only=False)
    out = pd.DataFrame({
        "unit_id": np.repeat(units["unit_id"].to_numpy(dtype=object), n_frames),
        "article_id": np.repeat(units["article_id"].to_numpy(dtype=object), n_frames),
        "frame": np.tile(np.array(frames, dtype=object), n_units),
        "score": score,
        "present": ((score >= threshold - 1e-9) & (score > 0)).astype("int64"),
        "evidence": evidence,
    })
    return out.sort_values("unit_id", kind="stable").reset_index(drop=True)


@dataclass
class CodedUnits:
    """What :func:`code_unit_file` found: sparse codes and scores, and the units they are over.

    ``units`` is the universe (``unit_id``, ``article_id``, ``unit_type``: body
    when the corpus has no unit types), in file order; ``codes`` the yes codes
    (``frame_codes_units``); ``evidence`` those codes with a snippet of their
    unit (``frame_evidence``); ``headlines`` the headline units with their text;
    ``frames`` the frames that have questions, in codebook order;
    ``n_questions`` how many questions each has. When the codes and the
    evidence were streamed to their files (``streams`` of
    :func:`code_unit_file`), ``codes`` and ``evidence`` are their first
    :data:`analysis.outputs.MAX_SHOWN_ROWS` rows, what a page shows, and
    ``n_codes`` and ``n_evidence`` count every row.
    """

    units: pd.DataFrame
    codes: pd.DataFrame
    evidence: pd.DataFrame
    headlines: pd.DataFrame
    frames: list[str]
    n_questions: dict[str, int]
    _frame_rows: pd.DataFrame
    n_codes: int = -1
    n_evidence: int = -1

    def __post_init__(self) -> None:
        if self.n_codes < 0:
            self.n_codes = len(self.codes)
        if self.n_evidence < 0:
            self.n_evidence = len(self.evidence)

    def scores(self, threshold: float = 0.2) -> pd.DataFrame:
        """``frames_units``: every (unit, frame) with a score above 0, as :func:`score_units` scores it.

        Sorted by unit id, frames in codebook order; ``present`` is 1 when the
        score reaches ``threshold`` (the notebook parameter ``frame_threshold``).
        """
        rows = self._frame_rows
        score = rows["n_yes"].to_numpy(dtype=np.float64) / rows["frame"].map(self.n_questions).to_numpy(dtype=np.float64)
        # One stable sort on integer keys (unit id, then codebook order) and one copy of the columns:
        # at a million units a sort of the table itself held three copies of it.
        frame_order = rows["frame"].map({f: i for i, f in enumerate(self.frames)}).to_numpy(dtype=np.int64)
        unit_order = pd.factorize(rows["unit_id"], sort=True)[0]
        perm = np.lexsort((frame_order, unit_order))
        score = score[perm]
        return pd.DataFrame({
            "unit_id": rows["unit_id"].take(perm).reset_index(drop=True),
            "article_id": rows["article_id"].take(perm).reset_index(drop=True),
            "frame": rows["frame"].take(perm).reset_index(drop=True),
            "score": score,
            "present": ((score >= threshold - 1e-9) & (score > 0)).astype("int64"),
            "evidence": rows["evidence"].take(perm).reset_index(drop=True),
        })


def _read_batches(path: Path, batch_size: int):
    """Yield the units file's batches as small DataFrames (unit_id, article_id, unit_type, text)."""
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise AnalysisError(f"cannot read the units ({exc}); run notebook 01-build-corpus first", path=path) from None
    names = set(file.schema_arrow.names)
    missing = [c for c in ("unit_id", "article_id", "text") if c not in names]
    if missing:
        raise AnalysisError(f"units: missing column(s) {', '.join(missing)}", path=path)
    columns = [c for c in ("unit_id", "article_id", "unit_type", "text") if c in names]
    for batch in file.iter_batches(batch_size=batch_size, columns=columns):
        yield batch.to_pandas(), file.metadata.num_rows


def _chunk_tables(batch: pd.DataFrame, coded: dict, compiled: list) -> dict[str, pd.DataFrame]:
    """One chunk's yes codes, evidence and frame rows as small tables of Arrow-backed strings.

    Built as each chunk arrives, by Arrow ``take`` on the chunk's columns, so
    that no Python string is made per row: at a million units the chunks'
    Python strings, not the tables, were most of the stage's memory.
    """
    import pyarrow as pa

    def column(values) -> pa.Array:
        arr = pa.array(values)
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr

    def take(arr: pa.Array, index: np.ndarray) -> pd.api.extensions.ExtensionArray:
        return pd.array(arr.take(pa.array(index, pa.int64())), dtype="str")

    frames = pa.array(list(dict.fromkeys(c[0] for c in compiled)), pa.string())
    q_frame = pa.array([c[0] for c in compiled], pa.string())
    q_id = pa.array([c[1] for c in compiled], pa.string())
    ids, arts = column(batch["unit_id"].astype("str")), column(batch["article_id"].astype("str"))
    r, q, fr = coded["code_row"], coded["code_q"], coded["frame_row"]
    code_ev = pd.array(coded["code_ev"], dtype="str")
    snippet_at = np.searchsorted(coded["snippet_row"], r)  # every unit with a yes code has its snippet
    return {
        "codes": pd.DataFrame({"unit_id": take(ids, r), "article_id": take(arts, r), "frame": take(q_frame, q),
                               "question": take(q_id, q), "present": np.ones(len(r), dtype=np.int64),
                               "evidence": code_ev}),
        "evidence": pd.DataFrame({"unit_id": take(ids, r), "frame": take(q_frame, q), "question": take(q_id, q),
                                  "evidence": code_ev, "snippet": take(coded["snippet"], snippet_at)}),
        "rows": pd.DataFrame({"unit_id": take(ids, fr), "article_id": take(arts, fr),
                              "frame": take(frames, coded["frame_f"]), "n_yes": coded["frame_n"],
                              "evidence": pd.array(coded["frame_ev"], dtype="str")}),
    }


def _contiguous(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    """One contiguous string array: a table joined from chunks is stored as one read whole."""
    import pyarrow as pa

    if values.empty:
        return pd.array([], dtype="str")
    arr = pa.array(values)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pd.array(arr, dtype="str")


def _join_chunks(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Join the chunks' tables (:func:`_chunk_tables`), in file order, into the sparse tables."""
    empty = {"codes": ["unit_id", "article_id", "frame", "question", "present", "evidence"],
             "evidence": ["unit_id", "frame", "question", "evidence", "snippet"],
             "rows": ["unit_id", "article_id", "frame", "n_yes", "evidence"]}
    out = {}
    for key, columns in empty.items():
        found = [part.pop(key) for part in parts]
        out[key] = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
        del found
        for column in out[key].columns:
            if not pd.api.types.is_numeric_dtype(out[key][column]):
                out[key][column] = _contiguous(out[key][column])
    out["codes"] = out["codes"].astype({"present": "int64"})
    out["rows"] = out["rows"].astype({"n_yes": "int64"})
    return out


def code_unit_file(path: Path, codebook: Codebook, language: str = "id", *, n_jobs: int = 1,
                   chunk_units: int | None = None, streams: dict | None = None) -> CodedUnits:
    """Code a run's units file in chunks, keeping only the yes codes and the frame scores above zero.

    The file is read by Parquet batches of ``chunk_units`` units; each
    batch's texts are coded by :func:`analysis.workers.pool` (``n_jobs`` local
    processes, or the run's Dask cluster), a few chunks at a time, so the
    corpus text is never in memory at once. Results are joined in file order:
    the tables are the same for any ``n_jobs`` and chunk size.

    ``streams`` maps ``"codes"`` and/or ``"evidence"`` to a
    :class:`analysis.registry.TableWriter` (of ``frame_codes_units`` and
    ``frame_evidence``): each chunk's rows are then written as they come and
    only the first rows are kept (see :class:`CodedUnits`). Nothing after
    the coding reads them, and at a million units the evidence's snippets
    were the stage's largest table.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.frames import load_codebook
    >>> f = Path(tempfile.mkdtemp()) / "u.parquet"
    >>> pd.DataFrame({"unit_id": ["a-p000", "a-p001"], "article_id": "a", "text": ["Perang.", "Cuaca."]}).to_parquet(f)
    >>> coded = code_unit_file(f, load_codebook(), "id")
    >>> len(coded.units), coded.codes["question"].tolist(), coded.scores()["frame"].tolist()
    (2, ['conflict_q1'], ['conflict'])
    """
    compiled = _compiled_questions(codebook, language)
    universe, heads, parts, window = [], [], [], []
    streams = dict(streams or {})
    streamed = {key: 0 for key in streams}
    done = 0
    with workers.pool(n_jobs) as pool:
        def flush():
            nonlocal done
            for (batch, _), coded in zip(window, pool.map(_code_texts, [item for _, item in window])):
                tables = _chunk_tables(batch, coded, compiled)
                for key, writer in streams.items():
                    writer.write(tables[key])
                    kept = max(0, outputs.MAX_SHOWN_ROWS - streamed[key])
                    streamed[key] += len(tables[key])
                    tables[key] = tables[key].head(kept)
                parts.append(tables)
                done += coded["n"]
                progress.tick("frames", "units coded by the codebook's indicators", done, total,
                              step=coded["n"])
            window.clear()

        for batch, total in _read_batches(Path(path), chunk_units or CHUNK_UNITS):
            if "unit_type" not in batch:
                batch["unit_type"] = "body"
            universe.append(batch[["unit_id", "article_id", "unit_type"]])
            heads.append(batch.loc[batch["unit_type"] == "headline", ["unit_id", "unit_type", "text"]])
            window.append((batch[["unit_id", "article_id"]], (batch["text"].tolist(), compiled, SNIPPET_WIDTH)))
            # A few chunks per worker in flight: enough to keep them busy, never the whole corpus.
            if len(window) >= 2 * pool.size:
                flush()
        flush()
    joined = _join_chunks(parts)
    del parts
    n_questions: dict[str, int] = {}
    for frame_id, _qid, _patterns in compiled:
        n_questions[frame_id] = n_questions.get(frame_id, 0) + 1
    units = (pd.concat(universe, ignore_index=True) if universe
             else pd.DataFrame(columns=["unit_id", "article_id", "unit_type"]))
    units["unit_type"] = units["unit_type"].fillna("body")
    headlines = pd.concat(heads, ignore_index=True) if heads else pd.DataFrame(columns=["unit_id", "unit_type", "text"])
    return CodedUnits(units=units, codes=joined["codes"], evidence=joined["evidence"], headlines=headlines,
                      frames=list(n_questions), n_questions=n_questions, _frame_rows=joined["rows"],
                      n_codes=streamed.get("codes", -1), n_evidence=streamed.get("evidence", -1))


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


def rollup_articles(unit_scores: pd.DataFrame, min_units: int = 1, *, units: pd.DataFrame | None = None,
                    frames: list[str] | None = None) -> pd.DataFrame:
    """Roll unit frame codes up to articles.

    Rule (the codebook's ``rollup``): an article has a frame if at least
    ``min_units`` of its units have it; the article score is the share of its
    units coded with the frame. ``min_units`` is the notebook parameter,
    checked by :class:`FrameParams`. With ``units`` (the universe:
    ``unit_id``, ``article_id``) and ``frames``, ``unit_scores`` may be sparse
    (a missing unit and frame is 0): every article of ``units`` gets a row per
    frame, its ``n_units`` counted from ``units``.

    Returns
    -------
    article_id, frame, n_units, n_units_coded, score, present.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "a"], "frame": ["f", "f"],
    ...                   "score": [0.5, 0.0], "present": [1, 0], "evidence": ["x", ""]})
    >>> rollup_articles(s)[["n_units_coded", "score", "present"]].values.tolist()
    [[1.0, 0.5, 1.0]]
    >>> u = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "article_id": ["a", "a", "b"]})
    >>> rollup_articles(s.iloc[:1], units=u, frames=["f"])[["article_id", "n_units", "n_units_coded"]].values.tolist()
    [['a', 2, 1], ['b', 1, 0]]
    """
    require_columns(unit_scores, ("unit_id", "article_id", "frame", "present"), "unit frame scores")
    if units is not None:
        return _rollup_sparse(unit_scores, units, list(frames or dict.fromkeys(unit_scores["frame"])), min_units)
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


def _rollup_sparse(unit_scores: pd.DataFrame, units: pd.DataFrame, frames: list[str], min_units: int) -> pd.DataFrame:
    """:func:`rollup_articles` over the universe ``units``, from sparse scores (articles sorted, frames in order)."""
    n_units = units.groupby("article_id", sort=True)["unit_id"].nunique()
    coded = (unit_scores[unit_scores["frame"].isin(frames)].groupby(["article_id", "frame"])["present"].sum()
             .unstack("frame").reindex(index=n_units.index, columns=frames).fillna(0).astype("int64"))
    n_articles, n_frames = len(n_units), len(frames)
    out = pd.DataFrame({
        "article_id": np.repeat(n_units.index.to_numpy(dtype=object), n_frames),
        "frame": np.tile(np.array(frames, dtype=object), n_articles),
        "n_units": np.repeat(n_units.to_numpy(dtype=np.int64), n_frames),
        "n_units_coded": coded.to_numpy(dtype=np.int64).reshape(-1),
    })
    out["score"] = out["n_units_coded"] / out["n_units"]
    out["present"] = (out["n_units_coded"] >= min_units).astype("int64")
    return out


def code_evidence(units: pd.DataFrame, codes: pd.DataFrame, *, width: int = 140) -> pd.DataFrame:
    """Return every *yes* code with its evidence and a short snippet of the unit.

    Columns: unit_id, frame, question, evidence, snippet (plain text; a page
    shows it through :func:`analysis.outputs.html_table`, which escapes it).
    """
    fired = codes[codes["present"] == 1].merge(units[["unit_id", "text"]], on="unit_id", how="left")
    snip = fired["text"].fillna("").map(lambda t: outputs.snippet(t, width))
    return fired.assign(snippet=snip)[["unit_id", "frame", "question", "evidence", "snippet"]].reset_index(drop=True)


def describe_coding(codes: pd.DataFrame, unit_scores: pd.DataFrame, codebook: Codebook, *,
                    threshold: float, min_units: int, n_units: int | None = None, n_yes: int | None = None) -> str:
    """Return the sentence on what the deductive coding found (units, questions, yes codes, roll-up rule).

    ``codes`` and ``unit_scores`` may be sparse (yes codes, scores above 0)
    when ``n_units``, the number of units coded, is given; ``n_yes`` counts
    the yes codes when ``codes`` holds only the first of them.

    >>> from analysis.frames import load_codebook
    >>> u = pd.DataFrame({"unit_id": ["a-p000"], "article_id": ["a"], "text": ["Perang dan sanksi."]})
    >>> c = code_units(u, load_codebook(), "id")
    >>> describe_coding(c, score_units(c), load_codebook(), threshold=0.2, min_units=1)[:40]
    '1 units were coded on 10 frames (32 ques'
    """
    n_units = unit_scores["unit_id"].nunique() if n_units is None else int(n_units)
    n_questions = sum(len(f.questions) for f in codebook.frames)
    n_coded = unit_scores.loc[unit_scores["present"] == 1, "unit_id"].nunique()
    share = f" ({n_coded / n_units:.0%})" if n_units else ""
    return (f"{n_units} units were coded on {len(codebook.frames)} frames ({n_questions} questions). "
            f"{int(codes['present'].sum()) if n_yes is None else int(n_yes)} question codes are *yes*; {n_coded} units{share} carry at least one "
            f"frame at the threshold of {threshold:g}. Rule for articles: {codebook.rollup} (here `min_units` = "
            f"{min_units}).")
