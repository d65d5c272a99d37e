"""The gazetteer: people, organisations and places a source can be typed and placed by.

Three shipped CSV files under ``analysis/resources/gazetteer/`` (their README
says where every entry comes from and under which licence) and, optionally, a
researcher's own file of the same columns (the parameter ``sources_file``):

``kind, name, surfaces, type, origin, country, role, source``

* ``kind``: person, organisation or place.
* ``surfaces``: the forms the text may use, separated by ``|``. A surface
  with capitals matches only that case ("AP", "AS"); one in lower case
  matches any case.
* ``type``: a source type of ``attribution.yml`` (empty for a place);
  ``origin``: one of its origins.

Rules kept here:

* Every entry is checked: an unknown kind, type or origin, or a surface that
  two entries of the same file give different types (or origins), is refused
  in one line naming the file and the row. A place that two files disagree on
  is the researcher's decision: the user's file is read last and its entry
  wins, so a shipped entry can be retyped without editing the shipped file.
* Matching is longest-surface first, on word boundaries, with spaces and
  hyphens interchangeable ("Leif-Eric", "Leif Eric").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import AnalysisError
from ..files import read_csv_rows
from ..paths import RESOURCES

GAZETTEER = RESOURCES / "gazetteer"
SHIPPED = ("organisations.csv", "people.csv", "places.csv")
COLUMNS = ("kind", "name", "surfaces", "type", "origin", "country", "role", "source")
KINDS = ("person", "organisation", "place")


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry (a row of a gazetteer file)."""

    kind: str
    name: str
    type: str
    origin: str
    country: str = ""
    role: str = ""
    source: str = ""
    file: str = ""
    row: int = 0

    @property
    def user(self) -> bool:
        """Whether the entry comes from the researcher's own file (not a shipped one)."""
        return not self.file.startswith("shipped:")


@dataclass
class Gazetteer:
    """Every entry, and a matcher per kind (surface → entry), longest surface first."""

    entries: list[Entry]
    surfaces: dict[str, dict[tuple[str, bool], Entry]] = field(default_factory=dict)
    _patterns: dict[str, re.Pattern] = field(default_factory=dict, repr=False)

    def find(self, text: str, kinds: tuple[str, ...] = KINDS) -> list[tuple[int, int, Entry]]:
        """Every entry named in ``text`` as ``(start, end, entry)``, longest match first, left to right.

        >>> g = load_gazetteer()
        >>> [(e.name, e.type) for _, _, e in g.find("peneliti di IISS", ("organisation",))]
        [('International Institute for Strategic Studies', 'think_tank')]
        """
        found = []
        for kind in kinds:
            pattern = self._patterns.get(kind)
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                entry = self.lookup(m.group(0), kind)
                if entry is not None:
                    found.append((m.start(), m.end(), entry))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out, end = [], -1
        for start, stop, entry in found:  # drop matches inside a longer one
            if start >= end:
                out.append((start, stop, entry))
                end = stop
        return out

    def match_at(self, text: str, pos: int, kinds: tuple[str, ...] = KINDS) -> tuple[int, Entry] | None:
        """The longest entry whose surface starts at ``pos``: ``(end, entry)``, or None."""
        best = None
        for kind in kinds:
            pattern = self._patterns.get(kind)
            m = pattern.match(text, pos) if pattern is not None else None
            if m and (best is None or m.end() > best[0]):
                entry = self.lookup(m.group(0), kind)
                if entry is not None:
                    best = (m.end(), entry)
        return best

    def lookup(self, surface: str, kind: str) -> Entry | None:
        """The entry of ``kind`` whose surface is ``surface`` (exact case first, then any case)."""
        table = self.surfaces.get(kind, {})
        key = _norm(surface)
        return table.get((key, True)) or table.get((key.lower(), False))

    def whole(self, text: str, kinds: tuple[str, ...] = ("person", "organisation")) -> Entry | None:
        """The entry whose surface is all of ``text`` (a speaker's name), if any."""
        for kind in kinds:
            hit = self.lookup(text, kind)
            if hit is not None:
                return hit
        return None


def _norm(s: str) -> str:
    return re.sub(r"[\s\-‐–]+", " ", str(s).strip())


def _read_file(path: Path, label: str, types: set[str], origins: set[str]) -> list[tuple[Entry, list[str]]]:
    header, rows = read_csv_rows(path, what="gazetteer", required=("kind", "name", "surfaces", "type", "origin"))
    out, seen = [], {}
    for n, row in rows:
        kind, name = row["kind"].strip(), row["name"].strip()
        if kind not in KINDS:
            raise AnalysisError(f"kind {kind!r} is not one of {', '.join(KINDS)}", path=path, row=n)
        typ, origin = row["type"].strip(), row["origin"].strip()
        if kind != "place" and typ not in types:
            raise AnalysisError(f"{name!r}: type {typ!r} is not a source type (one of {', '.join(sorted(types))})",
                                path=path, row=n)
        if origin not in origins:
            raise AnalysisError(f"{name!r}: origin {origin!r} is not an origin (one of {', '.join(sorted(origins))})",
                                path=path, row=n)
        surfaces = [s.strip() for s in row["surfaces"].split("|") if s.strip()]
        if not name or not surfaces:
            raise AnalysisError("an entry needs a name and at least one surface", path=path, row=n)
        entry = Entry(kind, name, typ, origin, row.get("country", "").strip(), row.get("role", "").strip(),
                      row.get("source", "").strip(), label, n)
        for s in surfaces:
            key = (kind, _norm(s).lower())
            other = seen.get(key)
            if other is not None and (other.type, other.origin) != (typ, origin):
                what = "type" if other.type != typ else "origin"
                raise AnalysisError(f"{s!r} is listed twice with conflicting {what}s: {other.name!r} "
                                    f"(row {other.row}: {getattr(other, what)}) and {name!r} ({getattr(entry, what)})",
                                    path=path, row=n)
            seen[key] = entry
        out.append((entry, surfaces))
    return out


def load_gazetteer(extra: str | Path | None = None, *, types=None, origins=None,
                   folder: Path = GAZETTEER) -> Gazetteer:
    """Read the shipped gazetteer files and, if given, a researcher's own file (read last; its entries win).

    ``types`` and ``origins`` are the closed lists an entry may use (default:
    those of ``attribution.yml``).

    Examples
    --------
    >>> g = load_gazetteer()
    >>> g.whole("TASS").type, g.whole("TASS").origin
    ('news_outlet', 'russia')
    """
    if types is None or origins is None:
        from .lexicon import load_attribution

        att = load_attribution()
        types = types if types is not None else set(att["source_types"])
        origins = origins if origins is not None else set(att["origins"])
    types, origins = set(types) - {"unknown"}, set(origins)
    files = [(folder / name, f"shipped:{name}") for name in SHIPPED]
    if extra:
        files.append((Path(extra), str(extra)))
    entries, tables = [], {k: {} for k in KINDS}
    for path, label in files:
        for entry, surfaces in _read_file(path, label, types, origins):
            entries.append(entry)
            for s in surfaces:
                # A capitalised surface matches its own case only ("AS" is the US, "as" is not).
                sensitive = s != s.lower()
                tables[entry.kind][(_norm(s) if sensitive else _norm(s).lower(), sensitive)] = entry
    gaz = Gazetteer(entries, tables)
    for kind, table in tables.items():
        if table:
            gaz._patterns[kind] = _pattern(table)
    return gaz


def _pattern(table: dict) -> re.Pattern:
    parts = []
    for surface, sensitive in sorted(table, key=lambda k: (-len(k[0]), k)):
        body = r"[\s\-‐–]+".join(re.escape(w) for w in surface.split(" "))
        parts.append(body if sensitive else f"(?i:{body})")
    return re.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w\-])")


def gazetteer_table(gaz: Gazetteer) -> pd.DataFrame:
    """The entries as a table (kind, name, type, origin, country, role, source, file, row), for a page or a check.

    >>> gazetteer_table(load_gazetteer())["kind"].value_counts().sort_index().index.tolist()
    ['organisation', 'person', 'place']
    """
    return pd.DataFrame([e.__dict__ for e in gaz.entries],
                        columns=["kind", "name", "type", "origin", "country", "role", "source", "file", "row"])
