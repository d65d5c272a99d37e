"""The deductive codebook: frames, their yes/no questions and per-language indicators.

A YAML codebook (``resources/codebook.yml``) lists frames, each with yes/no
questions and per-language indicators (words, phrases or ``re:`` regular
expressions). :func:`load_codebook` validates it; a malformed codebook raises
:class:`AnalysisError` naming the file, the frame and the field. Every frame
cites its source by a key of ``resources/references.bib``, so the Methods
page can say where each frame comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import AnalysisError
from ..files import read_text, read_yaml
from ..paths import RESOURCES

CODEBOOK = RESOURCES / "codebook.yml"
REFERENCES = RESOURCES / "references.bib"
KINDS = ("generic", "issue-specific")
_ID = re.compile(r"^[a-z0-9_]+$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Question:
    """One yes/no question of a frame, with its indicators per language."""

    id: str
    text: dict[str, str]
    indicators: dict[str, list[str]]


@dataclass(frozen=True)
class Frame:
    """One frame of the codebook."""

    id: str
    name: str
    kind: str
    definition: str
    source: str
    questions: list[Question]
    # Coders' rules (the coder guide prints them; the machine never reads them).
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A validated frame codebook (see ``resources/codebook.yml`` for the schema)."""

    name: str
    version: str
    rollup: str
    frames: list[Frame]
    paths: list[Path] = field(default_factory=list)
    # Corpora the indicators were written with in view: on them, the indicators' agreement with
    # coders is in-sample (optimistic), and every page says so.
    developed_on: tuple[str, ...] = ()

    def frame_ids(self) -> list[str]:
        """Return the frame ids in codebook order."""
        return [f.id for f in self.frames]

    def frame_names(self) -> dict[str, str]:
        """Return ``{frame id: display name}`` in codebook order."""
        return {f.id: f.name for f in self.frames}

    def languages(self) -> list[str]:
        """Return the languages any indicator list is given for."""
        return sorted({lang for f in self.frames for q in f.questions for lang in q.indicators})

    def to_table(self, language: str = "id") -> pd.DataFrame:
        """Return one row per question: frame, kind, source, question, text, indicators.

        Examples
        --------
        >>> load_codebook().to_table("en").columns.tolist()[:3]
        ['frame', 'frame_name', 'kind']
        """
        rows = [
            {
                "frame": f.id,
                "frame_name": f.name,
                "kind": f.kind,
                "source": f.source,
                "question": q.id,
                "text": q.text.get(language, q.text.get("en", "")),
                "indicators": "; ".join(q.indicators.get(language, [])),
            }
            for f in self.frames
            for q in f.questions
        ]
        return pd.DataFrame(rows)

    def describe(self) -> str:
        """Return one sentence on what the codebook holds: its name, frames by kind, and the keys they cite.

        The sentence is read from the codebook itself, so it is true of whatever codebook the run used.

        >>> load_codebook().describe()[:40]
        'The codebook *Generic and issue-specific'
        """
        parts = []
        for kind in KINDS:
            of_kind = [f for f in self.frames if f.kind == kind]
            if of_kind:
                cited = ", ".join(dict.fromkeys(f.source for f in of_kind))
                parts.append(f"{len(of_kind)} {kind} ({', '.join(f.name for f in of_kind)}; cited: {cited})")
        return (f"The codebook *{self.name}* (version {self.version}) has {len(self.frames)} frames: "
                f"{' and '.join(parts)}.")


def load_codebook(
    path: str | Path | None = None,
    extra: str | Path | Iterable[str | Path] | None = None,
    *,
    references: str | Path | None = None,
) -> Codebook:
    """Load and validate a frame codebook.

    Parameters
    ----------
    path : the codebook YAML; ``None`` for the shipped ``resources/codebook.yml``.
    extra : one or more YAML files with the same schema whose frames are
        appended (their ids must be new), so users can extend the shipped codebook.
    references : BibTeX file whose keys ``source`` fields may cite; default
        ``resources/references.bib``.

    Raises
    ------
    AnalysisError
        Naming the file, the frame and the field at fault.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.frame_ids()[:2]
    ['conflict', 'human_interest']
    """
    keys = _bib_keys(Path(references) if references else REFERENCES)
    files = [Path(path) if path else CODEBOOK]
    if extra is not None:
        files += [Path(extra)] if isinstance(extra, (str, Path)) else [Path(e) for e in extra]
    head: dict = {}
    frames: list[Frame] = []
    seen_questions: set[str] = set()
    for i, file in enumerate(files):
        data = read_yaml(file, what="codebook", empty_ok=False)
        if i == 0:
            head = _check_head(data, file)
        raw_frames = data.get("frames")
        if not isinstance(raw_frames, list) or not raw_frames:
            raise AnalysisError("codebook field 'frames' must be a non-empty list", path=file)
        for j, raw in enumerate(raw_frames):
            frame = _parse_frame(raw, j, file, keys, seen_questions)
            if frame.id in {f.id for f in frames}:
                raise AnalysisError(f"frame {frame.id!r}: field 'id' is a duplicate frame id", path=file)
            frames.append(frame)
    return Codebook(
        name=str(head["name"]),
        version=str(head["version"]),
        rollup=str(head.get("rollup", "an article has a frame if at least `min_units` of its units have it")),
        frames=frames,
        paths=files,
        developed_on=tuple(str(x) for x in (head.get("developed_on") or [])),
    )


def _check_head(data: dict, file: Path) -> dict:
    for key in ("name", "version"):
        if not isinstance(data.get(key), (str, int, float)) or str(data.get(key)).strip() == "":
            raise AnalysisError(f"codebook field {key!r} is missing or empty", path=file)
    return data


def _bib_keys(path: Path) -> set[str]:
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", read_text(path, what="references file")))


def _known_languages() -> frozenset[str]:
    # ISO 639-1 codes of the languages stopwords-iso covers: the languages the
    # text stage can tokenise, hence the only ones a codebook can code.
    import stopwordsiso

    return frozenset(stopwordsiso.langs())


class _Fail:
    """Raise the codebook's one error wording: file, frame, field, problem."""

    def __init__(self, label: str, file: Path):
        self.label, self.file = label, file

    def __call__(self, field_name: str, problem: str):
        raise AnalysisError(f"{self.label}: field {field_name!r} {problem}", path=self.file)


def _parse_frame(raw, j: int, file: Path, keys: set[str], seen_questions: set[str]) -> Frame:
    if not isinstance(raw, dict):
        raise AnalysisError(f"frame #{j + 1}: must be a mapping", path=file)
    fid = raw.get("id")
    fail = _Fail(f"frame {fid!r}" if isinstance(fid, str) and fid else f"frame #{j + 1}", file)
    if not isinstance(fid, str) or not fid:
        fail("id", "is missing")
    if not _ID.match(fid):
        fail("id", "must match [a-z0-9_]+")
    for key in ("name", "definition", "source"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            fail(key, "is missing or empty")
    if raw.get("kind") not in KINDS:
        fail("kind", f"must be one of {', '.join(KINDS)} (got {raw.get('kind')!r})")
    if raw["source"] not in keys:
        fail("source", f"{raw['source']!r} is not a key in the references file")
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        fail("questions", "must be a non-empty list")
    questions = [_parse_question(rq, f"questions[{k}]", fail, seen_questions) for k, rq in enumerate(raw_questions)]
    rules = raw.get("coding_rules") or {}
    if not isinstance(rules, dict) or set(rules) - {"include", "exclude"}:
        fail("coding_rules", "must be a mapping with 'include' and/or 'exclude' lists")
    for key in ("include", "exclude"):
        if not isinstance(rules.get(key, []), list) or not all(isinstance(r, str) and r.strip() for r in rules.get(key, [])):
            fail(f"coding_rules.{key}", "must be a list of non-empty strings")
    return Frame(
        id=fid,
        name=raw["name"].strip(),
        kind=raw["kind"],
        definition=" ".join(raw["definition"].split()),
        source=raw["source"],
        questions=questions,
        include=tuple(" ".join(r.split()) for r in rules.get("include", [])),
        exclude=tuple(" ".join(r.split()) for r in rules.get("exclude", [])),
    )


def _parse_question(rq, where: str, fail: _Fail, seen_questions: set[str]) -> Question:
    if not isinstance(rq, dict):
        fail(where, "must be a mapping")
    qid = rq.get("id")
    if not isinstance(qid, str) or not qid:
        fail(f"{where}.id", "is missing")
    if not _ID.match(qid):
        fail(f"{where}.id", "must match [a-z0-9_]+")
    if qid in seen_questions:
        fail(f"{where}.id", f"{qid!r} is a duplicate question id")
    seen_questions.add(qid)
    text = rq.get("text")
    if not isinstance(text, dict) or not text:
        fail(f"{qid}.text", "must map language codes to question texts")
    indicators = rq.get("indicators")
    if not isinstance(indicators, dict) or not indicators:
        fail(f"{qid}.indicators", "must map language codes to lists of indicators")
    languages = _known_languages()
    for part, mapping in (("text", text), ("indicators", indicators)):
        for lang in mapping:
            if lang not in languages:
                fail(f"{qid}.{part}.{lang}", "is an unknown language key (use an ISO 639-1 code such as id or en)")
    checked = {lang: _parse_indicators(items, f"{qid}.indicators.{lang}", fail) for lang, items in indicators.items()}
    return Question(id=qid, text={str(k): str(v) for k, v in text.items()}, indicators=checked)


def _parse_indicators(items, where: str, fail: _Fail) -> list[str]:
    items = [] if items is None else items
    if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
        fail(where, "must be a list of non-empty strings")
    for item in items:
        try:
            compile_indicator(item)
        except re.error as exc:
            fail(where, f"has a bad regex {item!r} ({exc})")
    return list(items)


def compile_indicator(indicator: str) -> re.Pattern:
    """Compile one indicator: ``re:`` regex, else a word-bounded phrase (case-insensitive, spaces flexible).

    >>> bool(compile_indicator("kerja sama").search("Kerja  sama militer")), bool(compile_indicator("war").search("warfare"))
    (True, False)
    """
    if indicator.startswith("re:"):
        return re.compile(indicator[3:], re.IGNORECASE)
    words = [re.escape(w) for w in indicator.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def indicator_key(indicator: str) -> str | None:
    """Return the first word a phrase indicator needs in a text (None for a regex).

    A phrase can only match a unit that contains its first word, so the
    coder tries a phrase's regex only on units holding that word.

    >>> indicator_key("Kerja sama"), indicator_key("re:\\bmenang\\w*")
    ('kerja', None)
    """
    if indicator.startswith("re:"):
        return None
    match = _WORD.search(indicator)
    return match.group().casefold() if match else None
