"""Unit tests for analysis.report: Markdown rendering, provenance tables, downloads, citation and the run zips."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pandas as pd
import pytest

from analysis import registry, report
from analysis.errors import AnalysisError
from analysis.registry import RunPaths
from conftest import put_table

XSS = "<script>alert(1)</script>"

MANIFEST = {
    "run_name": "demo",
    "corpus": {"id": "ru-alliances-id", "digest": "ab" * 32, "path": "data/raw/ru-alliances-id",
               "files": {"b.txt": "2" * 64, "a.txt": "1" * 64}},
    "seed": 20240619,
    "git": {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": True},
    "python": "3.11.7",
    "platform": "Linux-x86_64",
    "started": "2026-11-23T19:36:56+00:00",
    "finished": "2026-11-23T19:37:26+00:00",
    "packages": {"pandas": "2.2.2", "gensim": "4.3.3", "PyYAML": "6.0.1"},
    "parameters": {"seed": 20240619, "language": "id", "n_topics": 0, "stem": False},
    "stage_seconds": {"01-build-corpus": 3.14159, "02-fit-topics": 12.34},
}


@pytest.fixture
def paths(tmp_path) -> RunPaths:
    return RunPaths(tmp_path / "run").create()


def write(path, data: bytes | str = b"x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def fake_run(root) -> RunPaths:
    """A run folder with a file of every kind the zips must include or leave out."""
    p = RunPaths(root).create()
    write(p.csv("articles_overview"), "article_id,outlet\na,Kompas\n")
    write(p.file("coder_guide"), "# Coder guide")
    write(p.file("coding_sheets") / "ana.xlsx", "full text: internal")
    write(p.tables / "not_registered.csv", "an old or stray table is not published")
    write(p.data / "topic_network.graphml", "<graphml/>")  # an old copy; the published graph is under tables/
    write(p.data / "frame_codes.parquet", b"PAR1")
    write(p.figures / "frame_prevalence.png", b"\x89PNG fake")
    write(p.figures / "frame_prevalence.svg", "<svg/>")
    write(p.explorer / "ldavis.html", "<html></html>")
    write(p.explorer / "d3.v5.min.js", "js")
    for name in ("units.parquet", "articles.parquet", "tokens.parquet", "bow.mm", "bow.mm.index",
                 "cleaning_log.parquet", "coding_sheet.csv", "lda.model", "lda.model.state",
                 "a_future_internal_file.parquet"):
        write(p.data / name, f"corpus text {name}")
    write(p.data / "doc_topics.parquet", b"PAR1")  # internal: unit ids and topic weights
    write(p.file("corpus_manifest"), "{}")
    write(p.root / "01-build-corpus.ipynb", '{"cells": []}')
    write(p.root / "index.ipynb", '{"cells": [1]}')
    write(p.provenance, json.dumps(MANIFEST))
    write(p.params, "seed: 1\n")
    write(p.root / "notes.md", "not published")
    write(p.root / "_scratch" / "x.csv", "not published")
    return p


# ---------------------------------------------------------------- render_markdown


def test_render_markdown_formats_and_blocks_raw_html():
    html = report.render_markdown(f"**K** = 3 and {XSS}", citations=False)
    assert "<strong>K</strong> = 3" in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_render_markdown_citations_without_and_with_bibliography():
    cited = report.render_markdown("LDA [@blei2003].")
    assert 'data-cites="blei2003"' in cited and "Blei" in cited
    assert 'id="refs"' not in cited  # the list is printed only where asked
    plain = report.render_markdown("LDA [@blei2003].", citations=False)
    assert "[@blei2003]" in plain and "Blei" not in plain
    refs = report.render_markdown("## References\n\n::: {#refs}\n:::\n", bibliography=True)
    assert 'id="refs"' in refs
    # Every entry of the shipped bibliography is listed, cited or not.
    keys = [line.split("{", 1)[1].rstrip(",") for line in report.BIBLIOGRAPHY.read_text().splitlines()
            if line.startswith("@")]
    assert keys and all(f'id="ref-{k}"' in refs for k in keys)


def test_render_markdown_without_at_sign_skips_citeproc():
    # No '@' in the text: no citeproc run, and no reference list or citation markup appears.
    assert report.render_markdown("plain text") == "<p>plain text</p>\n"


# ---------------------------------------------------------------- manifest tables


def test_run_manifest_missing_and_present(paths):
    assert report.run_manifest(paths) == {}
    paths.provenance.write_text(json.dumps(MANIFEST), encoding="utf-8")
    assert report.run_manifest(paths) == MANIFEST


@pytest.mark.parametrize("content, problem", [
    ('{"run_name": ', r"provenance\.json, row 1: provenance manifest is not valid JSON"),
    ("[1, 2]", r"provenance\.json: provenance manifest is not a JSON object"),
    (b"\xff\xfe{}", r"provenance\.json: provenance manifest is not UTF-8 text")])
def test_run_manifest_refuses_a_malformed_file_in_one_line(paths, content, problem):
    write(paths.provenance, content)
    with pytest.raises(AnalysisError, match=problem):
        report.run_manifest(paths)


# ---------------------------------------------------------------- tables


def test_read_table_from_the_registry_blank_as_missing_floats_as_published(paths):
    assert report.read_table(paths, "k_sweep").empty  # not written yet
    put_table(paths, "k_sweep", {"k": [2, 3], "c_v": [0.123456789, 1 / 3], "eligible": [True, False],
                                 "chosen": [False, True]})
    t = report.read_table(paths, "k_sweep")
    assert t["chosen"].dtype == bool and t["chosen"].tolist() == [False, True]
    # The page states the number the CSV download holds (six significant digits).
    assert t["c_v"].tolist() == [0.123457, 0.333333]
    assert pd.read_csv(paths.csv("k_sweep"))["c_v"].tolist() == t["c_v"].tolist()
    put_table(paths, "articles_overview", {"article_id": ["a", "b"], "outlet": ["Kompas", ""]})
    assert report.read_table(paths, "articles_overview")["outlet"].isna().tolist() == [False, True]


def test_read_table_keeps_internal_floats_and_run_specific_columns(paths):
    put_table(paths, "doc_topics", {"unit_id": ["u1"], "article_id": ["a"], "topic_0": [0.123456789],
                                    "topic_1": [0.876543211]})
    t = report.read_table(paths, "doc_topics")
    assert t.columns.tolist() == ["unit_id", "article_id", "topic_0", "topic_1"]
    assert t["topic_0"].iloc[0] == 0.123456789  # not published: nothing to agree with


def test_provenance_table_before_the_run_finishes():
    t = report.provenance_table({})
    assert t.values.tolist() == [["provenance", "written when the run finishes"]]


def test_provenance_table_values():
    t = report.provenance_table(MANIFEST).set_index("item")["value"]
    assert t["run"] == "demo"
    assert t["corpus"] == "ru-alliances-id"
    assert t["corpus digest (sha256 of file hashes)"] == "ab" * 32
    assert t["files"] == "2"
    assert t["seed"] == "20240619"
    assert t["git commit"] == "0123456789abcdef0123456789abcdef01234567 (uncommitted changes)"
    assert t["finished"] == "2026-11-23T19:37:26+00:00"
    assert all(isinstance(v, str) for v in t)
    clean = report.provenance_table({**MANIFEST, "git": {"commit": "abc", "dirty": False}}).set_index("item")["value"]
    assert clean["git commit"] == "abc"


def test_package_file_hash_and_parameter_tables_are_sorted():
    assert report.package_table(MANIFEST).values.tolist() == [
        ["PyYAML", "6.0.1"], ["gensim", "4.3.3"], ["pandas", "2.2.2"]]
    assert report.file_hash_table(MANIFEST).values.tolist() == [["a.txt", "1" * 64], ["b.txt", "2" * 64]]
    params = report.parameter_table(MANIFEST)
    assert params.values.tolist() == [["language", "id", ""], ["n_topics", "0", ""], ["seed", "20240619", ""],
                                      ["stem", "false", ""]]


def test_parameter_table_shows_the_value_each_stage_resolved():
    params = report.parameter_table(MANIFEST, {"n_topics": "6", "language": "id", "seed": "20240619"})
    assert params.set_index("parameter").loc["n_topics"].tolist() == ["0", "6"]  # 0: chosen by the sweep
    assert params.set_index("parameter").loc["language", "value used"] == ""  # unchanged: not repeated


def test_resolved_parameters_are_read_from_the_stage_tables(tmp_path):
    from conftest import put_table

    run = RunPaths(tmp_path)
    put_table(run, "text_params", {"parameter": ["no_below", "stem"], "value": ["2", "False"]})
    put_table(run, "k_sweep", {"k": [3, 4], "chosen": [False, True]})
    resolved = report.resolved_parameters(run)
    assert resolved["no_below"] == "2" and resolved["n_topics"] == "4"
    assert report.resolved_parameters(RunPaths(tmp_path / "empty")) == {}


def test_data_summary_counts_read_as_english():
    one = report.data_summary({"corpus": {"id": "c", "files": {"a.txt": "0"}}}, pd.DataFrame({"outlet": ["X"]}))
    assert "**1 article**" in one and "(1 raw file;" in one and "found for 1 of it" in one
    assert "(s)" not in one


def test_corpus_sources_say_what_was_not_recorded():
    card = {"selection_rule": "every article of June 2024 mentioning <BRICS>", "accessed": "2024-07-01"}
    table = report.corpus_sources({"corpus": {"card": card}}, pd.DataFrame({"url": ["https://x.example/a", None]}))
    rows = dict(table.values.tolist())
    assert rows["selection rule"] == card["selection_rule"] and rows["accessed"] == "2024-07-01"
    assert rows["URL"] == "given for 1 of 2 articles (see the articles table)"
    assert rows["source"] == "not recorded"
    assert "review view published" not in rows


def test_manifest_tables_empty_manifest_keep_columns():
    assert list(report.package_table({}).columns) == ["package", "version"]
    assert list(report.file_hash_table({}).columns) == ["file", "sha256"]
    assert list(report.parameter_table({}).columns) == ["parameter", "value given", "value used"]
    assert report.package_table({}).empty and report.file_hash_table({}).empty and report.parameter_table({}).empty


# ---------------------------------------------------------------- downloads


def test_list_downloads_are_the_registrys_published_files(tmp_path):
    p = fake_run(tmp_path / "demo")
    write(p.file("run_zip"), b"zip")
    df = report.list_downloads(p)
    # Tables, then figures, then the explorer and the run's own files; the zips are offered apart.
    assert df["file"].tolist() == ["tables/articles.csv", "tables/coder_guide.txt",
                                   "figures/frame_prevalence.png", "figures/frame_prevalence.svg",
                                   "explorer/ldavis.html", "params.yaml", "provenance.json"]
    assert df["kind"].tolist() == ["csv", "txt", "png", "svg", "html", "yaml", "json"]
    assert df.set_index("file").loc["tables/articles.csv", "bytes"] == len("article_id,outlet\na,Kompas\n")
    # The site does not serve data/ (its published files are in the zip); a stray table is not published.
    assert not df["file"].str.startswith("data/").any()
    assert "tables/not_registered.csv" not in df["file"].tolist()


def test_list_downloads_of_an_empty_run(tmp_path):
    df = report.list_downloads(RunPaths(tmp_path / "nothing"))
    assert df.empty and list(df.columns) == ["file", "kind", "bytes"]


def test_downloads_html_escapes_names_and_lists_extra_first():
    df = pd.DataFrame({"file": ["tables/<b>&x.csv"], "kind": ["csv"], "bytes": [1234567]})
    html = report.downloads_html(df, extra=["downloads/run.zip", 'odd"name.json'])
    assert html.startswith('<ul class="downloads"><li><a href="downloads/run.zip" download>downloads/run.zip</a></li>')
    assert '<a href="odd&quot;name.json" download>' in html
    assert ('<a href="tables/&lt;b&gt;&amp;x.csv" download>tables/&lt;b&gt;&amp;x.csv</a> '
            "<small>(csv, 1,234,567 bytes)</small>") in html
    assert "<b>" not in html
    assert html.index("run.zip") < html.index("x.csv")
    assert report.downloads_html(pd.DataFrame(columns=["file", "kind", "bytes"])) == '<ul class="downloads"></ul>'


def test_articles_for_display_keeps_reader_columns_in_order():
    articles = pd.DataFrame({"snippet": ["text"], "title": ["T"], "article_id": ["a"], "encoding": ["utf-8"],
                             "date": ["2024-01-01"], "outlet": ["K"]})
    assert list(report.articles_for_display(articles).columns) == ["article_id", "outlet", "date", "title"]


# ---------------------------------------------------------------- data summary, citation


def test_data_summary_counts_found_fields():
    articles = pd.DataFrame({"outlet": ["Kompas", None, "Tempo"], "date": [None, None, "2024-06-23"]})
    text = report.data_summary(MANIFEST, articles)
    assert text.startswith("This run analysed **3 articles** of the corpus `ru-alliances-id` "
                           "(2 raw files; corpus digest `abababababababab…`).")
    assert "The outlet was found for 2 of them and the date for 1;" in text
    assert "never guessed" in text


def test_data_summary_without_outlet_date_or_manifest():
    text = report.data_summary({}, pd.DataFrame({"title": ["a", "b"]}))
    assert "**2 articles** of the corpus `?` (0 raw files; corpus digest `…`)" in text
    assert "The outlet was found for 0 of them and the date for 0;" in text


def test_data_summary_escapes_corpus_id():
    text = report.data_summary({"corpus": {"id": XSS}}, pd.DataFrame({"outlet": []}))
    assert "<script" not in text and "&lt;script&gt;" in text


def test_citation_text_from_cff_and_manifest():
    import yaml

    cff = yaml.safe_load((report.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    text = report.citation_text(MANIFEST, "demo")
    assert f"{cff['title']} (version {cff['version']})" in text
    assert text.startswith(f"{cff['authors'][0]['name']} ({str(cff['date-released'])[:4]}).")
    assert "Run 'demo', 2026-11-23, commit 0123456789ab." in text
    repo = cff.get("repository-code")
    assert text.endswith(f"commit 0123456789ab. {repo}" if repo else "commit 0123456789ab.")


def test_citation_text_without_manifest():
    text = report.citation_text({}, "r")
    assert "Run 'r', , commit unknown." in text


def test_cite_box_escapes_run_name():
    html = report.cite_box(MANIFEST, XSS)
    assert html.startswith('<div class="cite-box"><p>')
    assert "<script" not in html and "Run &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in html
    assert "CITATION.cff" in html


# ---------------------------------------------------------------- notebooks page


def test_notebooks_html_lists_existing_notebooks_with_times(paths):
    for nb in ("02-fit-topics", "01-build-corpus", "index"):
        write(paths.root / f"{nb}.ipynb", "{}")
    html = report.notebooks_html(paths, MANIFEST)
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]
    assert [r.split('href="')[1].split('"')[0] for r in rows] == [
        "01-build-corpus.html", "02-fit-topics.html", "index.html", "notebooks.html"]
    assert rows[0].endswith("<td>01-build-corpus.ipynb</td><td>3.1 s</td>")
    assert rows[1].endswith("<td>02-fit-topics.ipynb</td><td>12.3 s</td>")
    assert rows[2].endswith("<td>index.ipynb</td><td></td>")  # pages are timed after the manifest is written
    assert '<a href="downloads/run-notebooks.zip" download>run-notebooks.zip</a>' in html


def test_notebooks_html_of_an_empty_run_lists_only_itself(paths):
    html = report.notebooks_html(paths, {})
    assert html.count("<tr><td>") == 1 and "notebooks.ipynb" in html


# ---------------------------------------------------------------- zips


def _entries(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def test_zip_run_contents_leave_out_corpus_text(tmp_path):
    p = fake_run(tmp_path / "demo")
    out = report.zip_run(p)
    assert out == p.file("run_zip") == p.root / "downloads" / "demo.zip"
    entries = _entries(out)
    assert sorted(entries) == sorted([
        "demo/tables/articles.csv", "demo/tables/coder_guide.txt",
        "demo/figures/frame_prevalence.png", "demo/figures/frame_prevalence.svg",
        "demo/explorer/d3.v5.min.js", "demo/explorer/ldavis.html", "demo/data/corpus_manifest.json",
        "demo/01-build-corpus.ipynb", "demo/index.ipynb", "demo/params.yaml", "demo/provenance.json"])
    published = {f.relative_to(p.root).as_posix() for f in registry.published_files(p)}
    assert {e.split("/", 1)[1] for e in entries if not e.endswith(".ipynb")} == published
    assert not any(b"corpus text" in data for data in entries.values())
    assert entries["demo/tables/articles.csv"] == p.csv("articles_overview").read_bytes()
    assert not list(p.root.glob("downloads/*.tmp"))


def test_zip_run_fixed_order_and_timestamps(tmp_path):
    p = fake_run(tmp_path / "demo")
    with zipfile.ZipFile(report.zip_run(p)) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names[:3] == ["demo/01-build-corpus.ipynb", "demo/data/corpus_manifest.json", "demo/explorer/d3.v5.min.js"]
    assert names[-5:] == ["demo/index.ipynb", "demo/params.yaml", "demo/provenance.json", "demo/tables/articles.csv",
                          "demo/tables/coder_guide.txt"]
    assert {i.date_time for i in infos} == {(2000, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_zip_run_bytes_are_deterministic(tmp_path):
    a = fake_run(tmp_path / "a" / "demo")
    b = fake_run(tmp_path / "b" / "demo")  # same files elsewhere, written later
    for f in b.root.rglob("*"):
        os.utime(f, (1_000_000_000, 1_000_000_000))
    first = report.zip_run(a).read_bytes()
    again = report.zip_run(a).read_bytes()  # the first zip, now in downloads/, is not zipped in
    other = report.zip_run(b).read_bytes()
    assert first == again == other
    write(b.csv("articles_overview"), "article_id,outlet\na,Tempo\n")
    assert report.zip_run(b).read_bytes() != first


def test_zip_run_of_a_run_with_only_a_manifest(tmp_path):
    root = tmp_path / "bare"
    write(root / "provenance.json", "{}")
    assert list(_entries(report.zip_run(RunPaths(root)))) == ["bare/provenance.json"]


def test_zip_notebooks_only_notebooks_and_deterministic(tmp_path):
    p = fake_run(tmp_path / "demo")
    write(p.root / "scratch.ipynb", "{}")  # not a notebook of the pipeline
    report.zip_run(p)
    out = report.zip_notebooks(p)
    assert out == p.file("notebooks_zip") == p.root / "downloads" / "demo-notebooks.zip"
    entries = _entries(out)
    assert list(entries) == ["demo-notebooks/01-build-corpus.ipynb", "demo-notebooks/index.ipynb"]
    assert entries["demo-notebooks/index.ipynb"] == b'{"cells": [1]}'
    first = out.read_bytes()
    os.utime(p.root / "index.ipynb", (1_000_000_000, 1_000_000_000))
    assert report.zip_notebooks(p).read_bytes() == first
    # The run zip is unchanged by the notebooks zip sitting next to it.
    assert "demo/downloads/demo-notebooks.zip" not in _entries(report.zip_run(p))


def test_zip_bytes_open_as_valid_zip(tmp_path):
    p = fake_run(tmp_path / "demo")
    data = report.zip_run(p).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None  # every entry's CRC checks
        assert all(n.startswith("demo/") for n in zf.namelist())  # unpacks into one folder


def test_run_zip_streams_big_files_and_gives_the_bytes_of_a_whole_file_write(tmp_path):
    import zipfile

    from analysis.report import ZIP_LEVEL, _write_zip

    import numpy as np

    rng = np.random.default_rng(7)
    big = tmp_path / "run" / "tables" / "big.csv"
    big.parent.mkdir(parents=True)
    # 5 MB in several 1 MB blocks, text-like so that deflate has work to do.
    big.write_bytes(b"\n".join(b"%d,%f" % (i, x) for i, x in enumerate(rng.random(300_000))))
    streamed = _write_zip([big], tmp_path / "run", tmp_path / "out" / "r.zip").read_bytes()
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("r/tables/big.csv", date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, big.read_bytes(), compresslevel=ZIP_LEVEL)
    assert streamed == whole.read_bytes()
    with zipfile.ZipFile(tmp_path / "out" / "r.zip") as zf:  # it unpacks to the file, at the level it states
        assert zf.read("r/tables/big.csv") == big.read_bytes() and zf.infolist()[0].compress_type == zipfile.ZIP_DEFLATED
