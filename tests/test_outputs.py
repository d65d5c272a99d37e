"""Tests for analysis.outputs: stable tables and figures, escaping."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import outputs


def test_published_tables_are_byte_stable(tmp_path):
    from analysis.registry import RunPaths, write

    df = pd.DataFrame({"term": ["b", "a"], "count": [2, 1], "doc_freq": [1, 1]})
    a = write(RunPaths(tmp_path / "a"), "text_top_terms", df).read_bytes()
    b = write(RunPaths(tmp_path / "b"), "text_top_terms", df).read_bytes()
    assert a == b == b"term,count,doc_freq\nb,2,1\na,1,1\n"
    assert outputs.FLOAT_FORMAT % 0.1234567891 == "0.123457"  # the CSV's float format


def test_save_figure_is_byte_stable(tmp_path):
    def draw(folder):
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3])
        outputs.save_figure(fig, folder, "f")
        plt.close(fig)
        return (folder / "f.png").read_bytes(), (folder / "f.svg").read_bytes()

    assert draw(tmp_path / "a") == draw(tmp_path / "b")
    assert (tmp_path / "a" / "f.svg").exists()


def test_escape_and_snippet_neutralise_html():
    assert "<" not in outputs.escape("<img src=x onerror=alert(1)>")
    s = outputs.snippet("<b>" + "kata " * 100, width=20)
    assert s.startswith("<b>kata") and s.endswith("…") and len(s) == 20  # plain text: pages escape it
    assert "&lt;b&gt;kata" in outputs.html_table(pd.DataFrame({"snippet": [s]}))


def test_html_table_escapes_cells_and_adds_caption():
    html = outputs.html_table(pd.DataFrame({"x": ["<script>alert(1)</script>"]}), caption="A & B")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<caption>A &amp; B</caption>" in html


def test_html_table_links_its_csv_download_relative_to_the_run_pages(tmp_path):
    from analysis.registry import RunPaths

    csv = RunPaths(tmp_path / "run").csv("k_sweep")
    html = outputs.html_table(pd.DataFrame({"x": [1, 2]}), caption="K <sweep>", csv=csv)
    assert '<caption>K &lt;sweep&gt; (download: <a href="tables/k_sweep.csv" download>k_sweep.csv</a>)</caption>' in html
    bare = outputs.html_table(pd.DataFrame({"x": [1]}), csv=csv)  # a link alone is still a caption
    assert '<caption>(download: <a href="tables/k_sweep.csv" download>k_sweep.csv</a>)</caption>' in bare
    assert "<caption>" not in outputs.html_table(pd.DataFrame({"x": [1]}))





def test_html_table_links_a_run_folder_file_by_name(tmp_path):
    html = outputs.html_table(pd.DataFrame({"x": [1]}), caption="Provenance", csv=tmp_path / "run" / "provenance.json")
    assert '(download: <a href="provenance.json" download>provenance.json</a>)' in html


def test_a_table_with_two_long_text_columns_becomes_cards_on_a_narrow_box():
    long = "Rusia dan Korea Utara memperkuat kerja sama militer di tengah sanksi Barat"
    one = outputs.html_table(pd.DataFrame({"id": ["a"], "text": [long], "n": [1]}))
    two = outputs.html_table(pd.DataFrame({"id": ["a"], "headline": [long], "frames": [long]}))
    assert 'class="table-box"' in one           # one long column wraps in place
    assert 'class="table-box stack-' in two     # two do not fit a phone side by side


def test_a_cut_table_says_where_every_row_is_only_when_it_has_a_download(tmp_path):
    from analysis.registry import RunPaths

    df = pd.DataFrame({"x": range(60)})
    cut = outputs.html_table(df, caption="Rows")
    assert "<caption>Rows (first 50 of 60 rows)</caption>" in cut and cut.count("<tr>") == 51
    linked = outputs.html_table(df, caption="Rows", csv=RunPaths(tmp_path / "run").csv("k_sweep"))
    assert ('<caption>Rows (first 50 of 60 rows; every row in <a href="tables/k_sweep.csv" download>k_sweep.csv</a>)'
            '</caption>') in linked


def _daily(n_days: int) -> pd.DataFrame:
    dates = pd.date_range("2022-01-01", periods=n_days, freq="D").strftime("%Y-%m-%d")
    rows = [(d, "day", t, 0.25 if t == 1 else 0.75, 1 + i % 3) for i, d in enumerate(dates) for t in (1, 2)]
    return pd.DataFrame(rows + [("--08-03", "day-no-year", 1, 1.0, 9)],
                        columns=["date", "date_precision", "topic", "prevalence", "n_units"])


def test_a_table_over_many_dates_is_shown_by_month_and_says_so():
    daily = _daily(400)
    monthly = outputs.by_month(daily, keys=["topic"])
    assert list(monthly.columns) == ["month", "topic", "prevalence", "n_units"]
    assert monthly["month"].nunique() == 14 and "--08" not in set(monthly["month"])  # no year: not placed in time
    jan = daily[daily["date"].str.startswith("2022-01") & (daily["topic"] == 1)]
    row = monthly[(monthly["month"] == "2022-01") & (monthly["topic"] == 1)].iloc[0]
    assert row["n_units"] == jan["n_units"].sum() and row["prevalence"] == 0.25
    html = outputs.time_table(daily, caption="Shares", keys=["topic"])
    assert "one row per month, as there are 401 dates (more than 24)" in html and html.count("<tr>") == 1 + 14
    assert "<th scope=\"col\" class=\"num\">topic 2</th>" in html  # one column per topic


def test_a_table_over_few_dates_keeps_its_dates():
    daily = _daily(outputs.MAX_DATES - 1)
    assert outputs.by_month(daily, keys=["topic"]) is daily
    assert "per month" not in outputs.time_table(daily, caption="Shares", keys=["topic"])
    empty = daily.iloc[0:0]
    assert outputs.by_month(empty) is empty  # the default corpus: no dates at all
