"""Who a speaker is: the source type, the origin, a canonical id, named or not, each with the rule that decided.

Typing works from general rules, never from a list of this corpus's speakers
(rules in order: ``type_rules`` and ``origin_rules`` of ``attribution.yml``):

* the researcher's own gazetteer (``sources_file``) first;
* an anonymous head or phrase ("sumber", "yang tidak disebutkan namanya");
* a *title* in the speaker's span or appositive (Presiden, Menteri, duta
  besar, jenderal; President, ambassador, general): the office decides;
* an organisation speaking (ISW, "lembaga pemikir AS tersebut", "kantor
  berita Tass"), or a country or its seat of government (a state that speaks
  is its government);
* a *generic* role linked to an organisation ("peneliti senior … di IISS",
  "pejabat Pentagon", "juru bicara Kremlin") takes the organisation's type;
  with no organisation, the role's own type ("para analis");
* the same person's role given earlier in the article ("Presiden Turki Recep
  Tayyip Erdogan" types a later "Erdogan"), then the shipped gazetteer of
  office holders;
* else ``unknown``, counted as such.

Origin: the organisation's origin (gazetteer), the place named with it ("di
Seoul"), a country named in the role ("Menteri Luar Negeri Rusia"), the
country that speaks, the article's earlier mention, the gazetteer; else
``unknown``. Organisation names are masked before role words are looked for,
so "Universitas Jenderal Achmad Yani" holds no general.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .attribution import Speaker, _Parser
from .gazetteer import Entry, Gazetteer
from .lexicon import Lexicon, words


@dataclass
class Typed:
    """A typed speaker: label (as shown), canonical id, type, origin, the rules that decided, role text."""

    label: str
    canonical: str
    source_type: str
    type_rule: str
    origin: str
    origin_rule: str
    identity: str  # named | unnamed
    role: str = ""
    name_key: str = ""  # last name token (lower case) for coreference within the article


@dataclass
class _Parts:
    """A speaker span and appositive taken apart."""

    text: str
    head: str  # speaker span and the appositive up to its first employer link
    employer: str  # the appositive from its first employer link on
    name: str = ""  # the personal name, if any
    roles: list = field(default_factory=list)
    orgs: list = field(default_factory=list)  # (Entry | (type, cue), where) where in {span, employer}
    places: list = field(default_factory=list)  # (Entry, where)
    persons: list = field(default_factory=list)  # Entry
    anonymous: bool = False
    plural: bool = False
    owner: Entry | None = None  # whom a relational role works for ("juru bicara Putin")


def slug(text: str) -> str:
    """A canonical id from a name: lower case, ``_`` between words.

    >>> slug("Leif-Eric Easley"), slug("Recep Tayyip Erdoğan")
    ('leif_eric_easley', 'recep_tayyip_erdoğan')
    """
    return re.sub(r"[^\w]+", "_", text.lower()).strip("_")


def _elsewhere(rule: str) -> str:
    return rule if rule.startswith("elsewhere in article") else f"elsewhere in article: {rule}"


class Typer:
    """Types the speakers of one run (lexicon, shipped and user gazetteer, article profiles)."""

    def __init__(self, lex: Lexicon, gaz: Gazetteer):
        self.lex, self.gaz = lex, gaz
        self.parser = _Parser(lex, gaz)
        spec = lex.spec
        self.link = re.compile(rf"(?<![\w\-])(?i:{words(spec.get('employer_links') or [])})(?![\w\-])")
        self.det = re.compile(rf"^(?i:{words(spec.get('determiners') or [])})(?![\w\-])\s*")
        self.plural_det = re.compile(r"^(?i:para|sejumlah|beberapa|banyak|kalangan|some|several|many|two|three)\b")
        self.anon_head = re.compile(rf"(?<![\w\-])(?i:{words(spec.get('anonymous_heads') or [])})(?![\w\-])")
        self.anonymity = re.compile("(?i:" + "|".join(spec.get("anonymity") or [r"(?!x)x"]) + r")")
        self.dem = re.compile(rf"\s+(?i:{words(spec.get('demonstratives') or [])})$")
        self.relational = lex.relational
        self.not_names = set(spec.get("not_names") or [])

    # ------------------------------------------------------------------ parts
    def parts(self, sp: Speaker) -> _Parts:
        appos = sp.appositive or ""
        m = self.link.search(appos)
        head_app, employer = (appos[:m.start()], appos[m.start():]) if m else (appos, "")
        p = _Parts(sp.text, f"{sp.text} {head_app}".strip(), employer)
        masked = p.head
        for start, end, entry in self.gaz.find(p.head, ("person", "organisation", "place")):
            if entry.kind == "place" and not p.head[start].isupper():
                continue
            (p.persons.append(entry) if entry.kind == "person" else
             p.orgs.append((entry, "span")) if entry.kind == "organisation" else p.places.append((entry, "span")))
            masked = masked[:start] + " " * (end - start) + masked[end:]
        for start, end, entry in self.gaz.find(employer, ("organisation", "place")):
            (p.orgs if entry.kind == "organisation" else p.places).append((entry, "employer"))
        cue = self.lex.organisation_cue(employer) if employer else None
        if cue and not any(w == "employer" for _, w in p.orgs):
            p.orgs.append((cue, "employer"))
        span_cue = self.lex.organisation_cue(masked)
        if span_cue:
            p.orgs.append((span_cue, "span"))
        p.roles = self.lex.roles(masked)
        p.anonymous = bool(self.anon_head.search(sp.text) or self.anonymity.search(sp.text))
        p.plural = bool(self.plural_det.match(sp.text) or re.search(r"(?<![\w\-])(\w+)-\1(?![\w\-])", sp.text))
        span_masked = masked[:len(sp.text)]
        # "juru bicara Putin": Putin's spokesperson is no one named; Putin is whom the speaker works for.
        # ("juru bicara Kementerian Luar Negeri China Mao Ning" names the spokesperson: the name is not next to the role.)
        p.owner = None
        for r in self.lex.roles(span_masked):
            if r.word.lower() in self.relational:
                for start, _end, entry in self.gaz.find(sp.text, ("person",)):
                    if start > r.end and not sp.text[r.end:start].strip():
                        p.owner = entry
        p.name = "" if p.owner is not None else self._name(sp.text, span_masked)
        return p

    def _name(self, text: str, masked: str) -> str:
        """The personal name in a span: the last run of capitalised words that are no role, place or organisation."""
        for _start, _end, entry in self.gaz.find(text, ("person",)):
            return entry.name
        roles = self.lex.roles(masked)
        runs, tokens, after_role = [], [], False
        for m in re.finditer(r"(?:[A-Z]\.)+|[\w][\w'’\-\.]*|\S", masked):
            in_role = any(r.start <= m.start() < r.end for r in roles)
            if in_role or (after_role and not tokens and m.group(0).lower() in self.lex.portfolios):
                after_role = True  # "Menteri Keuangan Sri Mulyani": the portfolio is the title's
                if tokens:
                    runs.append(tokens)
                tokens = []
                continue
            after_role = False
            w = m.group(0) if re.fullmatch(r"(?:[A-Z]\.)+", m.group(0)) else m.group(0).rstrip(".")
            in_role = any(r.start <= m.start() < r.end for r in roles) or self.det.fullmatch(w.lower() + " ") \
                or self.anon_head.fullmatch(w.lower())
            if w.lower() in self.lex.honorifics:
                continue  # "Mr Williams": the honorific is no part of the name
            if not in_role and w[:1].isupper() and w not in self.not_names:
                tokens.append(w)
            elif tokens and w.lower() in ("bin", "van", "von", "de", "al"):
                tokens.append(w)
            else:
                if tokens:
                    runs.append(tokens)
                tokens = []
        if tokens:
            runs.append(tokens)
        return " ".join(runs[-1]) if runs else ""

    # ------------------------------------------------------------------ type and origin
    def type(self, sp: Speaker, profile: "Typed | None" = None) -> Typed:
        p = self.parts(sp)
        typ, trule = self._type(p, profile)
        origin, orule = self._origin(p, profile)
        named = bool(p.name or self._org_speaks(p) or self._country_speaks(p))
        label, canonical = self._label(p, sp, named)
        role = " ".join(x for x in (sp.text if not p.name else sp.text.replace(p.name, "").strip(" ,"),
                                    sp.appositive) if x).strip()
        return Typed(label, canonical, typ, trule, origin, orule, "named" if named else "unnamed", role,
                     p.name.split()[-1].lower() if p.name else "")

    def _type(self, p: _Parts, profile) -> tuple[str, str]:
        user = self._user(p)
        if user is not None:
            return user.type, f"user gazetteer: {user.name}"
        if p.anonymous:
            return "anonymous", "anonymous"
        titles = [r for r in p.roles if r.title]
        if titles:
            return titles[0].type, f"title: {titles[0].word.lower()}"
        generic = [r for r in p.roles if not r.title]
        span_orgs = [o for o, w in p.orgs if w == "span"]
        org = self._org_speaks(p)
        if org is not None:
            return org.type, f"organisation speaks: {org.name}"
        if not generic and span_orgs:
            o = span_orgs[0]
            return (o.type, f"organisation speaks: {o.name}") if isinstance(o, Entry) else \
                (o[0], f"organisation speaks: {o[1]}")
        if not generic and p.places and not p.name and not p.persons:
            return "government", f"country speaks: {p.places[0][0].name}"
        orgs = [o for o, _w in p.orgs]
        if generic and orgs:
            o = orgs[0]
            return (o.type, f"employer: {o.name}") if isinstance(o, Entry) else (o[0], f"employer: {o[1]}")
        if generic and p.owner is not None:
            return p.owner.type, f"employer: {p.owner.name}"
        if generic and generic[0].type != "unknown":
            return generic[0].type, f"generic role: {generic[0].word.lower()}"
        if orgs:
            o = orgs[0]
            return (o.type, f"employer: {o.name}") if isinstance(o, Entry) else (o[0], f"employer: {o[1]}")
        if profile is not None and profile.source_type != "unknown":
            return profile.source_type, _elsewhere(profile.type_rule)
        if p.persons:
            return p.persons[0].type, f"people gazetteer: {p.persons[0].name}"
        return "unknown", "unknown"

    def _origin(self, p: _Parts, profile) -> tuple[str, str]:
        user = self._user(p)
        if user is not None and user.origin != "unknown":
            return user.origin, f"user gazetteer: {user.name}"
        for o, w in p.orgs:
            if isinstance(o, Entry) and o.origin != "unknown":
                return o.origin, f"{'employer' if w == 'employer' or p.roles else 'organisation speaks'}: {o.name}"
        if p.owner is not None and p.owner.origin != "unknown":
            return p.owner.origin, f"employer: {p.owner.name}"
        for e, w in p.places:
            if w == "employer":
                return e.origin, f"place of employer: {e.name}"
        for e, w in p.places:
            if w == "span":
                return e.origin, f"country in role: {e.name}" if p.roles else f"country speaks: {e.name}"
        if profile is not None and profile.origin != "unknown":
            return profile.origin, _elsewhere(profile.origin_rule)
        if p.persons and p.persons[0].origin != "unknown":
            return p.persons[0].origin, f"people gazetteer: {p.persons[0].name}"
        return "unknown", "unknown"

    def _org_speaks(self, p: _Parts) -> Entry | None:
        """The gazetteer organisation that is the speaker: no role before it but one that names organisations
        ("kantor berita Xinhua", "news agency KCNA")."""
        orgs = [o for o, w in p.orgs if w == "span" and isinstance(o, Entry)]
        descriptors = all(self.lex.organisation_cue(r.word) for r in p.roles)
        return orgs[0] if orgs and descriptors and not p.name else None

    @staticmethod
    def _country_speaks(p: "_Parts") -> Entry | None:
        """The country that is the speaker ("Rusia telah menegaskan"): a place and nothing else."""
        cues = [o for o, w in p.orgs if w == "span"]
        if p.places and not p.roles and not cues and not p.anonymous and not p.name and not p.persons:
            return p.places[0][0]
        return None

    def _user(self, p: _Parts) -> Entry | None:
        for e in p.persons + [o for o, _ in p.orgs if isinstance(o, Entry)]:
            if e.user:
                return e
        return None

    def _label(self, p: _Parts, sp: Speaker, named: bool) -> tuple[str, str]:
        if p.persons and p.owner is None:
            return p.persons[-1].name, slug(p.persons[-1].name)
        if p.name:
            return p.name, slug(p.name)
        org, country = self._org_speaks(p), self._country_speaks(p)  # noqa: F841
        if org is not None:
            return org.name, slug(org.name)
        if country is not None:
            return country.name, slug(country.name)
        # An unnamed source is shown as written ("para analis"), its id without the determiner.
        text = " ".join(sp.text.split())
        lower_first = self.det.match(text) or self.anon_head.match(text) or any(
            r.start == 0 for r in self.lex.roles(text))
        shown = text[0].lower() + text[1:] if text and lower_first else text
        return shown, slug(self.det.sub("", text).strip() or text)
