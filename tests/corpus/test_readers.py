"""Tests of analysis.corpus.readers: formats, encodings, mojibake, metadata.csv, hashes, bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import corpus
from analysis.errors import AnalysisError

from .samples import ARTICLE, SEEDS, THAI, write


# --------------------------------------------------------------------------- encoding and mojibake


def test_seed_003_mojibake_repaired_locally(seeds):
    _, articles, _, _ = seeds
    text = articles.loc["003_34c1b0c43c41e9a9", "text"]
    assert text.startswith("Membaca Makna Keakraban Rusia-Korut\n\nJakarta, IDM –\u00a0Rusia")
    assert "‘Perjanjian Kemitraan Strategis Komprehensif’" in text  # correct curly quotes untouched
    assert not any(ch in articles["text"].str.cat() for ch in THAI)


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


# --------------------------------------------------------------------------- formats


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


def test_documents_stream_with_their_provenance(tmp_path):
    write(tmp_path / "src", "b.txt", "Dua.\n")
    write(tmp_path / "src", "a.txt", "Satu.\nLagi.\n")
    files = []
    docs = corpus.iter_documents(tmp_path / "src", manifest_files=files)
    first = next(docs)
    assert first.article_id == "a" and list(first.lines) == ["Satu.", "Lagi."]
    assert [f["name"] for f in files] == ["a.txt"]  # b.txt is not read yet
    assert [d.article_id for d in docs] == ["b"] and files[1]["sha256"] == corpus.file_sha256(tmp_path / "src" / "b.txt")


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
    ("c.jsonl", '{"text": "ok ok ok ok ok"}\n{not json\n', "row 2: not valid JSON"),
    ("c.jsonl", '{"text": "ok ok ok ok ok"}\n["x"]\n', "row 2: not a JSON object"),
    ("c.jsonl", '\n{"body": "ok"}\n', "row 2: has no 'text' field"),
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


def test_missing_source_is_named():
    with pytest.raises(AnalysisError, match="no-such-corpus: corpus source not found"):
        list(corpus.iter_documents(SEEDS.parent / "no-such-corpus"))


# ---------------------------------------------------------------- metadata.csv beside .txt files


def _folder_with_sidecar(tmp_path, sidecar: str):
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "a.txt").write_text("MOSKOW – Presiden Rusia Vladimir Putin memuji kemitraan dengan Tiongkok.\n", encoding="utf-8")
    (folder / "b.txt").write_text("TEMPO.CO, Jakarta - Rusia dan Korea Utara memperkuat kerja sama.\n", encoding="utf-8")
    (folder / "metadata.csv").write_text(sidecar, encoding="utf-8")
    return folder


def test_sidecar_metadata_fills_what_the_text_lacks_and_wins(tmp_path):
    folder = _folder_with_sidecar(tmp_path, "file,outlet,date,url,accessed\n"
                                            "a.txt,SINDOnews,2024-07-04,https://x.test/a,2024-07-05\nb.txt,Tempo,,,\n")
    summary = corpus.build_corpus(folder, tmp_path / "out", min_unit_words=1)
    articles = summary.articles().set_index("article_id")
    assert articles.loc["a", ["outlet", "date", "date_precision", "url", "accessed"]].tolist() == [
        "SINDOnews", "2024-07-04", "day", "https://x.test/a", "2024-07-05"]
    assert articles.loc["b", "accessed"] == ""         # the access date is provenance: never guessed
    assert articles.loc["a", "place"] == "MOSKOW"      # what the sidecar does not give still comes from the text
    assert articles.loc["b", "outlet"] == "Tempo"      # given wins over the dateline's "TEMPO.CO"
    files = {f["name"]: f for f in summary.manifest()["files"]}
    assert files["metadata.csv"]["status"] == "metadata for 2 files"
    assert "metadata.csv" in corpus.corpus_sha256(folder)  # a changed sidecar is a changed corpus


@pytest.mark.parametrize("sidecar, message", [
    ("name,outlet\na.txt,X\n", "row 1: needs a 'file' column"),
    ("file,outlet,publisher\na.txt,X,Y\n", "row 1: unknown column(s) publisher"),
    ("file,outlet\na.txt,X\na.txt,Y\n", "row 3: 'a.txt' is listed twice"),
    ("file,outlet\nc.txt,X\n", "row 2: no file 'c.txt' in the corpus folder"),
    ("file,outlet\n../a.txt,X\n", "row 2: no file '../a.txt' in the corpus folder"),
    ("file,outlet\na.txt,X,extra\n", "row 2: has 3 fields where the header has 2"),
    ("file,outlet\n,X\n", "row 2: empty 'file'"),
])
def test_bad_sidecar_is_refused_in_one_line_naming_it(tmp_path, sidecar, message):
    folder = _folder_with_sidecar(tmp_path, sidecar)
    with pytest.raises(AnalysisError) as err:
        corpus.read_sidecar(folder)
    assert str(err.value).startswith(f"{folder / 'metadata.csv'}, {message}")
    assert "\n" not in str(err.value)


def test_sidecar_that_is_not_utf8_is_refused(tmp_path):
    folder = _folder_with_sidecar(tmp_path, "")
    (folder / "metadata.csv").write_bytes(b"file,outlet\na.txt,\xff\xfe\n")
    with pytest.raises(AnalysisError, match="metadata.csv: metadata table is not UTF-8 text"):
        corpus.read_sidecar(folder)
