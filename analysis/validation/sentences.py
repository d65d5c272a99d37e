"""The sentences the Validation page and Findings print about the measurement, each computed once.

Rules kept here:

* A frame leads a sentence only when it is validated (the coders' own α
  on it and its final coder's out-of-sample α against their adjudicated
  codes both reach .667); the others are named as not validated.
* Every α is labelled: "machine vs adjudicated codes" or "between coders".
* Who coded is said wherever a coding set's numbers are: "human coders"
  only when the set's README says people coded it.
* Every share is given with its interval and the number of units and
  articles it rests on.
"""

from __future__ import annotations

import math

import pandas as pd

from ..outputs import count_noun, escape_markdown


def _pct(x) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.0f}%"


def _name(names: dict, frame: str) -> str:
    return names.get(frame, str(frame).replace("_", " "))


def who_coded(info: dict, coding_name: str) -> str:
    """"human coders" or the honest label of a set no human produced (from its README's front matter).

    >>> who_coded({"example": True, "produced_by": "an AI assistant"}, "x")
    'an example coding set (an AI assistant), not human coders'
    >>> who_coded({}, "study")
    'human coders (coding set `study`)'
    """
    if info.get("example"):
        return f"an example coding set ({escape_markdown(info.get('produced_by', 'not produced by people'))}), not human coders"
    return f"human coders (coding set `{coding_name}`)"


def describe_design(rule: str, sample: pd.DataFrame, coders) -> str:
    """The coding sample's size rule, strata and overlap."""
    n_overlap = int(sample["overlap"].sum())
    strata = sample["stratum"].nunique()
    wanted = int(rule.split(" ")[0]) if rule.split(" ")[0].isdigit() else n_overlap
    capped = (f" The rule asks for {wanted} units but the corpus has only {n_overlap}, so its precision target "
              "cannot be met here." if wanted > n_overlap else "")
    return (f"The coding sample holds {count_noun(len(sample), 'unit')} from {count_noun(strata, 'stratum')} "
            f"(outlet × month, proportional allocation). Its reliability part, coded by every coder "
            f"({', '.join(escape_markdown(c) for c in coders)}), is {rule}.{capped} "
            "Each coder's sheet (XLSX with 0/1 drop-downs, and CSV) and the coder guide are in the run's "
            "internal `data/coding_sheets/` folder (full text, never published).").replace("stratums", "strata")


def _between(r) -> str:
    a = getattr(r, "coder_alpha", math.nan)
    return "" if a is None or (isinstance(a, float) and math.isnan(a)) else f"; α between coders {a:.2f}"


def describe_methods(methods: pd.DataFrame, names: dict) -> str:
    """Which frames are validated, by which coder and α, and which are not."""
    if methods.empty:
        return "No frame was scored."
    ok = methods[methods["validated"]]
    parts = [f"**{_name(names, r.frame)}** ({r.method}, α machine vs adjudicated codes {r.alpha:.2f}, 95% interval "
             f"{r.alpha_lo:.2f}–{r.alpha_hi:.2f}{_between(r)})" for r in ok.itertuples()]
    rest = methods[~methods["validated"]]
    not_ok = [f"{_name(names, r.frame)} ({'α undefined' if math.isnan(r.alpha) else f'best α machine vs adjudicated codes {r.alpha:.2f}'}"
              f"{_between(r)})" for r in rest.itertuples()]
    head = (f"{count_noun(len(ok), 'frame')} of {len(methods)} {'is' if len(ok) == 1 else 'are'} validated "
            f"(the coders agree on it, α between coders ≥ .667, and the best machine coder's out-of-sample α against "
            f"the adjudicated codes ≥ .667): " + "; ".join(parts) + "." if len(ok) else
            f"**No frame is validated**: on none of the {len(methods)} frames do both the coders agree (α between "
            "coders ≥ .667) and a machine coder reach α ≥ .667 against the adjudicated codes out of sample.")
    return head + (" Not validated, so never headlined: " + "; ".join(not_ok) + "." if not_ok else "")


def describe_curve(curve: pd.DataFrame, methods: pd.DataFrame, names: dict) -> str:
    """Whether coding more units would still help the supervised coders (a curve still rising at its end).

    A curve "still rises" when F1 gains at least 0.05 over its last step.
    """
    if curve.empty:
        return "No supervised coder was trained (no coding set)."
    rising = {}
    for (method, frame), g in curve.groupby(["method", "frame"], sort=False):
        g = g.dropna(subset=["f1"]).sort_values("share")
        if len(g) >= 2 and g["f1"].iloc[-1] - g["f1"].iloc[-2] >= 0.05:
            rising.setdefault(_name(names, frame), []).append(method)
    n = int(curve["n_train"].max())
    if not rising:
        return (f"Trained on up to about {count_noun(n, 'coded unit')}, every supervised coder's curve has levelled "
                "off: coding more units of this kind is unlikely to improve them much.")
    listed = "; ".join(f"{frame} ({', '.join(m)})" for frame, m in rising.items())
    return (f"Trained on up to about {count_noun(n, 'coded unit')}, the curves still rise at their end for "
            f"{listed}: coding more units would likely improve these coders.")


def _qualifier(r) -> str:
    notes = []
    if getattr(r, "in_sample", False):
        notes.append("validated in-sample only")
    if not math.isnan(r.alpha) and r.alpha < 0.8:
        notes.append("tentative")
    return f", {' and '.join(notes)}" if notes else ""


def lead_prevalence(corrected: pd.DataFrame, methods: pd.DataFrame, names: dict, *, unit: str = "unit",
                    n_articles: int | None = None, who: str = "", all_units_coded: bool = False) -> str:
    """The first finding: corrected prevalence of the validated frames, article-level intervals; else say so first.

    ``who`` names the coding set (:func:`who_coded`) and leads the sentence; ``all_units_coded`` says
    the validation sample is the whole corpus, where the correction returns the coders' own share.
    """
    overall = corrected[corrected["by"] == "all"] if len(corrected) else corrected
    validated = set(methods.loc[methods["validated"], "frame"]) if len(methods) else set()
    if overall.empty or not validated:
        why = ("no coding set exists for this corpus" if overall.empty else
               "on no frame do both the coders agree (α between coders ≥ .667) and the machine coder reach α ≥ .667 "
               "against the adjudicated codes on units it was not trained on")
        return (f"**The frames of this run are not validated**: {why}. Shares of {unit}s coded with a frame are "
                "shown on the Frames page as the machine's raw output, not as findings.")
    rows = overall[overall["frame"].isin(validated)].sort_values("corrected", ascending=False, kind="stable")
    rows = rows.merge(methods[["frame", "alpha"] + [c for c in ("in_sample", "coder_alpha") if c in methods]],
                      on="frame")
    arts = n_articles or int(rows["n_articles"].max())
    parts = [f"**{_name(names, r.frame)}** in {_pct(r.corrected)} of {unit}s (95% interval {_pct(r.lo)}–{_pct(r.hi)}; "
             f"raw machine share {_pct(r.raw)}; coded by {r.method}, α machine vs adjudicated codes {r.alpha:.2f}"
             f"{_between(r)}{_qualifier(r)})"
             for r in rows.itertuples()]
    head = (f"Measured against {who}, {count_noun(len(validated), 'frame')} of {len(methods)} "
            f"{'is' if len(validated) == 1 else 'are'} validated (the coders agree on "
            f"{'it' if len(validated) == 1 else 'each'} and the machine agrees with their adjudicated codes, both "
            "α ≥ .667); the others are not reported here. "
            if who else "")
    in_sample = "in_sample" in rows and rows["in_sample"].any()
    caveats = []
    if in_sample:
        caveats.append("The indicators were written with these articles in view, so their agreement here is "
                       "in-sample and optimistic: it is no evidence that they measure these frames elsewhere.")
    if all_units_coded:
        caveats.append(f"Every {unit} was coded, so the corrected share equals the coding set's own share; the "
                       "correction matters only where a sample was coded.")
    return (head + "Corrected for the machine coder's measured errors (Rogan–Gladen), with 95% intervals that "
            f"resample the {count_noun(arts, 'article')}: " + "; ".join(parts) + ". " + " ".join(caveats)).strip()
