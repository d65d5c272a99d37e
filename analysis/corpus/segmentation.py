"""Segmentation: a cleaned text cut into the analysis units (article, paragraph or sentence).

Rules this module keeps:

* A unit is a ``(start, end)`` span of the cleaned text, so every unit can be
  traced back to its article by character offsets; spans never include
  surrounding whitespace.
* Paragraphs are the default unit: a handful of articles is too few
  documents for a topic model. Scraped news often puts one paragraph per
  line, so a text without blank-line paragraphs is split at line breaks.
* Sentences come from an untrained Punkt splitter that knows the language's
  abbreviations: no model download, the same split on every machine.
* A unit's id is its article id, the unit's letter and its position
  (``004_x-p003``), so ids sort in reading order.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from ..errors import AnalysisError

UNITS = ("article", "paragraph", "sentence")
_UNIT_LETTER = {"article": "a", "paragraph": "p", "sentence": "s"}
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    """Return the number of whitespace-separated words in ``text`` without building a word list.

    >>> count_words("Rusia dan  Korea Utara")
    4
    """
    return sum(1 for _ in _WORD.finditer(text))


def unit_id(article_id: str, unit: str, position: int) -> str:
    """Return the id of the unit at ``position`` of an article.

    >>> unit_id("004_4b67", "paragraph", 3)
    '004_4b67-p003'
    """
    return f"{article_id}-{_UNIT_LETTER[unit]}{position:03d}"


def segment_text(text: str, unit: str = "paragraph", *, abbreviations: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` character spans of the units of a cleaned text.

    ``article`` gives one span; ``paragraph`` splits at blank lines when the
    text separates paragraphs with blank lines, else at every line break
    (scraped news puts one paragraph per line); ``sentence`` splits each
    paragraph with an untrained Punkt splitter that knows ``abbreviations``.
    Spans never include surrounding whitespace.

    Examples
    --------
    >>> segment_text("Satu dua.\\nTiga empat.", "paragraph")
    [(0, 9), (10, 21)]
    >>> segment_text("Satu dua. Tiga empat.", "sentence")
    [(0, 9), (10, 21)]
    """
    if unit not in UNITS:
        raise AnalysisError(f"unit {unit!r} is not one of {', '.join(UNITS)}", path="unit")
    if not text.strip():
        return []
    if unit == "article":
        start = len(text) - len(text.lstrip())
        return [(start, len(text.rstrip()))]
    spans = _paragraphs(text)
    if unit == "paragraph":
        return spans
    tokenizer = _sentence_tokenizer(tuple(abbreviations))
    out = []
    for start, end in spans:
        out += [(start + s, start + e) for s, e in tokenizer.span_tokenize(text[start:end])]
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    blank_separated = text.count("\n\n")
    single = sum(1 for m in re.finditer(r"[^\n]\n[^\n]", text))
    separator = re.compile(r"\n\s*\n") if blank_separated and blank_separated >= single else re.compile(r"\n")
    pos = 0
    for match in itertools.chain(separator.finditer(text), [None]):
        end = match.start() if match else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + len(chunk.rstrip())))
        pos = match.end() if match else end
    return spans


@lru_cache(maxsize=8)
def _sentence_tokenizer(abbreviations: tuple[str, ...]):
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    # Untrained Punkt with the language's abbreviations: no model download.
    params = PunktParameters()
    params.abbrev_types = set(abbreviations)
    return PunktSentenceTokenizer(params)
