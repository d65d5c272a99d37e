"""The validation stage: coding by design, reliability, machine coders out of sample, corrected prevalence.

:func:`validate` reads the run's units and the frames stage's indicator
codes through the registry and writes every table of the stage:

1. the coding sample (sized by a stated rule, stratified, with an overlap),
   one XLSX and CSV sheet per coder and the coder guide (internal: full text);
2. intercoder reliability of the coding set per item, with article-level
   intervals;
3. each machine coder's out-of-fold scores against the adjudicated codes,
   the learning curve, and the method each frame uses;
4. the final machine code of every unit and frame, stored sparse (the codes 1,
   and the coded sample's out-of-fold codes; a missing pair is 0);
5. frame prevalence corrected for the chosen coders' error rates, overall,
   by outlet, by date and per article, beside the raw share.

Without a coding set, the final codes are the indicators', every frame is
"not validated", and no corrected prevalence is claimed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import outputs, registry
from ..frames import Codebook, choose_language, load_codebook
from ..parameters import check_values, notebook_default
from ..registry import RunPaths
from . import coders as coders_
from . import design, evaluate, sheets
from .agreement import reliability_table
from .codes import (coding_items, confusion_table, disagreements, read_machine_codes, resolve_coding_set, summarize,
                    validity)
from .coding_set import CodingSet, gold_frames, load_coding_set
from .correction import prevalence_table
from .embeddings import embed
from .guide import coder_guide

# Above this many units, embeddings are off unless the researcher turns them on: at about
# 160 units a second on one core, 20,000 units cost about two minutes.
EMBEDDINGS_AUTO_MAX_UNITS = 20_000


@dataclass(frozen=True)
class ValidationParams:
    """Parameters of the validation stage; defaults and ranges are notebook 05's parameters cell.

    >>> ValidationParams().coder_method
    'auto'
    """

    language: str = notebook_default("language")
    codebook_file: str = notebook_default("codebook_file")
    codebook_extra: str = notebook_default("codebook_extra")
    corpus: str = notebook_default("corpus")
    coding_set: str = notebook_default("coding_set")
    sample_size: int = notebook_default("sample_size")
    extra_units: int = notebook_default("extra_units")
    coders: list = notebook_default("coders")
    alpha_half_width: float = notebook_default("alpha_half_width")
    expected_alpha: float = notebook_default("expected_alpha")
    coder_method: str = notebook_default("coder_method")
    embeddings: str = notebook_default("embeddings")
    n_folds: int = notebook_default("n_folds")
    n_bootstrap: int = notebook_default("n_bootstrap")
    seed: int = notebook_default("seed")

    def __post_init__(self):
        check_values(self, source="validation parameters")


@dataclass
class ValidationResult:
    """What :func:`validate` computed and wrote (``tables``: registry key → path)."""

    params: ValidationParams
    codebook: Codebook
    language: str
    coding: CodingSet
    sample: pd.DataFrame
    sample_rule: str
    reliability: pd.DataFrame
    scores: pd.DataFrame
    curve: pd.DataFrame
    methods: pd.DataFrame
    final: pd.DataFrame
    corrected: pd.DataFrame
    validity: pd.DataFrame
    confusion: pd.DataFrame
    disagreements: pd.DataFrame
    summary: pd.DataFrame
    embeddings_used: bool = False
    gold_unit_type: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Units of the run (``final`` is sparse: it does not list them all).
    n_units: int = 0
    tables: dict[str, Path] = field(default_factory=dict)


# ------------------------------------------------------------------ 1. the coding sample


def sample_size_rule(params: ValidationParams, indicator_prevalence: pd.Series) -> tuple[int, str]:
    """The reliability sample's size and the sentence that states its rule."""
    if params.sample_size:
        return params.sample_size, f"{params.sample_size} units, as the researcher set (parameter `sample_size`)"
    rare = indicator_prevalence[indicator_prevalence > 0]
    p = float(rare.min()) if len(rare) else design.MIN_PREVALENCE
    n = design.reliability_sample_size(params.alpha_half_width, params.expected_alpha, p)
    return n, (f"{n} units: enough for a 95% interval of ±{params.alpha_half_width:g} around an expected α of "
               f"{params.expected_alpha:g} for a frame as rare as the rarest the indicators find "
               f"({max(p, design.MIN_PREVALENCE):.0%} of units), by the large-sample variance of κ for two coders "
               "(Bloch & Kraemer 1989)")


def write_sheets(paths: RunPaths, sample: pd.DataFrame, units, articles, codebook, language: str, sid: str,
                 coders: list[str]) -> dict[str, Path]:
    """One XLSX and one CSV sheet per coder, and the guide, in the run's internal coding folder."""
    items = coding_items(codebook)["item"].tolist()
    meta = articles.set_index("article_id")
    typed = [c for c in ("unit_id", "text", "unit_type") if c in units.columns]
    rows = sample.merge(units[typed], on="unit_id", how="left")
    rows["outlet"] = rows["article_id"].map(meta["outlet"]).fillna("")
    rows["headline"] = rows["article_id"].map(meta["title"]).fillna("")
    # Coders see what kind of unit they code: a headline frames differently from a body paragraph.
    rows["unit_type"] = rows["unit_type"].fillna("body") if "unit_type" in rows else "body"
    guide = coder_guide(codebook, language=language, coders=tuple(coders), n_units=len(sample))
    folder = paths.file("coding_sheets")
    written = {"guide": folder / "coder_guide.md"}
    folder.mkdir(parents=True, exist_ok=True)
    written["guide"].write_text(guide, encoding="utf-8")
    paths.file("coder_guide").parent.mkdir(parents=True, exist_ok=True)
    paths.file("coder_guide").write_text(guide, encoding="utf-8")  # the published copy: no corpus text
    for coder in coders:
        mine = rows[rows["coders"].str.split(";").map(lambda names: coder in names)]
        frame = sheets.sheet_frame(mine, items, coder=coder, sid=sid)
        written[f"{coder}.xlsx"] = sheets.write_xlsx(frame, items, folder / f"{coder}.xlsx", guide=guide)
        written[f"{coder}.csv"] = sheets.write_csv(frame, folder / f"{coder}.csv")
    return written


def indicator_prevalence(frames_units: pd.DataFrame, n_units: int) -> pd.Series:
    """Each frame's share of units by the indicators: ``frames_units`` is sparse, the denominator every unit.

    >>> indicator_prevalence(pd.DataFrame({"unit_id": ["u1", "u2"], "frame": "f", "present": [1, 0]}), 4).item()
    0.25
    """
    if not len(frames_units) or not n_units:
        return pd.Series(dtype=float)
    return frames_units.groupby("frame")["present"].sum() / n_units


def draw(paths: RunPaths, params: ValidationParams, units, articles, codebook, language: str,
         frames_units: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Draw the coding sample, write its sheets and guide; return the sample and its rule's sentence."""
    prevalence = indicator_prevalence(frames_units, len(units))
    n, rule = sample_size_rule(params, prevalence)
    sample = design.draw_sample(units, articles, n_overlap=n, n_extra=params.extra_units,
                                coders=tuple(params.coders), seed=params.seed)
    manifest = registry.read(paths, "articles", ["sha256"])["sha256"].str.cat()
    sid = sheets.sheet_id(manifest, str(codebook.version), sample["unit_id"])
    write_sheets(paths, sample, units, articles, codebook, language, sid, list(params.coders))
    return sample.assign(sheet_id=sid), rule


# ------------------------------------------------------------------ 2–4. coders, scores, final codes


def _pivot(df: pd.DataFrame, column: str, index: list[str], columns: list[str], dtype=np.int64) -> pd.DataFrame:
    """Units × items 0/1 from sparse codes (a unit and item without a row is 0), built without a dense float copy."""
    out = np.zeros((len(index), len(columns)), dtype=dtype)
    yes = df[df["present"] == 1]
    rows = pd.Index(index).get_indexer(yes["unit_id"])
    cols = pd.Index(columns).get_indexer(yes[column])
    keep = (rows >= 0) & (cols >= 0)
    out[rows[keep], cols[keep]] = 1
    return pd.DataFrame(out, index=pd.Index(index, name="unit_id"), columns=pd.Index(columns, name=column))


def _features(units: pd.DataFrame, questions: pd.DataFrame, vectors) -> coders_.Features:
    return coders_.Features(units["unit_id"].to_numpy(), units["text"].to_numpy(), vectors, questions.to_numpy())


def in_sample(params: ValidationParams, codebook) -> bool:
    """Whether the codebook's indicators were written with this run's corpus in view (``developed_on``)."""
    return str(params.corpus) in set(codebook.developed_on)


def use_embeddings(params: ValidationParams, n_units: int) -> bool:
    """Whether the embedding features are computed (``auto``: up to :data:`EMBEDDINGS_AUTO_MAX_UNITS` units)."""
    return params.embeddings == "on" or (params.embeddings == "auto" and n_units <= EMBEDDINGS_AUTO_MAX_UNITS)


def machine_coders(paths: RunPaths, params: ValidationParams, units, codebook, gold: pd.DataFrame,
                   indicator_frames: pd.DataFrame, indicator_questions: pd.DataFrame) -> dict:
    """Out-of-fold predictions, scores, learning curves, chosen methods and final codes."""
    frame_ids = codebook.frame_ids()
    with_vectors = use_embeddings(params, len(units))
    vectors = embed(units["text"], paths.file("embeddings")) if with_vectors and len(gold) else None
    every = _features(units, indicator_questions, vectors)
    coded_index = np.flatnonzero(units["unit_id"].isin(gold.index).to_numpy())
    coded = every.take(coded_index)
    groups = units["article_id"].to_numpy()[coded_index]
    methods = [m for m in coders_.METHODS if m != "embeddings" or with_vectors]
    oof = evaluate.oof_predictions(methods, coded, gold, groups, indicator_frames, seed=params.seed,
                                   n_splits=params.n_folds)
    scores = evaluate.score_methods(oof, gold, groups, n_resamples=params.n_bootstrap, seed=params.seed)
    fixed = {} if params.coder_method == "auto" else {f: params.coder_method for f in frame_ids}
    chosen = evaluate.choose_methods(scores, fixed, indicators_in_sample=in_sample(params, codebook))
    full = {m: (indicator_frames if m == "indicators" else coders_.predict_all(m, coded, gold, every, seed=params.seed))
            for m in set(chosen["method"])}
    curve = pd.concat([coders_.learning_curve(m, coded, gold, groups, seed=params.seed, n_splits=params.n_folds)
                       .assign(method=m) for m in methods if m in coders_.SUPERVISED], ignore_index=True)
    final = evaluate.final_codes(chosen, oof, full, units)
    return {"oof": oof, "scores": scores, "methods": chosen, "final": final, "embeddings": with_vectors,
            "curve": curve[["method", "frame", "n_train", "share", "f1", "alpha"]] if len(curve) else
            pd.DataFrame(columns=["method", "frame", "n_train", "share", "f1", "alpha"])}


def unvalidated(units, codebook, indicator_frames: pd.DataFrame) -> dict:
    """Without coding: the indicators' codes, every frame not validated, nothing scored."""
    frame_ids = codebook.frame_ids()
    chosen = pd.DataFrame({"frame": frame_ids, "method": "indicators", "alpha": math.nan, "alpha_lo": math.nan,
                           "alpha_hi": math.nan, "validated": False, "in_sample": False, "reason": "no coding set"})
    final = evaluate.final_codes(chosen, {"indicators": pd.DataFrame(columns=frame_ids)},
                                 {"indicators": indicator_frames}, units)
    return {"oof": {}, "scores": evaluate.score_methods({}, pd.DataFrame(columns=frame_ids), np.array([]),
                                                        n_resamples=0, seed=0),
            "methods": chosen, "final": final, "embeddings": False,
            "curve": pd.DataFrame(columns=["method", "frame", "n_train", "share", "f1", "alpha"])}


def require_reliable_reference(methods: pd.DataFrame, reliability: pd.DataFrame) -> pd.DataFrame:
    """A frame is validated only when the coders agreed on it AND the machine agrees with their reference.

    A machine coder's α against adjudicated codes says nothing when the coders
    who made that reference did not agree on the frame themselves: the
    reference is then unreliable, and agreeing with it validates nothing.
    With two or more coders, the frame's intercoder α must also reach .667
    (an undefined α, where the coders never varied, does not pass). With one
    coder there is no intercoder α; the rule then rests on the machine α alone
    and the reason says so. Adds ``coder_alpha`` (between coders; NaN with
    one coder).

    >>> m = pd.DataFrame({"frame": ["a", "b"], "method": "indicators", "alpha": [0.7, 0.8],
    ...                   "validated": [True, True], "reason": "best α"})
    >>> rel = pd.DataFrame({"item": ["a", "b"], "kind": "frame", "n_coders": 2, "alpha": [0.63, 0.9]})
    >>> require_reliable_reference(m, rel)[["frame", "validated"]].values.tolist()
    [['a', False], ['b', True]]
    """
    out = methods.copy()
    frames = reliability[reliability["kind"] == "frame"] if len(reliability) else pd.DataFrame(
        columns=["item", "n_coders", "alpha"])
    coder_alpha = out["frame"].map(frames.set_index("item")["alpha"]).astype(float)
    n_coders = out["frame"].map(frames.set_index("item")["n_coders"]).fillna(0).astype(int)
    several = n_coders >= 2
    reliable = ~several | (coder_alpha.fillna(-np.inf) >= evaluate.ALPHA_TENTATIVE)
    out["validated"] = out["validated"].astype(bool) & reliable
    note = coder_alpha.map(lambda a: "undefined" if math.isnan(a) else f"{a:.2f}")
    out.loc[several & ~reliable, "reason"] = (out.loc[several & ~reliable, "reason"].astype(str)
                                              + "; the coders did not agree on this frame (α between coders "
                                              + note[several & ~reliable] + " < .667), so the reference is unreliable")
    out.loc[~several & out["validated"], "reason"] = (out.loc[~several & out["validated"], "reason"].astype(str)
                                                      + "; one coder: the reference's reliability is unknown")
    out["coder_alpha"] = coder_alpha.where(several)
    return out


# ------------------------------------------------------------------ 5. corrected prevalence


def corrected_prevalence(result: dict, gold: pd.DataFrame, units, articles, *, n_resamples: int,
                         seed: int) -> pd.DataFrame:
    """Corrected and raw prevalence of every frame: overall, by outlet, by date, per article."""
    final = result["final"]
    if gold.empty:
        return pd.DataFrame(columns=["by", "group", "frame", "method", "n_units", "n_articles", "n_coded", "raw",
                                     "raw_lo", "raw_hi", "sensitivity", "specificity", "corrected", "lo", "hi"])
    parts = []
    for row in result["methods"].itertuples():
        pred = result["oof"][row.method][row.frame].dropna()
        parts.append(pd.DataFrame({"unit_id": pred.index, "frame": row.frame, "pred": pred.astype(int).to_numpy(),
                                   "truth": gold.loc[pred.index, row.frame].to_numpy()}))
    validation = pd.concat(parts, ignore_index=True).merge(units[["unit_id", "article_id"]], on="unit_id")
    meta = articles.set_index("article_id")
    art = units.set_index("unit_id")["article_id"]
    groupings = {"all": None, "outlet": art.map(meta["outlet"]).fillna("").replace("", "(no outlet)"),
                 "date": art.map(meta["date"]).fillna("").replace("", "(no date)"), "article": art}
    # The final codes are sparse (a unit and frame without a row is 0): each frame's code of every unit is
    # rebuilt, one frame at a time, in the units' order.
    universe = units.drop_duplicates("unit_id")[["unit_id", "article_id"]].reset_index(drop=True)
    yes = final[final["code"] == 1]
    per_frame = {frame: (universe.assign(frame=frame, code=universe["unit_id"].isin(
                     yes.loc[yes["frame"] == frame, "unit_id"]).astype("int64")), vf)
                 for frame, vf in validation.groupby("frame", sort=False)}
    tables = [prevalence_table(machine, vf, by=by, n_resamples=n_resamples, seed=seed).assign(by=name)
              for name, by in groupings.items() for machine, vf in per_frame.values()]
    out = pd.concat(tables, ignore_index=True)
    out["method"] = out["frame"].map(result["methods"].set_index("frame")["method"])
    return out[["by", "group", "frame", "method", "n_units", "n_articles", "n_coded", "raw", "raw_lo", "raw_hi", "sensitivity",
                "specificity", "corrected", "lo", "hi"]]


def gold_by_unit_type(gold: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The coding set's share of each frame in headline + lead units and in body units, with n.

    ``gold`` is one row per coded unit and one column per frame (adjudicated 0/1). Returns ``frame``,
    ``group`` (``headline+lead`` or ``body``, as the frames stage groups them), ``n_units``, ``share``.

    >>> g = pd.DataFrame({"f": [1, 0, 1]}, index=["a", "b", "c"])
    >>> u = pd.DataFrame({"unit_id": ["a", "b", "c"], "unit_type": ["headline", "body", "body"]})
    >>> gold_by_unit_type(g, u).values.tolist()
    [['f', 'body', 2, 0.5], ['f', 'headline+lead', 1, 1.0]]
    """
    from ..frames import BODY_GROUP, OPENING_GROUP, OPENING_TYPES

    cols = ["frame", "group", "n_units", "share"]
    if gold.empty or "unit_type" not in units:
        return pd.DataFrame(columns=cols)
    types = gold.index.to_series().map(units.set_index("unit_id")["unit_type"]).fillna("body")
    group = types.map(lambda t: OPENING_GROUP if t in OPENING_TYPES else BODY_GROUP if t == "body" else "")
    long = gold.assign(group=group.to_numpy()).melt(id_vars="group", var_name="frame", value_name="value").dropna()
    long = long[long["group"] != ""]
    out = long.groupby(["frame", "group"])["value"].agg(n_units="size", share="mean").reset_index()
    return out[cols]


# ------------------------------------------------------------------ the stage


def _reliability(coding: CodingSet, units, codebook, params) -> pd.DataFrame:
    items = coding_items(codebook)[["item", "kind", "frame"]]
    rel = reliability_table(coding.coders, units.set_index("unit_id")["article_id"], n_resamples=params.n_bootstrap,
                            seed=params.seed)
    return items.merge(rel, on="item", how="inner")


def _summary(coding: CodingSet, rel: pd.DataFrame, val: pd.DataFrame, coded: dict, gold: pd.DataFrame) -> pd.DataFrame:
    """The one-row summary the report pages read: the coding, its reliability, the validated frames."""
    base = summarize(coding.coders, rel if len(rel) else pd.DataFrame(columns=["kind"]), val, coding.info, coding.name)
    base = base.assign(gold_source=coding.gold_source, n_gold_units=len(gold),
                       n_frames_validated=int(coded["methods"]["validated"].sum()),
                       n_rows_dropped=int(sum(coding.dropped.values())), embeddings=bool(coded["embeddings"]))
    return base[[c for c, _ in registry.artifact("validation_summary").columns]]


def _write(paths: RunPaths, result: ValidationResult) -> None:
    tables = {"coding_sample": result.sample, "reliability": result.reliability, "coder_scores": result.scores,
              "learning_curve": result.curve, "frame_methods": result.methods, "frame_codes_final": result.final,
              "prevalence_corrected": result.corrected, "validation_summary": result.summary,
              "coder_codes": result.coding.coders, "gold_unit_type": result.gold_unit_type}
    if not result.coding.gold.empty:
        gold = result.coding.gold.rename_axis("unit_id").reset_index().melt(id_vars="unit_id", var_name="item",
                                                                             value_name="value").dropna()
        tables["gold_codes"] = gold.astype({"value": "int64"}).assign(source=result.coding.gold_source)
    for key in ("validity", "confusion", "disagreements"):
        tables[key] = getattr(result, key)
    for key, df in tables.items():
        # A table the stage found nothing for is written empty, with its columns: readers need not guess.
        df = registry.empty(key) if df.empty else df.reset_index(drop=True)
        result.tables[key] = registry.write(paths, key, df)


def validate(paths: RunPaths, params: ValidationParams | None = None) -> ValidationResult:
    """Run the validation stage on a run folder and write every table and file of it.

    Examples
    --------
    >>> result = validate(registry.run_paths("ru-alliances-id"))  # doctest: +SKIP
    >>> result.methods[["frame", "method", "validated"]]  # doctest: +SKIP
    """
    params = params or ValidationParams()
    # The units' text is coded, matched and sampled; of the articles only their metadata is needed.
    units, articles = registry.read(paths, "units"), registry.read_without(paths, "articles", "text")
    codebook = load_codebook(params.codebook_file or None, params.codebook_extra or None)
    language = choose_language(params.language, articles, codebook)
    frames_units = registry.read(paths, "frames_units", ["unit_id", "frame", "present"])
    questions = registry.read(paths, "frame_codes_units", ["unit_id", "question", "present"])
    ids = units["unit_id"].tolist()
    indicator_frames = _pivot(frames_units, "frame", ids, codebook.frame_ids())
    # One byte per unit and question: at a million units the 0/1 answers are the largest array here.
    indicator_questions = _pivot(questions, "question", ids, coding_items(codebook).query("kind == 'question'")["item"].tolist(),
                                 dtype=np.int8)
    sample, rule = draw(paths, params, units, articles, codebook, language, frames_units)
    coding = load_coding_set(resolve_coding_set(params.coding_set, params.corpus), codebook, units)
    gold = gold_frames(coding, codebook.frame_ids(), units)
    coded = (machine_coders(paths, params, units, codebook, gold, indicator_frames, indicator_questions)
             if len(gold) else unvalidated(units, codebook, indicator_frames))
    rel = _reliability(coding, units, codebook, params) if not coding.coders.empty else pd.DataFrame()
    coded["methods"] = require_reliable_reference(coded["methods"], rel)
    corrected = corrected_prevalence(coded, gold, units, articles, n_resamples=params.n_bootstrap, seed=params.seed)
    machine = read_machine_codes(paths, coding.coders["unit_id"].unique(), codebook) if not coding.coders.empty else pd.DataFrame(
        columns=["coder", "unit_id", "item", "value", "evidence"])
    val = validity(machine, coding.coders, codebook)
    result = ValidationResult(
        params=params, codebook=codebook, language=language, coding=coding, sample=sample, sample_rule=rule,
        reliability=rel, scores=coded["scores"], curve=coded["curve"], methods=coded["methods"], final=coded["final"],
        corrected=corrected, validity=val, confusion=confusion_table(machine, coding.coders, codebook),
        disagreements=disagreements(machine, coding.coders, units, kind="frame", codebook=codebook),
        summary=_summary(coding, rel, val, coded, gold),
        embeddings_used=coded["embeddings"], gold_unit_type=gold_by_unit_type(gold, units), n_units=len(units))
    _write(paths, result)
    return result
