"""Segmentation: a cleaned text cut into typed analysis units (article, paragraph or sentence).

Rules this module keeps:

* A unit is a ``(start, end)`` span of the cleaned text, so every unit can be
  traced back to its article by character offsets; spans never include
  surrounding whitespace.
* Paragraphs are the default unit: a handful of articles is too few
  documents for a topic model. Scraped news often puts one paragraph per
  line, so a text without blank-line paragraphs is split at line breaks.
* A numbered list item glued to the text before it ("… melawan NATO1. Menjadi
  pilar") starts a unit of its own (:func:`split_glued_items` states the rule).
* Every unit has a type (:data:`UNIT_TYPES`), because headlines, leads and
  subheadings are the framing devices of a news text and are reported apart
  from the body (:func:`type_paragraphs` states the rules).
* Sentences come from an untrained Punkt splitter that knows the language's
  abbreviations: no model download, the same split on every machine. Only
  lead and body paragraphs are split; a headline, subheading or list item
  is one unit whatever its punctuation.
* A unit's id is its article id, the unit's letter and its position
  (``004_x-p003``), so ids sort in reading order; the headline is position 0.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import NamedTuple

from ..errors import AnalysisError

UNITS = ("article", "paragraph", "sentence")
UNIT_TYPES = ("headline", "lead", "subheading", "body", "list_item")
# Units whose length says nothing about whether they carry meaning: they are
# kept whatever their number of words (min_unit_words applies to lead and body only).
STRUCTURAL_TYPES = ("headline", "subheading", "list_item")
_UNIT_LETTER = {"article": "a", "paragraph": "p", "sentence": "s"}
_WORD = re.compile(r"\S+")
# A headline or subheading is short and does not end like a sentence (the same
# test for both, so a line is a title wherever it stands).
TITLE_MAX_WORDS = 25
_TITLE_END = tuple(".!?…:;,\"”'’")
# A list item opens with a number and a period or parenthesis ("3. ", "3) ",
# "(3) ") or a bullet sign, then text.
_LIST_MARKER = re.compile(r"^(?:\(?\d{1,2}[.)]|[•▪●◦‣∙·*-])\s+\S")
# A number glued to the text before it, followed by a period, a space and a
# capital letter: "NATO1. Menjadi", "berikut.1. Pertama".
_GLUED_ITEM = re.compile(r"(?<=[^\W\d_]|[.!?:;…)”\"’'])(?P<n>\d{1,2})\.\s+(?=[^\W\d_])")
_SENTENCE_END = tuple(".!?:;…)”\"’'")
_ITEM_NUMBER = re.compile(r"^\(?(\d{1,2})[.)]\s")


class Unit(NamedTuple):
    """One unit of a text: its span and its type (one of :data:`UNIT_TYPES`)."""

    start: int
    end: int
    unit_type: str


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


def looks_like_title(line: str) -> bool:
    """Return True for a line shaped like a headline or subheading: short, no sentence end, capital or digit first.

    >>> looks_like_title("Dilema yang Terus Meningkat"), looks_like_title("Ia datang kemarin."), looks_like_title("zvr")
    (True, False, False)
    """
    text = line.strip()
    words = text.split()
    return (0 < len(words) <= TITLE_MAX_WORDS and not text.endswith(_TITLE_END)
            and (text[0].isupper() or text[0].isdigit()))


def is_list_item(line: str) -> bool:
    """Return True for a line that opens with a list marker (a number and period or parenthesis, or a bullet).

    >>> is_list_item("2. Disiapkan untuk generasi"), is_list_item("• Harga naik"), is_list_item("2023. Tahun itu")
    (True, True, False)
    """
    return bool(_LIST_MARKER.match(line.strip()))


def segment_text(text: str, unit: str = "paragraph", *, abbreviations: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` character spans of the units of a cleaned text (untyped).

    ``article`` gives one span; ``paragraph`` splits at blank lines when the
    text separates paragraphs with blank lines, else at every line break
    (scraped news puts one paragraph per line), and splits glued list items
    (:func:`split_glued_items`); ``sentence`` splits each paragraph with an
    untrained Punkt splitter that knows ``abbreviations``. Spans never include
    surrounding whitespace. :func:`segment_article` gives typed units.

    Examples
    --------
    >>> segment_text("Satu dua.\\nTiga empat.", "paragraph")
    [(0, 9), (10, 21)]
    >>> segment_text("Satu dua. Tiga empat.", "sentence")
    [(0, 9), (10, 21)]
    """
    return [(u.start, u.end) for u in segment_article(text, unit, abbreviations=abbreviations)]


def segment_article(text: str, unit: str = "paragraph", *, headline: bool = False, lead_start: int | None = None,
                    abbreviations: tuple[str, ...] = ()) -> list[Unit]:
    """Return the typed units of a cleaned article, in reading order.

    Parameters
    ----------
    text : the cleaned article text.
    unit : "paragraph", "sentence" or "article".
    headline : True when the text opens with the article's headline (the corpus stage puts it there).
    lead_start : offset where the dateline ends, or None; the paragraph holding it is the lead, and the
        lead unit starts there (the dateline stays metadata: outlet and place).
    abbreviations : abbreviations the sentence splitter must not split at.

    In ``article`` mode the whole text is one unit of type ``body``.

    Examples
    --------
    >>> text = "Judul Utama\\nJAKARTA - Isi pertama.\\nSub Judul\\nIsi kedua."
    >>> [(text[u.start:u.end], u.unit_type) for u in segment_article(text, headline=True, lead_start=21)]
    [('Judul Utama', 'headline'), ('Isi pertama.', 'lead'), ('Sub Judul', 'subheading'), ('Isi kedua.', 'body')]
    """
    if unit not in UNITS:
        raise AnalysisError(f"unit {unit!r} is not one of {', '.join(UNITS)}", path="unit")
    if not text.strip():
        return []
    if unit == "article":
        start = len(text) - len(text.lstrip())
        return [Unit(start, len(text.rstrip()), "body")]
    units = type_paragraphs(text, split_glued_items(text, _paragraphs(text)), headline=headline,
                            lead_start=lead_start)
    if unit == "paragraph":
        return units
    tokenizer = _sentence_tokenizer(tuple(abbreviations))
    out = []
    for start, end, kind in units:
        if kind in STRUCTURAL_TYPES:
            out.append(Unit(start, end, kind))
            continue
        out += [Unit(start + s, start + e, kind) for s, e in tokenizer.span_tokenize(text[start:end])]
    return out


def split_glued_items(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split each numbered list item glued to the text before it off into a span of its own.

    Scrapers often drop the line break before the first item of a numbered
    list: "… dalam perang melawan NATO1. Menjadi pilar utama". The rule: a
    number of one or two digits, glued with no space to a letter or to
    sentence-ending punctuation, followed by a period, a space and a capital
    letter, starts a list item when the text before it ends a sentence
    (punctuation) or when the next number opens a later paragraph (the list
    goes on: "2. …"). The second condition keeps "G20. Indonesia" and
    "F16. Pesawat" whole.

    Examples
    --------
    >>> t = "Tiga langkah penting untuk kota1. Menanam pohon\\n2. Membersihkan sungai"
    >>> [t[s:e] for s, e in split_glued_items(t, [(0, 47), (48, 70)])]
    ['Tiga langkah penting untuk kota', '1. Menanam pohon', '2. Membersihkan sungai']
    >>> t = "Indonesia memimpin G20. Pertemuan itu berlangsung di Bali."
    >>> split_glued_items(t, [(0, len(t))]) == [(0, len(t))]
    True
    """
    numbers = [_item_number(text[s:e]) for s, e in spans]
    out = []
    for i, (start, end) in enumerate(spans):
        later = {n for n in numbers[i + 1:] if n is not None}
        cuts = [m.start() for m in _GLUED_ITEM.finditer(text, start, end)
                if m.start() > start and (_ends_sentence(text, m.start()) or int(m.group("n")) + 1 in later)]
        edges = [start, *cuts, end]
        for a, b in zip(edges, edges[1:]):
            piece = text[a:b]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append((a + lead, a + len(piece.rstrip())))
    return out


def _ends_sentence(text: str, at: int) -> bool:
    """Whether the text before offset ``at`` ends with sentence punctuation after a letter (not "3.5.")."""
    return text[at - 1] in _SENTENCE_END and at >= 2 and not text[at - 2].isdigit()


def _item_number(paragraph: str) -> int | None:
    m = _ITEM_NUMBER.match(paragraph.strip())
    return int(m.group(1)) if m else None


def type_paragraphs(text: str, spans: list[tuple[int, int]], *, headline: bool = False,
                    lead_start: int | None = None) -> list[Unit]:
    """Give each paragraph span its type; the rules, in this order:

    1. **headline**: the first paragraph, when the text opens with the headline;
    2. **list_item**: a paragraph that opens with a list marker (:func:`is_list_item`);
    3. **subheading**: a title-shaped paragraph (:func:`looks_like_title`) that
       is not the article's last (a short line closing an article is a credit
       or a link more often than a heading over nothing);
    4. **lead**: the paragraph holding the end of the dateline (``lead_start``),
       else the first paragraph not typed above; the lead starts after the
       dateline, which stays metadata;
    5. **body**: every other paragraph.

    Examples
    --------
    >>> t = "Kota Baru\\nWarga menanam pohon.\\n1. Menanam\\nAkhir cerita."
    >>> [u.unit_type for u in type_paragraphs(t, [(0, 9), (10, 30), (31, 41), (42, 55)], headline=True)]
    ['headline', 'lead', 'list_item', 'body']
    """
    kinds = []
    for i, (start, end) in enumerate(spans):
        piece = text[start:end]
        if i == 0 and headline:
            kinds.append("headline")
        elif is_list_item(piece):
            kinds.append("list_item")
        elif looks_like_title(piece) and i < len(spans) - 1:
            kinds.append("subheading")
        else:
            kinds.append("body")
    lead = next((i for i, (s, e) in enumerate(spans) if lead_start is not None and s <= lead_start <= e), None)
    if lead is None:
        lead = next((i for i, k in enumerate(kinds) if k == "body"), None)
    out = [Unit(s, e, k) for (s, e), k in zip(spans, kinds)]
    if lead is not None and kinds[lead] != "headline":
        start, end = spans[lead]
        if lead_start is not None and start <= lead_start < end:
            start = lead_start + len(text[lead_start:end]) - len(text[lead_start:end].lstrip())
        out[lead] = Unit(start, end, "lead")
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
