"""The website, built and opened in a real headless browser (Debian's chromium).

Checks what a reader meets: every page loads without console errors, has a
title, every image has alt text and has loaded, navigation and download links
resolve, the bibliography renders, nothing overflows on a phone, and the topic
explorer works from file:// with the network off. At 1280 px and at 390 px, on
every page: no request leaves the machine, no table overflows its column (a
wide one scrolls in its own box or becomes cards, its long text in view), and
every header cell stands over its column, aligned as its cells are. Code is
folded as Quarto folds it, and no parameter cell is shown.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

pytestmark = [pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "site_libs" not in p.parts and "explorer" not in p.parts)


def test_site_has_every_run_page(built_site):
    run = built_site / "runs" / "ru-alliances-id"
    for page in ["index", "01-build-corpus", "02-fit-topics", "03-analyse-frames", "04-actors-and-sources",
                 "05-validate", "methods", "data", "notebooks"]:
        assert (run / f"{page}.html").exists(), page
    assert "ru-alliances-id" in (built_site / "index.html").read_text()


def test_no_cdn_or_remote_assets(built_site):
    for page in list(built_site.rglob("*.html")):
        html = page.read_text(errors="replace")
        remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert not remote, f"{page}: {remote[:3]}"


def test_corpus_text_is_escaped(built_site):
    for page in _pages(built_site):
        assert "<script>alert" not in page.read_text(errors="replace")


def test_local_links_resolve(built_site):
    missing = []
    for page in _pages(built_site):
        for href in re.findall(r'href="([^"#?]+)', page.read_text(errors="replace")):
            if href.startswith(("http:", "https:", "mailto:", "data:", "javascript:")):
                continue
            target = (page.parent / unquote(href)).resolve()
            if not target.exists():
                missing.append(f"{page.relative_to(built_site)} -> {href}")
    assert not missing, missing[:10]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_every_page_in_the_browser(browser, built_site, tmp_path_factory):
    shots = tmp_path_factory.mktemp("screenshots")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    problems = []
    for page_path in _pages(built_site):
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        name = page_path.relative_to(built_site).as_posix()
        if errors:
            problems.append(f"{name}: console errors {errors[:2]}")
        if not page.title().strip():
            problems.append(f"{name}: no title")
        for img in page.query_selector_all("img"):
            alt = img.get_attribute("alt")
            ok = img.evaluate("i => i.complete && i.naturalWidth > 0")
            if not alt or not alt.strip():
                problems.append(f"{name}: an image without alt text ({img.get_attribute('src')[:60]})")
            if not ok:
                problems.append(f"{name}: an image did not load ({img.get_attribute('src')[:60]})")
        page.screenshot(path=str(shots / (name.replace("/", "_") + "-1280.png")), full_page=False)
        page.close()
    context.close()
    assert not problems, problems[:15]


def test_download_links_resolve_to_files(built_site):
    data_page = built_site / "runs" / "ru-alliances-id" / "data.html"
    links = re.findall(r'<a href="([^"]+)" download', data_page.read_text())
    assert any(link.endswith(".csv") for link in links) and any(link.endswith(".zip") for link in links)
    for link in links:
        assert (data_page.parent / unquote(link)).is_file(), link


def test_bibliography_renders_on_methods(built_site):
    html = (built_site / "runs" / "ru-alliances-id" / "methods.html").read_text()
    assert "References" in html
    for author in ["Blei", "Röder", "Sievert", "Walter", "Blondel", "Entman", "Semetko", "Krippendorff"]:
        assert author in html, author
    assert "[@" not in html  # every citation was resolved


def test_phone_width_does_not_overflow(browser, built_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, offline=True)
    overflow = []
    for page_path in _pages(built_site):
        page = context.new_page()
        page.goto(page_path.as_uri())
        wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if wide > 2:
            overflow.append(f"{page_path.relative_to(built_site)}: {wide}px")
        page.close()
    context.close()
    assert not overflow, overflow


def test_topic_explorer_works_offline_from_file(browser, built_site):
    explorer = built_site / "runs" / "ru-alliances-id" / "explorer" / "ldavis.html"
    assert explorer.exists()
    assert not re.search(r"https?://", explorer.read_text()), "the explorer references a remote URL"
    context = browser.new_context(offline=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(explorer.as_uri())
    page.wait_for_selector("svg", timeout=15000)
    assert page.query_selector_all("svg circle"), "no topic circles drawn"
    assert not errors, errors
    context.close()


def test_long_tables_sort_by_clicking_a_header(browser, built_site):
    context = browser.new_context(offline=True)
    page = context.new_page()
    # A long table shown as a table (not as cards, whose header is only for screen readers).
    page.goto((built_site / "runs" / "ru-alliances-id" / "05-validate.html").as_uri())
    page.wait_for_load_state("load")
    table = page.locator(".table-box:not([class*=stack]) table").filter(has=page.locator("tbody tr:nth-child(11)")).first
    assert table.count() == 1, "no long table on the Validation page"
    header = table.locator("thead th").first
    header.click()
    first_sort = header.get_attribute("aria-sort")
    values = table.locator("tbody tr td:first-child").all_inner_texts()
    header.click()
    second_sort = header.get_attribute("aria-sort")
    values_again = table.locator("tbody tr td:first-child").all_inner_texts()
    context.close()
    assert {first_sort, second_sort} == {"ascending", "descending"}
    assert values_again == list(reversed(values)) or values != values_again
    # tablesort compares text case-blind
    assert values in (sorted(values, key=str.lower), sorted(values, key=str.lower, reverse=True))


WIDTHS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})

# Every table's box inside its column, long text in view, and every <th> over its column.
_TABLE_CHECK = """() => {
  const bad = [];
  const px = (el, prop) => parseFloat(getComputedStyle(el)[prop]) || 0;
  document.querySelectorAll("main table, #quarto-content table, article table, .content table").forEach((t, ti) => {
    if (!t.getClientRects().length) return;
    const name = (t.caption ? t.caption.textContent : "table " + ti).slice(0, 50);
    const box = t.closest(".table-box") || t;
    const parent = box.parentElement;
    const pr = parent.getBoundingClientRect(), br = box.getBoundingClientRect();
    const right = pr.right - px(parent, "paddingRight") + 1;
    if (br.right > right) bad.push(`${name}: box ends at ${Math.round(br.right)} px, its column at ${Math.round(right)}`);
    if (box === t && t.scrollWidth > pr.width + 1) bad.push(`${name}: wider than its column and not in a scrolling box`);
    const first = t.tBodies.length && t.tBodies[0].rows[0];
    if (first) for (const td of first.cells) {
      if (td.classList.contains("long") && td.getBoundingClientRect().left >= br.right)
        bad.push(`${name}: long text column "${td.dataset.label}" is out of view`);
    }
    const head = t.tHead && t.tHead.rows[t.tHead.rows.length - 1];
    if (!head || !first || getComputedStyle(first).display !== "table-row") return;  // no header, or shown as cards
    const cols = [...head.cells].reduce((n, c) => n + c.colSpan, 0), cells = [...first.cells].reduce((n, c) => n + c.colSpan, 0);
    if (cols !== cells) { bad.push(`${name}: ${cols} header cells over ${cells} columns`); return; }
    [...head.cells].forEach((th, i) => {
      const td = first.cells[i], a = th.getBoundingClientRect(), b = td.getBoundingClientRect();
      if (Math.abs(a.left - b.left) > 1 || Math.abs(a.right - b.right) > 1)
        bad.push(`${name}: header "${th.textContent}" is not over its column`);
      const align = el => ({start: "left", end: "right", "-webkit-left": "left", "-webkit-right": "right"}[getComputedStyle(el).textAlign] || getComputedStyle(el).textAlign);
      if (align(th) !== align(td))
        bad.push(`${name}: header "${th.textContent}" is aligned ${align(th)}, its cells ${align(td)}`);
    });
  });
  const edge = document.documentElement.clientWidth;
  document.querySelectorAll("main img, main select, main input, main pre, main figure, main svg").forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width && !el.closest(".table-box") && (r.left < -1 || r.right > edge + 1))
      bad.push(`a ${el.tagName.toLowerCase()} runs off the screen (${Math.round(r.left)} to ${Math.round(r.right)} px)`);
  });
  const wide = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  if (wide > 2) bad.push(`the page scrolls sideways by ${wide} px`);
  return bad;
}"""


def _visit_every_page(browser, site, viewport, check):
    """Open every page at ``viewport``; return what ``check(page)`` found, and every request that left the machine."""
    context = browser.new_context(viewport=viewport)
    remote = []

    def refuse(route):
        remote.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!file:|data:|blob:|about:).*"), refuse)
    found = []
    for page_path in _pages(site):
        page = context.new_page()
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        name = page_path.relative_to(site).as_posix()
        found += [f"{name} at {viewport['width']} px: {p}" for p in check(page)]
        shots = os.environ.get("SITE_SHOTS")
        if shots:  # SITE_SHOTS=/tmp/shots keeps a full-page screenshot of every page at every width
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{name.replace('/', '_')}-{viewport['width']}.png"), full_page=True)
        page.close()
    context.close()
    return found, remote


@pytest.mark.parametrize("viewport", WIDTHS, ids=lambda v: f"{v['width']}px")
def test_no_request_leaves_the_machine(browser, built_site, viewport):
    _, remote = _visit_every_page(browser, built_site, viewport, lambda page: [])
    assert not remote, remote[:10]


@pytest.mark.parametrize("viewport", WIDTHS, ids=lambda v: f"{v['width']}px")
def test_tables_fit_their_column_and_headers_stand_over_their_cells(browser, built_site, viewport):
    problems, _ = _visit_every_page(browser, built_site, viewport, lambda page: page.evaluate(_TABLE_CHECK))
    assert not problems, problems[:15]


def test_the_table_check_can_fail(browser, tmp_path):
    """A pandas-style table (header right-aligned over left-aligned cells, one header short) is caught."""
    page_path = tmp_path / "bad.html"
    page_path.write_text('<html><body><main style="width:300px"><table><thead><tr style="text-align: right;">'
                         "<th>item</th><th>machine</th></tr></thead><tbody><tr><td>a</td><td>0</td><td>12</td></tr>"
                         "</tbody></table><table><tr><td>" + "x" * 400 + "</td></tr></table></main></body></html>")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(page_path.as_uri())
    problems = page.evaluate(_TABLE_CHECK)
    context.close()
    assert any("2 header cells over 3 columns" in p for p in problems)
    assert any("not in a scrolling box" in p for p in problems)


def test_code_is_folded_and_parameter_cells_are_hidden(browser, built_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    shown = []
    for name in ("01-build-corpus", "02-fit-topics", "05-validate"):
        page.goto((built_site / "runs" / "ru-alliances-id" / f"{name}.html").as_uri())
        page.wait_for_load_state("load")
        shown += [f"{name}: {c[:40]!r}" for c in page.evaluate(
            "() => [...document.querySelectorAll('pre')].filter(p => p.closest('.cell') && p.querySelector('code')"
            " && !p.closest('.cell-output') && !p.closest('details:not([open])') && p.checkVisibility())"
            ".map(p => p.textContent)")]
        assert page.locator("details.code-fold").count(), name  # folded, as Quarto folds it
        html = page.content()
        assert "# Parameters" not in html and "run_name: str" not in html, name  # papermill's cells stay out
        assert "Parameters of this notebook as run" in html, name  # the values it ran with, in prose
    context.close()
    assert not shown, shown[:5]
