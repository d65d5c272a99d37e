"""Methods: the pipeline stage by stage, with the parameters a run actually used.

Every value on the Methods page is read from the run's provenance manifest
and tables, and every method is cited from the shipped ``references.bib``
(``[@key]``, rendered by :func:`analysis.report.render_markdown`). The page
therefore always describes the run it belongs to, not the defaults: the
codebook is named, and its frames listed and cited, from the codebook the run
used (its table and the file its parameters name), and the K rule comes from
the one template in :func:`analysis.topics.k_rule_text`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .corpus import publication_date_rule, unit_typing_rule
from .errors import AnalysisError
from .files import read_yaml
from .paths import RESOURCES
from .findings import RunData, text_or_empty
from .validation import alpha_scope
from .outputs import escape_markdown


def _p(manifest: dict, name: str, default="(not set)"):
    return manifest.get("parameters", {}).get(name, default)


def corpus_section(run: RunData, manifest: dict) -> str:
    """Return the corpus stage's method text."""
    articles = run.table("articles_overview")
    cleaning = run.table("cleaning_summary")
    removed = int(cleaning.loc[cleaning["category"].ne("metadata") & cleaning["rule"].ne("min_unit_words"), "lines"].sum()) \
        if not cleaning.empty else 0
    # Missing fields are stored as "" (never guessed), so count empty strings as well as nulls.
    missing = {c: int(articles[c].fillna("").astype(str).str.strip().eq("").sum()) for c in ("outlet", "date")}
    return (
        "## 1. Corpus: ingest, repair, clean, segment\n\n"
        f"The raw files ({len(manifest.get('corpus', {}).get('files', {}))}, hashed on the Data page) are read, never "
        "edited. Text that is not valid UTF-8 is decoded with a detected fallback; local mojibake (UTF-8 punctuation "
        "decoded as Windows-874 and encoded again) is repaired line by line with ftfy plus the Windows-874 mapping. "
        "Wire, translation and photo credits are recorded as article metadata before they are removed. "
        f"Boilerplate is removed by rules kept as data (`analysis/resources/cleaning/`): {removed} lines in this run, "
        "listed by rule below. Outlet and place are read from the dateline; a field that cannot be found stays "
        f"empty and is counted, never guessed (outlet missing for {missing['outlet']} of "
        f"{len(articles)} articles, date for {missing['date']}). {publication_date_rule()} Articles are cut into "
        f"**{_p(manifest, 'unit')}** units. {unit_typing_rule(int(_p(manifest, 'min_unit_words', 0)))} "
        f"Language setting: `{_p(manifest, 'language')}`."
    )


def text_section(run: RunData, manifest: dict) -> str:
    """Return the preprocessing stage's method text."""
    steps = run.table("text_steps")
    hits = run.table("alias_hits")
    vocab = " → ".join(f"{r.step} {int(r.vocab_size)}" for r in steps.itertuples()) if not steps.empty else "(not recorded)"
    metonyms = hits[hits["kind"].eq("metonym")] if not hits.empty else hits
    # The filters actually applied (a parameter of 0 means "scaled with the corpus").
    params = run.table("text_params")
    used = dict(zip(params["parameter"], params["value"])) if not params.empty else {}
    no_below = used.get("no_below", _p(manifest, "no_below"))
    met = ", ".join(f"{r.surface} → {r.canonical} ({int(r['count'])})" for _, r in metonyms.iterrows()) or "none"
    return (
        "## 2. Text: tokens, stopwords, aliases, phrases\n\n"
        "Tokens keep Indonesian reduplication (*negara-negara*). Actors named many ways are mapped to one canonical "
        "token by the alias table before stopwords are removed, longest surface form first, so that *Korut* and "
        "*Korea Utara* become `korea_utara` while the analyst *Duyeon Kim* stays distinct from Kim Jong Un. "
        f"Metonyms are mapped explicitly and reported; in this run: {met}. The stopword lists are trimmed by a "
        "protected-terms list so that the words the corpus is about survive (*kerja sama* → `kerja_sama`). "
        f"Multi-word expressions are joined with gensim's phrase detection (phrases: `{_p(manifest, 'phrases')}`); "
        f"stemming: `{_p(manifest, 'stem')}`. Vocabulary filters: a term is kept if it occurs in at least "
        f"{no_below} units and in at most {_p(manifest, 'no_above')} of them. "
        f"Vocabulary size after each step: {vocab}."
    )


def resource_table(manifest: dict | None = None) -> pd.DataFrame:
    """Return the language resources a run used: the shipped ones with size, source and licence,
    then the researcher's own files (``manifest["user_files"]``) with their sha256.

    Examples
    --------
    >>> t = resource_table({"user_files": {"codebook_file": {"path": "/x/my-codebook.yml", "sha256": "ab" * 32}}})
    >>> t.iloc[-1][["resource", "source"]].tolist()
    ['my-codebook.yml', 'supplied for this run (parameter codebook_file); sha256 abababababab']
    """
    index = read_yaml(RESOURCES / "RESOURCES.yml", what="resource index", expect="a list")
    rows = []
    for item in index:
        path = RESOURCES / item["file"]
        if path.suffix == ".txt":
            size = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))
            size = f"{size} entries"
        else:
            size = f"{path.stat().st_size:,} bytes"
        rows.append((item["file"], item["what"], size, item["source"], item["licence"]))
    what = {"extra_rules": "extra cleaning rules", "aliases_file": "aliases (merged over the shipped table)",
            "codebook_file": "codebook (replaces the shipped one)", "codebook_extra": "frames added to the codebook",
            "sources_file": "gazetteer of people and organisations (read after the shipped one)"}
    for name, info in sorted(((manifest or {}).get("user_files") or {}).items()):
        rows.append((Path(info["path"]).name, what.get(name, name), "",
                     f"supplied for this run (parameter {name}); sha256 {info['sha256'][:12]}", ""))
    return pd.DataFrame(rows, columns=["resource", "what", "size", "source", "licence"])


def _documents_text(used: dict) -> str:
    """The sentence on the topic model's documents: which level, how many, why, and the rule of ``auto``."""
    from .topics import topic_unit_rule_text

    rule = f"The rule of `topic_unit: auto`: {topic_unit_rule_text(cite=True)}."
    if used.get("document") not in ("article", "paragraph"):
        return rule
    return f"{used.get('document_reason', '')} {rule}".strip()


def _scale_text(used: dict) -> str:
    """What the models were fitted on (the values the run used), then the rule that set them when left at 0."""
    from .topics import scale_rule_text, scale_text

    if "model_documents" not in used and "sweep_documents" not in used:  # a run from before the rule
        return ""
    return f"{scale_text(used)} The rule for passes, iterations and the sample: {scale_rule_text()}."


def _checks_text(run: RunData) -> str:
    """Junk topics (the rule and how many) and the intrusion tests (their scores, or that no one has answered)."""
    from .topics import describe_intrusion, junk_rule_text

    junk = run.table("topic_junk")
    n_junk = int(junk["junk"].sum()) if not junk.empty else 0
    text = (f"Junk topics: {junk_rule_text(cite=True)}; here {n_junk} of {len(junk)}. " if not junk.empty else "")
    people = describe_intrusion(run.table("word_intrusion"), run.table("topic_intrusion"))
    return (text + "People check the topics with word- and topic-intrusion tasks [@chang2009], written as sheets by "
            "`python -m analysis intrusion-sheet` and imported by `python -m analysis import-intrusion`: "
            + people.replace(" (Chang et al. 2009)", ""))


def topics_section(run: RunData, manifest: dict) -> str:
    """Return the topic model's method text: its documents, the K-selection evidence, stability and checks."""
    from .topics import k_rule_text

    sweep = run.table("k_sweep")
    stability = run.table("topic_stability")
    chosen = sweep.loc[sweep["chosen"], "k"] if not sweep.empty else pd.Series(dtype=int)
    k = int(chosen.iloc[0]) if len(chosen) else len(stability)
    n_topics = _p(manifest, "n_topics")
    used = run.table("topic_params")
    used = dict(zip(used["parameter"], used["value"])) if not used.empty else {}
    diversity = used.get("min_diversity")
    rule = k_rule_text(diversity, cite=True)
    k_max = used.get("k_max", _p(manifest, "k_max"))
    how = (f"K = {k} was chosen by a sweep over K = {_p(manifest, 'k_min')}…{k_max} scored by coherence "
           f"[c_v and c_npmi, @roder2015] and topic diversity, the share of unique words among the topics' top "
           f"words [@dieng2020]; the rule: {rule}."
           if n_topics == 0 else f"K = {n_topics} was set by the researcher (parameter `n_topics`).")
    if used.get("k_range_note"):
        how += f" {used['k_range_note']}"
    unstable = int(stability["unstable"].sum()) if not stability.empty else 0
    sample = int(_p(manifest, "coherence_sample", 0) or 0)
    n_docs = int(used.get("n_documents") or 0) or run.n_rows("doc_topics")
    sample = int(used.get("coherence_sample") or sample)
    if n_topics == 0 and 0 < sample < n_docs:
        how += (f" Coherence was scored on a random sample of {sample:,} of the {n_docs:,} documents "
                f"(seed {_p(manifest, 'seed')}).")
    return (
        "## 3. Topics\n\n"
        f"Latent Dirichlet allocation [@blei2003] with a fixed random seed: gensim's single-process `LdaModel`, "
        f"`random_state` = {_p(manifest, 'seed')}, {used.get('passes', _p(manifest, 'passes'))} passes, alpha "
        f"`{_p(manifest, 'alpha')}`. {_documents_text(used)} {how} {_scale_text(used)} "
        f"Stability: the chosen K was refitted with {_p(manifest, 'n_stability_seeds')} other seeds and topics were "
        f"matched by the Hungarian algorithm on topic-word cosine; a topic whose mean matched cosine is below "
        f"{_p(manifest, 'stability_threshold')} is flagged unstable ({unstable} of {len(stability)} here). "
        f"{_checks_text(run)} Top terms are ranked by relevance with λ = {_p(manifest, 'relevance_lambda')} "
        "[@sievert2014]; the interactive explorer is LDAvis with its topic numbers kept equal to the tables', and "
        "topics are named by the researcher's labels where a label file gives them."
    )


def codebook_used(manifest: dict):
    """Return the codebook file(s) a run's parameters name, loaded (the shipped codebook when none).

    ``None`` when the file cannot be loaded any more (moved or changed since
    the run): the page then names the frames from the run's table alone.

    >>> codebook_used({}).name
    'Generic and issue-specific news frames'
    """
    from . import frames

    params = manifest.get("parameters", {})
    try:
        return frames.load_codebook(params.get("codebook_file") or None, params.get("codebook_extra") or None)
    except AnalysisError:
        return None


def _frame_groups(table: pd.DataFrame) -> str:
    """"the generic frames *A* and *B* [@key]; the issue-specific frame *C* [@other]": by kind and source, in codebook order."""
    frames = table.drop_duplicates("frame")
    parts = []
    for (kind, source), group in frames.groupby(["kind", "source"], sort=False):
        names = [f"*{escape_markdown(n)}*" for n in group["frame_name"]]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"the {escape_markdown(kind)} frame{'s' if len(names) > 1 else ''} {listed} [@{source}]")
    return "; ".join(parts)


def codebook_sentence(run: RunData, manifest: dict) -> str:
    """Return the sentence that names the run's codebook, its size, and its frames with their sources.

    The frames, kinds and citation keys come from the run's ``codebook``
    table (what the run coded with), else from the codebook file; the name and
    version from the file the run's parameters name.
    """
    book = codebook_used(manifest)
    table = run.table("codebook")
    if table.empty and book is not None:
        table = book.to_table()
    if table.empty:
        return "a codebook (not recorded for this run) codes every unit."
    title = f" “{escape_markdown(book.name)}” (version {escape_markdown(book.version)}; " if book is not None else " ("
    n_frames, n_questions = table["frame"].nunique(), table["question"].nunique()
    return (f"the codebook{title}{n_frames} frames, {n_questions} yes/no questions, below) codes every unit: "
            f"{_frame_groups(table)}.")


def inductive_sentence(manifest: dict) -> str:
    """The inductive method (ANTMN): network, junk topics, backbone, communities, and the stability rule.

    >>> inductive_sentence({"parameters": {"community": "leiden"}}).count("[@traag2019]")
    1
    """
    method = str(_p(manifest, "community", "louvain"))
    algorithms = {"louvain": "the Louvain method [@blondel2008]", "leiden": "the Leiden method [@traag2019]"}
    other = "leiden" if method == "louvain" else "louvain"
    cut = _p(manifest, "edge_quantile", 0)
    pruned = f", edges below the {cut} quantile dropped" if cut not in (0, 0.0, "(not set)") else ""
    return (
        "following the analysis of topic model networks [ANTMN, @walter2019], topics are nodes linked by the cosine "
        "similarity of their columns in the document-topic matrix, at the level the model was fitted on; junk topics "
        f"are left out. The backbone, the edges significant at α = {_p(manifest, 'backbone_alpha', 0.05)} by the "
        "disparity filter [@serrano2009], is drawn and exported; communities of the full weighted network"
        f"{pruned}, found by {algorithms.get(method, method)} with seed {_p(manifest, 'seed')} and resolution "
        f"{_p(manifest, 'resolution')}, are the frames, and the {other.capitalize()} method is reported beside them. "
        "How stable the frames are is measured by the adjusted Rand index [@hubert1985] of the units' dominant "
        "frames under the refits with other seeds and the sweep's neighbouring K, against the "
        f"chosen model's; the frames are called stable when its mean reaches {_p(manifest, 'min_ari', 0.65)}, the "
        "lower bound of moderate agreement [@steinley2004], and frames below it are not reported as findings."
    )


def frames_section(run: RunData, manifest: dict) -> str:
    """Return the framing method text (inductive and deductive) and sources."""
    return (
        "## 4. Frames\n\n"
        "Framing is analysed both ways on the same units [@entman1993]. *Inductively*, "
        f"{inductive_sentence(manifest)} *Deductively*, {codebook_sentence(run, manifest)} "
        "Each question is operationalised by indicator words "
        "and patterns; a unit has a frame when the share of its questions answered yes reaches "
        f"{_p(manifest, 'frame_threshold')}, and an article when at least {_p(manifest, 'min_units', 1)} of its units "
        "do. Every code lists the indicators that fired (Frames page). Prevalence intervals are percentile bootstrap "
        f"intervals that resample articles ({_p(manifest, 'n_bootstrap')} resamples).\n\n"
        + sources_section(run, manifest)
    )


def sources_section(run: RunData, manifest: dict) -> str:
    """Return the actors stage's method text: statements, typing and origin by rule, voices, the check."""
    summary = run.table("attribution_summary")
    r = summary.iloc[0] if not summary.empty else {}
    coded = text_or_empty(r.get("status")) if len(summary) else ""
    who = ("an example speaker coding produced by AI, not people" if coded == "example"
           else "a speaker coding by people" if coded == "human" else "")
    # An AI coding by the author of the rules shares their blind spots: agreement with it is no validation.
    verdict = (" This is agreement with an example coding, not a validation: attribution is not validated."
               if coded == "example" else "")
    check = (f"Attribution is compared with {who} ({int(r['n_gold'])} coded statements): precision and recall of "
             "the speakers found, and of their type, origin and kind with them, with intervals that resample "
             f"articles.{verdict}" if who else "No speaker coding was available, so attribution is not validated.")
    user = _p(manifest, "sources_file", "")
    return (
        "## 5. Sources\n\n"
        "Attribution is coded at the level of the statement. A statement is a reporting cue of Indonesian or "
        "English news style (*kata X*, *ujar X*, *menurut X*, *X mengatakan*, *demikian X*, *diungkapkan oleh X*; "
        "*said X*, *X told*, *according to X*) with the speaker next to it; its content is the quote by the cue, "
        "else the clause the cue introduces. It is *direct* when the content holds at least four words in "
        "quotation marks, else *indirect*; a quote with no cue of its own that follows a statement is a "
        "*continuation* of its speaker, and pronouns and *katanya* take the article's previous speaker. An outlet "
        "a statement came through (*kepada Newsweek*, *lapor kantor berita Tass*) is recorded as its channel, not "
        "as a second speaker. Sources are typed by general rules, never by a list of the corpus's speakers: "
        "titles and roles in Indonesian and English, organisations from a documented gazetteer of think tanks, "
        "news outlets and agencies, governments and ministries, militaries and intergovernmental bodies, each "
        "entry with its source, anonymous and plural phrases (*para analis*, *sumber*), the same person's role "
        "elsewhere in the article; a speaker no rule types is *unknown* and counted. Each source's origin "
        "(Indonesian, Russian, Chinese, North Korean, US, European or NATO, other, unknown) comes from its "
        "organisation, the place named with it or a country in its title (`analysis/resources/attribution.yml`, "
        "`analysis/resources/gazetteer/`"
        + (f", and the researcher's own gazetteer `{escape_markdown(Path(str(user)).name)}`" if user else "") + "). "
        "Frames are coded separately on each statement's quoted words, its reported words and the journalist's "
        "own words, by the same indicators as the units; *which voices carry which frames* rests on the quoted "
        "words only. " + check
    )


def codebook_table(run: RunData) -> pd.DataFrame:
    """Return the codebook as the run used it: frame, kind, source, question."""
    cb = run.table("codebook")
    if cb.empty:
        return cb
    return cb[["frame_name", "kind", "source", "question", "text"]].rename(columns={"frame_name": "frame", "text": "question text"})


def validation_section(run: RunData, manifest: dict) -> str:
    """Return the measurement and validation text, from the run's own tables and parameters."""
    val = run.table("validation_summary")
    methods = run.table("frame_methods")
    head = "## 6. Measurement and validation\n\n"
    p = lambda name, default="(not set)": _p(manifest, name, default)  # noqa: E731
    design = (f"**Coding by design.** The validation stage draws a sample (fixed random seed) of {run.units}, stratified by outlet "
              f"and month with proportional allocation; every coder codes its reliability part. Unless the researcher "
              f"sets `sample_size` (here {p('sample_size')}), its size is the number of {run.units} for which α's 95% "
              f"interval has a half-width of {p('alpha_half_width')} at an expected α of {p('expected_alpha')} and the "
              f"rarest frame's prevalence, from the large-sample variance of κ [@bloch1989]. Each coder gets an XLSX "
              "sheet with 0/1 drop-downs (and a CSV), and a coder guide generated from the codebook; a filled sheet "
              "is checked against the run before it is imported, and an import never overwrites another.")
    coders = ("**Machine coders.** Each frame is coded by the codebook's indicators and by supervised classifiers "
              "[@burscher2014]: logistic regression with balanced class weights on tf-idf features of word uni- and "
              "bigrams, on multilingual sentence embeddings [@yang2020] (parameter `embeddings`: "
              f"{p('embeddings')}), and on both with the indicators' answers. Every coder is scored against the adjudicated "
              f"codes only on articles it was not trained on ({p('n_folds')} folds grouped by article). A frame's "
              f"final code comes from the coder with the best out-of-sample α (parameter `coder_method`: "
              f"{p('coder_method')}); inside the coded sample it is that coder's out-of-fold prediction. A frame is "
              "*validated* when that α reaches 0.667 [@krippendorff2004]; only validated frames lead a finding. "
              "Prevalence is corrected for the final coder's out-of-sample sensitivity and specificity "
              "[@rogan1978], and every interval is a percentile bootstrap that resamples articles, of the corpus "
              f"and of the validation sample together ({p('n_bootstrap')} resamples).")
    if val.empty or val["status"].iloc[0] == "none":
        return head + design + "\n\n" + coders + ("\n\nNo coding set exists for this corpus, so no reliability or "
                                                  "validity figure is reported and **no frame is validated**.")
    r = val.iloc[0]
    who = escape_markdown(text_or_empty(r.get("produced_by")))
    source = (f"**Who coded.** An example coding set, not human coders ({who or 'see the Validation page'})"
              if r["status"] == "example" else "**Who coded.** Human coders")
    n_ok = int(methods["validated"].sum()) if not methods.empty else 0
    found = (f"{source}: {int(r['n_units'])} {run.units} by {int(r['n_coders'])} coders, with "
             f"{text_or_empty(r.get('gold_source')) or 'majority'} codes as the reference the machine coders are scored against. Intercoder reliability, "
             f"Krippendorff's α for nominal data [@krippendorff2004; @hayes2007]: mean {r['mean_alpha_frames']:.3f}"
             f"{alpha_scope(r)} (minimum {r['min_alpha_frames']:.3f}); mean percent agreement "
             f"{100 * r['mean_percent_agreement_frames']:.0f}%." + (f" {n_ok} of {len(methods)} frames are validated."
                                                                    if len(methods) else ""))
    return head + design + "\n\n" + coders + "\n\n" + found


def references_section() -> str:
    """Return the references block (pandoc places the cited works here)."""
    return ("The figures use the colour-blind-safe palette of @okabe2008.\n\n"
            "## References\n\n::: {#refs}\n:::\n")

