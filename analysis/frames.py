"""Frames: inductive frames from topic networks and deductive frames from a codebook.

Two ways of finding frames, run side by side on the same units:

* **Inductive** (ANTMN, Walter & Ophir 2019). The nodes of a network are the
  LDA topics; an edge joins two topics with the cosine similarity of their
  columns in the document-topic matrix, so topics that co-occur in the same
  units are linked. Communities of that network, found by seeded Louvain
  (Blondel et al. 2008, networkx's implementation), are frames. Unlike the
  reference R code, the community step takes an explicit ``seed``, so the
  same seed always gives the same frames.
* **Deductive**. A YAML codebook (``resources/codebook.yml``) lists frames,
  each with yes/no questions and per-language indicators (words, phrases or
  ``re:`` regular expressions). Every unit gets a code per question with the
  indicators that fired as evidence, so each code can be audited; a unit's
  frame score is the share of the frame's questions answered yes.

Rules kept here: a malformed codebook raises :class:`AnalysisError` naming
the frame and the field; every random step takes ``seed``; outputs follow the
contracts in ``docs/architecture.md`` (long tables keyed by ``unit_id``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
import yaml

from . import outputs

from .paths import RESOURCES
from .errors import AnalysisError
from .corpus import resolve_language
from .topics import topic_number

CODEBOOK = RESOURCES / "codebook.yml"
REFERENCES = RESOURCES / "references.bib"
KINDS = ("generic", "issue-specific")
_ID = re.compile(r"^[a-z0-9_]+$")
_TOPIC_COL = re.compile(r"^topic_(\d+)$")


# --------------------------------------------------------------------------
# Codebook
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One yes/no question of a frame, with its indicators per language."""

    id: str
    text: dict[str, str]
    indicators: dict[str, list[str]]


@dataclass(frozen=True)
class Frame:
    """One frame of the codebook."""

    id: str
    name: str
    kind: str
    definition: str
    source: str
    questions: list[Question]


@dataclass(frozen=True)
class Codebook:
    """A validated frame codebook (see ``resources/codebook.yml`` for the schema)."""

    name: str
    version: str
    rollup: str
    frames: list[Frame]
    paths: list[Path] = field(default_factory=list)

    def frame_ids(self) -> list[str]:
        """Return the frame ids in codebook order."""
        return [f.id for f in self.frames]

    def languages(self) -> list[str]:
        """Return the languages any indicator list is given for."""
        return sorted({lang for f in self.frames for q in f.questions for lang in q.indicators})

    def to_table(self, language: str = "id") -> pd.DataFrame:
        """Return one row per question: frame, kind, source, question, text, indicators.

        Examples
        --------
        >>> load_codebook().to_table("en").columns.tolist()[:3]
        ['frame', 'frame_name', 'kind']
        """
        rows = [
            {
                "frame": f.id,
                "frame_name": f.name,
                "kind": f.kind,
                "source": f.source,
                "question": q.id,
                "text": q.text.get(language, q.text.get("en", "")),
                "indicators": "; ".join(q.indicators.get(language, [])),
            }
            for f in self.frames
            for q in f.questions
        ]
        return pd.DataFrame(rows)


def load_codebook(
    path: str | Path | None = None,
    extra: str | Path | Iterable[str | Path] | None = None,
    *,
    references: str | Path | None = None,
) -> Codebook:
    """Load and validate a frame codebook.

    Parameters
    ----------
    path : the codebook YAML; ``None`` for the shipped ``resources/codebook.yml``.
    extra : one or more YAML files with the same schema whose frames are
        appended (their ids must be new), so users can extend the shipped codebook.
    references : BibTeX file whose keys ``source`` fields may cite; default
        ``resources/references.bib``.

    Raises
    ------
    AnalysisError
        Naming the file, the frame and the field at fault.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.frame_ids()[:2]
    ['conflict', 'human_interest']
    """
    keys = _bib_keys(Path(references) if references else REFERENCES)
    files = [Path(path) if path else CODEBOOK]
    if extra is not None:
        files += [Path(extra)] if isinstance(extra, (str, Path)) else [Path(e) for e in extra]
    frames: list[Frame] = []
    head: dict = {}
    seen_frames: set[str] = set()
    seen_questions: set[str] = set()
    for i, file in enumerate(files):
        data = _read_yaml(file)
        if i == 0:
            head = data
            for key in ("name", "version"):
                if not isinstance(data.get(key), (str, int, float)) or str(data.get(key)).strip() == "":
                    raise AnalysisError(f"codebook field {key!r} is missing or empty", path=file)
        raw_frames = data.get("frames")
        if not isinstance(raw_frames, list) or not raw_frames:
            raise AnalysisError("codebook field 'frames' must be a non-empty list", path=file)
        for j, raw in enumerate(raw_frames):
            frame = _parse_frame(raw, j, file, keys, seen_questions)
            if frame.id in seen_frames:
                raise AnalysisError(f"frame {frame.id!r}: field 'id' is a duplicate frame id", path=file)
            seen_frames.add(frame.id)
            frames.append(frame)
    return Codebook(
        name=str(head["name"]),
        version=str(head["version"]),
        rollup=str(head.get("rollup", "an article has a frame if at least `min_units` of its units have it")),
        frames=frames,
        paths=files,
    )


def _read_yaml(file: Path) -> dict:
    if not file.is_file():
        raise AnalysisError("codebook file not found", path=file)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise AnalysisError("codebook is not UTF-8 text", path=file) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where else ""
        raise AnalysisError(f"malformed YAML{line}", path=file) from None
    if not isinstance(data, dict):
        raise AnalysisError("codebook must be a YAML mapping with 'name', 'version' and 'frames'", path=file)
    return data


def _bib_keys(path: Path) -> set[str]:
    if not path.is_file():
        raise AnalysisError("references file not found", path=path)
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", path.read_text(encoding="utf-8")))


def _known_languages() -> frozenset[str]:
    # ISO 639-1 codes of the languages stopwords-iso covers: the languages the
    # text stage can tokenise, hence the only ones a codebook can code.
    import stopwordsiso

    return frozenset(stopwordsiso.langs())


def _parse_frame(raw, j: int, file: Path, keys: set[str], seen_questions: set[str]) -> Frame:
    if not isinstance(raw, dict):
        raise AnalysisError(f"frame #{j + 1}: must be a mapping", path=file)
    fid = raw.get("id")
    label = f"frame {fid!r}" if isinstance(fid, str) and fid else f"frame #{j + 1}"

    def fail(field_name: str, problem: str):
        raise AnalysisError(f"{label}: field {field_name!r} {problem}", path=file)

    if not isinstance(fid, str) or not fid:
        fail("id", "is missing")
    if not _ID.match(fid):
        fail("id", "must match [a-z0-9_]+")
    for key in ("name", "definition", "source"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            fail(key, "is missing or empty")
    if raw.get("kind") not in KINDS:
        fail("kind", f"must be one of {', '.join(KINDS)} (got {raw.get('kind')!r})")
    if raw["source"] not in keys:
        fail("source", f"{raw['source']!r} is not a key in the references file")
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        fail("questions", "must be a non-empty list")
    languages = _known_languages()
    questions = []
    for k, rq in enumerate(raw_questions):
        where = f"questions[{k}]"
        if not isinstance(rq, dict):
            fail(where, "must be a mapping")
        qid = rq.get("id")
        if not isinstance(qid, str) or not qid:
            fail(f"{where}.id", "is missing")
        if not _ID.match(qid):
            fail(f"{where}.id", "must match [a-z0-9_]+")
        if qid in seen_questions:
            fail(f"{where}.id", f"{qid!r} is a duplicate question id")
        seen_questions.add(qid)
        text = rq.get("text")
        if not isinstance(text, dict) or not text:
            fail(f"{qid}.text", "must map language codes to question texts")
        indicators = rq.get("indicators")
        if not isinstance(indicators, dict) or not indicators:
            fail(f"{qid}.indicators", "must map language codes to lists of indicators")
        for part, mapping in (("text", text), ("indicators", indicators)):
            for lang in mapping:
                if lang not in languages:
                    fail(f"{qid}.{part}.{lang}", "is an unknown language key (use an ISO 639-1 code such as id or en)")
        for lang, items in indicators.items():
            if items is None:
                items = []
            if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
                fail(f"{qid}.indicators.{lang}", "must be a list of non-empty strings")
            for item in items:
                try:
                    _compile(item)
                except re.error as exc:
                    fail(f"{qid}.indicators.{lang}", f"has a bad regex {item!r} ({exc})")
            indicators[lang] = list(items)
        questions.append(Question(id=qid, text={str(k2): str(v) for k2, v in text.items()}, indicators=indicators))
    return Frame(
        id=fid,
        name=raw["name"].strip(),
        kind=raw["kind"],
        definition=" ".join(raw["definition"].split()),
        source=raw["source"],
        questions=questions,
    )


def _compile(indicator: str) -> re.Pattern:
    """Compile one indicator: ``re:`` regex, else a word-bounded phrase."""
    if indicator.startswith("re:"):
        return re.compile(indicator[3:], re.IGNORECASE)
    words = [re.escape(w) for w in indicator.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


_WORD = re.compile(r"\w+")


def _key(indicator: str) -> str | None:
    """Return the first word a phrase indicator needs in a text (None for a regex).

    A phrase can only match a unit that contains its first word, so the
    coder tries a phrase's regex only on units holding that word.

    >>> _key("Kerja sama"), _key("re:\\bmenang\\w*")
    ('kerja', None)
    """
    if indicator.startswith("re:"):
        return None
    match = _WORD.search(indicator)
    return match.group().casefold() if match else None


# --------------------------------------------------------------------------
# Deductive coding
# --------------------------------------------------------------------------


def choose_language(language: str, articles: pd.DataFrame | None, codebook: Codebook) -> str:
    """Return the indicator language to code with.

    ``"auto"`` picks the most frequent ``language`` of the articles that the
    codebook has indicators for (ties: alphabetical), else ``"en"``.

    Examples
    --------
    >>> choose_language("auto", pd.DataFrame({"language": ["id", "id", "en"]}), load_codebook())
    'id'
    """
    have = codebook.languages()
    if language != "auto" and language not in have:
        raise AnalysisError(f"parameter language={language!r}: the codebook has indicators for {', '.join(have)}")
    return resolve_language(language, articles, have)


def code_units(units: pd.DataFrame, codebook: Codebook, language: str = "id") -> pd.DataFrame:
    """Answer every codebook question for every unit, with evidence.

    A question is answered yes (``present`` = 1) when at least one of its
    indicators for ``language`` matches the unit's text; ``evidence`` lists
    the indicators that fired, in codebook order, joined by ``"; "``.

    Parameters
    ----------
    units : table with ``unit_id``, ``article_id``, ``text``.
    codebook : from :func:`load_codebook`.
    language : indicator language to use (a key of the codebook's indicators).

    Returns
    -------
    Long table: unit_id, article_id, frame, question, present, evidence.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["a-p000"], "article_id": ["a"], "text": ["Perang dan sanksi."]})
    >>> c = code_units(u, load_codebook(), "id")
    >>> c.loc[c.question == "conflict_q1", "evidence"].item()
    'perang'
    """
    _require(units, ("unit_id", "article_id", "text"), "units")
    if language not in codebook.languages():
        raise AnalysisError(
            f"parameter language={language!r}: the codebook has no indicators for it "
            f"(it has {', '.join(codebook.languages())})"
        )
    compiled = [
        (f.id, q.id, [(ind, _key(ind), _compile(ind)) for ind in q.indicators.get(language, [])])
        for f in codebook.frames
        for q in f.questions
    ]
    # The table has one row per unit and question (millions for a large corpus), so it
    # is built from compact arrays: unit and question columns by repetition, and each
    # distinct evidence string stored once.
    n_units, n_questions = len(units), len(compiled)
    present = np.zeros(n_units * n_questions, dtype=np.int64)
    evidence_ids = np.zeros(n_units * n_questions, dtype=np.int32)
    evidence_text: dict[str, int] = {"": 0}
    row = 0
    for text in units["text"]:
        text = "" if pd.isna(text) else str(text)
        words = set(_WORD.findall(text.casefold()))
        for _frame_id, _qid, patterns in compiled:
            fired = [ind for ind, key, pat in patterns if (key is None or key in words) and pat.search(text)]
            if fired:
                present[row] = 1
                evidence_ids[row] = evidence_text.setdefault("; ".join(fired), len(evidence_text))
            row += 1
    return pd.DataFrame({
        "unit_id": np.repeat(units["unit_id"].to_numpy(dtype=object), n_questions),
        "article_id": np.repeat(units["article_id"].to_numpy(dtype=object), n_questions),
        "frame": np.tile(np.array([c[0] for c in compiled], dtype=object), n_units),
        "question": np.tile(np.array([c[1] for c in compiled], dtype=object), n_units),
        "present": present,
        "evidence": np.array(list(evidence_text), dtype=object)[evidence_ids],
    })


def score_units(codes: pd.DataFrame, threshold: float = 0.2) -> pd.DataFrame:
    """Score each unit on each frame from its question codes.

    ``score`` is the share of the frame's questions answered yes (in [0, 1]);
    ``present`` is 1 when ``score >= threshold`` and ``score > 0`` (so a
    threshold of 0 means "any question answered yes"). With the
    default 0.2 one yes answer suffices for every frame of the shipped
    codebook (none has more than five questions).

    Examples
    --------
    >>> codes = pd.DataFrame({"unit_id": ["u", "u"], "article_id": ["a", "a"], "frame": ["f", "f"],
    ...                       "question": ["q1", "q2"], "present": [1, 0], "evidence": ["x", ""]})
    >>> score_units(codes)[["score", "present"]].values.tolist()
    [[0.5, 1.0]]
    """
    _check_fraction(threshold, "frame_threshold")
    _require(codes, ("unit_id", "article_id", "frame", "question", "present", "evidence"), "frame codes")
    order = {f: i for i, f in enumerate(dict.fromkeys(codes["frame"]))}
    keys = ["unit_id", "article_id", "frame"]
    out = codes.groupby(keys, sort=False)["present"].mean().rename("score").reset_index()
    # Evidence is joined only where some question fired: most (unit, frame) pairs have none.
    fired = codes[codes["evidence"].fillna("") != ""]
    evidence = fired.groupby(keys, sort=False)["evidence"].agg(
        lambda s: "; ".join(dict.fromkeys(e for x in s for e in x.split("; "))))
    out = out.merge(evidence.reset_index(), on=keys, how="left")
    out["evidence"] = out["evidence"].fillna("")
    out["present"] = ((out["score"] >= threshold - 1e-9) & (out["score"] > 0)).astype("int64")
    out["_order"] = out["frame"].map(order)
    out = out.sort_values(["unit_id", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    return out[["unit_id", "article_id", "frame", "score", "present", "evidence"]]


# frame_prevalence's group for articles that lack the grouping field (no outlet, no date).
UNKNOWN_GROUP = "unknown"


def outlet_spread(by_outlet: pd.DataFrame) -> pd.DataFrame:
    """Return per frame the lowest and highest prevalence across groups, widest spread first.

    ``by_outlet`` is :func:`frame_prevalence` by outlet (``frame``, ``group``,
    ``prevalence``). Ties in spread are broken by frame id, so the order is fixed.

    Examples
    --------
    >>> t = pd.DataFrame({"frame": ["a", "a", "b", "b"], "group": ["X", "Y", "X", "Y"], "prevalence": [0.1, 0.5, 0.2, 0.3]})
    >>> outlet_spread(t).round(2).values.tolist()
    [['a', 0.1, 0.5, 0.4], ['b', 0.2, 0.3, 0.1]]
    """
    spread = by_outlet.groupby("frame")["prevalence"].agg(["min", "max"]).reset_index()
    spread["spread"] = spread["max"] - spread["min"]
    return spread.sort_values(["spread", "frame"], ascending=[False, True], ignore_index=True)


def rollup_articles(unit_scores: pd.DataFrame, min_units: int = 1) -> pd.DataFrame:
    """Roll unit frame codes up to articles.

    Rule (the codebook's ``rollup``): an article has a frame if at least
    ``min_units`` of its units have it; the article score is the share of its
    units coded with the frame.

    Returns
    -------
    article_id, frame, n_units, n_units_coded, score, present.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "a"], "frame": ["f", "f"],
    ...                   "score": [0.5, 0.0], "present": [1, 0], "evidence": ["x", ""]})
    >>> rollup_articles(s)[["n_units_coded", "score", "present"]].values.tolist()
    [[1.0, 0.5, 1.0]]
    """
    if not isinstance(min_units, (int, np.integer)) or isinstance(min_units, bool) or min_units < 1:
        raise AnalysisError(f"parameter min_units={min_units!r}: must be an integer >= 1")
    _require(unit_scores, ("unit_id", "article_id", "frame", "present"), "unit frame scores")
    order = {f: i for i, f in enumerate(dict.fromkeys(unit_scores["frame"]))}
    out = (
        unit_scores.groupby(["article_id", "frame"], sort=False)
        .agg(n_units=("unit_id", "nunique"), n_units_coded=("present", "sum"))
        .reset_index()
    )
    out["score"] = out["n_units_coded"] / out["n_units"]
    out["present"] = (out["n_units_coded"] >= min_units).astype("int64")
    out["_order"] = out["frame"].map(order)
    return out.sort_values(["article_id", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


def code_evidence(units: pd.DataFrame, codes: pd.DataFrame, *, width: int = 140) -> pd.DataFrame:
    """Return every *yes* code with its evidence and a short snippet of the unit.

    Columns: unit_id, frame, question, evidence, snippet (plain text; a page
    shows it through :func:`analysis.outputs.html_table`, which escapes it).
    """
    fired = codes[codes["present"] == 1].merge(units[["unit_id", "text"]], on="unit_id", how="left")
    snip = fired["text"].fillna("").map(lambda t: outputs.snippet(t, width))
    return fired.assign(snippet=snip)[["unit_id", "frame", "question", "evidence", "snippet"]].reset_index(drop=True)


def write_deductive(codes: pd.DataFrame, unit_scores: pd.DataFrame, article_scores: pd.DataFrame, paths) -> list[Path]:
    """Write the deductive outputs of a run (the contract shared with validation).

    ``data/frame_codes.parquet`` and ``tables/frame_codes_units.csv`` (question
    codes), ``tables/frames_units.csv`` (unit scores) and
    ``tables/frames_articles.csv`` (article roll-up).
    """
    paths.data.mkdir(parents=True, exist_ok=True)
    parquet = paths.data / "frame_codes.parquet"
    codes.to_parquet(parquet, index=False)
    return [
        parquet,
        outputs.write_table(codes, paths.tables, "frame_codes_units"),
        outputs.write_table(unit_scores, paths.tables, "frames_units"),
        outputs.write_table(article_scores, paths.tables, "frames_articles"),
    ]


# --------------------------------------------------------------------------
# Inductive frames (ANTMN)
# --------------------------------------------------------------------------


def topic_columns(doc_topics: pd.DataFrame) -> list[str]:
    """Return the ``topic_<k>`` columns of a document-topic table, in topic order."""
    cols = [c for c in doc_topics.columns if _TOPIC_COL.match(str(c))]
    if len(cols) < 2:
        raise AnalysisError("doc_topics: needs at least two topic_<k> columns to build a topic network")
    return sorted(cols, key=lambda c: int(_TOPIC_COL.match(c).group(1)))


def build_topic_network(doc_topics: pd.DataFrame, edge_quantile: float = 0.0) -> nx.Graph:
    """Build the ANTMN topic network from a document-topic matrix.

    Nodes are topics (``topic_<k>``) with attribute ``prevalence`` (mean share
    over units; ANTMN weighs by document length, we weigh units equally because
    units are paragraphs of similar size). Edges join every pair of distinct
    topics with weight = cosine similarity of their columns; no self-loops.

    Backbone: with ``edge_quantile`` q > 0, only edges whose weight is at least
    the q-quantile of all pair weights are kept (a simple global threshold; the
    disparity filter of Serrano et al. 2009 is the alternative ANTMN offers,
    but on a handful of topics a quantile is easier to read and to report).

    Examples
    --------
    >>> dt = pd.DataFrame({"topic_0": [.9, .8, .1], "topic_1": [.1, .2, .9]})
    >>> G = build_topic_network(dt)
    >>> sorted(G.nodes), G.number_of_edges()
    (['topic_0', 'topic_1'], 1)
    """
    if not 0.0 <= float(edge_quantile) < 1.0:
        raise AnalysisError(f"parameter edge_quantile={edge_quantile!r}: must be in [0, 1)")
    cols = topic_columns(doc_topics)
    if len(doc_topics) < 2:
        raise AnalysisError(f"doc_topics: {len(doc_topics)} unit(s); a topic network needs at least 2")
    from sklearn.metrics.pairwise import cosine_similarity

    X = doc_topics[cols].to_numpy(dtype=float)
    if not np.isfinite(X).all():
        raise AnalysisError("doc_topics: topic columns contain missing or infinite values")
    sim = cosine_similarity(X.T)
    iu = np.triu_indices(len(cols), k=1)
    weights = sim[iu]
    cut = float(np.quantile(weights, edge_quantile)) if edge_quantile > 0 else -np.inf
    G = nx.Graph(name="ANTMN topic network")
    prevalence = X.mean(axis=0)
    for k, col in enumerate(cols):
        # ``topic`` is the number people see (from 1, as in every topic table and figure).
        G.add_node(col, topic=topic_number(col), prevalence=float(prevalence[k]))
    for i, j, w in zip(*iu, weights):
        if w > 0 and w >= cut:
            G.add_edge(cols[i], cols[j], weight=float(w))
    return G


def detect_frames(G: nx.Graph, *, resolution: float = 1.0, seed: int) -> pd.DataFrame:
    """Find inductive frames: Louvain communities of the topic network.

    Uses networkx's seeded ``louvain_communities`` (Blondel et al. 2008), so
    the same graph and seed always give the same partition. Frames are
    numbered by decreasing total topic prevalence (ties by lowest topic), and
    each node gets a ``frame`` attribute.

    Returns
    -------
    topic (int, counted from 1), node (doc_topics column), frame (int, counted from 1, as topics are),
    prevalence.

    Examples
    --------
    >>> dt = pd.DataFrame({"topic_0": [.5, .4, 0, .05], "topic_1": [.45, .5, .05, 0],
    ...                    "topic_2": [.05, 0, .5, .45], "topic_3": [0, .1, .45, .4]})
    >>> detect_frames(build_topic_network(dt), seed=1)["frame"].tolist()
    [1, 1, 2, 2]
    """
    if float(resolution) <= 0:
        raise AnalysisError(f"parameter resolution={resolution!r}: must be > 0")
    communities = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    prev = nx.get_node_attributes(G, "prevalence")
    topic = nx.get_node_attributes(G, "topic")
    ranked = sorted(
        (sorted(c, key=lambda n: topic[n]) for c in communities),
        key=lambda c: (-round(sum(prev[n] for n in c), 12), topic[c[0]]),
    )
    rows = []
    for f, members in enumerate(ranked, start=1):
        for n in members:
            G.nodes[n]["frame"] = f
            rows.append({"topic": topic[n], "node": n, "frame": f, "prevalence": prev[n]})
    return pd.DataFrame(rows).sort_values("topic").reset_index(drop=True)


def describe_network(G: nx.Graph, summary: pd.DataFrame, *, resolution: float, seed: int) -> str:
    """Return the prose on the topic network and its communities, from :func:`describe_frames`' table.

    One community holding every topic is said to be no structure, not "one frame".

    Examples
    --------
    >>> G = nx.Graph([("topic_0", "topic_1", {"weight": 0.05}), ("topic_1", "topic_2", {"weight": 0.04})])
    >>> s = pd.DataFrame({"frame": [0], "topics": ["1, 2, 3"], "prevalence": [1.0]})
    >>> describe_network(G, s, resolution=1.0, seed=7)[:120]
    'The network of 3 topics has 2 edges (weights 0.04–0.05). Louvain (resolution 1, seed 7) finds no community structure: al'
    """
    weights = [d.get("weight", 0.0) for _, _, d in G.edges(data=True)]
    span = f" (weights {min(weights):.2f}–{max(weights):.2f})" if weights else ""
    head = (f"The network of {G.number_of_nodes()} topics has {G.number_of_edges()} edges{span}. "
            f"Louvain (resolution {resolution:g}, seed {seed}) ")
    tail = " The network is downloadable as GraphML for Gephi."
    if len(summary) <= 1:
        return (head + "finds no community structure: all topics fall into one community, so this corpus yields no "
                "distinct inductive frames. Topics rarely share a unit, so the links are weak and alike." + tail)
    top = summary.sort_values("prevalence", ascending=False).iloc[0]
    return (head + f"finds {len(summary)} inductive frames. The largest, frame {int(top['frame'])}, joins topics "
            f"{top['topics']} and holds {top['prevalence']:.0%} of the topic mass." + tail)


def describe_frames(
    frames: pd.DataFrame, topic_terms: pd.DataFrame | None = None, n_terms: int = 8
) -> pd.DataFrame:
    """Summarise inductive frames: member topics, top terms, prevalence.

    A frame's top terms pool its topics' terms, weighting each term's
    probability by its topic's prevalence, so frequent topics speak louder.

    Returns
    -------
    frame, topics, n_topics, prevalence, top_terms.

    Examples
    --------
    >>> fr = pd.DataFrame({"topic": [0, 1], "node": ["topic_0", "topic_1"], "frame": [0, 0], "prevalence": [.6, .4]})
    >>> tt = pd.DataFrame({"topic": [0, 1], "rank": [1, 1], "term": ["a", "b"], "probability": [.5, .5]})
    >>> describe_frames(fr, tt)["top_terms"].item()
    'a, b'
    """
    rows = []
    terms = _normalise_topic_terms(topic_terms) if topic_terms is not None else None
    for f, grp in frames.groupby("frame", sort=True):
        row = {
            "frame": int(f),
            "topics": ", ".join(str(t) for t in sorted(grp["topic"])),
            "n_topics": len(grp),
            "prevalence": float(grp["prevalence"].sum()),
            "top_terms": "",
        }
        if terms is not None:
            weight = grp.set_index("topic")["prevalence"]
            sub = terms[terms["topic"].isin(weight.index)].copy()
            sub["w"] = sub["probability"] * sub["topic"].map(weight)
            top = sub.groupby("term")["w"].sum().reset_index().sort_values(["w", "term"], ascending=[False, True])
            row["top_terms"] = ", ".join(top["term"].head(n_terms))
        rows.append(row)
    return pd.DataFrame(rows)


def _normalise_topic_terms(topic_terms: pd.DataFrame) -> pd.DataFrame:
    _require(topic_terms, ("topic", "term", "probability"), "topic_terms")
    out = topic_terms.copy()
    # topic_terms.csv numbers topics from 1 (as people see them); accept doc_topics
    # column names ("topic_0" = topic 1) too.
    out["topic"] = out["topic"].map(lambda t: topic_number(t) if str(t).startswith("topic_") else int(t))
    return out


def unit_frame_shares(doc_topics: pd.DataFrame, frames: pd.DataFrame) -> pd.DataFrame:
    """Return each unit's share of each inductive frame (sum of its topics' shares).

    Returns a long table: unit_id, article_id, frame, share.

    Examples
    --------
    >>> dt = pd.DataFrame({"unit_id": ["u"], "article_id": ["a"], "topic_0": [.7], "topic_1": [.3]})
    >>> fr = pd.DataFrame({"topic": [0, 1], "node": ["topic_0", "topic_1"], "frame": [0, 1], "prevalence": [.7, .3]})
    >>> unit_frame_shares(dt, fr)["share"].tolist()
    [0.7, 0.3]
    """
    _require(doc_topics, ("unit_id", "article_id"), "doc_topics")
    parts = []
    for f, grp in frames.groupby("frame", sort=True):
        parts.append(
            doc_topics[["unit_id", "article_id"]].assign(frame=int(f), share=doc_topics[list(grp["node"])].sum(axis=1))
        )
    return pd.concat(parts, ignore_index=True).sort_values(["unit_id", "frame"]).reset_index(drop=True)


def network_tables(G: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(nodes, edges)`` tables of a network for plotting and download.

    ``nodes`` has ``node``, every node attribute, and ``label`` (the node's
    ``label`` attribute, else "T<k>" for topics, else the node id); ``edges``
    has ``source``, ``target``, ``weight``.

    Examples
    --------
    >>> G = build_topic_network(pd.DataFrame({"topic_0": [.9, .1], "topic_1": [.1, .9]}))
    >>> network_tables(G)[0]["label"].tolist()
    ['T1', 'T2']
    """
    nodes = pd.DataFrame([{"node": n, **attrs} for n, attrs in G.nodes(data=True)])
    if nodes.empty:
        nodes = pd.DataFrame(columns=["node", "label"])
    if "label" not in nodes.columns:
        nodes["label"] = [f"T{t}" for t in nodes["topic"]] if "topic" in nodes.columns else nodes["node"]
    edges = pd.DataFrame(
        [(a, b, float(d.get("weight", 1.0))) for a, b, d in G.edges(data=True)], columns=["source", "target", "weight"]
    )
    return nodes, edges


def write_network(G: nx.Graph, folder: Path, name: str = "topic_network") -> Path:
    """Write ``G`` as GraphML (for Gephi) to ``folder/name.graphml`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.graphml"
    nx.write_graphml(G, path)
    return path


# --------------------------------------------------------------------------
# Prevalence with uncertainty, comparison
# --------------------------------------------------------------------------


def _bootstrap_means(x: np.ndarray, n_resamples: int, rng: np.random.Generator,
                     max_cells: int = 2_000_000) -> np.ndarray:
    """Return the means of ``n_resamples`` bootstrap resamples of ``x``.

    Resamples are drawn in blocks of at most ``max_cells`` indices, so memory
    stays small for a large corpus (1,000 resamples of 140,000 units would
    otherwise need two 1 GB arrays). numpy's generator gives the same stream
    in blocks as in one draw, so the result does not depend on the block size.
    """
    per_block = max(1, max_cells // max(len(x), 1))
    means = [x[rng.integers(0, len(x), size=(min(per_block, n_resamples - done), len(x)))].mean(axis=1)
             for done in range(0, n_resamples, per_block)]
    return np.concatenate(means)


def frame_prevalence(
    unit_values: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    *,
    by: str | None = None,
    value: str = "present",
    n_bootstrap: int = 1000,
    ci: float = 0.95,
    seed: int,
) -> pd.DataFrame:
    """Estimate frame prevalence (mean of ``value`` over units) with bootstrap intervals.

    Units are resampled with replacement within each group (percentile
    intervals, a seeded numpy Generator). Units of one article are not
    independent, so the intervals are optimistic; with a handful of articles
    they are a description of spread, not a test.

    Parameters
    ----------
    unit_values : long table with unit_id, article_id, frame and ``value``
        (e.g. :func:`score_units` output, or :func:`unit_frame_shares` with value="share").
    articles : articles table, needed when ``by`` is an article column (outlet, date).
    by : None for the whole corpus, else an article column to group by.

    Returns
    -------
    group, frame, n_units, prevalence, lo, hi.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "b"], "frame": ["f", "f"], "present": [1, 0]})
    >>> frame_prevalence(s, n_bootstrap=50, seed=1)["prevalence"].item()
    0.5
    """
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, (int, np.integer)) or n_bootstrap < 0:
        raise AnalysisError(f"parameter n_bootstrap={n_bootstrap!r}: must be an integer >= 0 (0 = no intervals)")
    if not 0 < ci < 1:
        raise AnalysisError(f"parameter ci={ci!r}: must be in (0, 1)")
    _require(unit_values, ("unit_id", "article_id", "frame", value), "unit frame values")
    data = unit_values[["unit_id", "article_id", "frame", value]].copy()
    if by is None:
        data["group"] = "all"
    else:
        if by == "article_id":
            data["group"] = data["article_id"].astype(str)
        else:
            if articles is None or by not in articles.columns:
                raise AnalysisError(f"parameter by={by!r}: not a column of the articles table")
            labels = articles.set_index("article_id")[by].astype("string").fillna("").replace("", UNKNOWN_GROUP)
            data["group"] = data["article_id"].map(labels).fillna(UNKNOWN_GROUP)
    rng = np.random.default_rng(seed)
    alpha = (1 - ci) / 2
    frame_order = list(dict.fromkeys(data["frame"]))
    rows = []
    # One pass of groupby (not a mask per group: with an article or a date per group that
    # would be quadratic); groups in sorted order and frames in codebook order, so the
    # random stream is consumed in a fixed order.
    for group, sub in data.groupby("group", sort=True):
        by_frame = {frame: part[value].to_numpy(dtype=float) for frame, part in sub.groupby("frame", sort=False)}
        for frame in frame_order:
            x = by_frame.get(frame, np.empty(0))
            if len(x) == 0:
                continue
            if n_bootstrap:
                draws = _bootstrap_means(x, n_bootstrap, rng)
            else:
                draws = np.array([np.nan])
            rows.append(
                {
                    "group": group,
                    "frame": frame,
                    "n_units": len(x),
                    "prevalence": float(x.mean()),
                    "lo": float(np.quantile(draws, alpha)),
                    "hi": float(np.quantile(draws, 1 - alpha)),
                }
            )
    return pd.DataFrame(rows, columns=["group", "frame", "n_units", "prevalence", "lo", "hi"])


def compare_frames(unit_scores: pd.DataFrame, unit_shares: pd.DataFrame) -> pd.DataFrame:
    """Correlate deductive frame scores with inductive frame shares over units.

    Spearman rank correlation across units, one row per (deductive frame,
    inductive frame) pair; NaN where a frame never varies.

    Returns
    -------
    deductive, inductive, rho, n_units.
    """
    ded = unit_scores.pivot_table(index="unit_id", columns="frame", values="score", sort=False)
    ind = unit_shares.pivot_table(index="unit_id", columns="frame", values="share")
    common = ded.index.intersection(ind.index)
    ded, ind = ded.loc[common], ind.loc[common]
    rows = []
    for d in ded.columns:
        for i in ind.columns:
            # Topic proportions are float32 sums: a frame holding every topic is 1 up to
            # noise of about 1e-6, which must not be read as variation.
            a, b = ded[d].round(5), ind[i].round(5)
            rho = a.corr(b, method="spearman") if a.nunique() > 1 and b.nunique() > 1 else float("nan")
            rows.append({"deductive": d, "inductive": int(i), "rho": rho, "n_units": len(common)})
    return pd.DataFrame(rows, columns=["deductive", "inductive", "rho", "n_units"])


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------


class RunInputs(NamedTuple):
    """The upstream tables the framing stage reads from a run folder."""

    units: pd.DataFrame
    articles: pd.DataFrame
    doc_topics: pd.DataFrame | None
    topic_terms: pd.DataFrame | None


def read_inputs(paths, *, topics: bool = True) -> RunInputs:
    """Read units, articles (and doc_topics, topic_terms if ``topics``) of a run.

    Raises :class:`AnalysisError` naming the missing or unreadable file.
    """
    units = outputs.read_parquet(paths.units, "run notebook 01-build-corpus first")
    articles = outputs.read_parquet(paths.articles, "run notebook 01-build-corpus first")
    _require(units, ("unit_id", "article_id", "text"), str(paths.units))
    if len(units) == 0:
        raise AnalysisError("no units: the corpus is empty", path=paths.units)
    doc_topics = topic_terms = None
    if topics:
        doc_topics = outputs.read_parquet(paths.data / "doc_topics.parquet", "run notebook 02-fit-topics first")
        tt = paths.tables / "topic_terms.csv"
        if not tt.is_file():
            raise AnalysisError("missing: run notebook 02-fit-topics first", path=tt)
        try:
            topic_terms = pd.read_csv(tt)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise AnalysisError(f"unreadable CSV ({type(exc).__name__})", path=tt) from None
    return RunInputs(units, articles, doc_topics, topic_terms)


def read_unit_scores(paths) -> pd.DataFrame:
    """Read ``tables/frames_units.csv`` written by notebook 03 (deductive unit scores)."""
    path = paths.tables / "frames_units.csv"
    if not path.is_file():
        raise AnalysisError("missing: run notebook 03-analyse-frames first", path=path)
    try:
        return pd.read_csv(path, keep_default_na=False, dtype={"unit_id": str, "article_id": str, "evidence": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise AnalysisError(f"unreadable CSV ({type(exc).__name__})", path=path) from None


def _require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise AnalysisError(f"{what}: missing column(s) {', '.join(missing)}")


def _check_fraction(x: float, name: str) -> None:
    if isinstance(x, bool) or not isinstance(x, (int, float, np.floating)) or not 0 <= float(x) <= 1:
        raise AnalysisError(f"parameter {name}={x!r}: must be in [0, 1]")
