"""The attribution lexicon: reporting cues, role words and organisation cues, read from ``attribution.yml``.

The file holds words, never names (names are the gazetteer's). This module
reads and checks it, and compiles what the attribution and typing rules
match: the cues of a language, the role words of every source type (titles
and generic roles), the organisation cues. A malformed file is refused in one
line naming the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..errors import AnalysisError
from ..files import read_yaml
from ..paths import RESOURCES

ATTRIBUTION = RESOURCES / "attribution.yml"
CUE_KEYS = ("cue_then_speaker", "speaker_then_cue", "adverbs", "according_to", "passive", "anaphora", "pronouns",
            "complementisers", "via", "determiners", "anonymous_heads", "modifiers", "employer_links", "not_names")


def load_attribution(path: str | Path | None = None) -> dict:
    """Load and check the attribution lexicon (the shipped file, or a replacement at ``path``).

    Examples
    --------
    >>> att = load_attribution()
    >>> list(att["source_types"])[:3], att["source_types"]["unknown"][:7]
    (['government', 'military', 'intergovernmental'], 'unknown')
    """
    file = Path(path) if path else ATTRIBUTION
    data = read_yaml(file, what="attribution file", empty_ok=False)
    _check(data, file)
    return data


def _check(data: dict, file: Path) -> None:
    types = data.get("source_types")
    if not isinstance(types, dict) or "unknown" not in types or "anonymous" not in types:
        raise AnalysisError("'source_types' must be a mapping that includes 'unknown' and 'anonymous'", path=file,
                            key="source_types")
    origins = data.get("origins")
    if not isinstance(origins, dict) or "unknown" not in origins:
        raise AnalysisError("'origins' must be a mapping that includes 'unknown'", path=file, key="origins")
    for t in data.get("roles") or {}:
        if t not in types:
            raise AnalysisError(f"role type {t!r} is not a source type", path=file, key=f"roles.{t}")
    for i, cue in enumerate(data.get("organisation_cues") or []):
        if not isinstance(cue, dict) or cue.get("type") not in types:
            raise AnalysisError(f"type {cue.get('type') if isinstance(cue, dict) else cue!r} is not a source type",
                                path=file, key=f"organisation_cues[{i}]")
    for lang, spec in (data.get("languages") or {}).items():
        if not isinstance(spec, dict):
            raise AnalysisError("must be a mapping of cue lists", path=file, key=f"languages.{lang}")
        for pattern in spec.get("anonymity", []) or []:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise AnalysisError(f"bad regex {pattern!r} ({exc})", path=file,
                                    key=f"languages.{lang}.anonymity") from None


def words(items: Iterable[str]) -> str:
    """A regex alternation of words and phrases, longest first, with flexible spaces.

    >>> words(["kata", "demikian kata"])
    'demikian\\\\s+kata|kata'
    """
    items = sorted({str(i).strip() for i in items if str(i).strip()}, key=lambda s: (-len(s), s))
    return "|".join(r"\s+".join(re.escape(w) for w in i.split()) for i in items) or r"(?!x)x"


@dataclass(frozen=True)
class Role:
    """A role word found in a text: its span, the word, its source type and whether it is a title."""

    start: int
    end: int
    word: str
    type: str
    title: bool


@dataclass(frozen=True)
class Lexicon:
    """The compiled lexicon of one language."""

    language: str
    spec: dict
    types: dict
    origins: dict
    role_pattern: re.Pattern
    role_info: dict  # lower-case role phrase -> (type, is_title)
    org_cues: tuple  # ((type, pattern), ...) in the file's order
    min_quote_words: int
    relational: frozenset = frozenset()  # roles that name whom the speaker works for ("juru bicara Putin")
    portfolios: frozenset = frozenset()  # words after a title that belong to it ("Menteri Keuangan")
    honorifics: frozenset = frozenset()  # "Mr", "Pak": no part of a name

    def roles(self, text: str) -> list[Role]:
        """Every role word in ``text``, longest first, left to right.

        >>> lex = compile_lexicon("id")
        >>> [(r.word, r.type, r.title) for r in lex.roles("Sekretaris Jenderal NATO dan seorang jenderal")]
        [('Sekretaris Jenderal', 'unknown', False), ('jenderal', 'military', True)]
        """
        out = []
        for m in self.role_pattern.finditer(text):
            typ, title = self.role_info[" ".join(m.group(0).lower().split())]
            out.append(Role(m.start(), m.end(), m.group(0), typ, title))
        return out

    def organisation_cue(self, text: str) -> tuple[str, str] | None:
        """The first organisation cue (in the file's order) in ``text``: ``(type, cue)``.

        >>> compile_lexicon("id").organisation_cue("perusahaan intelijen strategis S-RM")
        ('analyst_expert', 'perusahaan intelijen')
        """
        for typ, pattern in self.org_cues:
            m = pattern.search(text)
            if m:
                return typ, " ".join(m.group(0).split())
        return None

    def cues(self, key: str) -> list[str]:
        return list(self.spec.get(key) or [])


def compile_lexicon(language: str, attribution: dict | None = None) -> Lexicon:
    """Compile the lexicon of ``language`` (its cues, and the role and organisation words of every language).

    Role and organisation words of both languages are matched in either: an
    Indonesian article quotes "senior fellow" as written.
    """
    if attribution is None:
        return _shipped(language)
    spec = (attribution.get("languages") or {}).get(language)
    if not spec:
        have = ", ".join(sorted(attribution.get("languages") or {}))
        raise AnalysisError(f"parameter language={language!r}: no attribution patterns for it (have {have})")
    info = {}
    for typ, kinds in (attribution.get("roles") or {}).items():
        for strength in ("generic", "title"):  # a title listed under two types: the title wins
            for lang_words in ((kinds or {}).get(strength) or {}).values():
                for w in lang_words or []:
                    info[" ".join(str(w).lower().split())] = (typ, strength == "title")
    role_pattern = re.compile(rf"(?<![\w\-])(?i:{words(info)})(?![\w\-])")
    org_cues = []
    for cue in attribution.get("organisation_cues") or []:
        items = [w for k, v in cue.items() if k != "type" for w in (v or [])]
        org_cues.append((cue["type"], re.compile(rf"(?<![\w\-])(?i:{words(items)})(?![\w\-])")))
    return Lexicon(language, spec, attribution["source_types"], attribution["origins"], role_pattern, info,
                   tuple(org_cues), int(attribution.get("min_quote_words", 4)),
                   frozenset(" ".join(str(r).lower().split()) for r in attribution.get("relational_roles") or []),
                   frozenset(w.lower() for p in attribution.get("portfolios") or [] for w in str(p).split()),
                   frozenset(str(h).lower().rstrip(".") for h in attribution.get("honorifics") or []))


@lru_cache(maxsize=4)
def _shipped(language: str) -> Lexicon:
    return compile_lexicon(language, load_attribution())
