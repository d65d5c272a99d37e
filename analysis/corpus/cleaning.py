"""Cleaning: one article's lines through the rules, and its title, outlet, place and date.

Rules this module keeps:

* Rules apply line by line (:mod:`analysis.corpus.rules` says how each action
  works) and every removal is logged with its rule, block and raw line
  number; nothing disappears silently. A date line moved to ``date`` is
  logged too (category ``metadata``), so every character that left the text
  is accounted for.
* The headline stays in the text as its first line (the segmentation makes
  it the article's first unit, of type ``headline``) and is also the
  article's ``title``. A title given with the document that the text does
  not hold is put at the head of the text, so the headline is coded like
  every other unit.
* Metadata given with the document (an input table's columns, or
  ``metadata.csv``) wins over what is extracted from the text. A field that
  cannot be found stays empty; it is never guessed (a date without a year
  keeps the precision ``day-no-year``).
* A dateline or headline is looked for in the opening lines only.
* The publication date comes only from the metadata given, the dateline
  ("WASHINGTON, June 23 (Reuters) -") or a date line at the head of the
  article (a line holding nothing but a date, a time and a label such as
  "Published"). A date the body mentions ("the accident on July 27, 1999")
  is the date of an event the article reports, never its publication date.
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
from .segmentation import looks_like_title

logger = logging.getLogger(__name__)

# A dateline, date line or headline sits in the first lines of an article;
# looking further would mistake a subheading for a title.
_HEAD_LINES = 6
# Log entries that are not boilerplate: a date line moved to `date`, and
# units dropped for being shorter than `min_unit_words`.
NOT_BOILERPLATE = ("metadata", "short unit")
# What may stand on a date line beside the date: a time, a time zone, separators.
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?", re.IGNORECASE)


@dataclass
class CleanArticle:
    """An article after cleaning: text, raw line number of each text line, metadata, removals.

    ``headline`` is True when the text opens with the headline (its first
    line, equal to ``title``); ``lead_start`` is the offset in ``text`` where
    the dateline ends (-1 without one), so that the lead unit can start
    after it; ``dateline_outlet`` is the outlet the dateline names, even
    when a given outlet wins (a wire agency in "MOSCOW (Reuters) -" is a credit).
    """

    text: str
    line_starts: list[int]
    line_nos: list[int]
    title: str = ""
    outlet: str = ""
    place: str = ""
    date: str = ""
    date_precision: str = ""
    removals: list[dict] = field(default_factory=list)
    headline: bool = False
    lead_start: int = -1
    dateline_outlet: str = ""

    @property
    def n_removals(self) -> int:
        return sum(1 for r in self.removals if r["category"] not in NOT_BOILERPLATE)

    def line_no_at(self, offset: int) -> int:
        """The raw line number of the text line holding character ``offset`` (0 for a given title put at the head)."""
        return self.line_nos[bisect_right(self.line_starts, offset) - 1]


def clean_article(lines: Iterable[str], rules: Ruleset, *, given: dict | None = None) -> CleanArticle:
    """Clean one article line by line and extract its title, outlet, place and date.

    Lines are repaired (:func:`~analysis.corpus.readers.repair_mojibake`),
    then matched against the rules; removed lines are logged. A headline
    (a title-like line before the dateline, or a title-like first line when
    there is no dateline) becomes ``title`` and the first line of the text.
    A date line at the head moves to ``date``. Values in ``given`` (metadata
    from an input table) win over extracted ones.

    Examples
    --------
    >>> from analysis.corpus.rules import load_rules
    >>> art = clean_article(["Judul Berita", "TEMPO.CO, Jakarta - Isi berita di sini.",
    ...                      "Baca Juga:", "Judul lain", "Isi kedua berita."], load_rules("id"))
    >>> art.title, art.outlet, art.text
    ('Judul Berita', 'TEMPO.CO', 'Judul Berita\\nTEMPO.CO, Jakarta - Isi berita di sini.\\nIsi kedua berita.')
    >>> art.text[art.lead_start:art.lead_start + 4]
    'Isi '
    """
    given = given or {}
    kept, removals = _apply_rules(lines, rules)
    tidy = _tidy(kept)
    head = [i for i, (_, line) in enumerate(tidy) if line][:_HEAD_LINES]
    dateline_at, dateline = _find_dateline(tidy, head, rules)
    date_at, line_date = _find_date_line(tidy, head, dateline_at, rules)
    title_at = _title_index(tidy, [i for i in head if i != date_at], dateline_at)
    dateline_no = tidy[dateline_at][0] if dateline_at is not None else None
    if date_at is not None:
        removals.append({"rule": "date_line", "category": "metadata", "block": 0, "line_no": tidy[date_at][0],
                         "text": tidy[date_at][1].strip()})
    title, headline = _place_headline(tidy, title_at, date_at, given)
    starts, nos, pieces = _layout(tidy)
    lead_start = starts[nos.index(dateline_no)] + dateline["end"] if dateline_no is not None else -1
    if given.get("date"):
        found_date, precision = _given_date(given["date"])
    else:
        found_date, precision = dateline["date"] if dateline["date"][0] else line_date
    removals.sort(key=lambda r: r["line_no"])
    return CleanArticle(
        text="\n".join(pieces), line_starts=starts, line_nos=nos,
        title=given.get("title") or title,
        outlet=given.get("outlet") or dateline["outlet"],
        place=given.get("place") or dateline["place"],
        date=found_date, date_precision=precision, removals=removals,
        headline=headline, lead_start=lead_start, dateline_outlet=dateline["outlet"],
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


# --------------------------------------------------------------------------- title, dateline, date line


def _find_dateline(tidy: list[tuple[int, str]], head: list[int], rules: Ruleset) -> tuple[int | None, dict]:
    for i in head:
        found = extract_dateline(tidy[i][1], rules)
        if found["rule"]:
            return i, found
    return None, {"outlet": "", "place": "", "rule": "", "end": 0, "date": ("", "")}


def _find_date_line(tidy: list[tuple[int, str]], head: list[int], dateline_at: int | None,
                    rules: Ruleset) -> tuple[int | None, tuple[str, str]]:
    """The first head line (before the dateline, or among the first lines) holding nothing but a date."""
    for i in head:
        if dateline_at is not None and i >= dateline_at:
            break
        found = date_line(tidy[i][1], rules)
        if found[0]:
            return i, found
    return None, ("", "")


def _title_index(tidy: list[tuple[int, str]], head: list[int], dateline_at: int | None) -> int | None:
    """Where the headline is: a title-like line before the dateline, or a title-like first line without one."""
    if dateline_at is not None:
        before = [i for i in head if i < dateline_at and looks_like_title(tidy[i][1])]
        return before[0] if before else None
    if len(head) > 1 and looks_like_title(tidy[head[0]][1]):
        return head[0]
    return None


def _blank_separated(tidy: list[tuple[int, str]]) -> bool:
    """Whether the text separates paragraphs with blank lines (the test segmentation applies)."""
    blanks = sum(1 for _, line in tidy if not line)
    singles = sum(1 for (_, a), (_, b) in zip(tidy, tidy[1:]) if a and b)
    return bool(blanks) and blanks >= singles


def _place_headline(tidy: list[tuple[int, str]], title_at: int | None, date_at: int | None,
                    given: dict) -> tuple[str, bool]:
    """Put the headline at the head of the text (in place); return the extracted title and whether the text opens with one.

    The headline line found in the text moves to the top (it usually is
    there). A given title that differs from it (or without one) is put at
    the top instead, with raw line number 0, and the line found stays where
    it is (a kicker or subheading). The date line leaves the text.
    """
    found = tidy[title_at] if title_at is not None else None
    blank = _blank_separated(tidy)
    title = found[1].strip() if found else ""
    wanted = " ".join(str(given.get("title") or "").split())
    # The line found is the headline unless a different title is given.
    same = found is not None and (not wanted or wanted == " ".join(title.split()))
    top = found if same else ((0, wanted) if wanted else None)
    keep = [row for i, row in enumerate(tidy) if i != date_at and not (same and i == title_at)]
    while keep and not keep[0][1]:
        keep.pop(0)
    tidy[:] = _tidy(([top] + ([(top[0], "")] if blank else []) if top else []) + keep)
    return title, top is not None


def extract_dateline(line: str, rules: Ruleset) -> dict:
    """Return ``{"outlet", "place", "rule", "end", "date"}`` from a dateline at the start of ``line``.

    ``end`` is where the dateline ends in ``line`` (the text after it is the
    lead); ``date`` is ``(iso_date, precision)`` of a date inside the
    dateline itself ("WASHINGTON, June 23 (Reuters) -"), ``("", "")`` when it
    holds none. Empty fields when ``line`` opens with no dateline.

    Examples
    --------
    >>> from analysis.corpus.rules import load_rules
    >>> extract_dateline("TEMPO.CO, Jakarta - Hubungan akrab", load_rules("id"))["outlet"]
    'TEMPO.CO'
    >>> extract_dateline("WASHINGTON, June 23 (Reuters) - The talks", load_rules("en"))["date"]
    ('--06-23', 'day-no-year')
    """
    for name, regex in rules.datelines:
        match = regex.match(line)
        if match:
            groups = match.groupdict()
            return {"outlet": (groups.get("outlet") or "").strip(), "place": (groups.get("place") or "").strip(),
                    "rule": name, "end": match.end(), "date": extract_date(match.group(0), rules, allow_no_year=True)}
    return {"outlet": "", "place": "", "rule": "", "end": 0, "date": ("", "")}


def date_line(line: str, rules: Ruleset) -> tuple[str, str]:
    """Return ``(iso_date, precision)`` when ``line`` holds nothing but a date, else ``("", "")``.

    Beside the date a date line may hold a weekday, a time, a time zone, the
    language's date-line words ("Diterbitkan", "Published", "WIB") and
    separators; any other word makes it a sentence, whose date is an event's.

    Examples
    --------
    >>> from analysis.corpus.rules import load_rules
    >>> date_line("Kamis, 14 September 2023 | 10:15 WIB", load_rules("id"))
    ('2023-09-14', 'day')
    >>> date_line("Putin tiba pada 14 September 2023", load_rules("id"))
    ('', '')
    """
    found = _find_date(line, rules, allow_no_year=True)
    if found is None:
        return "", ""
    start, end, iso, precision = found
    rest = _TIME.sub(" ", f"{line[:start]} {line[end:]}").lower()
    allowed = set(rules.weekdays) | set(rules.date_line_words)
    words = [w for w in re.findall(r"[^\W_]+", rest) if w not in allowed]
    return (iso, precision) if not words else ("", "")


# --------------------------------------------------------------------------- dates


def extract_date(text: str, rules: Ruleset, *, allow_no_year: bool = False) -> tuple[str, str]:
    """Return ``(iso_date, precision)`` of the first date in ``text``, or ``("", "")``.

    Only explicit dates count: a weekday with day/month (``"Rabu (19/6)"``,
    year optional), day-month-year with a month name, month-day-year, or ISO;
    with ``allow_no_year`` (inside a dateline or on a date line) also a month
    name with a day and no year (``"June 23"``). A missing year is never
    filled in: ``"Rabu (19/6)"`` gives ``"--06-19"`` with precision
    ``day-no-year``. Impossible dates are ignored. The corpus stage reads
    publication dates only from datelines, date lines and given metadata.

    Examples
    --------
    >>> from analysis.corpus.rules import load_rules
    >>> extract_date("dilansir Minggu (23/6/2024).", load_rules("id"))
    ('2024-06-23', 'day')
    >>> extract_date("pada Rabu (19/6), Presiden", load_rules("id"))
    ('--06-19', 'day-no-year')
    """
    found = _find_date(text, rules, allow_no_year=allow_no_year)
    return (found[2], found[3]) if found else ("", "")


def _find_date(text: str, rules: Ruleset, *, allow_no_year: bool) -> tuple[int, int, str, str] | None:
    """``(start, end, iso_date, precision)`` of the first date in ``text``; the earliest match wins."""
    best: tuple[int, int, str, str] | None = None
    patterns = rules.date_patterns + (rules.yearless_date_patterns if allow_no_year else ())
    for kind, regex in patterns:
        for match in regex.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            found = _date_of(kind, match.groupdict(), rules)
            if found is None:
                continue
            best = (match.start(), match.end(), *found)
            break
    return best


def _date_of(kind: str, groups: dict, rules: Ruleset) -> tuple[str, str] | None:
    """``(iso_date, precision)`` of one date match; None for an impossible date."""
    if kind in ("weekday_numeric", "numeric"):
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
