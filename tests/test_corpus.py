"""Tests of analysis.corpus: readers, cleaning rules, metadata, encoding, segmentation, bad input.

Fixtures are built in tmp_path; the done-when checks also run on the real
seed files in data/raw/ru-alliances-id.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus, plots

from analysis.paths import DATA_RAW
from analysis.errors import AnalysisError

SEEDS = DATA_RAW / "ru-alliances-id"
BOILERPLATE = ("Baca Juga", "Baca juga", "Tonton Juga", "Foto/AP", "[Redaktur", "Pilihan Editor", "Berita Terkait",
               "Berita Terbaru", "You May Also Like", "More From Author", "Add yours", "Bagaimana reaksi Anda",
               "blogger menyukai", "Subscribe")
THAI = tuple(chr(c) for c in range(0x0E00, 0x0E80))

ARTICLE = (
    "Judul Berita Rusia dan Korea Utara\n"
    "TEMPO.CO, Jakarta - Rusia dan Korea Utara menandatangani pakta pertahanan baru, Rabu, 13 September 2023.\n"
    "Baca Juga:\n"
    "Putin Disambut Hangat Kim Jong Un di Pyongyang\n"
    "Para analis menilai kerja sama ini sebagai peringatan bagi Amerika Serikat dan sekutunya.\n"
    "Foto/AP\n"
    "Kerja sama militer kedua negara diperkirakan akan terus berkembang dalam beberapa tahun ke depan.\n"
    "Berita Terkait\n"
    "Judul lain yang tidak relevan sama sekali untuk analisis ini\n"
)


def write(folder: Path, name: str, content, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding)
    return path


@pytest.fixture(scope="module")
def rules():
    return corpus.load_rules("id")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    summary = corpus.build_corpus(SEEDS, out)
    return summary, summary.articles().set_index("article_id"), summary.units(), summary.cleaning_log()


# --------------------------------------------------------------------------- done-when on the seeds


def test_seed_units_hold_no_boilerplate_and_no_thai(seeds):
    _, _, units, _ = seeds
    assert len(units) > 20
    for text in units["text"]:
        assert not any(b in text for b in BOILERPLATE), text
        assert not any(ch in text for ch in THAI), text


def test_seed_003_mojibake_repaired_locally(seeds):
    _, articles, _, _ = seeds
    text = articles.loc["003_34c1b0c43c41e9a9", "text"]
    assert text.startswith("Jakarta, IDM –\u00a0Rusia")
    assert "‘Perjanjian Kemitraan Strategis Komprehensif’" in text  # correct curly quotes untouched
    assert not any(ch in articles["text"].str.cat() for ch in THAI)


def test_seed_metadata(seeds):
    summary, articles, _, _ = seeds
    expected_outlets = {"000": "WahanaNews.co", "001": "Priangan.com", "002": "", "003": "IDM", "004": "TEMPO.CO"}
    for prefix, outlet in expected_outlets.items():
        row = articles[articles.index.str.startswith(prefix)].iloc[0]
        assert row["outlet"] == outlet
    # 002 names no outlet in its text: empty and counted, never guessed.
    assert summary.missing["outlet"] == 1
    by = {i[:3]: r for i, r in articles.iterrows()}
    assert (by["000"]["date"], by["000"]["date_precision"]) == ("2024-06-23", "day")
    assert (by["001"]["date"], by["001"]["date_precision"]) == ("--06-19", "day-no-year")
    assert (by["004"]["date"], by["004"]["date_precision"]) == ("2023-09-13", "day")
    # 003's only date "(28/3)" sits in a removed widget about another article.
    assert by["003"]["date"] == ""
    assert by["001"]["title"] == "AS Dalam Ancaman Terbesar, Rusia Gerak Cepat Gabung Aliansi Baru"
    assert by["003"]["title"] == "Membaca Makna Keakraban Rusia-Korut"
    assert by["000"]["title"] == "" and by["004"]["title"] == ""
    assert by["001"]["place"] == "WASHINGTON" and by["002"]["place"] == "MOSKOW"


def test_seed_outputs_are_consistent(seeds):
    summary, articles, units, log = seeds
    assert list(units["article_id"]) == sorted(units["article_id"])
    for aid, group in units.groupby("article_id"):
        text = articles.loc[aid, "text"]
        assert list(group["position"]) == list(range(len(group)))
        for row in group.itertuples():
            assert text[row.start:row.end] == row.text
            assert row.unit_id == f"{aid}-p{row.position:03d}"
            assert len(row.text.split()) >= 5
        assert articles.loc[aid, "n_units"] == len(group)
    manifest = summary.manifest()
    assert manifest["files"][0]["sha256"] == corpus.corpus_sha256(SEEDS)["000_932b1eeb8b108611.txt"]
    assert set(log.columns) >= {"article_id", "rule", "line_no", "text"}
    assert (log["rule"] == "baca_juga").sum() >= 4


# --------------------------------------------------------------------------- rules, one by one


@pytest.mark.parametrize(
    "line, rule",
    [
        ("Baca juga: Tiba di Korea Utara, Putin Disambut Hangat", "baca_juga"),
        ("Tonton Juga :\u00a0 Keseriusan Nurhayati Tangani Stunting", "tonton_juga"),
        ("Foto/AP", "photo_credit"),
        ("Pilihan Editor KBRI Kairo Dituding Perintahkan Deportasi WNI", "pilihan_editor"),
        ("Vladimir Putin dan Kim Jong Un sepakat membangun pertahanan bersama | rt.com", "caption_with_source"),
        ("Estimated read time 4 min read", "read_time"),
        ("REUTERS", "agency_credit"),
        ("Daily News", "site_header"),
    ],
)
def test_each_line_rule_removes_and_logs(rules, line, rule):
    body = "TEMPO.CO, Jakarta - Rusia dan Korea Utara memperkuat kerja sama pertahanan."
    art = corpus.clean_article([body, line, "Kalimat penutup yang cukup panjang untuk dianalisis."], rules)
    assert line.strip() not in art.text
    assert [r["rule"] for r in art.removals] == [rule]
    assert art.removals[0]["line_no"] == 2


@pytest.mark.parametrize(
    "footer, rule",
    [("Berita Terkait", "berita_terkait"), ("Berita Terbaru", "berita_terkait"),
     ("You May Also Like", "you_may_also_like"), ("More From Author", "you_may_also_like"),
     ("Add yours", "comments_widget"), ("Bagaimana reaksi Anda tentang artikel ini?", "reaction_widget"),
     ("%d blogger menyukai ini:", "bloggers_like"), ("Subscribe hubungi bagian Sirkulasi", "subscription")],
)
def test_each_footer_rule_drops_the_rest(rules, footer, rule):
    lines = ["TEMPO.CO, Jakarta - Isi berita yang panjang tentang Rusia.", footer, "Widget teks lain", "Semarang, IDM – lain"]
    art = corpus.clean_article(lines, rules)
    assert art.text == lines[0]
    assert {r["rule"] for r in art.removals} == {rule}
    assert len({r["block"] for r in art.removals}) == 1  # one block, three lines


def test_block_rule_takes_the_headline_on_the_next_line(rules):
    art = corpus.clean_article(ARTICLE.splitlines(), rules)
    assert "Putin Disambut Hangat" not in art.text
    baca = [r for r in art.removals if r["rule"] == "baca_juga"]
    assert [r["line_no"] for r in baca] == [3, 4] and baca[0]["block"] == baca[1]["block"]


def test_inline_rules_cut_only_the_span(rules):
    art = corpus.clean_article(["TEMPO.CO, Jakarta - Isi berita panjang sekali. [Redaktur: Elsya TA]",
                                "Paragraf akhir berita ini ditutup inisial. (mth)"], rules)
    assert art.text == "TEMPO.CO, Jakarta - Isi berita panjang sekali.\nParagraf akhir berita ini ditutup inisial."
    assert [r["rule"] for r in art.removals] == ["editor_tag", "reporter_initials"]


def test_footer_before_any_text_only_drops_its_line(rules):
    art = corpus.clean_article(["Berita Terkait", "TEMPO.CO, Jakarta - Isi berita yang tetap ada."], rules)
    assert art.text == "TEMPO.CO, Jakarta - Isi berita yang tetap ada."


def test_extra_rules_extend_the_shipped_ones(tmp_path):
    extra = write(tmp_path, "extra.yaml", "rules:\n  - name: iklan\n    category: advert\n    action: line\n    pattern: '^ADVERTORIAL$'\n")
    rules = corpus.load_rules("id", extra)
    art = corpus.clean_article(["TEMPO.CO, Jakarta - Isi berita.", "ADVERTORIAL", "Baca juga: x"], rules)
    assert [r["rule"] for r in art.removals] == ["iklan", "baca_juga"]


@pytest.mark.parametrize("content, message", [
    ("rules: [\n", "malformed YAML"),
    ("rules:\n  - name: x\n    action: line\n    pattern: '('\n", "bad regular expression"),
    ("rules:\n  - name: x\n    action: explode\n    pattern: 'x'\n", "action"),
    ("rules:\n  - name: x\n", "lacks field"),
])
def test_bad_rules_file_names_the_file(tmp_path, content, message):
    extra = write(tmp_path, "bad.yaml", content)
    with pytest.raises(AnalysisError, match=message) as err:
        corpus.load_rules("id", extra)
    assert "bad.yaml" in str(err.value) and "\n" not in str(err.value)


def test_unsupported_language_asks_for_rules():
    with pytest.raises(AnalysisError, match="supply cleaning rules and dateline patterns"):
        corpus.load_rules("fr")


# --------------------------------------------------------------------------- metadata


@pytest.mark.parametrize("line, outlet, place", [
    ("WahanaNews.co, Jakarta - Rusia diduga", "WahanaNews.co", "Jakarta"),
    ("TEMPO.CO, Jakarta - Hubungan akrab", "TEMPO.CO", "Jakarta"),
    ("WASHINGTON | Priangan.com – Kemitraan", "Priangan.com", "WASHINGTON"),
    ("Jakarta, IDM –\u00a0Rusia dan Korea", "IDM", "Jakarta"),
    ("JAKARTA, KOMPAS.com - Presiden", "KOMPAS.com", "JAKARTA"),
    ("Jakarta (ANTARA) - Menteri", "ANTARA", "Jakarta"),
    ("MOSKOW – Presiden Rusia", "", "MOSKOW"),
    ("Rusia dan Korea Utara - dua negara", "", ""),
])
def test_datelines(rules, line, outlet, place):
    found = corpus.extract_dateline(line, rules)
    assert (found["outlet"], found["place"]) == (outlet, place)


@pytest.mark.parametrize("text, expected", [
    ("dilansir Minggu (23/6/2024).", ("2024-06-23", "day")),
    ("pada Rabu (19/6), Presiden", ("--06-19", "day-no-year")),
    ("bicara, Rabu, 13 September 2023.", ("2023-09-13", "day")),
    ("terbit 2024-01-05 pagi", ("2024-01-05", "day")),
    ("Jumat (31/2/2024) bukan tanggal", ("", "")),
    ("pada tahun 2022 dan 19/6", ("", "")),
])
def test_indonesian_dates(rules, text, expected):
    assert corpus.extract_date(text, rules) == expected


def test_english_dates_and_datelines():
    rules = corpus.load_rules("en")
    assert corpus.extract_date("said on June 23, 2024 in", rules) == ("2024-06-23", "day")
    assert corpus.extract_dateline("MOSCOW (Reuters) - Russia said", rules)["outlet"] == "Reuters"


def test_title_only_when_it_looks_like_one(rules):
    assert corpus.clean_article(["TEMPO.CO, Jakarta - Isi.", "Lanjut."], rules).title == ""
    assert corpus.clean_article(["Judul Tanpa Titik", "Isi berita pertama di sini."], rules).title == "Judul Tanpa Titik"
    assert corpus.clean_article(["Kalimat pertama berakhir titik.", "Isi."], rules).title == ""


def test_given_metadata_wins(tmp_path):
    src = write(tmp_path, "c.csv", "")
    pd.DataFrame({"id": ["x1"], "text": [ARTICLE], "outlet": ["Tempo"], "date": ["2023-09"]}).to_csv(src, index=False)
    summary = corpus.build_corpus(src, tmp_path / "out")
    row = summary.articles().iloc[0]
    assert (row["outlet"], row["date"], row["date_precision"]) == ("Tempo", "2023-09", "month")
    assert row["title"] == "Judul Berita Rusia dan Korea Utara"  # not given: extracted


# --------------------------------------------------------------------------- encoding


def test_mojibake_windows_874_and_ftfy():
    broken = "IDM –\u00a0Rusia".encode("utf-8").decode("cp874")
    assert any(ch in broken for ch in THAI)
    assert corpus.repair_mojibake(broken) == "IDM –\u00a0Rusia"
    assert corpus.repair_mojibake("Café – ‘kamerad’".encode("utf-8").decode("cp1252")) == "Café – ‘kamerad’"
    real_thai = "ภาษาไทย ข่าว"
    assert corpus.repair_mojibake(real_thai) == real_thai


def test_encodings_bom_and_legacy(tmp_path):
    src = tmp_path / "src"
    body = "TEMPO.CO, Jakarta - Café “naïve” Rusia dan Korea Utara bertemu di Moskow."
    write(src, "a.txt", b"\xef\xbb\xbf" + body.encode("utf-8"))
    write(src, "b.txt", body.replace("TEMPO", "KOMPAS"), encoding="cp1252")
    write(src, "c.txt", body.replace("“", '"').replace("”", '"').replace("TEMPO", "ANTARA"), encoding="latin-1")
    summary = corpus.build_corpus(src, tmp_path / "out")
    arts = summary.articles().set_index("article_id")
    assert arts.loc["a", "encoding"] == "utf-8-sig" and arts.loc["a", "text"] == body
    assert arts.loc["b", "encoding"] == "cp1252" and "Café “naïve”" in arts.loc["b", "text"]
    assert "Café \"naïve\"" in arts.loc["c", "text"]
    assert arts.loc["a", "outlet"] == "TEMPO.CO"  # the BOM does not hide the dateline


# --------------------------------------------------------------------------- readers


def test_readers_agree_and_ids(tmp_path):
    rows = [{"id": "k2", "text": ARTICLE}, {"id": "k1", "text": ARTICLE.replace("Korea", "Iran")}]
    csv = tmp_path / "c.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    jsonl = write(tmp_path, "c.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    parquet = tmp_path / "c.parquet"
    pd.DataFrame(rows).to_parquet(parquet)
    texts = []
    for src in (csv, jsonl, parquet):
        summary = corpus.build_corpus(src, tmp_path / src.suffix[1:])
        arts, units = summary.articles(), summary.units()
        assert list(arts["article_id"]) == ["k1", "k2"]  # sorted even when read out of order
        assert list(units["article_id"]) == sorted(units["article_id"])
        texts.append(arts["text"].tolist())
    assert texts[0] == texts[1] == texts[2]
    no_id = tmp_path / "n.csv"
    pd.DataFrame({"text": [ARTICLE]}).to_csv(no_id, index=False)
    assert corpus.build_corpus(no_id, tmp_path / "n").articles()["article_id"].tolist() == ["row000000"]


# --------------------------------------------------------------------------- bad input


def test_empty_and_binary_files_are_skipped_by_name(tmp_path, caplog):
    src = tmp_path / "src"
    write(src, "good.txt", ARTICLE)
    write(src, "empty.txt", "")
    write(src, "blob.txt", bytes(range(256)) * 4)
    summary = corpus.build_corpus(src, tmp_path / "out")
    assert summary.n_articles == 1
    assert dict(summary.skipped) == {"empty.txt": "empty file", "blob.txt": "binary file (NUL bytes)"}
    assert "empty.txt" in caplog.text and "blob.txt" in caplog.text


@pytest.mark.parametrize("name, content, message", [
    ("c.csv", "id,body\n1,hello\n", "no 'text' column"),
    ("c.jsonl", '{"text": "ok ok ok ok ok"}\n{not json\n', "line 2 is not valid JSON"),
    ("c.csv", "", "empty file"),
    ("c.csv", "id,text\na,Isi berita pertama yang cukup panjang\na,Isi kedua\n", "duplicate id 'a'"),
    ("c.parquet", "not parquet", "not a readable Parquet file"),
    ("c.xlsx", "x", "unsupported corpus file type"),
])
def test_bad_tables_raise_one_line_naming_the_file(tmp_path, name, content, message):
    src = write(tmp_path, name, content)
    with pytest.raises(AnalysisError, match=message) as err:
        corpus.build_corpus(src, tmp_path / "out")
    assert name in str(err.value) and "\n" not in str(err.value)


def test_empty_folder_and_all_empty_after_cleaning(tmp_path):
    (tmp_path / "none").mkdir()
    with pytest.raises(AnalysisError, match="no .txt files"):
        corpus.build_corpus(tmp_path / "none", tmp_path / "out")
    src = tmp_path / "junk"
    write(src, "a.txt", "Baca Juga:\nJudul\nFoto/AP\n")
    with pytest.raises(AnalysisError, match="empty corpus.*a.txt: no text left after cleaning"):
        corpus.build_corpus(src, tmp_path / "out")


@pytest.mark.parametrize("kwargs, name", [({"unit": "chapter"}, "unit"), ({"min_unit_words": -1}, "min_unit_words"),
                                          ({"near_duplicate_threshold": 1.5}, "near_duplicate_threshold"),
                                          ({"language": "xx"}, "language 'xx'")])
def test_bad_parameters(tmp_path, kwargs, name):
    write(tmp_path / "src", "a.txt", ARTICLE)
    with pytest.raises(AnalysisError, match=name):
        corpus.build_corpus(tmp_path / "src", tmp_path / "out", **kwargs)


def test_failure_keeps_earlier_outputs(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    write(src, "a.txt", ARTICLE)
    corpus.build_corpus(src, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = write(tmp_path, "bad.jsonl", '{"text": "Isi berita cukup panjang di sini"}\nnope\n')
    with pytest.raises(AnalysisError):
        corpus.build_corpus(bad, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_large_single_article_streams(tmp_path):
    # A few MB stand in for the 50 MB case (measured separately; see the report).
    para = "Presiden Rusia Vladimir Putin bertemu Kim Jong Un di Pyongyang membahas kerja sama pertahanan. " * 6
    path = tmp_path / "src" / "big.txt"
    path.parent.mkdir()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("TEMPO.CO, Jakarta - Awal berita besar.\n")
        for i in range(4000):
            fh.write(para + "\n")
            if i % 100 == 0:
                fh.write("Baca Juga: Judul lain\n")
    summary = corpus.build_corpus(path.parent, tmp_path / "out")
    assert summary.n_units == 4001 and summary.n_removed_lines == 40


# --------------------------------------------------------------------------- segmentation, duplicates, determinism


def test_units_article_paragraph_sentence(tmp_path):
    write(tmp_path / "src", "a.txt", "TEMPO.CO, Jakarta - Kalimat satu cukup panjang di sini. Kalimat dua juga cukup panjang.\n\n"
                                     "Paragraf kedua dengan beberapa kata lagi.\n")
    counts = {u: corpus.build_corpus(tmp_path / "src", tmp_path / u, unit=u, min_unit_words=0).n_units
              for u in corpus.UNITS}
    assert counts == {"article": 1, "paragraph": 2, "sentence": 3}
    units = pd.read_parquet(tmp_path / "sentence" / "units.parquet")
    assert units["unit_id"].tolist() == ["a-s000", "a-s001", "a-s002"]


def test_segment_paragraphs_by_blank_lines_or_lines():
    assert len(corpus.segment_text("a b\nc d\n\ne f\ng h", "paragraph")) == 4
    assert len(corpus.segment_text("a b\nc d\n\ne f\n\ng h", "paragraph")) == 3
    spans = corpus.segment_text("Dr. Budi datang. Ia bicara.", "sentence", abbreviations=("dr",))
    assert len(spans) == 2


def test_short_units_are_dropped_and_logged(tmp_path):
    write(tmp_path / "src", "a.txt", "TEMPO.CO, Jakarta - Isi berita panjang sekali hari ini.\n2. Sub judul\n")
    summary = corpus.build_corpus(tmp_path / "src", tmp_path / "out", min_unit_words=5)
    log = summary.cleaning_log()
    assert summary.n_units == 1 and summary.n_short_units == 1
    assert log.loc[log["rule"] == "min_unit_words", "text"].tolist() == ["2. Sub judul"]


def test_duplicates_exact_near_and_dropped(tmp_path):
    src = tmp_path / "src"
    base = " ".join(f"kata{i}" for i in range(200))
    write(src, "a.txt", "TEMPO.CO, Jakarta - " + base)
    write(src, "b.txt", "TEMPO.CO, Jakarta - " + base)  # exact
    write(src, "c.txt", "TEMPO.CO, Jakarta - " + base + " tambahan")  # near
    write(src, "d.txt", "TEMPO.CO, Jakarta - " + " ".join(f"lain{i}" for i in range(200)))
    arts = corpus.build_corpus(src, tmp_path / "o1", seed=1).articles().set_index("article_id")
    assert arts["duplicate_of"].to_dict() == {"a": "", "b": "a", "c": "a", "d": ""}
    dropped = corpus.build_corpus(src, tmp_path / "o2", drop_duplicates=True, seed=1)
    assert set(dropped.units()["article_id"]) == {"a", "d"} and dropped.n_duplicates == 2


def test_same_input_same_bytes(tmp_path):
    write(tmp_path / "src", "a.txt", ARTICLE)
    for name in ("o1", "o2"):
        corpus.build_corpus(tmp_path / "src", tmp_path / name, seed=3)
    for f in ("articles.parquet", "units.parquet", "cleaning_log.parquet", "corpus_manifest.json"):
        assert (tmp_path / "o1" / f).read_bytes() == (tmp_path / "o2" / f).read_bytes()


def test_auto_language_detects_english(tmp_path):
    write(tmp_path / "src", "en.txt", "MOSCOW (Reuters) - Russia and North Korea signed a defence pact on Wednesday, "
                                      "officials said, as the two countries deepen their military cooperation.\n")
    write(tmp_path / "src", "id.txt", ARTICLE)
    summary = corpus.build_corpus(tmp_path / "src", tmp_path / "out", language="auto")
    assert summary.languages == {"en": 1, "id": 1} and summary.mixed_languages


# --------------------------------------------------------------------------- notebook helpers and plot


def test_summaries_and_plot(seeds):
    summary, articles, _, log = seeds
    table = corpus.cleaning_summary(log)
    assert table.loc[table["rule"] == "baca_juga", "blocks"].item() == 5
    sentence = corpus.describe_cleaning(table)
    assert "5 'baca_juga' blocks" in sentence and sentence.count("\n") == 0
    overview = corpus.articles_overview(articles.reset_index())
    assert "text" not in overview.columns and overview["snippet"].str.len().max() <= 130
    assert corpus.missing_metadata(articles.reset_index()).set_index("field").loc["outlet", "missing"] == 1
    assert len(corpus.inputs_table(summary.manifest())) == 5
    ax = plots.plot_units_per_article(articles.reset_index())
    assert len(ax.patches) == 5


# ---------------------------------------------------------------- language of later stages


@pytest.mark.parametrize("langs, supported, expected", [
    (["id", "id", "en"], ("id", "en"), "id"),
    (["en", "id"], ("id", "en"), "en"),            # tie: alphabetical
    (["EN-us", "fr", "fr"], ("id", "en"), "en"),   # unsupported languages are not chosen
    ([], ("id", "en"), "en"),                      # nothing detected: English if it is supported
    (["fr"], ("id",), "id"),
])
def test_resolve_language_auto_takes_the_most_common_supported(langs, supported, expected):
    assert corpus.resolve_language("auto", pd.DataFrame({"language": langs}), supported) == expected


def test_resolve_language_checks_a_fixed_choice():
    assert corpus.resolve_language("id", None, ("id", "en")) == "id"
    with pytest.raises(AnalysisError, match="language 'fr' is not supported here"):
        corpus.resolve_language("fr", None, ("id", "en"))


# ---------------------------------------------------------------- duplicates and removal examples


def test_removal_examples_show_the_first_line_of_each_rule_shortened():
    log = pd.DataFrame({"rule": ["baca_juga", "foto", "baca_juga"], "article_id": ["a", "b", "c"],
                        "line_no": [4, 2, 7], "text": ["Baca juga:\n  Putin   ke Pyongyang", "Foto/AP", "Baca juga: x"]})
    out = corpus.removal_examples(log, width=20)
    assert out.values.tolist() == [["baca_juga", "a", 4, "Baca juga: Putin ke "], ["foto", "b", 2, "Foto/AP"]]
    assert corpus.removal_examples(log.iloc[:0]).empty


def test_describe_duplicates_reports_the_threshold_and_policy_used():
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "duplicate_of": ["", "a", "a"],
                             "outlet": ["X", "X", None], "n_words": [10, 10, 9]})
    assert corpus.duplicates_table(articles)["article_id"].tolist() == ["b", "c"]
    kept = corpus.describe_duplicates(articles, {"parameters": {"near_duplicate_threshold": 0.9, "drop_duplicates": False}})
    assert kept == "2 articles are exact or near duplicates (MinHash over word 5-grams, estimated Jaccard similarity ≥ 0.9)."
    dropped = corpus.describe_duplicates(articles, {"parameters": {"near_duplicate_threshold": 0.8, "drop_duplicates": True}})
    assert dropped.endswith("≥ 0.8); their units were left out.")
    none = corpus.describe_duplicates(articles.iloc[:1], {"parameters": {"near_duplicate_threshold": 0.8, "drop_duplicates": True}})
    assert none.startswith("0 articles are") and "left out" not in none


# ---------------------------------------------------------------- metadata.csv beside .txt files


def _folder_with_sidecar(tmp_path, sidecar: str):
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "a.txt").write_text("MOSKOW – Presiden Rusia Vladimir Putin memuji kemitraan dengan Tiongkok.\n", encoding="utf-8")
    (folder / "b.txt").write_text("TEMPO.CO, Jakarta - Rusia dan Korea Utara memperkuat kerja sama.\n", encoding="utf-8")
    (folder / "metadata.csv").write_text(sidecar, encoding="utf-8")
    return folder


def test_sidecar_metadata_fills_what_the_text_lacks_and_wins(tmp_path):
    folder = _folder_with_sidecar(tmp_path, "file,outlet,date,url\na.txt,SINDOnews,2024-07-04,https://x.test/a\n"
                                            "b.txt,Tempo,,\n")
    summary = corpus.build_corpus(folder, tmp_path / "out", min_unit_words=1)
    articles = summary.articles().set_index("article_id")
    assert articles.loc["a", ["outlet", "date", "date_precision", "url"]].tolist() == [
        "SINDOnews", "2024-07-04", "day", "https://x.test/a"]
    assert articles.loc["a", "place"] == "MOSKOW"      # what the sidecar does not give still comes from the text
    assert articles.loc["b", "outlet"] == "Tempo"      # given wins over the dateline's "TEMPO.CO"
    files = {f["name"]: f for f in summary.manifest()["files"]}
    assert files["metadata.csv"]["status"] == "metadata for 2 files"
    assert "metadata.csv" in corpus.corpus_sha256(folder)  # a changed sidecar is a changed corpus


@pytest.mark.parametrize("sidecar, message", [
    ("name,outlet\na.txt,X\n", "needs a 'file' column"),
    ("file,outlet,publisher\na.txt,X,Y\n", "unknown column(s) publisher"),
    ("file,outlet\na.txt,X\na.txt,Y\n", "row 3: 'a.txt' is listed twice"),
    ("file,outlet\nc.txt,X\n", "row 2: no file 'c.txt' in the corpus folder"),
    ("file,outlet\n../a.txt,X\n", "row 2: no file '../a.txt' in the corpus folder"),
    ("file,outlet\na.txt,X,extra\n", "row 2: more fields than columns"),
])
def test_bad_sidecar_is_refused_in_one_line_naming_it(tmp_path, sidecar, message):
    folder = _folder_with_sidecar(tmp_path, sidecar)
    with pytest.raises(AnalysisError) as err:
        corpus.read_sidecar(folder)
    assert str(err.value).startswith(f"{folder / 'metadata.csv'}: ") and message in str(err.value)
    assert "\n" not in str(err.value)


def test_sidecar_that_is_not_utf8_is_refused(tmp_path):
    folder = _folder_with_sidecar(tmp_path, "")
    (folder / "metadata.csv").write_bytes(b"file,outlet\na.txt,\xff\xfe\n")
    with pytest.raises(AnalysisError, match="metadata.csv: not UTF-8 text"):
        corpus.read_sidecar(folder)
