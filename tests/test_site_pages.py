"""benchmarks/pages.py: a built site's page weights count what each page loads, not what it links."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def pages():
    spec = importlib.util.spec_from_file_location("bench_pages", BENCH / "pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(data, bytes) else path.write_text)(data)
    return path


@pytest.fixture
def site(tmp_path):
    _write(tmp_path / "site_libs/theme.js", b"j" * 300)
    _write(tmp_path / "site_libs/theme.css", "body{} @font-face{src:url(fonts/f.woff2)} .x{background:url(data:image/png;base64,AA)}")
    _write(tmp_path / "site_libs/fonts/f.woff2", b"f" * 700)
    _write(tmp_path / "runs/r/figures/fig.png", b"p" * 1000)
    _write(tmp_path / "runs/r/tables/big.csv", b"c" * 50_000)
    head = '<script src="{0}site_libs/theme.js"></script><link rel="stylesheet" href="{0}site_libs/theme.css">'
    _write(tmp_path / "index.html", f"<html>{head.format('')}<a href='runs/r/page.html'>run</a></html>")
    _write(tmp_path / "runs/r/page.html",
           f"<html>{head.format('../../')}<img src=\"figures/fig.png\"><img src=\"data:image/png;base64,{'A' * 400}\">"
           '<a href="tables/big.csv" download>big.csv</a><img src="figures/gone.png"></html>')
    return tmp_path


def test_page_weights_count_loads_not_links(pages, site):
    weights = pages.page_weights(site).set_index("page")
    assert list(weights.index) == ["index.html", "runs/r/page.html"]
    page = weights.loc["runs/r/page.html"]
    html = (site / "runs/r/page.html").stat().st_size
    css = (site / "site_libs/theme.css").stat().st_size
    assert page["html_bytes"] == html and page["inline_bytes"] == len("data:image/png;base64,") + 400
    assert page["own_bytes"] == html + 1000                      # its figure, not the 50 kB CSV it links
    assert page["shared_bytes"] == 300 + css + 700                 # script, style sheet and the font it loads
    assert page["total_bytes"] == html + 1000 + 300 + css + 700
    assert page["missing"] == 1 and page["n_files"] == 4
    assert weights.loc["index.html", "own_bytes"] == (site / "index.html").stat().st_size


def test_the_script_prints_a_table_of_every_page(pages, site, capsys):
    assert pages.main([str(site), "--csv", str(site / "w.csv")]) == 0
    out = capsys.readouterr().out
    assert "runs/r/page.html" in out and "2 pages; largest" in out and "(1 missing)" in out
    assert (site / "w.csv").read_text().splitlines()[0].startswith("page,html_bytes,inline_bytes")
