"""Rules: the language-specific cleaning rules, datelines and calendar words, read from YAML.

Cleaning rules are data, not code: ``analysis/resources/cleaning/common.yaml``
plus one YAML per language (``id.yaml``, ``en.yaml``), extensible with a
user's YAML (the ``extra_rules`` parameter). Their schema is documented in
``analysis/resources/cleaning/README.md``.

Rules this module keeps:

* The user's rules are tried first, then the language's, then the common
  ones; the user's months, weekdays, datelines and abbreviations are added to
  the shipped ones.
* Every file is read by :func:`analysis.files.read_yaml`; a bad entry is
  refused in one line naming the file and the key (``rules[2].pattern``).
* A language is chosen per article: the one given, or detected among the
  languages with shipped rules (:func:`detect_language`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import AnalysisError
from ..files import read_yaml
from ..paths import RESOURCES

CLEANING_DIR = RESOURCES / "cleaning"
ACTIONS = ("line", "block", "footer", "inline")
_DEFAULT_LEGACY = ("cp1252", "latin_1")
# Language detection reads the opening of an article only.
_LANGID_CHARS = 3000


@dataclass(frozen=True)
class Rule:
    """One cleaning rule: a regex applied to each line and what to do on a match."""

    name: str
    category: str
    action: str
    regex: re.Pattern
    description: str = ""


@dataclass(frozen=True)
class Ruleset:
    """Everything language-specific: cleaning rules, datelines, calendar words."""

    language: str
    rules: tuple[Rule, ...]
    datelines: tuple[tuple[str, re.Pattern], ...]
    months: dict
    weekdays: tuple[str, ...]
    numeric_date_order: str
    abbreviations: tuple[str, ...]
    legacy_encodings: tuple[str, ...]
    sources: tuple[str, ...] = ()
    date_line_words: tuple[str, ...] = ()

    @property
    def date_patterns(self) -> tuple[tuple[str, re.Pattern], ...]:
        """Return the compiled date patterns built from months and weekdays."""
        return _date_patterns(self.months_key, self.weekdays)

    @property
    def yearless_date_patterns(self) -> tuple[tuple[str, re.Pattern], ...]:
        """Return the patterns of a month name and day without a year ("June 23", "23 Juni").

        They are read only where a publication date stands (a dateline, a
        date line): in running text "23 Juni" is as often an event's date.
        """
        return _yearless_patterns(self.months_key)

    @property
    def months_key(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.months.items()))


def load_rules(language: str = "id", extra_rules: Path | str | None = None) -> Ruleset:
    """Return the cleaning rules, dateline patterns and calendar words for ``language``.

    The shipped ``common.yaml`` and ``<language>.yaml`` from
    ``analysis/resources/cleaning`` are combined with ``extra_rules`` (a YAML
    with the same keys). The user's rules are tried first; their months and
    datelines are added to the shipped ones. A language without a shipped
    file needs an ``extra_rules`` file declaring ``language: <code>`` with its
    own datelines, months and weekdays.

    Examples
    --------
    >>> rules = load_rules("id")
    >>> [r.name for r in rules.rules][:2]
    ['baca_juga', 'tonton_juga']
    """
    return _load_rules(str(language), str(extra_rules) if extra_rules else "")


def _read_rules(path: Path) -> dict:
    return read_yaml(path, what="rules file")


def _language_file(language: str, extra_data: dict, extra_path: Path | None) -> Path | None:
    """The shipped rules of ``language``; None when the user's file declares the language itself."""
    shipped = CLEANING_DIR / f"{language}.yaml"
    if shipped.exists():
        return shipped
    if extra_path and str(extra_data.get("language", "")) == language:
        return None
    supported = sorted(p.stem for p in CLEANING_DIR.glob("*.yaml") if p.stem != "common")
    raise AnalysisError(
        f"language {language!r} has no shipped cleaning rules (supported: {', '.join(supported)}, auto); "
        "supply cleaning rules and dateline patterns for it in an extra_rules YAML with "
        f"'language: {language}'")


@lru_cache(maxsize=16)
def _load_rules(language: str, extra: str) -> Ruleset:
    extra_path = Path(extra) if extra else None
    extra_data = _read_rules(extra_path) if extra_path else {}
    lang_path = _language_file(language, extra_data, extra_path)
    lang_data = _read_rules(lang_path) if lang_path else {}
    common_path = CLEANING_DIR / "common.yaml"
    # The user's file first: its rules and datelines are tried before the shipped ones.
    layers = [(data, path) for data, path in ((extra_data, extra_path), (lang_data, lang_path)) if path]
    rules = [r for data, path in layers for r in _compile_rules(data, path)]
    rules += _compile_rules(_read_rules(common_path), common_path)
    datelines = [d for data, path in layers for d in _compile_datelines(data, path)]
    # Calendar words: the language's, then the user's additions.
    layers.reverse()
    user_or_language = extra_path or lang_path
    order = str(extra_data.get("numeric_date_order") or lang_data.get("numeric_date_order") or "dmy")
    if order not in ("dmy", "mdy"):
        raise AnalysisError(f"{order!r} must be dmy or mdy", path=user_or_language, key="numeric_date_order")
    legacy = extra_data.get("legacy_encodings") or lang_data.get("legacy_encodings") or list(_DEFAULT_LEGACY)
    _check_encodings(legacy, user_or_language)
    sources = tuple(str(p) for p in (extra_path, lang_path, common_path) if p)
    return Ruleset(language, tuple(rules), tuple(datelines), _months(layers), _words(layers, "weekdays"), order,
                   _words(layers, "abbreviations"), tuple(str(e) for e in legacy), sources,
                   _words(layers, "date_line_words"))


def _entries(data: dict, name: str, path: Path) -> list:
    entries = data.get(name) or []
    if not isinstance(entries, list):
        raise AnalysisError("must be a list", path=path, key=name)
    return entries


def _compile_rules(data: dict, path: Path) -> list[Rule]:
    rules = []
    for i, item in enumerate(_entries(data, "rules", path)):
        key = f"rules[{i}]"
        if not isinstance(item, dict):
            raise AnalysisError("must be a mapping (name, pattern, action)", path=path, key=key)
        missing = [k for k in ("name", "pattern", "action") if not item.get(k)]
        if missing:
            raise AnalysisError(f"lacks field(s) {', '.join(missing)}", path=path, key=key)
        if item["action"] not in ACTIONS:
            raise AnalysisError(f"{item['action']!r} is not one of {', '.join(ACTIONS)} (rule {item['name']!r})",
                                path=path, key=f"{key}.action")
        flags = re.IGNORECASE if item.get("ignorecase") else 0
        regex = _compile(str(item["pattern"]), flags, path, f"{key}.pattern")
        rules.append(Rule(str(item["name"]), str(item.get("category") or item["name"]), item["action"], regex,
                          str(item.get("description") or "")))
    return rules


def _compile_datelines(data: dict, path: Path) -> list[tuple[str, re.Pattern]]:
    out = []
    for i, item in enumerate(_entries(data, "datelines", path)):
        key = f"datelines[{i}]"
        if not isinstance(item, dict) or not item.get("pattern"):
            raise AnalysisError("needs a pattern", path=path, key=key)
        regex = _compile(str(item["pattern"]), 0, path, f"{key}.pattern")
        if not {"outlet", "place"} & set(regex.groupindex):
            raise AnalysisError("pattern needs a named group outlet or place", path=path, key=f"{key}.pattern")
        out.append((str(item.get("name") or f"dateline_{i}"), regex))
    return out


def _compile(pattern: str, flags: int, path: Path, key: str) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise AnalysisError(f"bad regular expression ({exc})", path=path, key=key) from None


def _months(layers: list[tuple[dict, Path]]) -> dict[str, int]:
    months: dict[str, int] = {}
    for data, path in layers:
        for name, number in (data.get("months") or {}).items():
            if not isinstance(number, int) or not 1 <= number <= 12:
                raise AnalysisError("must map to a number 1-12", path=path, key=f"months.{name}")
            months[str(name).lower()] = number
    return months


def _words(layers: list[tuple[dict, Path]], name: str) -> tuple[str, ...]:
    return tuple(str(w).lower() for data, _ in layers for w in (data.get(name) or []))


def _check_encodings(encodings, path: Path | None) -> None:
    for enc in encodings:
        try:
            codecs.lookup(str(enc))
        except LookupError:
            raise AnalysisError(f"unknown encoding {enc!r}", path=path, key="legacy_encodings") from None


@lru_cache(maxsize=16)
def _date_patterns(months: tuple[tuple[str, int], ...], weekdays: tuple[str, ...]):
    # Longest names first so "September" wins over "Sep".
    month_alt = "|".join(re.escape(m) for m, _ in sorted(months, key=lambda kv: -len(kv[0])))
    day_alt = "|".join(re.escape(d) for d in sorted(weekdays, key=len, reverse=True)) or r"(?!x)x"
    patterns = [
        # "Minggu (23/6/2024)", "Rabu (19/6)": the Indonesian weekday-plus-numbers dateline
        ("weekday_numeric", re.compile(
            rf"\b(?:{day_alt})\s*,?\s*\(\s*(?P<a>\d{{1,2}})\s*/\s*(?P<b>\d{{1,2}})(?:\s*/\s*(?P<year>\d{{4}}))?\s*\)",
            re.IGNORECASE)),
        ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ]
    if month_alt:
        patterns += [
            # "Rabu, 13 September 2023", "23 June 2024"
            ("day_month_year", re.compile(
                rf"\b(?P<day>\d{{1,2}})\s+(?P<mname>{month_alt})\.?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)),
            # "June 23, 2024"
            ("month_day_year", re.compile(
                rf"\b(?P<mname>{month_alt})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)),
        ]
    return tuple(patterns)


@lru_cache(maxsize=16)
def _yearless_patterns(months: tuple[tuple[str, int], ...]):
    month_alt = "|".join(re.escape(m) for m, _ in sorted(months, key=lambda kv: -len(kv[0])))
    # "13/9", "13/9/2023" without a weekday: a dateline's short form ("JAKARTA, 13/9 (ANTARA) -")
    numeric = ("numeric", re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<year>\d{4}))?(?![\d/])"))
    if not month_alt:
        return (numeric,)
    return (
        numeric,
        ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<mname>{month_alt})\b\.?", re.IGNORECASE)),
        ("month_day", re.compile(rf"\b(?P<mname>{month_alt})\.?\s+(?P<day>\d{{1,2}})\b", re.IGNORECASE)),
    )


def detect_language(lines: list[str]) -> str:
    """Return the language of an article's opening lines, among the languages with shipped rules (py3langid).

    >>> detect_language(["Russia and North Korea signed a defence pact on Wednesday, officials said."])
    'en'
    """
    lang, _ = _identifier().classify(" ".join(lines)[:_LANGID_CHARS])
    return lang


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["id", "en"])  # the languages with shipped rules
    return identifier
