"""Attribution at the level of the statement: who said what, where in the unit, with which cue.

A statement is a cue (a reporting verb or phrase of ``attribution.yml``), a
speaker next to it, and a content: what the speaker is reported to have said.
Rules, in the order they are applied to each unit (a paragraph, in reading
order within its article):

1. **Quotes.** Text between quotation marks (“…”, "…", «…», ‘…’) is a quote
   segment. An opening mark left open runs to the end of the unit (the
   convention for a quote that goes on in the next paragraph).
2. **Cues.** Four shapes, in Indonesian and English:
   ``"…," kata X`` / ``…, demikian para analis`` (cue, then speaker, after a
   comma or a closing quote); ``X mengatakan (bahwa) …`` / ``X said …`` /
   ``"…," X said`` (speaker, then cue); ``menurut X, …`` / ``according to X``;
   ``… diungkapkan oleh X`` (a passive verb of saying). Pronouns and the
   ``-nya`` forms (``katanya``, ``he said``) are *anaphoric* and take the
   previous speaker of the article.
3. **Content.** The quote next to the cue, else the clause the cue
   introduces (after ``bahwa``/``that``), else the clause before it. A cue at
   the end of a unit's last sentence ("…, kata X.") covers the whole unit when
   nothing earlier in it is attributed: wire copy attributes a paragraph once,
   at its end.
4. **Kind.** ``direct`` when the content holds at least ``min_quote_words``
   words in quotation marks, else ``indirect``; ``continuation`` for a quote
   no cue covers that follows a statement in the same unit, or that makes up
   most of a unit right after a unit whose last statement it continues
   ("Kim juga memberi isyarat…" after a quote by Duyeon Kim).
5. **Channel.** An outlet a statement reached the story through ("kepada
   Newsweek", "wawancara dengan The Associated Press", "…," lapor kantor berita
   Tass) is the statement's ``via``, not a second speaker; an outlet that
   reports without quoting anyone else is itself the speaker.

Offsets are into the unit's text: ``speaker_start/end`` the speaker's span,
``quote_start/end`` the content. Who the speaker is (type, origin) is
:mod:`.typology`'s job. Known gaps, measured by the speaker coding: speech
reported without a cue word, anaphora beyond the previous speaker, and
speakers the patterns cannot delimit (a clause opened by "sambil").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..corpus import segment_text
from .gazetteer import Gazetteer
from .lexicon import Lexicon, words

_TOKEN = re.compile(r"(?:[A-Z]\.)+|(?:Jr|Sr|Dr|Prof|Mr|Mrs|Ms|St)\.|\([\w\-]+\)|[\w][\w'’\-]*|[^\w\s]")
_OPEN_CLOSE = {"“": "”", "«": "»", "„": "“", '"': '"'}
_CLOSERS = ("”", "»")
_ABBR = re.compile(r"\([\w\-]+\)")
CONNECTORS = ("of", "for", "the", "and", "de", "van", "von", "bin", "al", "el", "untuk", "dan", "la", "du", "to")


@dataclass
class Speaker:
    """A speaker span as written: its offsets in the unit, and its appositive (role or affiliation)."""

    start: int
    end: int
    text: str
    appositive: str = ""
    pronoun: bool = False  # "ia", "katanya", "he said": the previous speaker
    named: bool = False  # the span holds a personal or organisation name, not only a description
    demonstrative: bool = False  # "lembaga pemikir AS tersebut": the last speaker of its type


@dataclass
class Statement:
    """One attributed statement of a unit (offsets into the unit's text)."""

    unit_id: str
    article_id: str
    position: int
    speaker: Speaker
    cue: str
    cue_start: int
    cue_end: int
    kind: str
    quote_start: int
    quote_end: int
    via: str = ""
    previous: "Statement | None" = field(default=None, repr=False)  # the statement an anaphor resolves to


# ------------------------------------------------------------------ quotes and sentences


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Return the spans (inside the marks) of every quote segment of ``text``.

    >>> t = '“Ya,” katanya. "Tidak" dan ‘mungkin’ lalu “terbuka'
    >>> [t[s:e] for s, e in find_quotes(t)]
    ['Ya,', 'Tidak', 'mungkin', 'terbuka']
    """
    out, i, n = [], 0, len(text)
    first_open = min((text.find(c) for c in (*_OPEN_CLOSE, "‘") if text.find(c) >= 0), default=n)
    stray = min((text.find(c) for c in _CLOSERS if 0 <= text.find(c) < first_open), default=-1)
    if stray > 0:  # a quote carried over from the previous paragraph closes here
        out.append((0, stray))
        i = stray + 1
    while i < n:
        c = text[i]
        if c in _OPEN_CLOSE:
            close = _OPEN_CLOSE[c]
            j = text.find(close, i + 1) if c != "„" else min(
                (k for k in (text.find("“", i + 1), text.find("”", i + 1)) if k >= 0), default=-1)
            out.append((i + 1, j if j >= 0 else n))
            i = (j if j >= 0 else n) + 1
        elif c == "‘" and (i == 0 or not text[i - 1].isalnum()):
            j = next((k for k in range(i + 1, n) if text[k] == "’" and (k + 1 == n or not text[k + 1].isalpha())), -1)
            if j < 0:
                i += 1
                continue
            out.append((i + 1, j))
            i = j + 1
        else:
            i += 1
    return [(s, e) for s, e in out if e > s]


def count_words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def sentence_spans(text: str, abbreviations: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Sentences of a unit (the corpus stage's splitter), covering the whole text."""
    spans = segment_text(text, "sentence", abbreviations=abbreviations) if text.strip() else []
    return spans or [(0, len(text))]


class _Sentences:
    """A unit's sentences, split on first use: most units hold no cue, and splitting is the costly step."""

    def __init__(self, text: str, abbreviations: tuple[str, ...]):
        self._text, self._abbr, self._spans = text, abbreviations, None

    def _get(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = sentence_spans(self._text, self._abbr)
        return self._spans

    def __iter__(self):
        return iter(self._get())

    def __getitem__(self, i):
        return self._get()[i]

    def __len__(self) -> int:
        return len(self._get())


def _sentence_of(spans, pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e or pos == e:
            return s, e
    return spans[-1]


# ------------------------------------------------------------------ the speaker parser


class _Parser:
    """Delimits speakers in a text with the lexicon's words and the gazetteer's names."""

    def __init__(self, lex: Lexicon, gaz: Gazetteer):
        spec = lex.spec
        self.lex, self.gaz = lex, gaz
        ci = lambda key: re.compile(rf"(?i:{words(spec.get(key) or [])})(?![\w\-])")  # noqa: E731
        self.det = ci("determiners")
        self.mod = ci("modifiers")
        self.link = ci("employer_links")
        self.adverbs = re.compile(rf"(?:\s*,)?\s+(?i:{words(spec.get('adverbs') or [])})\s*$")
        self.anon_head = ci("anonymous_heads")
        self.anonymity = re.compile("(?i:" + "|".join(spec.get("anonymity") or [r"(?!x)x"]) + r")")
        self.demonstrative = ci("demonstratives")
        self.opener = ci("openers")
        self.pronoun = re.compile(rf"(?i:{words(spec.get('pronouns') or [])})(?![\w\-])")
        self.connector = re.compile(rf"(?:{words(CONNECTORS)})(?![\w\-])")
        self.not_names = {w for w in spec.get("not_names") or []}
        self.via = re.compile(rf"(?<![\w\-])(?i:{words(spec.get('via') or [])})\s+")
        self.conj = re.compile(rf"\s+(?i:{words(spec.get('conjunctions') or ['dan', 'maupun', 'serta', 'and'])})\s+$")

    # --- pieces that may make up a speaker span
    def _piece(self, text: str, j: int, prev: str, limit: int) -> tuple[str, int] | None:
        """The kind and end of the speaker piece starting at ``j`` (None: the speaker ends here), never past ``limit``."""
        if prev and (m := self.anonymity.match(text, j, limit)):
            return "anon", m.end()
        hit = self.gaz.match_at(text[:limit], j, ("organisation", "person", "place"))
        if hit and (hit[1].kind != "place" or text[j].isupper()):
            return hit[1].kind, hit[0]
        if m := self.lex.role_pattern.match(text, j, limit):
            return "role", m.end()
        if end := self._org_cue(text[:limit], j):
            return "orgcue", end
        if prev in ("", "det") and (m := self.anon_head.match(text, j, limit)):
            return "anonhead", m.end()
        if prev in ("role", "anonhead", "mod", "orgcue", "det") and (m := self.mod.match(text, j, limit)):
            return "mod", m.end()
        if prev in ("role", "orgcue", "organisation", "place", "cap", "mod") and \
                (m := self.demonstrative.match(text, j, limit)):
            return "dem", m.end()
        if prev in ("cap", "organisation", "person", "place") and (m := _ABBR.match(text, j, limit)):
            return "abbr", m.end()
        # "peneliti senior di Lowy Institute, Herve Lemahieu": a role, its employer, then the name.
        if prev in ("role", "mod") and (m := self.link.match(text, j, limit)):
            k = m.end() + len(text[m.end():limit]) - len(text[m.end():limit].lstrip())
            org = self.gaz.match_at(text[:limit], k, ("organisation",))
            if org:
                return "organisation", org[0]
        tok = _TOKEN.match(text, j, limit)
        if tok is None:
            return None
        word = tok.group(0)
        if word[0].isupper() and word not in self.not_names and re.match(r"^[A-Z][\w'’\-.]*$", word):
            return "cap", tok.end()
        if prev in ("cap", "organisation", "place") and self.connector.match(text, j, limit):
            nxt = re.compile(r"\s+").match(text, tok.end(), limit)
            after = _TOKEN.match(text, nxt.end(), limit) if nxt else None
            if after and after.group(0)[0].isupper():
                return "conn", tok.end()
        return None

    def _org_cue(self, text: str, j: int) -> int | None:
        for _typ, pattern in self.lex.org_cues:
            m = pattern.match(text, j)
            if m:
                return m.end()
        return None

    def forward(self, text: str, pos: int, limit: int, *, appositive: bool = True) -> Speaker | None:
        """The speaker that starts at ``pos`` (after a cue), with its appositive, if any; never past ``limit``."""
        j = pos + len(text[pos:limit]) - len(text[pos:limit].lstrip())
        start, kinds, end = j, [], j
        m = self.det.match(text, j)
        if m and m.end() < limit:
            kinds.append("det")
            end = j = m.end()
        while j < limit and len(kinds) < 14:
            gap = re.compile(r"[ \t]+").match(text, j)
            k = gap.end() if gap else j
            if k >= limit:
                break
            piece = self._piece(text, k, kinds[-1] if kinds else "", limit)
            if piece is None or piece[1] > limit:
                break
            kinds.append(piece[0])
            end = j = piece[1]
        core = [k for k in kinds if k not in ("det", "conn", "mod", "dem", "abbr")]
        if not core or kinds[-1] == "conn":
            return None
        named = any(k in ("cap", "person") for k in kinds)
        speaker = Speaker(start, end, text[start:end], demonstrative="dem" in kinds,
                          named=named or "organisation" in kinds)
        # "Menteri Luar Negeri Rusia, Sergey Lavrov": a title, a comma, then the name.
        if not named and "role" in kinds and (m := re.compile(r"\s*,\s*").match(text, end)):
            name = self.forward(text, m.end(), limit, appositive=False)
            if name and re.fullmatch(r"[A-Z][\w'’\-\. ]*", name.text) and not self.lex.roles(name.text):
                speaker = Speaker(start, name.end, text[start:name.end], named=True)
        if appositive:
            speaker.appositive = self._appositive(text, speaker.end, limit)
        return speaker

    def _appositive(self, text: str, end: int, limit: int) -> str:
        m = re.compile(r"\s*,\s*").match(text, end)
        if not m:
            return ""
        k = m.end()
        opens = (self.det.match(text, k) or self.lex.role_pattern.match(text, k) or self.link.match(text, k)
                 or self._org_cue(text, k) or self.gaz.match_at(text, k, ("organisation",)))
        if not opens or self.via.match(text, k):
            return ""
        stop = re.compile(r"[,;“”\"()]|\s(?=(?i:kepada|told)\s)").search(text, k)
        seg = text[k:min(stop.start() if stop else limit, limit)].rstrip(" .")
        return seg if 0 < count_words(seg) <= 16 else ""

    def backward(self, text: str, lo: int, cue_start: int) -> list[Speaker]:
        """The speaker(s) that end right before a cue at ``cue_start`` (the sentence starts at ``lo``)."""
        j = cue_start
        while True:  # "Wulandari juga mengatakan": drop the adverbs
            m = self.adverbs.search(text[lo:j])
            if not m:
                break
            j = lo + m.start()
        head = text[lo:j].rstrip()
        j = lo + len(head)
        if head.endswith(","):
            j -= 1
        tokens = [m.start() + lo for m in _TOKEN.finditer(text[lo:j])]
        pron = self.pronoun.match(text, tokens[-1]) if tokens else None
        if pron and pron.end() == j and (len(tokens) == 1 or text[tokens[-2]] in ",;" or
                                         text[tokens[-2]:tokens[-1]].strip() in self.not_names):
            return [Speaker(tokens[-1], j, text[tokens[-1]:j], pronoun=True)]
        for t in tokens:
            if t > lo and text[t - 1].isalnum() or self._after_channel(text, lo, t):
                continue
            sp = self._ending_at(text, t, j)
            if sp is not None:
                return self._coordinated(text, lo, sp) + [sp]
        return []

    def _after_channel(self, text: str, lo: int, t: int) -> bool:
        """Whether ``t`` follows a channel cue ("wawancara dengan", "kepada"): an outlet, not a speaker."""
        return any(m.end() == t for m in self.via.finditer(text, lo, t + 1))

    def _ending_at(self, text: str, t: int, j: int) -> Speaker | None:
        sp = self.forward(text, t, j)
        if sp is None:
            return None
        end = sp.end + (len(sp.appositive) + (text[sp.end:].find(sp.appositive) if sp.appositive else 0))
        if sp.appositive:
            end = text.find(sp.appositive, sp.end) + len(sp.appositive)
        if not sp.named and sp.appositive:
            # "media pemerintah Kazakh, Presiden Belarusia Alexander Lukashenko": the named one speaks.
            k = text.find(sp.appositive, sp.end)
            inner = self.forward(text, k, k + len(sp.appositive), appositive=False)
            if inner is not None and inner.named and inner.end == k + len(sp.appositive):
                return None
        rest = text[end:j]
        if rest.strip(" ,") == "":
            return sp
        # "Sergey Lavrov, dalam pernyataannya pada Februari lalu, menegaskan": an adverbial between commas.
        m = re.compile(r"\s*,\s*").match(text, end)
        if m and self.opener.match(text, m.end()) and "," not in text[m.end():j].rstrip(" ,"):
            return sp
        return None

    def _coordinated(self, text: str, lo: int, sp: Speaker) -> list[Speaker]:
        """"Rusia maupun Korea Utara membantah": the speaker before a conjunction speaks too."""
        m = self.conj.search(text[lo:sp.start])
        if not m:
            return []
        cut = lo + m.start()
        for t in [x.start() + lo for x in _TOKEN.finditer(text[lo:cut])]:
            if t > lo and text[t - 1].isalnum():
                continue
            other = self.forward(text, t, cut, appositive=False)
            if other is not None and other.end == cut and not other.pronoun:
                return [other]
        return []

    def channel(self, text: str, lo: int, hi: int) -> tuple[str, int, int] | None:
        """An outlet named after a channel cue between ``lo`` and ``hi`` ("kepada Newsweek"): (name, start, end)."""
        for m in self.via.finditer(text, lo, hi):
            k = m.end()
            hit = self.gaz.match_at(text, k, ("organisation",))
            if hit and hit[1].type == "news_outlet":
                return hit[1].name, k, hit[0]
            sp = self.forward(text, k, hi, appositive=False)
            if sp and self.lex.organisation_cue(sp.text) and self.lex.organisation_cue(sp.text)[0] == "news_outlet" \
                    or sp and any(r.type == "news_outlet" and not r.title for r in self.lex.roles(sp.text)):
                named = [e for _s, _e, e in self.gaz.find(sp.text, ("organisation",)) if e.type == "news_outlet"]
                return (named[0].name if named else sp.text), sp.start, sp.end
        return None


# ------------------------------------------------------------------ statements of a unit


def _cue_patterns(lex: Lexicon) -> dict[str, re.Pattern]:
    spec = lex.spec
    lead = r"(?:[,;]\s*[”\"’»]?|[”\"’»]\s*,?)\s*"
    return {
        "after": re.compile(rf"(?P<lead>{lead})(?P<cue>(?i:{words(spec.get('cue_then_speaker') or [])}))(?![\w\-])\s+"),
        "anaphora": re.compile(rf"(?P<lead>{lead})(?P<cue>(?i:{words(spec.get('anaphora') or [])}))(?![\w\-])"),
        "before": re.compile(rf"(?<![\w\-])(?P<cue>(?i:{words(spec.get('speaker_then_cue') or [])}))(?![\w\-])"),
        "according": re.compile(rf"(?<![\w\-])(?P<cue>(?i:{words(spec.get('according_to') or [])}))\s+"),
        "passive": re.compile(rf"(?<![\w\-])(?P<cue>(?i:{words(spec.get('passive') or [])}))\s+"),
        "complementiser": re.compile(rf"\s*[:,]?\s*(?:(?i:{words(spec.get('complementisers') or [])})(?![\w\-]))?\s*:?\s*"),
    }


def _quote_before(quotes, pos: int, text: str) -> tuple[int, int] | None:
    """The quote segment that closes right before ``pos`` (only punctuation between)."""
    for s, e in quotes:
        if e <= pos and re.fullmatch(r"[\s,;.!?”\"’»]*", text[e:pos]):
            return s, e
    return None


def _quote_after(quotes, pos: int, text: str) -> tuple[int, int] | None:
    for s, e in quotes:
        if s >= pos and re.fullmatch(r"[\s:,“\"‘«„]*", text[pos:s]):
            return s, e
    return None


class _Finder:
    """Finds the statements of each unit (rules 1–5 of the module docstring)."""

    def __init__(self, lex: Lexicon, gaz: Gazetteer, abbreviations: tuple[str, ...] = ()):
        self.lex, self.parser, self.abbr = lex, _Parser(lex, gaz), abbreviations
        self.pat = _cue_patterns(lex)

    def unit(self, unit_id: str, article_id: str, position: int, text: str) -> list[Statement]:
        quotes = find_quotes(text)
        sents = _Sentences(text, self.abbr)
        found: list[Statement] = []

        def add(speaker, m, content, via=""):
            s, e = content
            while s < e and text[s] in " ,;:": s += 1  # noqa: E701
            while e > s and text[e - 1] in " ,;": e -= 1  # noqa: E701
            if e <= s or count_words(text[s:e]) == 0:
                return
            st = Statement(unit_id, article_id, position, speaker, " ".join(m.group("cue").split()),
                           m.start("cue"), m.end("cue"), "indirect", s, e, via)
            found.append(st)

        # First every cue with a speaker, then each one's content: whether anything earlier in the unit
        # is attributed decides how far back an end-of-paragraph cue reaches.
        candidates = []
        for key in ("after", "anaphora", "according", "passive"):
            for m in self.pat[key].finditer(text):
                lo, hi = _sentence_of(sents, m.start("cue"))
                if key == "anaphora":
                    sp = Speaker(m.start("cue"), m.end("cue"), m.group("cue"), pronoun=True)
                else:
                    sp = self.parser.forward(text, m.end(), hi)
                if sp is not None and (key == "anaphora" or not sp.pronoun):
                    candidates.append((key, m, sp, lo, hi))
        for m in self.pat["before"].finditer(text):
            lo, hi = _sentence_of(sents, m.start("cue"))
            candidates += [("before", m, sp, lo, hi) for sp in self.parser.backward(text, lo, m.start("cue"))]
        self._cue_starts = [c[1].start("cue") for c in candidates]
        for key, m, sp, lo, hi in candidates:
            via = "" if key == "anaphora" else self._via(text, sp, lo, hi)
            if key in ("after", "anaphora"):
                add(sp, m, self._content_before(text, quotes, sents, m, lo, hi, sp, found), via)
            elif key == "before":
                after = self._content_after(text, quotes, m.end("cue"), hi)
                add(sp, m, after or self._content_before(text, quotes, sents, m, lo, hi, sp, found,
                                                         speaker_first=True), via)
            else:
                rest_start = text.find(sp.appositive, sp.end) + len(sp.appositive) if sp.appositive else sp.end
                if key == "according" and count_words(text[rest_start:hi]) >= 3:
                    content = (rest_start, hi)  # "Menurut X, …"
                elif key == "according":
                    content = (lo, m.start("cue"))  # "…, menurut X."
                else:
                    content = (lo, hi)  # "Hal ini diungkapkan oleh X": the sentence
                add(sp, m, content, via)
        found = self._merge(found, text)
        found += self._continuations(unit_id, article_id, position, text, quotes, found)
        for st in found:
            st.kind = self._kind(st, text, quotes)
        return sorted(found, key=lambda s: (s.cue_start, s.speaker.start))

    def _content_after(self, text, quotes, pos: int, hi: int) -> tuple[int, int] | None:
        """What follows a speaker-first cue: a quote, else the clause to the sentence's end."""
        # "mengatakan kepada Putin bahwa …": the addressee is skipped, the clause follows "bahwa".
        m = self.pat["complementiser"].match(text, pos)
        k = m.end() if m else pos
        window = text[k:hi]
        comp = re.search(rf"(?<![\w\-])(?i:{words(self.lex.spec.get('complementisers') or [])})(?![\w\-])", window)
        first_quote = next((q0 for q0, _ in quotes if q0 >= k), len(text))
        consumed = bool(m and re.search(r"\w", m.group(0)))
        if comp and not consumed and count_words(window[:comp.start()]) <= 15 and k + comp.start() < first_quote \
                and not _quote_after(quotes, k, text):
            k = k + comp.end()
        q = _quote_after(quotes, k, text)
        if q and re.fullmatch(r"[\s:,“\"‘«„]*", text[k:q[0]]):
            close = q[1] + 1 if q[1] < len(text) else q[1]
            return k, max(close, min(hi, len(text)))
        return (k, hi) if count_words(text[k:hi]) >= 2 else None

    def _content_before(self, text, quotes, sents, m, lo, hi, sp, found, *, speaker_first=False):
        """What precedes a cue: the quote that closes before it, else the clause from the sentence's start."""
        anchor = sp.start if speaker_first else m.start("lead") if "lead" in m.groupdict() else m.start("cue")
        q = _quote_before(quotes, sp.start if speaker_first else m.start("cue"), text)
        if q:
            # The quote opens the sentence, or the journalist's words lead into it ("…bertindak “sebagai …,” tambah ISW").
            lead_in = lo < q[0] - 1 and count_words(text[lo:q[0]]) >= 3
            return (lo if lead_in else q[0]), q[1]
        rest_start = sp.end
        if sp.appositive:
            rest_start = text.find(sp.appositive, sp.end) + len(sp.appositive)
        rest = text[rest_start:hi]
        if not speaker_first and count_words(rest) >= 4 and not self.parser.via.match(rest.lstrip(" ,")):
            return lo, hi  # "Selain itu, kata Rina, hubungan …": the cue sits inside the sentence
        last_sentence = (lo, hi) == sents[-1] if sents else True
        if last_sentence and not speaker_first and not any(c < lo for c in self._cue_starts):
            return 0, anchor  # "…, kata Rina Wulandari." ends a paragraph it attributes as a whole
        return lo, anchor

    def _via(self, text: str, sp: Speaker, lo: int, hi: int) -> str:
        ch = self.parser.channel(text, lo, hi)
        return ch[0] if ch and not (ch[1] >= sp.start and ch[2] <= sp.end) else ""

    def _merge(self, found: list[Statement], text: str) -> list[Statement]:
        """One statement per cue; an outlet quoting someone quoted already becomes that statement's channel."""
        by_cue = {}
        for st in found:
            key = (st.cue_start, st.speaker.start)
            by_cue.setdefault(key, st)
        found = list(by_cue.values())
        outlets = [st for st in found if self._is_outlet(st.speaker.text)]
        keep = []
        for st in found:
            if st in outlets:
                other = [o for o in found if o is not st and o not in outlets
                         and max(o.quote_start, st.quote_start) < min(o.quote_end, st.quote_end)]
                if other:
                    for o in other:
                        o.via = o.via or st.speaker.text
                    continue
            keep.append(st)
        # A speaker-first and a pronoun cue on the same content: the named one stays.
        out = []
        for st in keep:
            twin = [o for o in keep if o is not st and (o.quote_start, o.quote_end) == (st.quote_start, st.quote_end)
                    and not o.speaker.pronoun]
            if st.speaker.pronoun and twin:
                continue
            out.append(st)
        return out

    def _is_outlet(self, name: str) -> bool:
        hit = self.parser.gaz.whole(name, ("organisation",))
        if hit is not None:
            return hit.type == "news_outlet"
        return any(r.type == "news_outlet" and not r.title for r in self.lex.roles(name))

    def _continuations(self, unit_id, article_id, position, text, quotes, found) -> list[Statement]:
        out = []
        for s, e in quotes:
            if count_words(text[s:e]) < self.lex.min_quote_words:
                continue
            if any(st.quote_start <= s and e <= st.quote_end + 1 for st in found):
                continue
            earlier = [st for st in found if st.cue_start < s]
            covers_unit = count_words(text[s:e]) >= 0.6 * max(count_words(text), 1)
            if earlier or (not found and covers_unit):
                sp = Speaker(s, s, "", pronoun=True)
                out.append(Statement(unit_id, article_id, position, sp, "", s, s, "continuation", s, e,
                                     previous=earlier[-1] if earlier else None))
        return out

    def _kind(self, st: Statement, text: str, quotes) -> str:
        if st.kind == "continuation":
            return "continuation"
        inside = sum(count_words(text[max(s, st.quote_start):min(e, st.quote_end)]) for s, e in quotes
                     if max(s, st.quote_start) < min(e, st.quote_end))
        # Direct: enough of the speaker's own words, or a quotation as a whole ("“Tidak,” kata X").
        whole = inside >= 0.6 * max(count_words(text[st.quote_start:st.quote_end]), 1)
        return "direct" if inside >= self.lex.min_quote_words or (inside and whole) else "indirect"


class _Enumeration:
    """Enumerated analysis: "… tiga poin penting. Pertama, …" then "Kedua, …" and "Kemudian, …" paragraphs.

    A statement whose content announces points (``announcements``) opens a
    chain; a sentence of its unit after the content, and each following
    paragraph with no statement of its own, that opens with an ordinal
    (``ordinals``, followed by a comma) continues its speaker. A paragraph
    that does not open with an ordinal ends the chain; headings between
    paragraphs neither continue nor end it.
    """

    def __init__(self, lex: Lexicon):
        ords, ann = lex.cues("ordinals"), lex.cues("announcements")
        self.ordinal = re.compile(rf"(?:^|(?<=[.!?]))\s*(?:{words(ords)})\s*,") if ords else None
        self.announce = re.compile("|".join(ann)) if ann else None

    def announces(self, st: Statement, text: str) -> bool:
        if self.announce is None or self.ordinal is None or st.kind == "continuation":
            return False
        return self.announce.search(text, min(st.cue_start, st.quote_start), max(st.quote_end, st.cue_end)) is not None

    def rest_of_unit(self, st: Statement, text: str, kept: list[Statement]) -> Statement | None:
        """The ordinal sentences of the announcing unit after the statement's content."""
        m = self.ordinal.search(text, st.quote_end)
        if m is None or any(o.quote_end > m.start() for o in kept if o is not st):
            return None
        s = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        sp = Speaker(s, s, "", pronoun=True)
        return Statement(st.unit_id, st.article_id, st.position, sp, "", s, s, "continuation", s, len(text),
                         previous=st)

    def paragraph(self, row, text: str, announcer: Statement) -> Statement | None:
        """A whole paragraph opened by an ordinal, continuing ``announcer``."""
        m = self.ordinal.match(text)
        if m is None:
            return None
        s = len(text) - len(text.lstrip())
        sp = Speaker(s, s, "", pronoun=True)
        return Statement(row.unit_id, row.article_id, int(getattr(row, "position", 0) or 0), sp, "", s, s,
                         "continuation", s, len(text.rstrip()), previous=announcer)


_HEADINGS = ("headline", "subheading")


def find_statements(units: pd.DataFrame, lex: Lexicon, gaz: Gazetteer, abbreviations: tuple[str, ...] = ()
                    ) -> list[Statement]:
    """Every statement of every unit, in reading order; anaphors and continuations point to their antecedent.

    ``units`` holds unit_id, article_id, text (and position). A pronoun or
    ``katanya`` takes the previous statement of its article; a continuation
    quote the statement before it in its unit, else the last statement of the
    unit right before. One with nothing to point to is dropped, never guessed.
    """
    finder = _Finder(lex, gaz, abbreviations)
    enum = _Enumeration(lex)
    order = ["article_id", "position"] if "position" in units.columns else ["article_id"]
    out: list[Statement] = []
    for grp in _articles(units.sort_values(order, kind="stable")):
        last = previous_unit = announcer = None
        for row in grp:
            text = "" if pd.isna(row.text) else str(row.text)
            if announcer is not None and getattr(row, "unit_type", "") in _HEADINGS:
                out += finder.unit(row.unit_id, row.article_id, int(getattr(row, "position", 0) or 0), text)
                continue  # a heading between enumerated paragraphs neither continues nor ends the chain
            kept: list[Statement] = []
            for st in finder.unit(row.unit_id, row.article_id, int(getattr(row, "position", 0) or 0), text):
                if st.kind == "continuation":
                    st.previous = st.previous or previous_unit
                elif st.speaker.pronoun:
                    st.previous = kept[-1] if kept else last
                if (st.kind == "continuation" or st.speaker.pronoun) and st.previous is None:
                    continue
                kept.append(st)
            if announcer is not None and not kept:
                st = enum.paragraph(row, text, announcer)
                kept = [st] if st is not None else []
            announcer = next((st for st in kept if st.kind == "continuation" and st.previous is announcer
                              and announcer is not None), None)
            for st in kept:
                if enum.announces(st, text):
                    announcer = st
                    rest = enum.rest_of_unit(st, text, kept)
                    kept += [rest] if rest is not None else []
                    break
            out += kept
            previous_unit = kept[-1] if kept else None
            last = kept[-1] if kept else last
    return out


class _Row:
    """A unit as :func:`find_statements` reads it."""

    __slots__ = ("unit_id", "article_id", "position", "unit_type", "text")

    def __init__(self, unit_id, article_id, position, unit_type, text):
        self.unit_id, self.article_id, self.position, self.unit_type, self.text = (unit_id, article_id, position,
                                                                                   unit_type, text)


def _articles(units: pd.DataFrame):
    """The units of each article (sorted by article id), each a list of rows in the given order."""
    n = len(units)
    cols = [units[c].tolist() if c in units.columns else [d] * n
            for c, d in (("unit_id", ""), ("article_id", ""), ("position", 0), ("unit_type", ""), ("text", ""))]
    by_article: dict = {}
    for values in zip(*cols):
        by_article.setdefault(values[1], []).append(_Row(*values))
    return [by_article[a] for a in sorted(by_article)]


def resolved(st: Statement) -> Statement:
    """The statement whose speaker an anaphor or continuation stands for (itself when it names one)."""
    seen = set()
    while st.previous is not None and (st.speaker.pronoun or st.kind == "continuation") and id(st) not in seen:
        seen.add(id(st))
        st = st.previous
    return st


