"""Credits: which wire agency or outlet a story came from, recorded before cleaning removes the credit.

For a question about what Indonesian outlets write, who wrote a story first
is a finding, not boilerplate: a translated Reuters story frames an event as
Reuters did. :func:`extract_credits` records, per article,

* ``wire_source``: the news agencies whose reporting the story carries, in
  the order the text first credits them, ``"; "``-joined ("Reuters", "AP");
* ``translated_from``: other outlets whose reporting it relays ("dilansir
  dari Newsweek", "told CNN");
* ``credits``: the raw credit lines the cleaning rules removed (agency, photo
  and editor credits, captions with a source) and the phrases that credit an
  agency or outlet in the text, ``"; "``-joined.

Rules this module keeps:

* Names come from a documented gazetteer, never from one corpus:
  ``analysis/resources/cleaning/credits.yaml`` (agencies, outlets, cues),
  extended by the researcher's ``extra_rules`` YAML with the same keys.
* An agency or outlet counts only where the text credits it: alone on a
  removed credit line, in the dateline ("MOSCOW (Reuters) -"), or next to a
  cue that says its reporting is relayed ("dilansir dari", "wawancara
  dengan", "according to", "Reuters reported"). A name mentioned otherwise
  ("sanctions on RT") is not a credit.
* A photo credit ("Foto/AP") says where the picture is from, not the text:
  it is kept in ``credits`` and does not make AP the wire source.
* The story's origin is not one statement's channel. A name after a cue
  that gives one quote to an outlet ("kata X kepada Newsweek", "X told
  CNN": ``quote_cues``), or a credit right after a closing quotation mark
  ("“…,” lapor kantor berita Tass"), says how that quote reached the story:
  it is the statement's ``via`` (the actors stage), never ``wire_source``
  or ``translated_from``.
* Only an agency is a wire: an outlet such as Newsweek or the WSJ that the
  story says it is based on ("dilansir dari", "mengutip laporan") is
  ``translated_from``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import AnalysisError
from ..files import read_yaml
from .rules import CLEANING_DIR

CREDITS_FILE = CLEANING_DIR / "credits.yaml"
# Words that may stand between a cue and the name it credits ("lapor kantor berita Tass").
_GAP_WORDS = 3
# A credit right after a closing quotation mark credits that quote ("“…,” lapor kantor berita Tass").
_AFTER_QUOTE = re.compile(r"[”\"’»]\s*[,.]?\s*$")
# A closing quotation mark earlier in the same sentence (no sentence end between it and the name).
_QUOTE_IN_SENTENCE = re.compile(r"[”\"»][^.!?”\"»]*$")
_DOMAIN = re.compile(r"\b[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|news|info|tv|co\.id|co\.uk|"
                     r"id|ru|cn|io)\b")


@dataclass(frozen=True)
class CreditRules:
    """The gazetteer and cues that recognise credits (:func:`load_credit_rules`)."""

    names: dict  # surface form -> (canonical name, "agency" or "outlet")
    surface: re.Pattern  # every surface form, longest first
    before: re.Pattern  # a cue ending the text before a name
    after: re.Pattern  # a cue opening the text after a name
    credit_categories: frozenset
    wire_categories: frozenset
    quote_cue: re.Pattern  # a cue that gives one quote to an outlet ("kepada", "told")


@dataclass(frozen=True)
class Credits:
    """What one article credits: wire agencies, relayed outlets, and the raw credit lines and phrases."""

    wire_source: str = ""
    translated_from: str = ""
    credits: str = ""


def load_credit_rules(extra_rules: str | Path | None = None) -> CreditRules:
    """Return the credit gazetteer and cues: the shipped ``credits.yaml`` plus the user's ``extra_rules``.

    Examples
    --------
    >>> rules = load_credit_rules()
    >>> rules.names["Associated Press"], rules.names["Tass"]
    (('AP', 'agency'), ('TASS', 'agency'))
    """
    return _load(str(extra_rules) if extra_rules else "")


@lru_cache(maxsize=8)
def _load(extra: str) -> CreditRules:
    layers = [(read_yaml(CREDITS_FILE, what="credit rules"), CREDITS_FILE)]
    if extra:
        layers.append((read_yaml(Path(extra), what="rules file"), Path(extra)))
    names: dict[str, tuple[str, str]] = {}
    before, after, quote, credit, wire = [], [], [], set(), set()
    for data, path in layers:
        for kind, key in (("agency", "agencies"), ("outlet", "outlets")):
            for i, entry in enumerate(data.get(key) or []):
                for form in _forms(entry, path, f"{key}[{i}]"):
                    names.setdefault(form, (str(entry["name"]), kind))
        before += _strings(data, "cues_before", path)
        after += _strings(data, "cues_after", path)
        quote += _strings(data, "quote_cues", path)
        credit |= set(_strings(data, "credit_categories", path))
        wire |= set(_strings(data, "wire_categories", path))
    forms = sorted(names, key=lambda f: (-len(f), f))
    return CreditRules(
        names=names,
        surface=re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])"),
        before=re.compile(r"(?:^|[^\w])(?:" + "|".join(re.escape(c) for c in before) + r")\s+(?:\S+\s+){0,%d}$"
                          % _GAP_WORDS, re.IGNORECASE),
        # "Kyodo reported", "the Kyodo news agency reported": up to two lower-case words between.
        after=re.compile(r"^\s*(?:[a-z]+\s+){0,2}(?:" + "|".join(re.escape(c) for c in after) + r")\b"),
        credit_categories=frozenset(credit), wire_categories=frozenset(wire),
        quote_cue=re.compile(r"(?:^|[^\w])(?:" + "|".join(re.escape(c) for c in quote or ["(?!)"]) + r")\s+(?:\S+\s+){0,%d}$"
                             % _GAP_WORDS, re.IGNORECASE) if quote else re.compile(r"(?!)"))


def _forms(entry, path: Path, key: str) -> list[str]:
    """The surface forms of one gazetteer entry: each alias as written, in capitals, and (4+ characters) capitalised."""
    if not isinstance(entry, dict) or not entry.get("name"):
        raise AnalysisError("needs a name (and aliases)", path=path, key=key)
    aliases = entry.get("aliases") or [entry["name"]]
    if not isinstance(aliases, list):
        raise AnalysisError("aliases must be a list", path=path, key=f"{key}.aliases")
    out = []
    for alias in map(str, aliases):
        out += [alias, alias.upper()] + ([alias[0].upper() + alias[1:].lower()] if len(alias) >= 4 else [])
    return list(dict.fromkeys(out))


def _strings(data: dict, key: str, path: Path) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise AnalysisError("must be a list", path=path, key=key)
    return [str(v) for v in value]


def extract_credits(text: str, removals: list[dict], dateline_outlet: str, rules: CreditRules, *,
                    own_outlet: str = "") -> Credits:
    """Return an article's :class:`Credits` from its cleaned text, its removed lines and its dateline outlet.

    ``own_outlet`` is the article's outlet: "kata dia kepada Tempo" in a Tempo
    article is Tempo's own interview, not a relayed one.

    Examples
    --------
    >>> rules = load_credit_rules()
    >>> removed = [{"category": "agency credit", "text": "REUTERS"}, {"category": "photo credit", "text": "Foto/AP"}]
    >>> extract_credits("Kata dia kepada Newsweek, dilansir Senin.", removed, "", rules)
    Credits(wire_source='Reuters', translated_from='', credits='REUTERS; Foto/AP')
    >>> extract_credits("Officials said, according to the Associated Press.", [], "Reuters", rules).wire_source
    'Reuters; AP'
    """
    wire, relayed, raw = [], [], []
    for removal in removals:
        if removal["category"] in rules.credit_categories:
            raw.append(" ".join(str(removal["text"]).split()))
            if removal["category"] in rules.wire_categories:
                wire += [n for n, kind, _ in _names_in(removal["text"], rules) if kind == "agency"]
    dateline = [n for n, kind, _ in _names_in(dateline_outlet, rules) if kind == "agency"]
    wire = dateline + wire
    for name, kind, phrase in _credited_in_text(text, rules):
        if own_outlet and _outlet_key(name) == _outlet_key(own_outlet):
            continue
        (wire if kind == "agency" else relayed).append(name)
        raw.append(phrase)
    return Credits("; ".join(dict.fromkeys(wire)), "; ".join(dict.fromkeys(relayed)), "; ".join(dict.fromkeys(raw)))


def _outlet_key(name: str) -> str:
    """An outlet's name without its domain or article, for comparing "TEMPO.CO" with "Tempo".

    >>> _outlet_key("TEMPO.CO"), _outlet_key("The Guardian"), _outlet_key("Kompas.com")
    ('tempo', 'guardian', 'kompas')
    """
    first = re.split(r"[.\s]", name.strip().lower().removeprefix("the "), maxsplit=1)[0]
    return first


def _names_in(text: str, rules: CreditRules) -> list[tuple[str, str, re.Match]]:
    """Every gazetteer name (and domain, as an outlet) in ``text``: (canonical, kind, match)."""
    hits = [(*rules.names[m.group(0)], m) for m in rules.surface.finditer(text)]
    taken = [(m.start(), m.end()) for _, _, m in hits]
    for m in _DOMAIN.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            hits.append((m.group(0), "outlet", m))
    return sorted(hits, key=lambda h: h[2].start())


def _credited_in_text(text: str, rules: CreditRules) -> list[tuple[str, str, str]]:
    """The names the text credits with a cue before or after them: (canonical, kind, the credit phrase)."""
    out = []
    for name, kind, m in _names_in(text, rules):
        window = text[max(0, m.start() - 80):m.start()]
        if rules.quote_cue.search(window):
            continue  # one quote given to this outlet: that statement's via
        cue = rules.before.search(window)
        if cue is not None and _AFTER_QUOTE.search(window[:cue.start() + 1]):
            continue  # "“…,” lapor kantor berita Tass": the quote's channel, not the story's
        if cue is not None:
            phrase = (window[cue.start():] + m.group(0)).strip(" ,;:(")
        elif rules.after.match(text[m.end():m.end() + 40]):
            if _QUOTE_IN_SENTENCE.search(window):
                continue  # "“…,” the envoy said, Bernama reported": the quote's channel
            phrase = m.group(0)
        else:
            continue
        out.append((name, kind, " ".join(phrase.split())))
    return out
