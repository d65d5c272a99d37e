"""Cleaning: one article's lines through the rules, and its title, outlet, place and date.

Rules this module keeps:

* Rules apply line by line (:mod:`analysis.corpus.rules` says how each action
  works) and every removal is logged with its rule, block and raw line
  number; nothing disappears silently. A headline moved to ``title`` is
  logged too (category ``metadata``), so every character that left the text
  is accounted for.
* Metadata given with the document (an input table's columns, or
  ``metadata.csv``) wins over what is extracted from the text. A field that
  cannot be found stays empty; it is never guessed (a date without a year
  keeps the precision ``day-no-year``).
* A dateline or headline is looked for in the opening lines only, and the
  publication date in the opening of the text, where they stand.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date as _date
from typing import Iterable

from .readers import repair_mojibake
from .rules import Rule, Ruleset

logger = logging.getLogger(__name__)

# A dateline or headline sits in the first lines of an article; looking further
# would mistake a subheading for a title.
_HEAD_LINES = 6
# A headline is short and does not end like a sentence.
_TITLE_MAX_WORDS = 25
_TITLE_END = tuple(".!?…:;,\"”'’")
# The publication date stands in the opening of an article; a date further
# down is more likely the date of an event the article reports.
_DATE_LINES = 60
# Log entries that are not boilerplate: the headline moved to `title`, and
# units dropped for being shorter than `min_unit_words`.
NOT_BOILERPLATE = ("metadata", "short unit")


@dataclass
class CleanArticle:
    """An article after cleaning: text, raw line number of each text line, metadata, removals."""

    text: str
    line_starts: list[int]
    line_nos: list[int]
    title: str = ""
    outlet: str = ""
    place: str = ""
    date: str = ""
    date_precision: str = ""
    removals: list[dict] = field(default_factory=list)

    @property
    def n_removals(self) -> int:
        return sum(1 for r in self.removals if r["category"] not in NOT_BOILERPLATE)

    def line_no_at(self, offset: int) -> int:
        """The raw line number of the text line holding character ``offset``."""
        return self.line_nos[bisect_right(self.line_starts, offset) - 1]


def clean_article(lines: Iterable[str], rules: Ruleset, *, given: dict | None = None) -> CleanArticle:
    """Clean one article line by line and extract its title, outlet, place and date.

    Lines are repaired (:func:`~analysis.corpus.readers.repair_mojibake`),
    then matched against the rules; removed lines are logged. A headline
    before the dateline (or a short first line without a final period when
    there is no dateline) moves to ``title`` and out of the text. Values in
    ``given`` (metadata from an input table) win over extracted ones.

    Examples
    --------
    >>> from analysis.corpus.rules import load_rules
    >>> art = clean_article(["Judul Berita", "TEMPO.CO, Jakarta - Isi berita di sini.",
    ...                      "Baca Juga:", "Judul lain", "Isi kedua berita."], load_rules("id"))
    >>> art.title, art.outlet, art.text
    ('Judul Berita', 'TEMPO.CO', 'TEMPO.CO, Jakarta - Isi berita di sini.\\nIsi kedua berita.')
    """
    given = given or {}
    kept, removals = _apply_rules(lines, rules)
    tidy = _tidy(kept)
    head = [i for i, (_, line) in enumerate(tidy) if line][:_HEAD_LINES]
    dateline_at, dateline = _find_dateline(tidy, head, rules)
    title = _take_title(tidy, _title_index(tidy, head, dateline_at), given, removals)
    starts, nos, pieces = _layout(tidy)
    found_date, precision = _given_date(given["date"]) if given.get("date") else _first_date(pieces, rules)
    removals.sort(key=lambda r: r["line_no"])
    return CleanArticle(
        text="\n".join(pieces), line_starts=starts, line_nos=nos,
        title=given.get("title") or title,
        outlet=given.get("outlet") or dateline["outlet"],
        place=given.get("place") or dateline["place"],
        date=found_date, date_precision=precision, removals=removals,
    )


# --------------------------------------------------------------------------- rules, line by line


class _LineCleaner:
    """Applies a ruleset to the lines of one article, keeping track of open blocks and footers."""

    def __init__(self, rules: Ruleset):
        self.rules = rules.rules
        self.kept: list[tuple[int, str]] = []
        self.removals: list[dict] = []
        self.block = 0
        self.pending: Rule | None = None  # a "block" label waiting for its headline line
        self.footer: Rule | None = None
        self.kept_text = False

    def remove(self, rule: Rule, line_no: int, text: str, new_block: bool = True) -> None:
        if new_block:
            self.block += 1
        self.removals.append({"rule": rule.name, "category": rule.category, "block": self.block,
                              "line_no": line_no, "text": text})

    def feed(self, line_no: int, line: str) -> None:
        if self.footer is not None:
            if line.strip():
                self.remove(self.footer, line_no, line, new_block=False)
            return
        if not line.strip():
            self.kept.append((line_no, ""))
            return
        if self.pending is not None:
            self.remove(self.pending, line_no, line, new_block=False)
            self.pending = None
            return
        rest = self._match(line_no, line)
        if rest is not None:
            self.kept.append((line_no, rest))
            self.kept_text = True

    def _match(self, line_no: int, line: str) -> str | None:
        """The line left after the first matching rules (inline rules cut and go on); None if it goes."""
        for rule in self.rules:
            match = rule.regex.search(line)
            if match is None:
                continue
            if rule.action == "inline":
                self.remove(rule, line_no, match.group(0).strip())
                line = (line[: match.start()] + line[match.end():]).rstrip()
                if not line.strip():
                    return None
                continue
            self.remove(rule, line_no, line)
            if rule.action == "footer" and self.kept_text:
                self.footer = rule
            elif rule.action == "block" and not (match.groupdict().get("rest") or "").strip():
                self.pending = rule
            return None
        return line


def _apply_rules(lines: Iterable[str], rules: Ruleset) -> tuple[list[tuple[int, str]], list[dict]]:
    cleaner = _LineCleaner(rules)
    for line_no, line in enumerate(lines, 1):
        if line_no == 1:
            line = line.lstrip("\ufeff")
        cleaner.feed(line_no, repair_mojibake(line).rstrip())
    return cleaner.kept, cleaner.removals


def _tidy(kept: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Collapse runs of blank lines and trim blank lines at both ends."""
    tidy: list[tuple[int, str]] = []
    for line_no, line in kept:
        if not line and (not tidy or not tidy[-1][1]):
            continue
        tidy.append((line_no, line))
    while tidy and not tidy[-1][1]:
        tidy.pop()
    return tidy


def _layout(tidy: list[tuple[int, str]]) -> tuple[list[int], list[int], list[str]]:
    """Each line's start offset in the joined text, its raw line number, and the lines."""
    starts, nos, pieces, pos = [], [], [], 0
    for line_no, line in tidy:
        starts.append(pos)
        nos.append(line_no)
        pieces.append(line)
        pos += len(line) + 1
    return starts, nos, pieces


# --------------------------------------------------------------------------- title and dateline


def _title_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= _TITLE_MAX_WORDS and not line.rstrip().endswith(_TITLE_END)


def _find_dateline(tidy: list[tuple[int, str]], head: list[int], rules: Ruleset) -> tuple[int | None, dict]:
    for i in head:
        found = extract_dateline(tidy[i][1], rules)
        if found["rule"]:
            return i, found
    return None, {"outlet": "", "place": ""}


def _title_index(tidy: list[tuple[int, str]], head: list[int], dateline_at: int | None) -> int | None:
    """Where the headline is: a title-like line before the dateline, or a title-like first line without one."""
    if dateline_at is not None:
        before = [i for i in head if i < dateline_at and _title_like(tidy[i][1])]
        return before[0] if before else None
    if len(head) > 1 and _title_like(tidy[head[0]][1]):
        return head[0]
    return None


def _take_title(tidy: list[tuple[int, str]], title_at: int | None, given: dict, removals: list[dict]) -> str:
    """Return the headline; move it out of the text (and log it) unless a different title is given."""
    if title_at is None:
        return ""
    line_no, title = tidy[title_at]
    title = title.strip()
    if not given.get("title") or " ".join(given["title"].split()) == " ".join(title.split()):
        removals.append({"rule": "title", "category": "metadata", "block": 0, "line_no": line_no, "text": title})
        del tidy[title_at]
        while tidy and not tidy[0][1]:
            tidy.pop(0)
    return title


def extract_dateline(line: str, rules: Ruleset) -> dict:
    """Return ``{"outlet", "place", "rule"}`` from a dateline at the start of ``line`` (empty if none).

    Examples
    --------
    >>> from analysis.corpus.rules import load_rules
    >>> extract_dateline("TEMPO.CO, Jakarta - Hubungan akrab", load_rules("id"))["outlet"]
    'TEMPO.CO'
    """
    for name, regex in rules.datelines:
        match = regex.match(line)
        if match:
            groups = match.groupdict()
            return {"outlet": (groups.get("outlet") or "").strip(), "place": (groups.get("place") or "").strip(), "rule": name}
    return {"outlet": "", "place": "", "rule": ""}


# --------------------------------------------------------------------------- dates


def extract_date(text: str, rules: Ruleset) -> tuple[str, str]:
    """Return ``(iso_date, precision)`` of the first full date in ``text``, or ``("", "")``.

    Only explicit dates count: a weekday with day/month (``"Rabu (19/6)"``,
    year optional), day-month-year with a month name, month-day-year, or ISO.
    A missing year is never filled in: ``"Rabu (19/6)"`` gives ``"--06-19"``
    with precision ``day-no-year``. Impossible dates are ignored.

    Examples
    --------
    >>> from analysis.corpus.rules import load_rules
    >>> extract_date("dilansir Minggu (23/6/2024).", load_rules("id"))
    ('2024-06-23', 'day')
    >>> extract_date("pada Rabu (19/6), Presiden", load_rules("id"))
    ('--06-19', 'day-no-year')
    """
    best: tuple[int, str, str] | None = None
    for kind, regex in rules.date_patterns:
        for match in regex.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            found = _date_of(kind, match.groupdict(), rules)
            if found is None:
                continue
            best = (match.start(), *found)
            break
    return (best[1], best[2]) if best else ("", "")


def _date_of(kind: str, groups: dict, rules: Ruleset) -> tuple[str, str] | None:
    """``(iso_date, precision)`` of one date match; None for an impossible date."""
    if kind == "weekday_numeric":
        a, b = int(groups["a"]), int(groups["b"])
        day, month = (a, b) if rules.numeric_date_order == "dmy" else (b, a)
    else:
        day = int(groups["day"])
        month = int(groups["month"]) if groups.get("month") else rules.months[groups["mname"].lower()]
    year = groups.get("year")
    try:
        _date(int(year) if year else 2000, month, day)  # 2000: a leap year, so 29/2 passes
    except ValueError:
        return None
    if year:
        return f"{int(year):04d}-{month:02d}-{day:02d}", "day"
    return f"--{month:02d}-{day:02d}", "day-no-year"


def _first_date(pieces: list[str], rules: Ruleset) -> tuple[str, str]:
    for line in pieces[:_DATE_LINES]:
        if line:
            found = extract_date(line, rules)
            if found[0]:
                return found
    return "", ""


def _given_date(value: str) -> tuple[str, str]:
    value = value.strip()
    for regex, precision in ((r"\d{4}-\d{2}-\d{2}", "day"), (r"\d{4}-\d{2}", "month"), (r"\d{4}", "year"), (r"--\d{2}-\d{2}", "day-no-year")):
        if re.fullmatch(regex, value):
            return value, precision
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ]\d", value)
    if match:
        return match.group(1), "day"
    logger.warning("date %r is not ISO 8601; kept as given, precision unknown", value)
    return value, ""
