"""The statements table: every attributed statement with its speaker typed and placed.

:func:`attribute_statements` runs the statement finder (:mod:`.attribution`)
and the typing rules (:mod:`.typology`) over a run's units and resolves, per
article:

* **anaphors and continuations** to the speaker they stand for (the
  statement keeps its own cue and span, and the resolved speaker's name,
  type and origin);
* **the same person** named twice ("Rina Wulandari" … "Wulandari"; "Budi H.
  Santoso" … "Budi") to one canonical id, with the role given elsewhere in
  the article ("Presiden Turki Recep Tayyip Erdogan" types a bare "Erdogan");
* **a description** that is the title of exactly one named person of the
  article ("Presiden Turki") to that person, and one with a demonstrative
  ("lembaga pemikir AS tersebut") to the last speaker of its type.

Columns follow the contract of the ``statements`` table (registry), plus
``canonical``, ``identity``, ``role``, ``origin_rule``, ``via``, ``surface``
and a ``snippet`` of the content. A speaker span absent from the unit (a
continuation quote) has offsets -1.
"""

from __future__ import annotations

import pandas as pd

from .. import outputs
from .attribution import Statement, find_statements, resolved
from .gazetteer import Gazetteer
from .lexicon import Lexicon
from .typology import Typed, Typer

STATEMENT_COLUMNS = [
    "statement_id", "article_id", "unit_id", "speaker", "speaker_start", "speaker_end", "cue", "kind",
    "quote_start", "quote_end", "source_type", "origin", "type_rule", "canonical", "identity", "role",
    "origin_rule", "via", "surface", "snippet",
]


class _Profiles:
    """The people of one article, by name, with the role the article gives them."""

    def __init__(self):
        self.people: list[Typed] = []

    def add(self, typed: Typed) -> None:
        if typed.identity == "named" and typed.name_key:
            self.people.append(typed)

    def find(self, name: str) -> Typed | None:
        """The typed person a name refers to: the same name, else a shared last or first name (one person only)."""
        if not name:
            return None
        tokens = name.lower().split()
        exact = [t for t in self.people if t.label.lower() == name.lower()
                 or len(tokens) > 1 and f" {name.lower()} " in f" {t.label.lower()} "]
        if exact:
            return next((t for t in exact if t.source_type != "unknown"), exact[0])
        if len(tokens) > 1:  # "Duyeon Kim" is not the article's "Kim Jong Un"
            return None
        for key in (tokens[-1], tokens[0]):
            hits = {t.canonical: t for t in self.people if key in t.label.lower().split()}
            if len(hits) == 1:
                t = list(hits.values())
                return next((x for x in t if x.source_type != "unknown"), t[0])
        return None

    def titled(self, description: str) -> Typed | None:
        """The one named person whose title is ``description`` ("Presiden Turki")."""
        d = " ".join(description.lower().split())
        hits = {t.canonical: t for t in self.people if t.role and " ".join(t.role.lower().split()).startswith(d)}
        return next(iter(hits.values())) if len(hits) == 1 else None


def attribute_statements(units: pd.DataFrame, lex: Lexicon, gaz: Gazetteer, abbreviations: tuple[str, ...] = ()
                         ) -> pd.DataFrame:
    """Find, type and place every attributed statement of ``units``; one row per statement.

    Examples
    --------
    >>> from analysis.actors import compile_lexicon, load_gazetteer
    >>> u = pd.DataFrame({"unit_id": ["a-p000", "a-p001"], "article_id": "a", "position": [0, 1],
    ...                   "text": ['"Ini sulit," kata Andrei Lankov, pakar Korea di Universitas Kookmin di Seoul.',
    ...                            '"Kim juga memberi isyarat kepada Seoul bahwa Rusia mendukungnya."']})
    >>> s = attribute_statements(u, compile_lexicon("id"), load_gazetteer())
    >>> s[["speaker", "kind", "source_type", "origin"]].values.tolist()
    [['Andrei Lankov', 'direct', 'academic', 'other'], ['Andrei Lankov', 'continuation', 'academic', 'other']]
    """
    statements = find_statements(units, lex, gaz, abbreviations)
    texts = dict(zip(units["unit_id"], units["text"].fillna("").astype(str)))
    typer = Typer(lex, gaz)
    rows, typed_of = [], {}
    by_article: dict[str, list[Statement]] = {}
    for st in statements:
        by_article.setdefault(st.article_id, []).append(st)
    article_texts = _article_texts(units, set(by_article))
    for article_id, sts in by_article.items():
        profiles = _mentions(article_texts.get(article_id, []), typer)
        for st in sts:
            if not (st.speaker.pronoun or st.kind == "continuation"):
                typed_of[id(st)] = _type_one(st, typer, profiles, [typed_of[id(o)] for o in sts if id(o) in typed_of])
        for n, st in enumerate(sts):
            head = resolved(st)
            typed = typed_of.get(id(head))
            if typed is None:
                continue
            rows.append(_row(st, typed, texts[st.unit_id], n))
    out = _drop_nested(pd.DataFrame(rows, columns=STATEMENT_COLUMNS))
    return out.sort_values(["article_id", "unit_id", "quote_start", "statement_id"], kind="stable").reset_index(drop=True)


def _article_texts(units: pd.DataFrame, articles: set) -> dict[str, list[str]]:
    """The texts of each of ``articles``, in reading order (one pass over the units, not one per article)."""
    u = units[units["article_id"].isin(articles)]
    u = u.sort_values("position" if "position" in u else "unit_id", kind="stable")
    out: dict[str, list[str]] = {}
    for article_id, text in zip(u["article_id"], u["text"].fillna("")):
        out.setdefault(article_id, []).append(text)
    return out


def _drop_nested(out: pd.DataFrame) -> pd.DataFrame:
    """Nested cues of one source over one content give one statement: the inner one, whose content is tight.

    "Presiden Turki mengatakan bahwa Erdogan mengatakan kepada Putin bahwa …":
    the inner statement's speaker and content lie inside the outer's content,
    and both speakers resolve to the same source. Nested speech of two
    different sources ("X said that Y told him …") keeps both.
    """
    if out.empty:
        return out
    spoken = out[out["speaker_start"] >= 0]
    by_unit: dict[str, list[tuple]] = {}
    for row in zip(spoken.index, spoken["unit_id"], spoken["canonical"], spoken["speaker_start"],
                   spoken["quote_start"], spoken["quote_end"]):
        by_unit.setdefault(row[1], []).append(row)
    drop = set()
    for g in by_unit.values():
        if len(g) < 2:
            continue
        for a, _u, a_can, _a_sp, a_qs, a_qe in g:
            for b, _v, b_can, b_sp, b_qs, b_qe in g:
                if a != b and a_can == b_can and a_qs <= b_sp and b_qe <= a_qe and (b_qe - b_qs) < (a_qe - a_qs):
                    drop.add(a)
    return out.drop(index=sorted(drop))


def _mentions(texts: list[str], typer: Typer) -> _Profiles:
    """Every titled name of an article ("Presiden Rusia Vladimir Putin"), typed: the article's profiles."""
    profiles = _Profiles()
    for text in texts:
        for m in typer.lex.role_pattern.finditer(text):
            sp = typer.parser.forward(text, m.start(), len(text))
            if sp is not None and sp.named and not sp.pronoun:
                profiles.add(typer.type(sp))
    return profiles


def _type_one(st: Statement, typer: Typer, profiles: _Profiles, earlier: list[Typed]) -> Typed:
    first = typer.type(st.speaker)
    if st.speaker.demonstrative:
        same = [t for t in earlier if t.source_type == first.source_type and t.identity == "named"]
        if same:
            t = same[-1]
            return Typed(t.label, t.canonical, t.source_type, f"{first.type_rule}; refers back to {t.label}",
                         t.origin, t.origin_rule, "named", first.role, t.name_key)
    if first.identity == "named":
        profile = profiles.find(first.label) if first.name_key else None
        typed = typer.type(st.speaker, profile) if profile is not None else first
        if profile is not None:  # "Wulandari" is the article's "Rina Wulandari"
            typed.label, typed.canonical = profile.label, profile.canonical
        profiles.add(typed)
        return typed
    person = profiles.titled(st.speaker.text) if not typer.plural_det.match(st.speaker.text) else None
    if person is not None:
        return Typed(person.label, person.canonical, person.source_type,
                     f"{person.type_rule}; the article's {st.speaker.text}", person.origin, person.origin_rule,
                     "named", st.speaker.text, person.name_key)
    first.canonical = f"{first.canonical}@{st.article_id}"  # an unnamed source is one source per article
    return first


def _row(st: Statement, typed: Typed, text: str, n: int) -> dict:
    sp = st.speaker
    absent = st.kind == "continuation"
    return {
        "statement_id": f"{st.unit_id}-s{st.quote_start:05d}-{n:02d}",
        "article_id": st.article_id, "unit_id": st.unit_id, "speaker": typed.label,
        "speaker_start": -1 if absent else sp.start, "speaker_end": -1 if absent else sp.end,
        "cue": st.cue, "kind": st.kind, "quote_start": st.quote_start, "quote_end": st.quote_end,
        "source_type": typed.source_type, "origin": typed.origin, "type_rule": typed.type_rule,
        "canonical": typed.canonical, "identity": typed.identity, "role": typed.role,
        "origin_rule": typed.origin_rule, "via": st.via, "surface": "" if absent else sp.text,
        "snippet": outputs.snippet(text[st.quote_start:st.quote_end], width=200),
    }


def speaker_spans(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements whose speaker span lies in the unit (not continuations), for a review view.

    >>> speaker_spans(pd.DataFrame({"speaker_start": [3, -1]})).index.tolist()
    [0]
    """
    return statements[statements["speaker_start"] >= 0]


