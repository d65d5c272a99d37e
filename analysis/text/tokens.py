"""Tokens: how a unit's text is split into words, before any word list is applied.

Rules kept here:

* Text is NFKC-normalised, then split with an NLTK ``RegexpTokenizer`` whose
  pattern tries one alternative per kind of token (:data:`TOKEN_KINDS`).
  URLs, e-mail addresses, web domains ("Tempo.co"), dates ("23/6/2024") and
  bare numbers never become tokens: a number or a URL says nothing about a
  frame. Quotes and punctuation never become tokens either.
* Indonesian reduplication stays one token ("negara-negara"); other hyphenated
  words split ("Rusia-Korut" → rusia, korut). Codes that mix letters and
  digits ("G-20", "G20") are kept whole.
* Case is kept on request (``lower=False``) for one step only, so that
  case-sensitive aliases can tell the Indonesian "AS" (United States) from
  "as", or the English "US" from "us".
* Nothing here is random, and no NLTK data is needed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..errors import AnalysisError

#: Languages with shipped resources (stopwords, protected terms, aliases, connectors, stemmers).
LANGUAGES = ("id", "en")

#: Marks a removed word inside a unit's token list: phrases never bridge it.
GAP = ""

_DOMAIN_TLDS = r"com|co|id|net|org|gov|edu|info|io|news|tv|me|ru|cn|uk|us|au|de|fr|jp|kr|sg|my"

#: One alternative per kind of token, tried in this order.
TOKEN_KINDS = (
    ("url", r"(?:https?://|www\.)\S+"),
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("domain", rf"(?i:[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?:{_DOMAIN_TLDS}))\b(?:/\S*)?"),
    ("date", r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?\b"),
    ("abbrev", r"(?:[^\W\d_]\.){2,}"),
    ("number", r"\d+(?:[.,]\d+)*%?(?![\w-])"),
    ("word", r"[^\W_]+(?:[-'’][^\W_]+)*"),
)
#: Kinds that are matched (so that their parts do not become words) and then dropped.
DROPPED_KINDS = frozenset({"url", "email", "domain", "date", "number"})
_KIND_REGEXES = tuple((kind, re.compile(pattern)) for kind, pattern in TOKEN_KINDS)


def check_language(language: str) -> str:
    """Return ``language`` if resources exist for it, else raise naming the parameter.

    >>> check_language("en")
    'en'
    """
    if language not in LANGUAGES:
        raise AnalysisError(f"unsupported language {language!r}; use one of {', '.join(LANGUAGES)}", path="language")
    return language


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer("|".join(f"(?:{pattern})" for _, pattern in TOKEN_KINDS))


def _kind(token: str) -> str:
    if token.isalpha():
        return "word"  # every other kind needs a digit, ".", "@", "/" or ":", which no letter is
    return next((kind for kind, regex in _KIND_REGEXES if regex.fullmatch(token)), "word")


def is_reduplication(left: str, right: str) -> bool:
    """Whether ``left-right`` is an Indonesian reduplication (kept as one token) rather than a compound.

    Reduplication repeats a base: whole ("negara-negara"), with a suffix or
    prefix ("besar-besaran", "berbeda-beda", "sekutu-sekutunya"), around affixes
    ("sebaik-baiknya", "kemerah-merahan") or with a sound change ("sayur-mayur").
    Compounds of names ("Rusia-Korut", "Asia-Pasifik") repeat nothing and are split.

    >>> is_reduplication("besar", "besaran"), is_reduplication("Rusia", "Korut")
    (True, False)
    """
    a, b = left.lower(), right.lower()
    if a == b or b.startswith(a) or a.endswith(b) or b.endswith(a):
        return True
    if len(a) >= 4 and a[1:] == b[1:]:
        return True
    return any(a.endswith(b[:k]) for k in range(3, min(len(a), len(b)) + 1))


def _split_word(word: str, language: str) -> list[str]:
    word = word.replace("’", "'")
    if language == "en" and word.lower().endswith("'s"):
        word = word[:-2]  # possessive: "Russia's" is Russia
    word = word.replace("'", "")  # "don't" -> "dont" (listed as an English stopword)
    if "-" not in word:
        return [word] if word else []
    parts = [p for p in word.split("-") if p]
    if any(ch.isdigit() for ch in word):
        return [word]  # "G-20", "Banjarmasin-592": codes, not compounds
    if len(parts) == 2 and is_reduplication(*parts):
        return [word]
    return parts


def tokenize(text: str, language: str = "id", *, lower: bool = True) -> list[str]:
    """Split ``text`` into word tokens, deterministically.

    Keeps Indonesian reduplication ("negara-negara") as one token, splits other
    hyphenated words, turns "U.S." into "US", drops URLs, e-mail addresses, web
    domains, dates, bare numbers, quotes and punctuation. Codes that mix letters
    and digits ("G20") are kept. No NLTK data is needed.

    Parameters
    ----------
    text : str
        Any text; ``None`` gives an empty list.
    language : {"id", "en"}
        English also strips the possessive "'s".
    lower : bool
        Lowercase the tokens (the text stage keeps case until the alias step).

    Examples
    --------
    >>> tokenize("Negara-negara Rusia-Korut, lihat https://x.id (23/6/2024) “kerja sama” 40 G20")
    ['negara-negara', 'rusia', 'korut', 'lihat', 'kerja', 'sama', 'g20']
    >>> tokenize("The U.S. and Russia's allies", "en", lower=False)
    ['The', 'US', 'and', 'Russia', 'allies']
    """
    language = check_language(language)
    if text is None or (isinstance(text, float) and text != text):
        return []
    if not isinstance(text, str):
        raise AnalysisError(f"text must be a string, got {type(text).__name__}", path="tokenize")
    text = unicodedata.normalize("NFKC", text)
    tokens: list[str] = []
    for raw in _tokenizer().tokenize(text):
        kind = _kind(raw)
        if kind in DROPPED_KINDS:
            continue
        if kind == "abbrev":
            tokens.append(raw.replace(".", ""))
            continue
        tokens.extend(_split_word(raw, language))
    return [t.lower() for t in tokens] if lower else tokens
