"""Tests for analysis.files: one checked reader per format, one error wording."""

import pandas as pd
import pytest

from analysis import files
from analysis.errors import AnalysisError


def test_read_text_refuses_missing_binary_and_non_utf8(tmp_path):
    with pytest.raises(AnalysisError, match="x.txt: rules file not found"):
        files.read_text(tmp_path / "x.txt", what="rules file")
    (tmp_path / "b.txt").write_bytes(b"ab\x00cd")
    with pytest.raises(AnalysisError, match="b.txt: file is a binary file"):
        files.read_text(tmp_path / "b.txt")
    (tmp_path / "l.txt").write_bytes("café".encode("latin-1"))
    with pytest.raises(AnalysisError, match=r"l.txt: file is not UTF-8 text \(byte 3\)"):
        files.read_text(tmp_path / "l.txt")
    (tmp_path / "bom.txt").write_bytes("\ufeffhalo".encode("utf-8"))
    assert files.read_text(tmp_path / "bom.txt") == "halo"


def test_read_yaml_names_the_row_of_a_syntax_error_and_checks_the_top_level(tmp_path):
    p = tmp_path / "c.yml"
    p.write_text("a: 1\nb: [2,\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"c.yml, row \d: codebook is not valid YAML"):
        files.read_yaml(p, what="codebook")
    p.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="c.yml: codebook must hold a mapping"):
        files.read_yaml(p, what="codebook")
    assert files.read_yaml(p, expect="a list") == [1]
    p.write_text("", encoding="utf-8")
    assert files.read_yaml(p) == {}
    with pytest.raises(AnalysisError, match="is empty"):
        files.read_yaml(p, empty_ok=False)


def test_read_csv_rows_numbers_rows_as_a_spreadsheet_does(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("file,outlet\na.txt,Kompas\n\nb.txt,Tempo\n", encoding="utf-8")
    header, rows = files.read_csv_rows(p, required=("file",))
    assert header == ["file", "outlet"] and [n for n, _ in rows] == [2, 3]
    with pytest.raises(AnalysisError, match="s.csv, row 1: CSV file lacks column"):
        files.read_csv_rows(p, required=("date",))
    p.write_text("a,a\n1,2\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="row 1: column 'a' appears twice"):
        files.read_csv_rows(p)
    p.write_text("", encoding="utf-8")
    with pytest.raises(AnalysisError, match="s.csv: CSV file is empty"):
        files.read_csv_rows(p)


def test_require_columns_names_the_table():
    with pytest.raises(AnalysisError, match="units: missing column"):
        files.require_columns(pd.DataFrame({"a": []}), ("a", "text"), "units")


def test_read_parquet_names_missing_corrupt_and_incomplete_files(tmp_path):
    from analysis.errors import AnalysisError

    path = tmp_path / "units.parquet"
    with pytest.raises(AnalysisError, match=r"units\.parquet: missing: run 01 first"):
        files.read_parquet(path, hint="run 01 first")
    path.write_bytes(b"not parquet")
    with pytest.raises(AnalysisError, match=r"units\.parquet: unreadable Parquet file \("):
        files.read_parquet(path, hint="run 01 first")
    pd.DataFrame({"unit_id": ["a"]}).to_parquet(path)
    with pytest.raises(AnalysisError, match=r"units\.parquet: lacks column\(s\) text"):
        files.read_parquet(path, hint="run 01 first", columns=("unit_id", "text"))
    assert files.read_parquet(path, hint="x", columns=("unit_id",))["unit_id"].tolist() == ["a"]