"""Mentions: which actors (people, countries, organisations) each unit names, and who is named together.

Actors are found with the text stage's alias table (surface form → canonical
token and kind; ``aliases.yml`` plus the researcher's ``aliases_file``),
longest match first. Actors named in the same unit are linked in a
co-mention network. Mentions are not voices: who *speaks* is
:mod:`.statements`' question.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

import networkx as nx
import pandas as pd

from ..errors import AnalysisError
from ..files import require_columns
from ..text import load_aliases


def alias_table(aliases=None, language: str = "id") -> pd.DataFrame:
    """Return a normalised alias table: surface, canonical, kind, label, case_sensitive.

    ``aliases`` is the text stage's alias lookup (a mapping surface ->
    (canonical, kind[, label]) or -> object/dict with ``canonical``/``kind``/``label``,
    or a DataFrame with those columns); ``None`` takes ``text.load_aliases(language)``.

    Examples
    --------
    >>> t = alias_table({"Putin": ("vladimir_putin", "person")})
    >>> t[["surface", "canonical", "kind", "case_sensitive"]].values.tolist()
    [['Putin', 'vladimir_putin', 'person', True]]
    """
    return _alias_frame(load_aliases(language) if aliases is None else aliases)


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
