"""Findings: the run's results stated in words, every number computed from its tables.

Each function reads the tables a run wrote and returns a :class:`Finding`: a
short paragraph (Markdown), the figure or table it rests on, and the data
file behind it. Nothing is typed by hand: if a table is missing or too thin
to support a statement, the finding says so instead of stating it. Corpus
text never appears here except through escaped table cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import registry
from .paths import DATA_RAW
from .registry import RunPaths
from .frames import UNKNOWN_GROUP, closest_match, most_common_frames, outlet_spread, top_with_ties
from .frames import leading_frames as _leading_frames
from .registry import artifact
from .outputs import MAX_DATES, by_month, count_noun, escape, escape_markdown, html_table
from .report import read_table, render_markdown, run_manifest

GENERIC_QUESTION = ("Which frames does this corpus use for its subject, how do its outlets differ, "
                    "and whose voices carry those frames?")

# Below this many topics a topic network has too few nodes for communities to
# mean anything (ANTMN is designed for dozens of topics).
MIN_TOPICS_FOR_NETWORK = 4


@dataclass
class Finding:
    """One finding: a title, a paragraph, and the figure or table it rests on."""

    title: str
    text: str
    figure: str | None = None  # path relative to the run folder
    alt: str = ""
    caption: str = ""
    data: list[str] = field(default_factory=list)  # published files behind it, relative to the run folder
    table: pd.DataFrame | None = None


@dataclass
class RunData:
    """Lazy access to a run's tables (by registry key), manifest and codebook names."""

    paths: RunPaths
    manifest: dict
    _cache: dict = field(default_factory=dict)

    def table(self, key: str) -> pd.DataFrame:
        """Return the run's table ``key`` (:func:`analysis.report.read_table`; empty when not written)."""
        if key not in self._cache:
            self._cache[key] = read_table(self.paths, key)
        return self._cache[key]

    def has(self, key: str) -> bool:
        return not self.table(key).empty

    def n_rows(self, key: str) -> int:
        """Rows of the run's table ``key`` (0 when not written), from its Parquet footer: a large table is not read."""
        import pyarrow.parquet as pq

        path = self.paths.file(key)
        return pq.read_metadata(path).num_rows if path.exists() else 0

    def figure(self, name: str) -> str | None:
        """The registered figure ``name`` relative to the run folder, if the run drew it."""
        png = self.paths.file(f"fig_{name}")
        return png.relative_to(self.paths.root).as_posix() if png.exists() else None

    @staticmethod
    def download(key: str) -> str:
        """The published file of artefact ``key`` relative to the run folder (a table's CSV).

        >>> RunData.download("k_sweep").split("/")[0]
        'tables'
        """
        a = registry.artifact(key)
        return a.csv or a.file

    @property
    def frame_names(self) -> dict[str, str]:
        cb = self.table("codebook")
        return dict(zip(cb["frame"], cb["frame_name"])) if not cb.empty else {}

    def frame_name(self, frame_id) -> str:
        return self.frame_names.get(frame_id, str(frame_id).replace("_", " "))

    @property
    def unit(self) -> str:
        """The run's unit of analysis for prose: "unit" for paragraph runs, else "sentence" or "article".

        A paragraph run's units include headlines, leads, subheadings and list items, so calling them
        all "paragraphs" miscounts what was coded.
        """
        unit = str(self.manifest.get("parameters", {}).get("unit") or "paragraph")
        return "unit" if unit == "paragraph" else unit

    @property
    def units(self) -> str:
        """The unit of analysis in the plural, for prose."""
        return f"{self.unit}s"


def load_run(paths: RunPaths) -> RunData:
    """Return a :class:`RunData` for a run folder."""
    return RunData(paths, run_manifest(paths))


# Below this many articles the corpus supports description only, and a group
# (an outlet, a source type) with fewer units than FEW_UNITS is called out as thin.
FEW_ARTICLES = 30
FEW_UNITS = 50


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def question(run: RunData, research_question: str = "") -> str:
    """Return the research question and the run's scope as Markdown.

    The question comes from the parameter, else from the corpus card
    ``data/raw/<id>/corpus.yml``, else a generic one.
    """
    corpus_id = run.manifest.get("corpus", {}).get("id", "")
    card = DATA_RAW / corpus_id / "corpus.yml" if corpus_id and "/" not in corpus_id else None
    q = research_question
    if not q and card is not None and card.exists():
        from .files import read_yaml

        q = read_yaml(card, what="corpus card").get("research_question", "")
    q = q or GENERIC_QUESTION
    articles = run.table("articles_overview")
    n_outlets = articles["outlet"].nunique() if "outlet" in articles else 0
    n_units = units_analysed(run)
    dates = pd.to_datetime(articles.get("date"), errors="coerce", format="%Y-%m-%d").dropna() if "date" in articles else []
    span = f", dated {min(dates):%d %B %Y} to {max(dates):%d %B %Y}" if len(dates) else ""
    return (f"**Research question.** *{escape_markdown(q)}*\n\n"
            f"The run analysed {count_noun(len(articles), 'article')} from {count_noun(n_outlets, 'named outlet')}{span}, "
            f"cut into {count_noun(n_units, run.unit)} (the units of analysis).")


def units_analysed(run: RunData) -> int:
    """How many units the run analysed: the frames stage's roll-up counts every unit of each article.

    (``frames_units`` is sparse, holding only the units with a frame score above 0, so it cannot count them.)
    """
    rollup = run.table("frames_articles")
    if rollup.empty or "n_units" not in rollup:
        return 0
    return int(rollup.drop_duplicates("article_id")["n_units"].sum())


def dominant_frames(run: RunData) -> Finding:
    """The first finding: corrected prevalence of the validated frames; without validation, that first.

    Who coded leads the sentence. Only a frame whose final machine coder
    reaches α ≥ .667 against the coders on units it was not trained on is
    reported; its share is corrected for that coder's errors, with an
    interval over articles. The raw indicator shares follow as unvalidated
    description when nothing is validated, never as the headline.
    """
    from .validation.sentences import lead_prevalence, who_coded

    corrected, methods = run.table("prevalence_corrected"), run.table("frame_methods")
    summary = run.table("validation_summary")
    r = summary.iloc[0] if not summary.empty else {}
    info = {"example": r.get("status") == "example", "produced_by": text_or_empty(r.get("produced_by"))}
    who = who_coded(info, text_or_empty(r.get("coding_set"))) if not summary.empty and r.get("status") != "none" else ""
    n_units = run.n_rows("doc_topics")  # one row per unit with topics
    all_coded = bool(not summary.empty and n_units and pd.notna(r.get("n_gold_units"))
                     and int(r.get("n_gold_units")) >= n_units)
    text = lead_prevalence(corrected, methods, run.frame_names, unit=run.unit,
                           n_articles=len(run.table("articles_overview")) or None, who=who, all_units_coded=all_coded)
    data = [artifact(key).csv for key in ("prevalence_corrected", "frame_methods", "coder_scores")]
    if not methods.empty and methods["validated"].any():
        alt = (f"Dot plot of the corrected and raw share of {run.units} for each frame, with 95% intervals over "
               "articles; frames that are not validated are grey and labelled so.")
        return Finding("1. Prevalence of the validated frames", text, run.figure("prevalence_corrected"), alt,
                       "Frame prevalence corrected for coding error (filled) and the raw machine share (hollow); "
                       "grey rows are not validated and are no finding.", data)
    prev = run.table("frame_prevalence")
    if not prev.empty:
        claim = most_common_frames(prev, run.frame_names, articles=run.table("frames_articles"), units=run.units)
        text += f" Unvalidated description from the keyword indicators: {claim.text}"
    return Finding("1. Which frames the indicators find (not validated)", text, None, "", "", data)


def _topic_documents(run: RunData) -> str:
    """", fitted on whole articles (5 documents)" from the topic stage's parameters as used; "" for an older run."""
    used = run.table("topic_params")
    used = dict(zip(used["parameter"], used["value"])) if not used.empty else {}
    if used.get("document") not in ("article", "paragraph"):
        return ""
    what = "whole articles" if used["document"] == "article" else "paragraphs"
    return f", fitted on {what} ({used.get('n_documents', '?')} documents)"


# A topic model fitted on this few documents can only sort the documents: its topics are article clusters.
FEW_TOPIC_DOCUMENTS = 10


def topic_documents(run: RunData) -> int | None:
    """How many documents the topic model was fitted on (``topic_params``), None when unknown."""
    used = run.table("topic_params")
    used = dict(zip(used["parameter"], used["value"])) if not used.empty else {}
    try:
        return int(used.get("n_documents"))
    except (TypeError, ValueError):
        return None


def topics_as_articles(run: RunData) -> str:
    """The sentence saying, from the data, how far each topic sits in one article; "" when fitted on many documents.

    Each topic's weight is summed per article over its units; the dominant article's share of that sum
    says whether the topic is a theme across articles or one article's vocabulary.
    """
    n_docs = topic_documents(run)
    if n_docs is None or n_docs > FEW_TOPIC_DOCUMENTS:
        return ""
    weights = run.table("doc_topics_units")
    if weights.empty:
        return ""
    per = weights.groupby(["topic", "article_id"])["weight"].sum()
    total = per.groupby(level="topic").sum()
    top = per.groupby(level="topic").idxmax().map(lambda ix: ix[1])
    share = per.groupby(level="topic").max() / total.where(total > 0)
    parts = [f"T{int(t)} {_pct(share[t])} in article {escape_markdown(str(top[t]).split('_')[0])}"
             for t in share.dropna().sort_index().index]
    verb = ("largely reproduce the articles" if share.mean() >= 0.5 else
            "cannot be told apart from clusters of articles")
    return (f" Fitted on {count_noun(n_docs, 'document')}, the topics {verb}: the share of each topic's weight "
            f"that lies in its dominant article is {'; '.join(parts)}. No inductive result is drawn from them.")


def inductive_frames(run: RunData) -> Finding:
    """What the topic network (ANTMN) finds, led by whether its frames are stable across seeds and neighbouring K.

    The verdict and its sentence are :func:`analysis.frames.assess_frame_stability`'s, the one notebook 03 shows.
    Frames that are not stable are described, never headlined, and nothing is compared with them.
    """
    from .frames import assess_frame_stability
    from .parameters import default

    frames = run.table("inductive_frames")
    stability = run.table("topic_stability")
    k = len(stability) if not stability.empty else len(run.table("topic_labels"))
    if frames.empty:
        return Finding("2. Inductive frames", "The topic network stage wrote no frames for this run.")
    params = run.manifest.get("parameters", {})
    topics_table = run.table("inductive_topics")
    n_junk = int(topics_table["junk"].sum()) if not topics_table.empty else 0
    method = str(params.get("community", "louvain"))
    verdict = assess_frame_stability(run.table("inductive_stability"), threshold=float(params.get("min_ari", default("min_ari"))),
                                     n_frames=len(frames), n_topics=k - n_junk, method=method)
    frames = frames.sort_values("prevalence", ascending=False)
    largest = frames.iloc[0]
    n_unstable = int(stability["unstable"].sum()) if not stability.empty else 0
    junk = (f", and {count_noun(n_junk, 'junk topic')} {'is' if n_junk == 1 else 'are'} left out of the network"
            if n_junk else "")
    text = (f"{verdict.text} The topic model has **{k} topics**{_topic_documents(run)}; {n_unstable} of them "
            f"{'is' if n_unstable == 1 else 'are'} flagged unstable across seeds{junk}. ")
    if len(frames) == 1:
        text += (f"The topic network shows **no community structure**: {method.capitalize()} places all "
                 f"{k - n_junk} topics in one community, so this corpus yields no distinct inductive frames. Topics "
                 f"rarely share a document, so the network's links are weak and alike; ANTMN needs more text in "
                 "which topics co-occur.")
        text += topics_as_articles(run)
    else:
        named = largest.get("topic_labels")
        members = named if isinstance(named, str) and named else f"topics {largest['topics']}"
        text += (f"The topic network groups them into {len(frames)} inductive frames; the largest joins "
                 f"{escape_markdown(members)} and covers {_pct(largest['prevalence'])} of the text, with the "
                 f"terms *{escape_markdown(largest['top_terms'])}*.")
    if k - n_junk < MIN_TOPICS_FOR_NETWORK:
        text += (f" With only {k - n_junk} topics in it the network has too few nodes for its communities to be "
                 f"frames in the sense of ANTMN; read this as a description of the topics, not as evidence of frames.")
    # The same claim, computed the same way, as notebook 03 states it; only about frames that are stable.
    match = closest_match(run.table("frame_comparison"), run.frame_names, units=run.units)
    if match.found and verdict.stable:
        text += " " + match.text
    shown = run.figure("inductive_stability") if verdict.structure and verdict.stable is False else None
    if shown:
        alt = (f"Dot plot of the adjusted Rand index of the inductive frames of {verdict.n_models} other models "
               f"against this one's, below the threshold {verdict.threshold:g} on average.")
        caption = ("Agreement of the inductive frames with those of refits with other seeds and of the neighbouring "
                   "K (adjusted Rand index); the dashed line is the stability threshold.")
    elif len(frames) == 1:
        # One community: the network shows no structure, and its colours would promise frames it has not.
        shown, alt, caption = None, "", ""
    else:
        shown = run.figure("topic_network")
        alt = (f"Network of {k - n_junk} topics; node size is topic prevalence, colour is the inductive frame; "
               f"{count_noun(len(frames), 'frame')}.")
        caption = ("Topic network: topics linked by how often they co-occur in the same documents; colours are "
                   "communities (frames), dark edges the backbone.")
    data = [artifact(key).csv for key in ("inductive_frames", "inductive_stability", "inductive_topics",
                                          "topic_terms", "frame_comparison")]
    return Finding(f"2. Inductive frames from the topic network ({verdict.headline})", text, shown, alt, caption,
                   data)


def leading_frames(prev: pd.DataFrame, run: RunData) -> pd.DataFrame:
    """Return per group its leading frame(s): every frame tied at the group's highest prevalence.

    Columns: group, frames (display names, bold, joined with "and"), n_frames, prevalence, n_units
    (:func:`analysis.frames.leading_frames` with the run's frame names).
    """
    return _leading_frames(prev, run.frame_names)


def _outlet_label(group: str) -> str:
    # frame_prevalence groups articles without an outlet together; say what that group is.
    return "articles naming no outlet" if group == UNKNOWN_GROUP else escape_markdown(group)


def _top_with_ties(prev: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Keep per group the n highest prevalences, with every frame tied at the n-th (:func:`analysis.frames.top_with_ties`)."""
    return top_with_ties(prev, n)


def validated_prevalence(run: RunData, by: str) -> pd.DataFrame | None:
    """Corrected prevalence of the validated frames by ``by`` (outlet, date), shaped like ``frame_prevalence_*``.

    None when the run has no validation table; an empty table when no frame is validated, so that an
    unvalidated frame never leads a finding.
    """
    methods, corrected = run.table("frame_methods"), run.table("prevalence_corrected")
    if methods.empty:
        return None
    ok = set(methods.loc[methods["validated"], "frame"])
    rows = corrected[(corrected["by"] == by) & corrected["frame"].isin(ok)] if not corrected.empty else corrected
    cols = ["group", "frame", "n_units", "n_articles", "n_coded", "prevalence", "lo", "hi"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows.assign(n_coded=rows["n_coded"] if "n_coded" in rows else 0)
    out = rows.rename(columns={"corrected": "prevalence"})[cols]
    out["group"] = out["group"].replace({"(no outlet)": UNKNOWN_GROUP, "(no date)": UNKNOWN_GROUP})
    return out.dropna(subset=["prevalence"]).reset_index(drop=True)


NOT_VALIDATED = ("No frame of this run is validated (Validation page), so no frame is compared here; "
                 "the machine's raw shares are on the Frames page.")


def outlet_differences(run: RunData) -> Finding:
    """How outlets differ in their leading validated frames (corrected shares)."""
    validated = validated_prevalence(run, "outlet")
    if validated is not None and validated.empty:
        return Finding("3. How outlets differ", NOT_VALIDATED)
    prev = run.table("frame_prevalence_outlet") if validated is None else validated
    if prev.empty or prev["group"].nunique() < 2:
        return Finding("3. How outlets differ", "Fewer than two outlets are known for this corpus, so outlets cannot be compared.")
    leads = leading_frames(prev, run)
    verb = ("'s most frequent validated frame is" if validated is not None else " leads with")
    n_articles = prev.groupby("group")["n_articles"].max() if "n_articles" in prev else pd.Series(dtype=int)

    def _n(group) -> str:
        # An outlet with one article is that article: its share describes it, it compares no outlet.
        k = int(n_articles.get(group, 0)) if len(n_articles) else 0
        return ("" if not k else "; one article: description only" if k == 1 else f", {count_noun(k, 'article')}")

    # Many outlets: the sentence names the largest (as the figure shows them), the download has every outlet.
    from .plots import MAX_GROUPS, top_groups

    shown, pooled = top_groups(prev, "group", max_groups=MAX_GROUPS)
    named_leads = leads[leads["group"].isin(shown)] if pooled else leads
    parts = [f"{_outlet_label(r.group)}{verb if r.group != UNKNOWN_GROUP else (' share most often' if validated is not None else ' lead with')} {r.frames} "
             f"({_pct(r.prevalence)}{' each' if r.n_frames > 1 else ''} of {'their' if r.group == UNKNOWN_GROUP else 'its'} "
             f"{count_noun(int(r.n_units), 'unit')}{_n(r.group)})" for r in named_leads.itertuples()]
    if pooled:
        parts.append(f"{len(pooled):,} smaller outlets are in the download")
    widest = outlet_spread(prev).iloc[0]["frame"]
    rows = prev[prev["frame"] == widest].sort_values("prevalence")
    lo, hi = rows.iloc[0], rows.iloc[-1]
    text = "; ".join(parts) + ". "
    if hi["prevalence"] > lo["prevalence"]:
        text += (f"Outlets differ most on **{run.frame_name(widest)}**: from {_pct(lo['prevalence'])} of {run.units} in "
                 f"{_outlet_label(lo['group'])} to {_pct(hi['prevalence'])} in {_outlet_label(hi['group'])}. ")
    named = leads[leads["group"] != UNKNOWN_GROUP]
    thin = named.sort_values("n_units").iloc[0] if len(named) else None
    if thin is not None and thin["n_units"] < FEW_UNITS and validated is None:
        text += (f"The smallest outlet, {escape_markdown(thin['group'])}, contributes only {count_noun(int(thin['n_units']), run.unit)}, "
                 "so the intervals in the figure are wide.")
    if validated is not None:
        per_outlet = run.table("articles_overview").groupby("outlet").size() if run.has("articles_overview") else None
        one = per_outlet is not None and len(per_outlet) and int(per_outlet.max()) == 1
        coded = prev.groupby("group")[["n_coded", "n_units"]].max() if "n_coded" in prev else None
        all_coded = coded is not None and bool((coded["n_coded"] >= coded["n_units"]).all())
        text += (" Shares are of the validated frames only: "
                 + ("every unit was coded, so each is the coding set's own share in that outlet." if all_coded else
                    "a coded unit counts its adjudicated code, and only the uncoded units are corrected for coding "
                    "error.")
                 + (" Every outlet has one article here, so these are differences between articles, not outlets."
                    if one else ""))
    alt = (f"Frame shares for {prev['group'].nunique()} outlets with 95% intervals; the widest difference is for "
           f"{run.frame_name(widest)} ({_pct(lo['prevalence'])} in {lo['group']} to {_pct(hi['prevalence'])} in {hi['group']}).")
    return Finding("3. How outlets differ", text, None if validated is not None else run.figure("frame_prevalence_outlet"), alt,
                   f"Share of {run.units} coded with each frame, by outlet (95% intervals resampling articles).",
                   [run.download("prevalence_corrected" if validated is not None else "frame_prevalence_outlet")])


def dated_articles(articles: pd.DataFrame) -> str:
    """The sentence saying how few articles carry a full publication date, and that time is not compared.

    Publication dates come only from a dateline, a date line or the metadata
    (never from a date the body mentions), so a scraped corpus is often undated.

    >>> dated_articles(pd.DataFrame({"date_precision": ["day", "day", ""]}))
    'Only 2 of 3 articles carry a full publication date (from a dateline or the metadata); the comparison over time is not made.'
    >>> dated_articles(pd.DataFrame({"date_precision": ["", ""]}))
    'None of the 2 articles carries a full publication date (from a dateline or the metadata); the comparison over time is not made.'
    """
    n = int(articles["date_precision"].eq("day").sum()) if "date_precision" in articles else 0
    total = len(articles)
    where = "(from a dateline or the metadata); the comparison over time is not made."
    if n == 0:
        who = ("No article carries a" if total == 0 else "The one article carries no" if total == 1
               else f"None of the {total:,} articles carries a")
        return f"{who} full publication date {where}"
    if n == total:
        return "The one article carries a full publication date; one date allows no comparison over time."
    return f"Only {n:,} of {count_noun(total, 'article')} {'carries' if n == 1 else 'carry'} a full publication date {where}"


def frames_over_time(run: RunData) -> Finding:
    """Frames by publication date, where dates are known."""
    articles = run.table("articles_overview")
    validated = validated_prevalence(run, "date")
    prev = run.table("frame_prevalence_date") if validated is None else validated
    full = articles[articles.get("date_precision", pd.Series(index=articles.index, dtype=str)).eq("day")] \
        if not articles.empty else articles
    n_partial = int((articles["date"].fillna("") != "").sum() - len(full)) if "date" in articles else 0
    if len(full) < 2:
        return Finding("4. Frames over time", dated_articles(articles))
    if validated is not None and validated.empty:
        return Finding("4. Frames over time", NOT_VALIDATED)
    if prev.empty:
        return Finding("4. Frames over time", dated_articles(articles))
    prev = prev[prev["group"].isin(full["date"])]
    leads = leading_frames(prev, run)
    parts = [f"{escape_markdown(r.group)}: {r.frames} ({_pct(r.prevalence)}{' each' if r.n_frames > 1 else ''})"
             for r in leads.itertuples()]
    per_date = full.groupby("date")["article_id"].nunique() if "article_id" in full else pd.Series([1])
    undated = (f" ({n_partial} more {'carries' if n_partial == 1 else 'carry'} a day without a year, which cannot be "
               "placed in time and is left out)" if n_partial else "")
    text = f"{count_noun(len(full), 'article')} carry a full date{undated}. "
    if len(leads) <= 12:
        text += (("Their most frequent validated frames by date (corrected shares) are: " if validated is not None
                  else "Their leading frames by date are: ") + "; ".join(parts) + ". ")
    else:
        often = leads["frames"].value_counts()
        text += (f"Across {len(leads):,} dates from {escape_markdown(leads['group'].min())} to "
                 f"{escape_markdown(leads['group'].max())}, the leading frame of a day is most often "
                 f"{often.index[0]} ({often.iloc[0]:,} of {len(leads):,} dates; table below, "
                 "download for every date). ")
    text += ("With one article per date this shows how single articles differ, not a trend."
             if per_date.max() <= 1 else
             f"Dates carry from {per_date.min():,} to {per_date.max():,} articles, so a day's shares rest on few or many "
             f"{run.units}: read shifts against the {run.units} column.")
    monthly = prev["group"].nunique() > MAX_DATES
    if monthly:  # hundreds of days: the table pools them by month (outputs.by_month), the download keeps every day
        prev = by_month(prev, date="group", keys=["frame"]).rename(columns={"month": "group"})
    top = _top_with_ties(prev)
    when = "month" if monthly else "date"
    table = (top.assign(frame=top["frame"].map(run.frame_name), share=top["prevalence"].map(_pct))
             [["group", "frame", "n_units", "share"]].rename(columns={"group": when, "n_units": f"{run.units}"}))
    pooled_by = (f" Beyond {MAX_DATES} dates the days are pooled by month: a month's share is its days' shares "
                 "weighted by their units." if monthly else "")
    caption = (("The validated frames on each dated " + ("month" if monthly else "day") +
                ", corrected shares (more where tied)." if validated is not None
                else "The three leading frames on each dated " + ("month" if monthly else "day") + " (more where tied).")
               + pooled_by)
    return Finding("4. Frames over time", text, None, "", caption,
                   [run.download("prevalence_corrected" if validated is not None else "frame_prevalence_date")], table)


def who_speaks(run: RunData) -> Finding:
    """Who speaks: statements by source type and by origin (unknown counted), and how far attribution holds.

    The sentence is the one notebook 04 prints (:func:`analysis.actors.describe_sources`); the heading
    says whether attribution is validated, by the speaker coding's precision and recall, and who coded it.
    """
    from .actors import attribution_status, describe_check, describe_sources

    statements = run.table("statements")
    summary = run.table("attribution_summary")
    note = attribution_status(summary)[1]
    if statements.empty:
        return Finding(f"5. Whose voices are heard ({note})", describe_sources(statements, statements, statements))
    types, origins = run.table("source_types"), run.table("source_origins")
    from .actors import load_attribution

    rule = " ".join(str(load_attribution().get("origin_summary") or "").split())
    text = (describe_sources(statements, types, origins, unit=run.unit) + (f" {rule}" if rule else "") + " "
            + describe_check(run.table("attribution_scores"), summary))
    lead = types.sort_values("n_statements", ascending=False, kind="stable").iloc[0]
    alt = (f"Stacked bar chart of attributed statements by source type, coloured by origin; {lead['label']} "
           f"speak in the most statements ({int(lead['n_statements'])}).")
    return Finding(f"5. Whose voices are heard ({note})", text, run.figure("source_types"), alt,
                   "Attributed statements by source type and origin of the source.",
                   [run.download(k) for k in ("statements", "sources", "source_types", "source_origins",
                                              "attribution_scores")])


def _span_frames(run: RunData) -> tuple[list[str] | None, str]:
    """The frames whose span codes may speak here, and why: validated frames coded by the indicators.

    Quotes and the journalist's words are coded by the indicators (the frames stage's coder); a frame whose
    validated coder is another method has no validated code on a span. None: no validation stage ran.
    """
    methods = run.table("frame_methods")
    if methods.empty:
        return None, ""
    ok = methods[methods["validated"] & (methods["method"] == "indicators")]["frame"].tolist()
    other = methods[methods["validated"] & (methods["method"] != "indicators")]["frame"].tolist()
    why = (f" {count_noun(len(other), 'validated frame')} ({', '.join(run.frame_name(f) for f in other)}) "
           f"{'is' if len(other) == 1 else 'are'} left out: its validated coder is not the indicators that code spans."
           if other else "")
    return ok, why


def voices_and_frames(run: RunData) -> Finding:
    """Which frames the sources' own quoted words carry, against the journalist's words; wire against own reporting.

    Only the quoted words speak for a source (never the paragraph around a quote); each share has its n
    and an interval over articles. With a validation, only validated frames are stated.
    """
    from .actors import attribution_status, describe_voices, describe_wire

    qf, sf = run.table("quote_frames"), run.table("source_frames")
    frames, why = _span_frames(run)
    status = attribution_status(run.table("attribution_summary"))[1]
    if frames is not None and not frames:
        return Finding("6. Which voices carry which frames", NOT_VALIDATED + why)
    if qf.empty:
        return Finding("6. Which voices carry which frames", "No statement is long enough to code its quoted words.")
    text = describe_voices(qf, run.frame_names, frames)
    quoted = sf[sf["voice"] == "quoted"] if not sf.empty else sf
    if frames is not None and not quoted.empty:
        quoted = quoted[quoted["frame"].isin(frames)]
    if not quoted.empty:
        per = quoted.groupby(["source_type", "frame"], sort=False)[["n_with_frame", "n_statements"]].sum().reset_index()
        per["share"] = per["n_with_frame"] / per["n_statements"]
        n_src = quoted.groupby("source_type")["canonical"].nunique()
        leads = per.sort_values(["source_type", "share", "frame"], ascending=[True, False, True]).groupby("source_type").head(1)
        leads = leads[leads["share"] > 0]
        labels = dict(zip(run.table("source_types").get("source_type", []), run.table("source_types").get("label", [])))
        if len(leads):
            text += (" By type of source, in their own quoted words: " + "; ".join(
                f"**{escape_markdown(labels.get(r.source_type, r.source_type))}** most often "
                f"**{run.frame_name(r.frame)}** ({_pct(r.share)} of its {count_noun(int(r.n_statements), 'quoted statement')}"
                f" by {count_noun(int(n_src.get(r.source_type, 0)), 'source')})"
                for r in leads.itertuples()) + ".")
            if int(per.groupby("source_type")["n_statements"].max().min()) < FEW_UNITS:
                text += " Each type rests on few statements: description, not a finding about the outlets."
    text += " " + describe_wire(run.table("wire_frames"), run.table("story_origins"), run.frame_names, frames)
    if frames is not None:
        text += f" Only validated frames are stated, coded by the indicators on the spans.{why}"
    heading = "6. Which voices carry which frames" + (f" ({status})" if frames is not None else
                                                        f" (frames not validated; {status})")
    alt = ("Dot plot of each frame's share of direct-quote spans, of attributed (direct and indirect) spans and of "
           "journalist spans, with intervals over articles.")
    return Finding(heading, text, run.figure("quote_frames"), alt,
                   "Frames inside the sources' quoted words against the journalist's own words (95% intervals "
                   "resampling articles).",
                   [run.download(k) for k in ("quote_frames", "source_frames", "wire_frames", "story_origins")])


def text_or_empty(value) -> str:
    """A table cell as text, ``""`` where it is missing (a blank cell reads as missing).

    >>> text_or_empty(float("nan")), text_or_empty(None), text_or_empty("two coders")
    ('', '', 'two coders')
    """
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def limits(run: RunData) -> str:
    """Return the limits of this run's evidence as Markdown, from its own numbers."""
    from .validation import describe_validation

    articles = run.table("articles_overview")
    n = len(articles)
    missing_outlet = int(articles["outlet"].isna().sum()) if "outlet" in articles else 0
    val = run.table("validation_summary")
    if n < FEW_ARTICLES:
        lines = [f"- **{count_noun(n, 'article')}: descriptive only.** No statement here generalises beyond these articles; the "
                 f"intervals resample these articles and describe uncertainty within them, not over outlets or time."]
    else:
        lines = [f"- **{count_noun(n, 'article')}.** The findings describe this corpus and generalise only as far as it was "
                 f"sampled from the outlets' output; the intervals resample its articles and describe uncertainty within it, "
                 "not over outlets or time."]
    if missing_outlet:
        lines.append(f"- {count_noun(missing_outlet, 'article')} "
                     f"{'names no outlet in its' if missing_outlet == 1 else 'name no outlet in their'} text; "
                     "the outlet is left empty, not guessed.")
    lines.append("- Deductive codes come from keyword and pattern indicators (listed with every code on the Frames page); "
                 "they find explicit wording, not irony or implication.")
    lines.append("- Attribution finds a speaker next to a reporting cue; it does not resolve coreference (an unnamed role "
                 "such as a spokesperson stays its own source even when the next paragraph names the person), nor "
                 "joint speakers (\"the two leaders said\"), so sources are counted by the names the text gives.")
    lines.append("- " + describe_validation(val if not val.empty else {"status": "none"}, unit=run.unit,
                                            where=" (Validation page)"))
    stability = run.table("topic_stability")
    n_docs = topic_documents(run)
    if n_docs is not None and n_docs <= FEW_TOPIC_DOCUMENTS:
        # Stable refits of a model of a handful of documents say the articles differ, not that frames exist.
        lines.append(f"- The topic model was fitted on {count_noun(n_docs, 'document')}: its topics describe these "
                     "articles and support no inductive frame, however alike its refits are (Topics page).")
    elif not stability.empty:
        lines.append(f"- Topic stability across seeds ranges from {stability['stability'].min():.2f} to "
                     f"{stability['stability'].max():.2f} (Topics page): refits agree on the topics, which is not "
                     "evidence that they are frames; unstable topics should not carry an argument alone.")
    return "\n".join(lines)


def render(finding: Finding) -> str:
    """Return a finding as HTML: heading, paragraph, figure or table, data links."""
    body = render_markdown(finding.text, citations=False)
    media = ""
    if finding.figure:
        media = (f'<figure class="figure"><img src="{escape(finding.figure)}" alt="{escape(finding.alt)}" '
                 f'class="img-fluid figure-img"><figcaption>{escape(finding.caption)}</figcaption></figure>')
    elif finding.table is not None and not finding.table.empty:
        media = html_table(finding.table, caption=finding.caption)
    links = " · ".join(f'<a href="{escape(d)}" download>{escape(Path(d).name)}</a>' for d in finding.data)
    data = f'<p class="small">Data: {links}</p>' if links else ""
    return f'<section class="finding"><h3>{escape(finding.title)}</h3>{body}{media}{data}</section>'


def coding_set_by_unit_type(run: RunData) -> pd.DataFrame:
    """The coding set's share of each frame in headline + lead units and in body units (``gold_unit_type``).

    Columns ``frame``, ``group``, ``n_units``, ``share``; empty without a coding set or unit types.
    """
    out = run.table("gold_unit_type")
    return out if not out.empty else pd.DataFrame(columns=["frame", "group", "n_units", "share"])


def _headline_table(table: pd.DataFrame, by_type: pd.DataFrame, gold: pd.DataFrame, names: dict,
                    validated: set | None) -> pd.DataFrame:
    """Three columns that fit a phone: the frame, then headline + lead and body, indicators beside coding set.

    Intervals stay in the sentence and the CSV; the n of each group is in its column's name.
    """
    from .frames import BODY_GROUP, OPENING_GROUP

    key = {v: k for k, v in names.items()}
    n = {g: int(by_type.loc[by_type["group"] == g, "n_units"].max()) for g in (OPENING_GROUP, BODY_GROUP)}
    share = {(r.frame, r.group): r.share for r in gold.itertuples()}
    prev = by_type.set_index(["frame", "group"])["prevalence"]

    def cell(frame, group):
        ind = f"{_pct(prev[(frame, group)])} indicators"
        return ind + (f" · {_pct(share[(frame, group)])} coding set" if (frame, group) in share else "")

    rows = []
    for r in table.itertuples():
        f = key.get(r.frame, r.frame)
        label = r.frame + ("" if validated is None or f in validated else " (not validated)")
        rows.append({"frame": label, f"headline + lead ({n[OPENING_GROUP]} units)": cell(f, OPENING_GROUP),
                     f"body ({n[BODY_GROUP]} units)": cell(f, BODY_GROUP)})
    return pd.DataFrame(rows)


def headline_frames(run: RunData) -> Finding:
    """Frames in headlines and leads against the body, with n; validated frames lead, the rest labelled.

    Reads ``frame_prevalence_unit_type`` (the frames stage) and
    ``frame_methods`` (validation: ``validated``). The shares are the
    indicators' raw codes with intervals over articles, as notebook 03 shows
    them; the sentence is :func:`analysis.frames.compare_unit_types`, the one
    notebook 03 prints without the validation. Beside them stand the coding
    set's own shares in the same units: with a handful of headlines one missed
    lead moves the indicators' share by many points, and the reader sees it.
    """
    from .frames import BODY_GROUP, OPENING_GROUP, compare_unit_types, unit_type_table

    by_type, methods = run.table("frame_prevalence_unit_type"), run.table("frame_methods")
    validated = set(methods.loc[methods["validated"].astype(bool), "frame"]) if not methods.empty else None
    title = "7. Frames in headlines and leads against the body" + ("" if validated else " (not validated)")
    if by_type.empty:
        return Finding(title, "The frames stage wrote no frame shares by unit type for this run.")
    text = compare_unit_types(by_type, run.frame_names, validated=validated, units="units")
    gold = coding_set_by_unit_type(run)
    shown = [f for f in (validated or ()) if not gold[gold["frame"] == f].empty]
    if shown and set(gold["group"]) >= {OPENING_GROUP, BODY_GROUP}:
        g = gold.set_index(["frame", "group"])
        n_open, n_body = int(g.xs(OPENING_GROUP, level="group")["n_units"].max()), int(
            g.xs(BODY_GROUP, level="group")["n_units"].max())
        text += (f" By the coding set itself ({count_noun(n_open, 'coded headline or lead unit')}, "
                 f"{count_noun(n_body, 'coded body unit')}): "
                 + "; ".join(f"**{run.frame_name(f)}** {_pct(g.loc[(f, OPENING_GROUP), 'share'])} against "
                             f"{_pct(g.loc[(f, BODY_GROUP), 'share'])}" for f in sorted(shown, key=run.frame_name)
                             if (f, OPENING_GROUP) in g.index and (f, BODY_GROUP) in g.index) + ".")
    articles = run.table("articles_overview")
    heads = by_type.loc[by_type["group"] == "headline", "n_units"]
    if len(articles):
        n = int(heads.iloc[0]) if len(heads) else 0
        text += (f" {n} of the {count_noun(len(articles), 'article')} "
                 f"{'carries a headline in its' if n == 1 else 'carry a headline in their'} text or metadata.")
    text += (" Shares are the indicators' raw codes of each unit (not corrected for coding error by unit type), "
             "with 95% intervals resampling articles"
             + (f"; with {count_noun(len(articles), 'article')} they describe these articles only." if len(articles) < FEW_ARTICLES
                else "."))
    full = unit_type_table(by_type, run.frame_names, validated=validated)
    table = _headline_table(full, by_type, gold, run.frame_names, validated) if not full.empty else full
    caption = ("Share of headline and lead units and of body units with each frame, by the indicators and, where "
               "coded, by the coding set; intervals are in the text and the CSV. "
               + ("Validated frames first; the others are description only." if validated else "Not validated."))
    has_opening = (by_type["group"] == OPENING_GROUP).any()
    return Finding(title, text, None, "", caption, [run.download("frame_prevalence_unit_type")]
                   + ([run.download("frame_methods")] if validated is not None else []),
                   table if has_opening else None)
