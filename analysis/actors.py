"""Actors and sources: who is mentioned in the news, and who gets to speak.

Two questions, kept apart because they measure different things:

* **Mentions**: which actors (people, countries, organisations) a unit names,
  found with the alias table (surface form -> canonical token + kind; the text
  stage's ``aliases.yml``) and the known sources of ``resources/attribution.yml``.
  Actors named in the same unit are linked in a co-mention network.
* **Sources**: who is quoted. Reporting patterns attribute a statement to a
  speaker: Indonesian ``"…," kata X``, ``ujar/ungkap/tambah X``,
  ``menurut X``, ``X mengatakan`` and English ``said X``, ``X said``,
  ``according to X``. Anaphoric cues (``katanya``, ``ujarnya``, ``Ia
  mengatakan``, ``he said``) go to the previous named speaker in the same
  article (reading order), and are dropped when there is none. Unnamed sources
  ("sumber-sumber intelijen yang tidak disebutkan namanya") are their own type.

Each source is typed by the first rule that applies: (1) the known-sources
table, (2) a role cue in the speaker's title or appositive ("profesor",
"Menteri", "juru bicara"), (3) a cue in an organisation's own name
("Institute"), (4) the alias kind (a country or a government seat speaking
is the government), (5) "other". The rule used is kept in ``type_rule`` so
every type can be audited. Attribution is rule-based and misses quotes the
patterns do not cover (free indirect speech, long-distance anaphora); the
validation stage is where its recall is measured.

:func:`analyse_actors` is the stage function: it reads the run's units and
frame codes through :mod:`analysis.registry` and writes every table of the
stage and the co-mention network; notebook ``04-actors-and-sources`` calls it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import networkx as nx
import pandas as pd

from . import outputs, registry
from .corpus import resolve_language
from .errors import AnalysisError
from .files import read_yaml
from .frames import require_columns, write_network
from .parameters import check_values, notebook_default
from .paths import RESOURCES
from .registry import RunPaths
from .text import LANGUAGES, load_aliases

ATTRIBUTION = RESOURCES / "attribution.yml"
SOURCE_COLUMNS = [
    "article_id", "unit_id", "source", "source_type", "cue", "snippet",
    "canonical", "surface", "role", "type_rule", "start",
]
_CAP = r"(?:[A-Z]\.|[A-ZÀ-ÖØ-Þ][\w'’\-]*)"
_CONNECT = r"(?:of|for|the|and|de|van|von|bin|al|el)"
_NAME = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP}){{0,5}}"


# --------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------


def load_attribution(path: str | Path | None = None, extra: str | Path | None = None) -> dict:
    """Load the attribution patterns, role cues and known sources.

    ``extra`` is merged over the shipped (or given) file: lists are appended,
    and a known source whose ``canonical`` already exists replaces it.

    Examples
    --------
    >>> sorted(load_attribution()["source_types"])[:2]
    ['analyst_academic', 'anonymous']
    """
    data = read_yaml(Path(path) if path else ATTRIBUTION, what="attribution file", empty_ok=False)
    if extra is not None:
        more = read_yaml(Path(extra), what="attribution file", empty_ok=False)
        for key, value in more.items():
            if key == "known_sources":
                new = {s.get("canonical") for s in value or [] if isinstance(s, dict)}
                data[key] = [s for s in data.get(key, []) if s.get("canonical") not in new] + list(value or [])
            elif key == "languages":
                for lang, lists in (value or {}).items():
                    base = data.setdefault("languages", {}).setdefault(lang, {})
                    for k, items in (lists or {}).items():
                        base[k] = list(base.get(k, [])) + list(items or [])
            elif isinstance(value, dict):
                for k, items in value.items():
                    cur = data.setdefault(key, {}).get(k)
                    data[key][k] = list(cur or []) + list(items) if isinstance(items, list) else items
            elif isinstance(value, list):
                data[key] = list(data.get(key, [])) + value
    _validate_attribution(data, Path(extra or path or ATTRIBUTION))
    return data


def _validate_attribution(data: dict, file: Path) -> None:
    types = data.get("source_types")
    if not isinstance(types, dict) or "other" not in types:
        raise AnalysisError("field 'source_types' must be a mapping that includes 'other'", path=file)
    for i, s in enumerate(data.get("known_sources") or []):
        if not isinstance(s, dict) or not s.get("canonical"):
            raise AnalysisError(f"known_sources[{i}]: field 'canonical' is missing", path=file)
        if s.get("type") not in types:
            raise AnalysisError(f"known source {s['canonical']!r}: field 'type' {s.get('type')!r} is not a source type", path=file)
        if not isinstance(s.get("surfaces"), list) or not s["surfaces"]:
            raise AnalysisError(f"known source {s['canonical']!r}: field 'surfaces' must be a non-empty list", path=file)
    for lang, spec in (data.get("languages") or {}).items():
        for pattern in spec.get("anonymous", []) or []:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise AnalysisError(f"languages.{lang}.anonymous: bad regex {pattern!r} ({exc})", path=file) from None


def known_sources(attribution: dict | None = None) -> pd.DataFrame:
    """Return the known-sources table, one row per surface form.

    Columns: surface, canonical, label, type, affiliation.
    """
    attribution = attribution or load_attribution()
    rows = [
        {
            "surface": str(surface),
            "canonical": s["canonical"],
            "label": s.get("label") or s["canonical"],
            "type": s["type"],
            "affiliation": s.get("affiliation") or "",
        }
        for s in attribution.get("known_sources") or []
        for surface in s["surfaces"]
    ]
    return pd.DataFrame(rows, columns=["surface", "canonical", "label", "type", "affiliation"])


def alias_table(aliases=None, language: str = "id", attribution: dict | None = None) -> pd.DataFrame:
    """Return a normalised alias table: surface, canonical, kind, label, case_sensitive.

    Parameters
    ----------
    aliases : the text stage's alias lookup (a mapping surface -> (canonical,
        kind) or -> object/dict with ``canonical``/``kind``/``label``, or a
        DataFrame with those columns). ``None`` takes ``text.load_aliases(language)``.
    attribution : known sources are added as aliases (kind person or
        organisation) for surfaces the alias table lacks.

    Examples
    --------
    >>> t = alias_table({"Putin": ("vladimir_putin", "person")}, attribution={"source_types": {"other": ""}})
    >>> t[["surface", "canonical", "kind", "case_sensitive"]].values.tolist()
    [['Putin', 'vladimir_putin', 'person', True]]
    """
    frame = _alias_frame(load_aliases(language) if aliases is None else aliases)
    attribution = attribution if attribution is not None else load_attribution()
    ks = known_sources(attribution)
    if len(ks):
        extra = ks.assign(
            kind=ks["type"].map(lambda t: "organisation" if t in ("think_tank", "media") else "person")
        )[["surface", "canonical", "kind", "label"]]
        extra = extra.assign(case_sensitive=extra["surface"].map(lambda x: x != x.lower()))
        have = set(frame["surface"].str.lower())
        extra = extra[~extra["surface"].str.lower().isin(have)]
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame.reset_index(drop=True)


def _alias_frame(aliases) -> pd.DataFrame:
    cols = ["surface", "canonical", "kind", "label"]
    if aliases is None:
        return pd.DataFrame(columns=cols + ["case_sensitive"])
    if hasattr(aliases, "to_frame") and not isinstance(aliases, pd.DataFrame):
        aliases = aliases.to_frame()  # the text stage's AliasTable
    if isinstance(aliases, pd.DataFrame):
        df = aliases.copy()
        if "surface" not in df.columns or "canonical" not in df.columns:
            raise AnalysisError("alias table: needs columns surface and canonical")
    elif isinstance(aliases, Mapping):
        rows = []
        for surface, value in aliases.items():
            if isinstance(value, str):
                canonical, kind, label = value, "", ""
            elif isinstance(value, Mapping):
                canonical, kind, label = value.get("canonical"), value.get("kind", ""), value.get("label", "")
            elif isinstance(value, (tuple, list)):
                canonical, kind, label = (list(value) + ["", ""])[:3]
            else:
                canonical = getattr(value, "canonical", None)
                kind, label = getattr(value, "kind", ""), getattr(value, "label", "")
            if not canonical:
                raise AnalysisError(f"alias table: surface {surface!r} has no canonical token")
            rows.append({"surface": str(surface), "canonical": str(canonical), "kind": kind or "", "label": label or ""})
        df = pd.DataFrame(rows, columns=cols)
    else:
        raise AnalysisError(f"alias table: expected a mapping or DataFrame, got {type(aliases).__name__}")
    for c in cols:
        if c not in df.columns:
            df[c] = ""
    # A surface written with capitals matches only that case ("AS" is the
    # United States, "as" is not), unless the table says otherwise.
    sensitive = (
        df["case_sensitive"].astype(bool)
        if "case_sensitive" in df.columns
        else df["surface"].astype(str).map(lambda x: x != x.lower())
    )
    df = df[cols].fillna("").astype(str).assign(case_sensitive=sensitive.to_numpy())
    return df[df["surface"].str.strip() != ""].drop_duplicates(["surface", "case_sensitive"]).reset_index(drop=True)


# --------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------


def find_mentions(units: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Find every alias mention in every unit (longest match first).

    A surface written in lowercase matches any case; one with capitals only
    that exact case ("AS" is the United States, "as" is not). Hyphens and
    spaces inside a surface are interchangeable.

    Returns
    -------
    unit_id, article_id, actor (canonical), label, kind, surface (as written), start.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["a-p000"], "article_id": ["a"], "text": ["Putin bertemu Kim Jong Un."]})
    >>> al = pd.DataFrame({"surface": ["putin", "kim jong un", "kim"], "canonical": ["putin", "kim_jong_un", "kim_jong_un"]})
    >>> find_mentions(u, al)["actor"].tolist()
    ['putin', 'kim_jong_un']
    """
    require_columns(units, ("unit_id", "article_id", "text"), "units")
    table = _alias_frame(aliases)
    cols = ["unit_id", "article_id", "actor", "label", "kind", "surface", "start"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    pattern, lookup = _surface_regex(table)
    rows = []
    for unit_id, article_id, text in units[["unit_id", "article_id", "text"]].itertuples(index=False):
        for m in pattern.finditer("" if pd.isna(text) else str(text)):
            hit = _lookup(lookup, m.group(0))
            if hit is not None:
                rows.append((unit_id, article_id, hit["canonical"], hit["label"] or hit["canonical"], hit["kind"], m.group(0), m.start()))
    out = pd.DataFrame(rows, columns=cols)
    # One label and kind per actor: metonyms ("Kremlin") are counted as their
    # country and shown under the country's name; the surface keeps the word used.
    main = table[table["kind"] != "metonym"].drop_duplicates("canonical").set_index("canonical")
    for col in ("label", "kind"):
        named = out["actor"].map(main[col][main[col] != ""]) if len(main) else None
        if named is not None:
            out[col] = named.fillna(out[col])
    return out


def _norm(s: str) -> str:
    return re.sub(r"[\s\-]+", " ", s.strip())


def _surface_regex(table: pd.DataFrame):
    parts, lookup = [], {"exact": {}, "lower": {}}
    for row in sorted(table.to_dict("records"), key=lambda r: -len(r["surface"])):
        surface = row["surface"]
        body = r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", surface.strip()))
        if not row["case_sensitive"]:
            parts.append(f"(?i:{body})")
            lookup["lower"].setdefault(_norm(surface).lower(), row)
        else:
            parts.append(body)
            lookup["exact"].setdefault(_norm(surface), row)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"), lookup


def _lookup(lookup: dict, text: str):
    key = _norm(text)
    return lookup["exact"].get(key) or lookup["lower"].get(key.lower())


def count_actors(mentions: pd.DataFrame) -> pd.DataFrame:
    """Return actors by the number of units that name them (most first, then by actor id).

    Examples
    --------
    >>> m = pd.DataFrame({"unit_id": ["u1", "u1", "u2"], "actor": ["rusia", "rusia", "rusia"],
    ...                   "label": ["Rusia"] * 3, "kind": ["country"] * 3})
    >>> count_actors(m).values.tolist()
    [['rusia', 'Rusia', 'country', 2]]
    """
    counts = mentions.groupby(["actor", "label", "kind"], as_index=False)["unit_id"].nunique()
    counts = counts.rename(columns={"unit_id": "n_units"})
    return counts.sort_values(["n_units", "actor"], ascending=[False, True], ignore_index=True)


def comention_network(mentions: pd.DataFrame, min_units: int = 1) -> nx.Graph:
    """Build the actor co-mention network: actors named in the same unit are linked.

    Node attributes: label, kind, n_units (units naming the actor). Edge
    weight: number of units naming both. Actors named in fewer than
    ``min_units`` units are left out.

    Examples
    --------
    >>> m = pd.DataFrame({"unit_id": ["u1", "u1", "u2"], "actor": ["a", "b", "a"],
    ...                   "label": ["A", "B", "A"], "kind": ["person"] * 3})
    >>> G = comention_network(m)
    >>> G["a"]["b"]["weight"], G.nodes["a"]["n_units"]
    (1, 2)
    """
    G = nx.Graph(name="actor co-mentions")
    if mentions.empty:
        return G
    per_unit = mentions.drop_duplicates(["unit_id", "actor"])
    counts = per_unit.groupby("actor")["unit_id"].nunique()
    keep = set(counts[counts >= min_units].index)
    info = per_unit.drop_duplicates("actor").set_index("actor")
    for actor in sorted(keep):
        G.add_node(actor, label=str(info.at[actor, "label"]), kind=str(info.at[actor, "kind"]), n_units=int(counts[actor]))
    for _, grp in per_unit.groupby("unit_id", sort=True):
        for a, b in itertools.combinations(sorted(set(grp["actor"]) & keep), 2):
            w = G.get_edge_data(a, b, {"weight": 0})["weight"]
            G.add_edge(a, b, weight=w + 1)
    return G


# --------------------------------------------------------------------------
# Quotes and sources
# --------------------------------------------------------------------------


def attribute_quotes(
    units: pd.DataFrame,
    language: str = "id",
    *,
    aliases: pd.DataFrame | Mapping | None = None,
    attribution: dict | None = None,
) -> pd.DataFrame:
    """Find who is quoted in each unit and give each source a type.

    Rules: see the module docstring. Each (unit, source) pair is reported
    once, with the first cue that found it. Anaphoric cues resolve to the
    previous named (non-anonymous) speaker of the same article, in reading
    order (units by ``position``, then offset).

    Parameters
    ----------
    units : unit_id, article_id, text (and position, if present).
    language : which attribution patterns to use ("id" or "en" shipped).
    aliases : alias table (see :func:`alias_table`); its labels and kinds
        canonicalise names the known-sources table does not list.
    attribution : from :func:`load_attribution` (default: shipped file).

    Returns
    -------
    article_id, unit_id, source, source_type, cue, snippet (plain text; pages escape it),
    canonical, surface, role, type_rule, start.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["a-p000"], "article_id": ["a"],
    ...                   "text": ['"Ini sulit," kata Andrei Lankov, pakar Korea.']})
    >>> attribute_quotes(u, "id", aliases={})[["source", "source_type", "cue"]].values.tolist()
    [['Andrei Lankov', 'analyst_academic', 'kata']]
    """
    require_columns(units, ("unit_id", "article_id", "text"), "units")
    attribution = attribution if attribution is not None else load_attribution()
    spec = (attribution.get("languages") or {}).get(language)
    if not spec:
        have = ", ".join(sorted(attribution.get("languages") or {}))
        raise AnalysisError(f"parameter language={language!r}: no attribution patterns for it (have {have})")
    table = alias_table(aliases if aliases is not None else None, language, attribution)
    resolver = _Resolver(attribution, table)
    patterns = _patterns(spec, attribution)
    ordered = units.sort_values(
        ["article_id", "position"] if "position" in units.columns else ["article_id"], kind="stable"
    )
    rows = []
    for article_id, grp in ordered.groupby("article_id", sort=True):
        last = None  # previous named speaker in this article
        seen = set()
        for unit_id, text in grp[["unit_id", "text"]].itertuples(index=False):
            text = "" if pd.isna(text) else str(text)
            for start, end, cue, kind, name, role in _candidates(text, patterns):
                if kind == "anaphora":
                    if last is None:
                        continue
                    hit = dict(last, cue=f"{cue} → previous speaker")
                elif kind == "anonymous":
                    hit = {"source": "anonymous source(s)", "canonical": "anonymous", "source_type": "anonymous",
                           "surface": name, "role": "", "type_rule": "anonymous phrase", "cue": cue}
                else:
                    hit = resolver.resolve(name, role)  # role = (title, appositive)
                    if hit is None:
                        continue
                    hit["cue"] = cue
                    last = {k: v for k, v in hit.items() if k != "cue"}
                key = (unit_id, hit["canonical"])
                if key in seen:
                    continue
                seen.add(key)
                window = text[max(0, start - 100): end + 60]
                rows.append({**hit, "article_id": article_id, "unit_id": unit_id,
                             "snippet": outputs.snippet(window, width=200), "start": start})
    out = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    return out.sort_values(["article_id", "unit_id", "start"], kind="stable").reset_index(drop=True)


def _words(items: Iterable[str]) -> str:
    """Alternation of words/phrases, longest first, spaces flexible."""
    items = sorted({str(i).strip() for i in items if str(i).strip()}, key=lambda s: (-len(s), s))
    return "|".join(r"\s+".join(re.escape(w) for w in i.split()) for i in items) or r"(?!x)x"


def _patterns(spec: dict, attribution: dict) -> list[tuple[str, re.Pattern]]:
    roles = _words(
        [w for cues in (attribution.get("role_cues") or {}).values() for w in cues]
        + list(attribution.get("possessive_roles") or [])
    )
    adverbs = _words(spec.get("adverbs", []))
    adv = rf"(?:(?i:{adverbs})\s+)*"
    prerole = rf"(?:(?P<role>(?i:{roles}))\s+)?"
    appos = r"(?:\s*,\s*(?P<appos>[^,.;:“”\"()]{2,120}))?"
    name = rf"(?P<name>{_NAME})"
    verb_after = rf"(?P<cue>(?i:{_words(spec.get('name_before_verb', []))}))(?!\w)"
    out = [
        ("after", re.compile(rf"(?<!\w)(?P<cue>(?i:{_words(spec.get('verb_before_name', []))}))\s+{prerole}{name}{appos}")),
        ("after", re.compile(rf"(?<!\w)(?P<cue>(?i:{_words(spec.get('according_to', []))}))\s+(?:the\s+)?{prerole}{name}{appos}")),
        # "Nigel Gold-Davis, peneliti senior …, mencatat": appositive between name and verb
        ("before", re.compile(rf"(?<!\w){prerole}{name}\s*,\s*(?P<appos>[^,;:“”\"()]{{2,150}}?)\s*,\s*{adv}{verb_after}")),
        ("before", re.compile(rf"(?<!\w){prerole}{name}\s+{adv}{verb_after}")),
        ("anaphora", re.compile(rf"(?<!\w)(?P<cue>(?i:{_words(spec.get('anaphora', []))}))(?!\w)")),
        ("anaphora", re.compile(rf"(?<!\w)(?P<cue>(?i:{_words(spec.get('pronouns', []))})\s+{adv}(?i:{_words(spec.get('name_before_verb', []))}))(?!\w)")),
    ]
    for anon in spec.get("anonymous", []) or []:
        out.append(("anonymous", re.compile(rf"(?P<cue>{anon})", re.IGNORECASE)))
    return out


def _candidates(text: str, patterns) -> list[tuple]:
    found = []
    for kind, pat in patterns:
        for m in pat.finditer(text):
            groups = m.groupdict()
            cue = " ".join(m.group("cue").split())
            if kind == "anonymous":
                found.append((m.start(), m.end(), "unnamed source", "anonymous", cue, ("", "")))
            elif kind == "anaphora":
                found.append((m.start(), m.end(), cue, "anaphora", "", ("", "")))
            else:
                label = cue if kind == "after" else f"X {cue}"
                start = m.start("role") if groups.get("role") else m.start("name")
                found.append((start, m.end(), label, "named", m.group("name"), (groups.get("role") or "", groups.get("appos") or "")))
    found.sort(key=lambda f: (f[0], f[3] != "named"))
    return found


class _Resolver:
    """Map a speaker's name (and role words) to a canonical, typed source."""

    def __init__(self, attribution: dict, aliases: pd.DataFrame):
        self.types = attribution["source_types"]
        self.known = known_sources(attribution)
        self.known_map = {_norm(s).lower(): r for s, r in zip(self.known["surface"], self.known.to_dict("records"))}
        self.alias_map = {_norm(s).lower(): r for s, r in zip(aliases["surface"], aliases.to_dict("records"))}
        self.role_cues = {t: [c.lower() for c in cues] for t, cues in (attribution.get("role_cues") or {}).items()}
        self.name_cues = {t: [c.lower() for c in cues] for t, cues in (attribution.get("name_cues") or {}).items()}
        self.possessive = [p.lower() for p in attribution.get("possessive_roles") or []]
        self.not_names = {w.lower() for w in attribution.get("not_names") or []}
        self.cue_words = {w for cues in self.role_cues.values() for c in cues for w in c.split()}

    def resolve(self, name: str, role: tuple[str, str]) -> dict | None:
        """Resolve ``name`` with its lowercase title (``role[0]``) and appositive (``role[1]``)."""
        prerole, appos = (" ".join(r.split()) for r in role)
        if prerole.lower() in self.possessive:  # "juru bicara Putin" speaks, not Putin
            full = f"{prerole} {name}"
            hit = self.known_map.get(_norm(full).lower())
            if hit:
                return self._row(hit["label"], hit["canonical"], hit["type"], full, appos, "known source")
            kind = self._classify(full, "")
            return self._row(full, re.sub(r"\W+", "_", full.lower()), kind[0], full, " ".join((prerole, appos)).strip(), kind[1])
        # The title words, lowercase ("menteri") or capitalised ("Presiden"),
        # are tried as part of the name first: "Presiden Turki" is a known surface.
        name = f"{prerole} {name}".strip()
        role = appos
        tokens = name.split()
        # Drop leading title words ("Presiden Rusia Vladimir Putin") until a known name matches.
        for i in range(len(tokens)):
            cand = " ".join(tokens[i:])
            title = " ".join(tokens[:i])
            hit = self.known_map.get(_norm(cand).lower())
            if hit:
                return self._row(hit["label"], hit["canonical"], hit["type"], name, " ".join(x for x in (title, role) if x), "known source")
        for i in range(len(tokens)):
            cand = " ".join(tokens[i:])
            title = " ".join(tokens[:i])
            hit = self.alias_map.get(_norm(cand).lower())
            if hit:
                full_role = " ".join(x for x in (title, role) if x)
                kind = self._classify(full_role, cand, alias_kind=hit.get("kind", ""))
                return self._row(hit.get("label") or cand, hit["canonical"], kind[0], name, full_role, kind[1])
        # Unknown name: strip title words and sentence openers.
        i = 0
        while i < len(tokens) and (tokens[i].lower() in self.cue_words or tokens[i].lower() in self.not_names):
            i += 1
        cand = " ".join(tokens[i:])
        if not cand or cand.lower() in self.not_names:
            return None
        full_role = " ".join(x for x in (" ".join(tokens[:i]), role) if x)
        kind = self._classify(full_role, cand)
        return self._row(cand, re.sub(r"\W+", "_", cand.lower()).strip("_"), kind[0], name, full_role, kind[1])

    def _classify(self, role: str, name: str, alias_kind: str = "") -> tuple[str, str]:
        # Only the first words of an appositive describe the speaker; later
        # words belong to the quoted clause.
        head = " ".join(role.lower().split()[:8])
        for source_type, cues in self.role_cues.items():
            for cue in cues:
                if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", head):
                    return source_type, f"role cue: {cue}"
        for source_type, cues in self.name_cues.items():
            for cue in cues:
                if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", name.lower()):
                    return source_type, f"name cue: {cue}"
        if alias_kind in ("country", "metonym"):
            return "government", f"alias kind: {alias_kind}"
        return "other", "default"

    def _row(self, source, canonical, source_type, surface, role, rule) -> dict:
        return {"source": source, "canonical": canonical, "source_type": source_type,
                "surface": surface, "role": role, "type_rule": rule}


def sources_for_display(sources: pd.DataFrame) -> pd.DataFrame:
    """Return the columns of ``sources`` a page shows (the CSV has them all).

    Cells are plain text; :func:`analysis.outputs.html_table` escapes them.
    """
    cols = ["article_id", "unit_id", "source", "source_type", "cue", "role", "type_rule", "snippet"]
    return sources[cols].copy()


def count_sources(sources: pd.DataFrame, attribution: dict | None = None) -> pd.DataFrame:
    """Count quoted sources per type: source_type, label, n_sources, n_units, n_articles.

    Examples
    --------
    >>> s = pd.DataFrame({"source_type": ["government", "government"], "canonical": ["a", "b"],
    ...                   "unit_id": ["u1", "u1"], "article_id": ["x", "x"]})
    >>> count_sources(s)[["source_type", "n_sources", "n_units"]].values.tolist()[0]
    ['government', 2, 1]
    """
    attribution = attribution if attribution is not None else load_attribution()
    labels = attribution["source_types"]
    rows = []
    for t, label in labels.items():
        sub = sources[sources["source_type"] == t]
        rows.append({"source_type": t, "label": label, "n_sources": sub["canonical"].nunique(),
                     "n_units": sub["unit_id"].nunique(), "n_articles": sub["article_id"].nunique()})
    return pd.DataFrame(rows)


def source_frames(sources: pd.DataFrame, unit_scores: pd.DataFrame) -> pd.DataFrame:
    """Cross-tabulate who speaks with which deductive frames, in unit counts.

    For each source (and its type) and frame: ``n_units`` = units where the
    source is quoted and the frame is present; ``n_units_quoted`` = units
    where the source is quoted; ``share`` = their ratio.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_id": ["u1"], "source": ["A"], "source_type": ["government"]})
    >>> f = pd.DataFrame({"unit_id": ["u1", "u1"], "frame": ["f", "g"], "present": [1, 0]})
    >>> source_frames(s, f)[["frame", "n_units", "share"]].values.tolist()
    [['f', 1, 1.0], ['g', 0, 0.0]]
    """
    require_columns(sources, ("unit_id", "source", "source_type"), "sources")
    require_columns(unit_scores, ("unit_id", "frame", "present"), "unit frame scores")
    quoted = sources[["unit_id", "source", "source_type"]].drop_duplicates()
    merged = quoted.merge(unit_scores[["unit_id", "frame", "present"]], on="unit_id", how="inner")
    cols = ["source_type", "source", "frame", "n_units", "n_units_quoted", "share"]
    if merged.empty:
        return pd.DataFrame(columns=cols)
    frame_order = {f: i for i, f in enumerate(dict.fromkeys(unit_scores["frame"]))}
    out = (
        merged.groupby(["source_type", "source", "frame"], sort=False)
        .agg(n_units=("present", "sum"), n_units_quoted=("unit_id", "nunique"))
        .reset_index()
    )
    out["n_units"] = out["n_units"].astype("int64")
    out["share"] = out["n_units"] / out["n_units_quoted"]
    out["_o"] = out["frame"].map(frame_order)
    return out.sort_values(["source_type", "source", "_o"]).drop(columns="_o").reset_index(drop=True)[cols]


def describe_sources(sources: pd.DataFrame, source_types: pd.DataFrame | None = None, *, unit: str = "unit") -> str:
    """Return the sentence on who is quoted: distinct sources, sources and units per type, the most quoted.

    ``source_types`` (:func:`count_sources`) gives the types' labels; ``unit``
    names the unit of analysis. Source names are corpus text and are escaped
    for Markdown. The notebook and the Findings page print this sentence.

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["A", "A", "B"], "source_type": ["government"] * 3, "unit_id": ["u1", "u2", "u2"]})
    >>> describe_sources(s)
    '**2 distinct sources** are quoted or credited in 2 units. By type — government: 2 sources in 2 units. The most quoted type is **government**; the most quoted source is A (2 units).'
    """
    if sources.empty:
        return "No quoted or attributed source was found in this corpus."
    units = f"{unit}s"
    by_type = sources.groupby("source_type").agg(sources=("source", "nunique"), units=("unit_id", "nunique"))
    by_type = by_type.sort_values(["units", "sources"], ascending=False)
    labels = dict(zip(source_types["source_type"], source_types["label"])) if source_types is not None \
        and not source_types.empty else {}
    parts = [f"{labels.get(t, t)}: {outputs.count_noun(int(r.sources), 'source')} in "
             f"{outputs.count_noun(int(r.units), unit)}" for t, r in by_type.iterrows()]
    top = sources.groupby("source")["unit_id"].nunique().sort_values(ascending=False)
    top = top[top == top.max()]
    lead_type = by_type.index[0]
    return (f"**{sources['source'].nunique()} distinct sources** are quoted or credited in "
            f"{sources['unit_id'].nunique()} {units}. By type — " + "; ".join(parts) +
            f". The most quoted type is **{labels.get(lead_type, lead_type)}**; the most quoted "
            f"source{'s are' if len(top) > 1 else ' is'} {', '.join(outputs.escape_markdown(s) for s in top.index)} "
            f"({int(top.iloc[0])} {units}).")


def describe_network(G: nx.Graph, min_units: int) -> str:
    """Return the sentence on the co-mention network's size.

    >>> describe_network(nx.Graph([("a", "b")]), 2)
    'The co-mention network links 2 actors named in at least 2 units by 1 edge (actors named in the same unit).'
    """
    return (f"The co-mention network links {outputs.count_noun(G.number_of_nodes(), 'actor')} named in at least "
            f"{outputs.count_noun(min_units, 'unit')} by {outputs.count_noun(G.number_of_edges(), 'edge')} "
            "(actors named in the same unit).")


# --------------------------------------------------------------------------
# The stage
# --------------------------------------------------------------------------

# Actors named in fewer units are left out of the co-mention network (a single
# mention is noise at the scale of a network picture).
NETWORK_MIN_UNITS = 2


@dataclass(frozen=True)
class ActorParams:
    """Parameters of the actors stage; defaults and ranges are notebook 04's parameters cell.

    >>> ActorParams().language
    'auto'
    """

    language: str = notebook_default("language")
    aliases_file: str = notebook_default("aliases_file")

    def __post_init__(self):
        check_values(self, source="actors parameters")


@dataclass
class ActorsResult:
    """What :func:`analyse_actors` computed and wrote (``tables``: registry key → path)."""

    params: ActorParams
    language: str
    sources: pd.DataFrame
    source_types: pd.DataFrame
    source_frames: pd.DataFrame
    mentions: pd.DataFrame
    top_actors: pd.DataFrame
    network: nx.Graph
    frame_names: dict[str, str]
    tables: dict[str, Path] = field(default_factory=dict)

    def describe_sources(self, unit: str = "unit") -> str:
        """Who is quoted (:func:`describe_sources`)."""
        return describe_sources(self.sources, self.source_types, unit=unit)

    def describe_network(self) -> str:
        """The co-mention network's size (:func:`describe_network`)."""
        return describe_network(self.network, NETWORK_MIN_UNITS)


def analyse_actors(paths: RunPaths, params: ActorParams | None = None) -> ActorsResult:
    """Run the actors stage on a run folder: quoted sources and their types, the frames they carry, mentions.

    Reads ``units``, ``articles``, ``frames_units`` and ``codebook`` (for frame
    names) through the registry, so stages 01 and 03 must have run; writes
    ``sources``, ``source_types``, ``source_frames``, ``actor_mentions`` and the
    co-mention network (GraphML).

    Examples
    --------
    >>> result = analyse_actors(registry.run_paths("ru-alliances-id"))  # doctest: +SKIP
    >>> result.describe_sources()  # doctest: +SKIP
    """
    params = params or ActorParams()
    units, articles = registry.read(paths, "units"), registry.read(paths, "articles")
    language = resolve_language(params.language, articles, LANGUAGES)
    attribution = load_attribution()
    aliases = alias_table(load_aliases(language, params.aliases_file or None), language, attribution)
    sources = attribute_quotes(units, language, aliases=aliases, attribution=attribution)
    mentions = find_mentions(units, aliases)
    codebook = registry.read(paths, "codebook", ["frame", "frame_name"])
    result = ActorsResult(
        params=params, language=language, sources=sources, source_types=count_sources(sources, attribution),
        source_frames=source_frames(sources, registry.read(paths, "frames_units")), mentions=mentions,
        top_actors=count_actors(mentions), network=comention_network(mentions, min_units=NETWORK_MIN_UNITS),
        frame_names=dict(zip(codebook["frame"], codebook["frame_name"])),
    )
    for key, attr in (("sources", "sources"), ("source_types", "source_types"), ("source_frames", "source_frames"),
                      ("actor_mentions", "mentions")):
        result.tables[key] = registry.write(paths, key, getattr(result, attr))
    result.tables["actor_network"] = write_network(result.network, paths.file("actor_network"))
    return result
