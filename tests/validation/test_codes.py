"""Tests for analysis.validation: coding sheets, reliability, validity."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import outputs, plots, validation
from analysis.errors import AnalysisError

CODEBOOK_YAML = """\
# test codebook
name: "Test frames"
version: "0.1"
frames:
  - id: conflict
    name: "Conflict"
    kind: generic
    definition: "Disagreement between parties."
    source: semetko2000
    questions:
      - id: conflict_q1
        text: {en: "Does the story reflect disagreement?", id: "Apakah berita mencerminkan perselisihan?"}
        indicators: {id: ["konflik"], en: ["conflict"]}
  - id: economic
    name: "Economic consequences"
    kind: generic
    definition: "Costs and gains."
    source: semetko2000
    questions:
      - id: economic_q1
        text: {en: "Is there a mention of costs?", id: "Apakah ada penyebutan biaya?"}
        indicators: {id: ["biaya"], en: ["cost"]}
"""
ITEMS = ["conflict_q1", "economic_q1", "conflict", "economic"]
NAN = np.nan


@pytest.fixture
def codebook(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text(CODEBOOK_YAML, encoding="utf-8")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def corpus():
    """Three outlets of unequal size: 6, 3 and 1 units."""
    sizes = {"a1": ("Outlet A", 6), "b1": ("Outlet B", 3), "c1": ("Outlet C", 1)}
    units, articles = [], []
    for article, (outlet, k) in sizes.items():
        articles.append({"article_id": article, "outlet": outlet, "duplicate_of": ""})
        for i in range(k):
            units.append({"unit_id": f"{article}-p{i:03d}", "article_id": article,
                          "text": f"<b>Paragraf</b> {i} dari {outlet} tentang konflik dan biaya."})
    return pd.DataFrame(units), pd.DataFrame(articles)


def _write_sheet(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


HEADER = ["unit_id", "article_id", "outlet", "text", "coder"] + ITEMS


def _row(unit, coder, values):
    return [unit, unit.split("-")[0], "X", "text", coder] + [str(v) for v in values]


# ------------------------------------------------------------------ reliability


def test_alpha_matches_krippendorff_2011_worked_example():
    # Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    # Departmental Papers (ASC), University of Pennsylvania, section C:
    # nominal data, 4 observers, 12 units, missing values; alpha = 0.743.
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
            [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN]]
    assert validation.nominal_alpha(data) == pytest.approx(0.743, abs=5e-4)


def test_alpha_matches_krippendorff_package_docs_example():
    # The nominal example in the docstring of krippendorff.alpha (v0.9.0): 0.691358.
    data = [[NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
            [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
            [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4]]
    assert validation.nominal_alpha(data) == pytest.approx(0.691358, abs=1e-6)


def test_perfect_agreement_gives_alpha_one():
    rng = np.random.default_rng(1)
    values = rng.integers(0, 2, size=40)
    codes = pd.DataFrame({"coder": ["a"] * 40 + ["b"] * 40, "unit_id": [f"u{i}" for i in range(40)] * 2,
                          "item": "conflict", "value": np.concatenate([values, values])})
    rel = validation.reliability(codes)
    assert rel.loc[0, "alpha"] == pytest.approx(1.0)
    assert rel.loc[0, "percent_agreement"] == pytest.approx(1.0)
    assert rel.loc[0, "verdict"] == "reliable"
    assert rel.loc[0, "n_units"] == 40


def test_chance_agreement_gives_alpha_near_zero():
    rng = np.random.default_rng(20240619)
    n = 2000
    codes = pd.DataFrame({"coder": ["a"] * n + ["b"] * n, "unit_id": [f"u{i}" for i in range(n)] * 2,
                          "item": "conflict", "value": rng.integers(0, 2, size=2 * n)})
    rel = validation.reliability(codes)
    assert abs(rel.loc[0, "alpha"]) < 0.05
    assert rel.loc[0, "percent_agreement"] == pytest.approx(0.5, abs=0.05)
    assert rel.loc[0, "verdict"] == "unreliable"


def test_alpha_undefined_without_variation_is_nan_not_a_number():
    codes = pd.DataFrame({"coder": ["a", "a", "b", "b"], "unit_id": ["u1", "u2"] * 2, "item": "x", "value": 0})
    rel = validation.reliability(codes)
    assert np.isnan(rel.loc[0, "alpha"])
    assert rel.loc[0, "percent_agreement"] == 1.0
    assert rel.loc[0, "verdict"] == "undefined"


def test_percent_agreement_pools_coder_pairs():
    # Unit u1: a=1, b=1, c=0 -> 1 of 3 pairs agree; u2: all 0 -> 3 of 3.
    codes = pd.DataFrame({"coder": ["a", "b", "c", "a", "b", "c"], "unit_id": ["u1"] * 3 + ["u2"] * 3,
                          "item": "x", "value": [1, 1, 0, 0, 0, 0]})
    assert validation.reliability(codes).loc[0, "percent_agreement"] == pytest.approx(4 / 6)


def test_reliability_needs_two_coders():
    codes = pd.DataFrame({"coder": "a", "unit_id": ["u1", "u2"], "item": "x", "value": [0, 1]})
    assert validation.reliability(codes).empty


def test_human_majority_tie_rule():
    codes = pd.DataFrame({"coder": ["a", "b", "a", "b", "c"], "unit_id": ["u1", "u1", "u2", "u2", "u2"],
                          "item": "x", "value": [1, 0, 1, 0, 0]})
    maj = validation.human_majority(codes).set_index("unit_id")
    assert bool(maj.loc["u1", "tie"]) and np.isnan(maj.loc["u1", "value"])
    assert not maj.loc["u2", "tie"] and maj.loc["u2", "value"] == 0


# -------------------------------------------------------------------- export


@pytest.fixture
def good_rows():
    return [_row("a1-p000", "ann", [1, 0, 1, 0]), _row("a1-p001", "ann", [0, 0, 0, 0])]


VALID = ["a1-p000", "a1-p001", "b1-p000"]


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda h, r: (h, r + [_row("zz-p009", "ann", [1, 1, 1, 1])]), r"bad\.csv, row 4: column unit_id: unknown unit id 'zz-p009'"),
        (lambda h, r: (h, [r[0], _row("a1-p001", "ann", [0, 2, 0, 0])]), r"bad\.csv, row 3: column economic_q1: value '2' is not allowed"),
        (lambda h, r: (h, [r[0], _row("a1-p001", "ann", ["yes", 0, 0, 0])]), r"row 3: column conflict_q1: value 'yes'"),
        (lambda h, r: (h, [r[0], _row("a1-p001", " ", [0, 0, 0, 0])]), r"bad\.csv, row 3: column coder: missing coder name"),
        (lambda h, r: (h, [r[0], _row("", "ann", [0, 0, 0, 0])]), r"bad\.csv, row 3: column unit_id is empty"),
        (lambda h, r: (h, r + [_row("a1-p000", "ann", [1, 0, 1, 0])]), r"bad\.csv, row 4: duplicate row, coder 'ann' already coded unit 'a1-p000'"),
        (lambda h, r: (h[:-1], [row[:-1] for row in r]), r"bad\.csv, row 1: coding sheet lacks column\(s\) economic"),
        (lambda h, r: ([c for c in h if c != "coder"], [row[:4] + row[5:] for row in r]), r"row 1: coding sheet lacks column\(s\) coder"),
        (lambda h, r: (h + ["coder"], [row + ["x"] for row in r]), r"bad\.csv, row 1: column 'coder' appears twice"),
        (lambda h, r: (h, [r[0], r[1] + ["extra"]]), r"bad\.csv, row 3: has 10 fields where the header has 9"),
    ],
)
def test_malformed_sheets_name_file_row_and_column(tmp_path, codebook, good_rows, mutate, message):
    header, rows = mutate(list(HEADER), [list(r) for r in good_rows])
    path = _write_sheet(tmp_path / "bad.csv", header, rows)
    with pytest.raises(AnalysisError, match=message):
        validation.read_coding_sheets([path], codebook, VALID)


def test_duplicate_across_sheets_is_reported(tmp_path, codebook, good_rows):
    first = _write_sheet(tmp_path / "one.csv", HEADER, good_rows)
    second = _write_sheet(tmp_path / "two.csv", HEADER, good_rows[:1])
    with pytest.raises(AnalysisError, match=r"two\.csv, row 2: duplicate row.*one\.csv row 2"):
        validation.read_coding_sheets([first, second], codebook, VALID)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "coding sheet is empty"),
        (b"\n  \n", "coding sheet is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "coding sheet is a binary file"),
        ("unit_id,coder\nä,ann\n".encode("latin-1"), "coding sheet is not UTF-8 text"),
        (b'unit_id,coder,conflict_q1,economic_q1,conflict,economic\n"a1-p000,ann,1,0,1,0\n', "has 1 field where the header has 6"),
    ],
)
def test_unreadable_sheets_raise_analysis_error(tmp_path, codebook, content, message):
    path = tmp_path / "sheet.csv"
    path.write_bytes(content)
    with pytest.raises(AnalysisError, match=rf"sheet\.csv(, row \d+)?: .*{message}"):
        validation.read_coding_sheets([path], codebook, VALID)


def test_excel_style_values_and_bom_are_accepted(tmp_path, codebook):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeff".encode() + b"unit_id,coder,conflict_q1,economic_q1,conflict,economic\r\n"
                     b"a1-p000,ann,1.0,0.0,,1\r\n")
    codes = validation.read_coding_sheets([path], codebook, VALID)
    assert codes.set_index("item")["value"].to_dict() == {"conflict_q1": 1, "economic": 1, "economic_q1": 0}


def test_find_coding_sheets_checks_the_parameter():
    assert validation.find_coding_sheets("") == []
    with pytest.raises(AnalysisError, match="coding_set"):
        validation.find_coding_sheets("../etc")
    with pytest.raises(AnalysisError, match="coding_set 'no-such-set'"):
        validation.find_coding_sheets("no-such-set")


# ------------------------------------------------------------------ validity


@pytest.fixture
def run_tables(tmp_path):
    """A tiny frames-stage output (internal Parquet): 4 units, machine codes for one question and one frame."""
    from analysis import registry
    from analysis.registry import RunPaths

    paths = RunPaths(tmp_path / "run").create()
    units = ["a1-p000", "a1-p001", "a1-p002", "a1-p003"]
    machine_conflict = [1, 1, 0, 0]
    registry.write(paths, "frame_codes_units", pd.DataFrame({
        "unit_id": units, "article_id": "a1", "frame": "conflict", "question": "conflict_q1",
        "present": machine_conflict, "evidence": ["konflik", "perang", "", ""]}))
    registry.write(paths, "frames_units", pd.DataFrame({
        "unit_id": units, "article_id": "a1", "frame": "conflict", "score": [1.0, 1.0, 0.0, 0.0],
        "present": machine_conflict, "evidence": ["konflik", "perang", "", ""]}))
    return paths


def test_validity_against_human_majority(run_tables):
    machine = validation.read_machine_codes(run_tables)
    assert set(machine["item"]) == {"conflict", "conflict_q1"} and set(machine["coder"]) == {"machine"}
    # Machine 1, 1, 0, 0 against human majorities 1, 0, 1 and a 1-1 tie on a1-p003,
    # which the tie rule leaves out: tp 1, fp 1, fn 1, tn 0.
    codes = pd.DataFrame({
        "coder": ["a", "b", "c"] * 3 + ["a", "b"],
        "unit_id": ["a1-p000"] * 3 + ["a1-p001"] * 3 + ["a1-p002"] * 3 + ["a1-p003"] * 2,
        "item": "conflict",
        "value": [1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0],
    })
    val = validation.validity(machine, codes).set_index("item")
    row = val.loc["conflict"]
    assert (row["tp"], row["fp"], row["fn"], row["tn"]) == (1, 1, 1, 0)
    assert row["n_units"] == 3 and row["n_ties"] == 1
    assert row["precision"] == pytest.approx(0.5) and row["recall"] == pytest.approx(0.5)
    assert row["f1"] == pytest.approx(0.5)
    confusion = validation.confusion_table(machine, codes)
    assert confusion["n"].sum() == 3 and len(confusion) == 4
    units = pd.DataFrame({"unit_id": ["a1-p001", "a1-p002"], "text": ["<i>perang</i> dagang", "damai"]})
    dis = validation.disagreements(machine, codes, units)
    assert dis["unit_id"].tolist() == ["a1-p001", "a1-p002"]
    assert dis.loc[0, "snippet"] == "<i>perang</i> dagang"  # plain text; html_table escapes on display
    assert "&lt;i&gt;perang" in outputs.html_table(dis) and "<i>" not in outputs.html_table(dis)
    assert dis.loc[0, "evidence"] == "perang" and dis.loc[0, "machine"] == 1 and dis.loc[0, "coders"] == 0


def test_perfect_machine_has_f1_and_alpha_one(run_tables):
    machine = validation.read_machine_codes(run_tables)
    codes = machine.drop(columns="evidence").assign(coder="a")
    val = validation.validity(machine, codes)
    assert (val["f1"] == 1.0).all() and (val["alpha"] == 1.0).all()
    assert validation.disagreements(machine, codes, pd.DataFrame({"unit_id": [], "text": []})).empty


def test_missing_machine_codes_name_the_file_and_the_notebook(tmp_path):
    from analysis.registry import RunPaths

    with pytest.raises(AnalysisError, match="frame_codes_units.parquet: missing: run notebook 03-analyse-frames first"):
        validation.read_machine_codes(RunPaths(tmp_path))


def test_machine_codes_are_read_from_parquet_not_the_published_csv(run_tables):
    for csv in run_tables.tables.glob("*.csv"):
        csv.write_text("garbage\n", encoding="utf-8")
    machine = validation.read_machine_codes(run_tables)
    assert machine["value"].tolist() == [1, 1, 0, 0] * 2 and machine["evidence"].tolist()[:2] == ["konflik", "perang"]


def test_summary_shows_no_numbers_without_coding():
    empty = pd.DataFrame(columns=["coder", "unit_id", "item", "value"])
    summary = validation.summarize(empty, pd.DataFrame(), pd.DataFrame(), {}, "")
    row = summary.iloc[0]
    assert (row["status"], row["coding_set"]) == ("none", "")
    assert row.drop(["status", "coding_set"]).isna().all()  # no numbers at all, not zeros
    from analysis import registry

    assert summary.columns.tolist() == [c for c, _ in registry.artifact("validation_summary").columns]
    assert validation.describe_validation(summary).startswith("No human coding exists yet")


# ------------------------------------------------------------------ plots


def test_plots_draw_one_row_per_item():
    rel = pd.DataFrame({"item": ["a", "b"], "alpha": [0.9, np.nan], "percent_agreement": [0.95, 1.0]})
    ax = plots.plot_reliability(rel)
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == ["a", "b"]
    assert any("undefined" in t.get_text() for t in ax.texts)
    val = pd.DataFrame({"item": ["a", "b"], "precision": [1.0, np.nan], "recall": [0.5, 0.0], "f1": [0.67, np.nan]})
    ax = plots.plot_validity(val)
    assert len(ax.get_yticks()) == 2 and len(ax.collections) == 3


# ------------------------------------------- shipped example and notebook


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """The seed corpus built by the corpus stage and coded by the frames stage, in a temp runs root."""
    corpus = pytest.importorskip("analysis.corpus")
    from analysis import frames, registry
    from analysis.paths import resolve_corpus
    from analysis.registry import RunPaths

    root = tmp_path_factory.mktemp("runs")
    paths = RunPaths(root / "ru-alliances-id").create()
    corpus.build_corpus(resolve_corpus("ru-alliances-id"), paths)
    units = registry.read(paths, "units")
    codebook = frames.load_codebook()
    codes = frames.code_units(units, codebook, "id")
    registry.write(paths, "frame_codes_units", codes)
    registry.write(paths, "frames_units", frames.score_units(codes))
    return root, paths, units, codebook


def test_without_coding_the_page_explains_and_shows_no_numbers():
    coding = validation.load_coding_set("", {"frames": [{"id": "c"}]}, pd.DataFrame(columns=["unit_id", "text"]))
    text = validation.describe_coding(coding.coders, coding.info, "")
    assert text.startswith("**No human coding exists yet") and "coding_set" in text
    assert re.search(r"\d\.\d|\d%|α\s*=", text) is None  # no figures at all


def test_resolve_coding_set_auto_uses_the_corpus_set_only_when_it_exists():
    assert validation.resolve_coding_set("auto", "ru-alliances-id") == "ru-alliances-id"
    assert validation.resolve_coding_set("auto", "/some/path/news.csv") == ""
    assert validation.resolve_coding_set("auto", "unknown-corpus") == ""
    assert validation.resolve_coding_set("", "ru-alliances-id") == ""
    assert validation.resolve_coding_set("other", "ru-alliances-id") == "other"


# ------------------------------------------------------------------ the stage


def test_validate_names_the_missing_corpus_table(tmp_path):
    from analysis.registry import RunPaths

    paths = RunPaths(tmp_path / "run").create()
    with pytest.raises(AnalysisError) as err:
        validation.validate(paths)
    assert str(err.value) == f"{paths.units}: missing: run notebook 01-build-corpus first"


def test_describe_validation_is_the_sentence_findings_states():
    row = {"status": "human", "n_units": 40, "n_coders": 2, "n_frames": 5, "n_frames_alpha": 5,
           "mean_alpha_frames": 0.812, "macro_f1_frames": 0.7, "produced_by": np.nan}
    assert validation.describe_validation(row, unit="paragraph", where=" (Validation page)") == (
        "Validation rests on human coding (40 paragraphs coded by 2 coders): mean Krippendorff's α 0.81 across "
        "5 frames, macro F1 of the automated frame codes 0.70 (Validation page).")
    assert validation.alpha_scope({"n_frames": np.nan, "n_frames_alpha": 1}) == " across frames"


def test_summary_says_who_coded_and_over_how_many_frames_alpha_is_defined():
    codes = pd.DataFrame({"coder": ["a", "b", "a", "b"], "unit_id": ["u1", "u1", "u2", "u2"],
                          "item": ["conflict"] * 4, "value": [1, 1, 0, 0]})
    rel = pd.DataFrame({"item": ["conflict", "morality", "economic"], "kind": ["frame"] * 3,
                        "alpha": [0.8, np.nan, 0.6], "percent_agreement": [1.0, 1.0, 0.9]})
    val = pd.DataFrame({"item": ["conflict"], "kind": ["frame"], "f1": [0.5], "alpha": [0.4]})
    row = validation.summarize(codes, rel, val, {"example": True, "produced_by": "by an AI\n  assistant"}, "demo").iloc[0]
    assert row["status"] == "example" and row["produced_by"] == "by an AI assistant"
    assert (row["n_frames"], row["n_frames_alpha"]) == (3, 2)
    assert row["mean_alpha_frames"] == pytest.approx(0.7) and row["min_alpha_frames"] == pytest.approx(0.6)


def test_shipped_example_is_two_passes_and_an_adjudication(seed_run):
    _, paths, units, codebook = seed_run
    coding = validation.load_coding_set("ru-alliances-id", codebook, units)
    assert coding.info["example"] is True and "no human coded it" in coding.info["produced_by"]
    assert set(coding.coders["coder"]) == {"ai_pass_1", "ai_pass_2"} and coding.gold_source == "adjudicated"
    assert len(coding.gold) == len(units)  # every unit of the seed corpus is coded, headlines included
    assert coding.dropped == {}  # the set matches the typed units: no coded row is left out
    headlines = units.loc[units["unit_type"] == "headline", "unit_id"]
    assert len(headlines) == 3 and set(headlines) <= set(coding.gold.index)


def test_validate_on_the_shipped_example_writes_every_table(seed_run):
    from analysis import registry

    _, paths, units, codebook = seed_run
    result = validation.validate(paths, validation.ValidationParams(corpus="ru-alliances-id", n_bootstrap=100,
                                                                    embeddings="off"))
    tables = {a.key for a in registry.ARTIFACTS if a.stage == "validation" and a.is_table}
    assert set(result.tables) == tables
    assert set(result.scores["method"]) == {"indicators", "tfidf", "combined"}
    # Out-of-sample: every coded unit was predicted by a model that never saw its article.
    final = result.final.set_index(["unit_id", "frame"])
    assert final["out_of_fold"].all() and len(final) == len(units) * len(codebook.frames)
    # Validated needs both: the machine against the adjudicated codes and the coders among themselves.
    both = (result.methods["alpha"] >= 0.667) & (result.methods["coder_alpha"] >= 0.667)
    assert (result.methods["validated"] == both).all()
    overall = result.corrected[result.corrected["by"] == "all"]
    assert len(overall) == len(codebook.frames) and set(result.corrected["by"]) == {"all", "outlet", "date", "article"}
    ok = overall.dropna(subset=["lo"])
    assert ((ok["lo"] <= ok["corrected"]) & (ok["corrected"] <= ok["hi"])).all()
    for coder in ("coder_1", "coder_2"):
        assert (paths.file("coding_sheets") / f"{coder}.xlsx").is_file()
    assert paths.file("coder_guide").read_text(encoding="utf-8").startswith("# Coder guide")
    assert result.summary["n_frames_validated"].item() == int(result.methods["validated"].sum())


def test_validate_without_coding_validates_nothing_and_claims_no_prevalence(seed_run, tmp_path):
    from analysis import registry
    from analysis.registry import RunPaths
    from analysis.validation import sentences

    _, paths, units, codebook = seed_run
    fresh = RunPaths(tmp_path / "fresh").create()
    for key in ("units", "articles", "frames_units", "frame_codes_units"):
        registry.write(fresh, key, registry.read(paths, key))
    result = validation.validate(fresh, validation.ValidationParams(coding_set="", n_bootstrap=50))
    assert not result.methods["validated"].any() and result.corrected.empty and result.scores.empty
    assert (result.final["method"] == "indicators").all()
    assert result.summary["status"].item() == "none"
    text = sentences.lead_prevalence(result.corrected, result.methods, {f.id: f.name for f in codebook.frames})
    assert text.startswith("**The frames of this run are not validated**")


def test_display_tables_keep_intervals_and_names():
    from analysis.validation import display

    scores = pd.DataFrame({"frame": ["conflict"], "method": ["tfidf"], "n": [10], "tp": [3], "fp": [1], "fn": [2],
                           "tn": [4], "alpha": [0.5], "alpha_lo": [0.2], "alpha_hi": [0.7], "f1": [0.6],
                           "f1_lo": [np.nan], "f1_hi": [np.nan], "precision": [0.75], "precision_lo": [0.5],
                           "precision_hi": [1.0], "recall": [0.6], "recall_lo": [0.3], "recall_hi": [0.9],
                           "verdict": ["unreliable"]})
    shown = display.scores_for_display(scores, {"conflict": "Conflict"})
    assert shown.loc[0, "frame"] == "Conflict" and shown.loc[0, "α machine vs adjudicated codes [95%]"] == "0.50 [0.20, 0.70]"
    assert shown.loc[0, "F1 [95%]"] == "0.60" and shown.loc[0, "yes (coders)"] == 5


def test_validate_reads_sparse_frame_codes_as_it_read_dense_ones(seed_run, tmp_path):
    """The frames stage keeps only yes codes and scores above 0: every validation table is what dense codes give."""
    from analysis import registry
    from analysis.registry import RunPaths

    _, paths, units, codebook = seed_run
    written = {}
    for name, keep in (("dense", lambda key, df: df),
                       ("sparse", lambda key, df: df[df["present"] == 1] if key == "frame_codes_units"
                        else df[df["score"] > 0] if key == "frames_units" else df)):
        run = RunPaths(tmp_path / name).create()
        for key in ("units", "articles", "frames_units", "frame_codes_units"):
            registry.write(run, key, keep(key, registry.read(paths, key)))
        validation.validate(run, validation.ValidationParams(corpus="ru-alliances-id", n_bootstrap=30,
                                                             embeddings="off"))
        written[name] = {a.key: run.file(a.key).read_bytes() for a in registry.ARTIFACTS
                         if a.stage == "validation" and a.is_table}
    assert len(registry.read(RunPaths(tmp_path / "sparse"), "frames_units")) < len(units) * len(codebook.frames)
    assert written["sparse"] == written["dense"]
