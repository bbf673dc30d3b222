"""End to end: the dashboard served by Streamlit, driven in a real headless Chromium.

The app (dashboards/app.py) runs as `streamlit run` on a free local port over the full
build of the bundled sessions (the ``full_build`` fixture); Playwright drives Debian's
Chromium (/usr/bin/chromium; `make test` installs it where it is missing, with
scripts/ensure-test-tools). Each page must
render without a Streamlit exception, a script error or a request leaving the machine;
then the contents the issue names: the environmental-crime chart shows the bundled
GA sessions by default and, switched to calendar years, marks the partial years 2019 and
2025 (flagged points, "partial" labels, a caption with the reasons; the themes page
likewise; the mandates and citations heatmaps label the columns of 2019 and 2025
"(partial)", a click on a cell picking its row and session), and a click lists the
resolutions behind a point; a search for "wildlife" shows
a paragraph of 78/229, the lineage page shows the changes from 77/237 to 78/229; every
chart names each of its categories (no bar without its label), draws its zeros on the
zero grid line with the "0" beside it, and titles its value axes; every page opens by
its own address. A
second app on an empty data dir shows the empty state, and then, after a browser
refresh, each snapshot published under it.

Screenshots of every page, whole (not just the window), go to a temporary folder
(printed with -s), or to UNGA_SCREENSHOT_DIR when set. The
environmental-crime page is also written to docs/dashboard.png, for the README, when
that file is missing or UNGA_UPDATE_SCREENSHOT=1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest

from warehouse.settings import Paths

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "dashboards" / "app.py"
SCREENSHOT = REPO / "docs" / "dashboard.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT = 60_000  # ms, for anything Streamlit does; the first page load compiles nothing but is slowest
EMPTY = "No published snapshot yet: run make run (or unga build)"

PAGES = [  # (address, title)
    ("environmental-crime", "Environmental crime"),
    ("themes", "Themes"),
    ("search", "Search"),
    ("lineage", "Series lineage"),
    ("mandates", "Mandates"),
    ("citations", "Citations"),
    ("status", "Status"),
]
CHART_PAGES = ("environmental-crime", "themes", "lineage", "mandates", "citations", "status")
NOT_FOUND = "Page not found"


# ------------------------------------------------------------------------------- app

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """`streamlit run dashboards/app.py` on a free port, over one data dir."""

    def __init__(self, data_dir: Path, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "UNGA_DATA_DIR": str(data_dir), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        self._out = open(log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=self._out, stderr=subprocess.STDOUT)
        self._wait_healthy()

    def _wait_healthy(self, seconds: float = 60) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # localhost, never a proxy
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with opener.open(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        pytest.fail(f"the dashboard did not start on {self.url}:\n{self.output()}")

    def output(self) -> str:
        self._out.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-5000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()


@pytest.fixture(scope="module")
def app(full_build, tmp_path_factory):
    started = time.monotonic()
    server = App(full_build.root, tmp_path_factory.mktemp("dashboard") / "streamlit.log")
    print(f"\ndashboard started in {time.monotonic() - started:.1f} s at {server.url}")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the end-to-end tests drive Debian's Chromium. Run `make test` "
                    "(which installs it, with scripts/ensure-test-tools) or `apt-get install chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots go: a temporary folder, or UNGA_SCREENSHOT_DIR (e.g. to keep
    them as CI artifacts)."""
    wanted = os.environ.get("UNGA_SCREENSHOT_DIR")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("dashboard-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    print(f"\ndashboard screenshots: {folder}")


class Tab:
    """A browser page that records script errors and requests leaving the machine."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.context.route("**/*", self._route)

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", None) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, url: str, title: str | None = None):
        self.page.goto(url)
        return self.settle(title)

    def settle(self, title: str | None = None):
        page = self.page
        if title:
            page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=TIMEOUT)
        page.wait_for_selector(IDLE, timeout=TIMEOUT)
        page.wait_for_timeout(300)  # a rerun a widget asks for starts after a moment
        page.wait_for_selector(IDLE, timeout=TIMEOUT)
        return page

    def assert_clean(self, where: str) -> None:
        exceptions = self.page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, f"{where}: {exceptions.first.inner_text()}"
        assert "Traceback" not in self.page.inner_text("body"), where
        assert self.errors == [], f"{where}: script errors {self.errors}"
        assert self.outside == [], f"{where}: requests leaving the machine {self.outside}"

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser):
    t = Tab(browser)
    yield t
    t.close()


# ------------------------------------------------------------------------------ tests

def test_every_page_renders_without_errors(app, tab, shots):
    for address, title in PAGES:
        started = time.monotonic()
        page = tab.open(f"{app.url}/{address}", title)
        if address in CHART_PAGES and address != "lineage":  # lineage's chart is in a closed expander
            page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=TIMEOUT)
        seconds = time.monotonic() - started
        tab.assert_clean(title)
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).count() == 1
        whole_page_screenshot(page, shots / f"{address}.png")
        print(f"\n{title}: rendered in {seconds:.1f} s")
    # Every chart has its data as CSV beside it.
    page = tab.open(f"{app.url}/environmental-crime", "Environmental crime")
    with page.expect_download() as download:
        page.locator('[data-testid="stDownloadButton"] button').first.click()
    path = download.value.path()
    head = Path(path).read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("period_type,period,period_label,theme,theme_label,is_parent,")


def test_every_page_opens_by_its_address(app, tab):
    for address, title in PAGES:
        page = tab.open(f"{app.url}/{address}", title)
        assert NOT_FOUND not in page.inner_text("body"), address
        assert urlparse(page.url).path == f"/{address}", (address, page.url)
        tab.assert_clean(f"/{address}")
    # The root address opens the first page, under its own address.
    page = tab.open(f"{app.url}/", "Environmental crime")
    assert urlparse(page.url).path == "/environmental-crime"
    assert NOT_FOUND not in page.inner_text("body")


def test_charts_label_every_category_and_draw_zero_on_its_tick(app, tab):
    checked = {"charts": 0, "bar charts": 0, "zero marks": 0}
    for address, title in PAGES:
        if address not in CHART_PAGES:
            continue
        page = tab.open(f"{app.url}/{address}", title)
        if address == "lineage":
            page.get_by_text("The whole series, adoption by adoption").click()
        page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=TIMEOUT)
        page.wait_for_timeout(500)  # the last charts of a page are drawn a moment after the first
        charts = page.evaluate(CHART_GEOMETRY)
        assert charts, title
        for i, chart in enumerate(charts):
            check_chart(chart, f"{title}, chart {i + 1}", checked)
        tab.assert_clean(title)
    print(f"\nchecked {checked}")
    assert checked["bar charts"] >= 3 + 1 + 1  # the operative verbs of three themes, lineage, sessions
    assert checked["zero marks"] >= 1  # the environmental-crime trend has zeros (pollution crime)


PARTIAL_TEXT = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks')].map(svg =>
  [...svg.querySelectorAll('.mark-text text')].filter(t => t.textContent === 'partial').length)"""


def x_axis_label(chart) -> str:
    axes = [chart.locator('[aria-roledescription="axis"]').nth(j).get_attribute("aria-label")
            for j in range(chart.locator('[aria-roledescription="axis"]').count())]
    return next(a for a in axes if a.startswith("X-axis"))


def count_by_years(tab: Tab):
    """Switch the page's "Count by" control to calendar years."""
    page = tab.page
    page.locator('[data-testid="stRadio"]').filter(has_text="Count by").get_by_text(
        "Calendar year", exact=True).click()
    page.wait_for_timeout(300)
    tab.settle()
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
        .some(c => [...c.querySelectorAll('[aria-roledescription="axis"]')]
        .some(a => (a.getAttribute('aria-label') || '').includes("Calendar year")))""", timeout=TIMEOUT)
    page.wait_for_timeout(500)
    return page


def test_environmental_crime_chart_shows_sessions_then_years_with_partial_ones_marked(app, tab, shots):
    page = tab.open(f"{app.url}/", "Environmental crime")
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.locator("svg").first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    assert charts.count() == 3  # mentions, paragraphs, resolutions
    # By default: GA sessions, none of them partial in time.
    for i in range(3):
        chart = charts.nth(i)
        x_axis = x_axis_label(chart)
        assert x_axis.startswith("X-axis titled 'GA session'"), x_axis
        assert x_axis.endswith("6 values: 74, 75, 76, 77, 78, 79"), x_axis
        labels = chart.locator('.role-axis-label text').all_text_contents()
        assert "74th (2019-20)" in labels and "79th (2024-25)" in labels, labels
        assert chart.locator('[aria-roledescription="point"]').count() == 6 * 7  # sessions x themes
        assert chart.locator('[aria-roledescription="point"][aria-label*="Partial: true"]').count() == 0
    assert page.evaluate(PARTIAL_TEXT) == [0, 0, 0]
    body = page.inner_text("body")
    assert "Partial:" not in body
    assert "78th session (2023-24) (99.7%)" in body  # not complete (ES-10/23), so said, but not marked partial
    tab.assert_clean("environmental crime")
    page.screenshot(path=str(shots / "environmental-crime-viewport.png"))
    if not SCREENSHOT.exists() or os.environ.get("UNGA_UPDATE_SCREENSHOT") == "1":
        _save_small_png(page.screenshot(), SCREENSHOT)

    # Calendar years: 2019 and 2025 are partial, their points flagged and labelled, and said why.
    page = count_by_years(tab)
    for i in range(3):
        chart = charts.nth(i)
        x_axis = x_axis_label(chart)
        assert x_axis.startswith("X-axis titled 'Calendar year'"), x_axis
        assert x_axis.endswith("7 values: 2019, 2020, 2021, 2022, 2023, 2024, 2025"), x_axis
        assert chart.locator('[aria-roledescription="point"]').count() == 7 * 7  # years x themes
        flagged = chart.locator('[aria-roledescription="point"][aria-label*="Partial: true"]')
        years = sorted({next(part for part in label.split("; ") if part.startswith("Calendar year: "))
                        for label in (flagged.nth(j).get_attribute("aria-label") for j in range(flagged.count()))})
        assert years == ["Calendar year: 2019", "Calendar year: 2025"], years
        assert flagged.count() == 2 * 7
        assert chart.locator('[aria-roledescription="point"][aria-label*="Partial: false"]').count() == 5 * 7
    assert page.evaluate(PARTIAL_TEXT) == [2, 2, 2]  # one "partial" over each partial year, in each chart
    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Partial:").first.inner_text()
    assert "2019 (2019 holds only session 74's resolutions adopted September to December; session 73's" in caption
    assert "2025 (2025 holds only session 79's resolutions adopted January to September; session 80's" in caption
    tab.assert_clean("environmental crime by year")
    whole_page_screenshot(page, shots / "environmental-crime-years.png")

    # One click on a point lists the resolutions behind it.
    point = charts.first.locator('[aria-roledescription="point"][aria-label*="Calendar year: 2023;"]'
                                 '[aria-label*="theme: wildlife_crime;"]')
    assert point.count() == 1
    point.click()
    summary = page.get_by_text("Wildlife crime (protected species of wild fauna and flora), 2023:")
    summary.wait_for(timeout=TIMEOUT)
    tab.settle()
    text = summary.inner_text()
    for symbol in ("A/RES/78/229", "A/RES/77/325", "A/RES/78/155"):
        assert symbol in text
    tab.assert_clean("environmental crime, after a click")
    page.screenshot(path=str(shots / "environmental-crime-clicked.png"), full_page=True)


def test_themes_by_session_then_by_year_with_partial_years_marked(app, tab, shots):
    page = tab.open(f"{app.url}/themes", "Themes")
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.locator("svg").first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    assert x_axis_label(charts.first).startswith("X-axis titled 'GA session'")
    assert "Partial:" not in page.inner_text("body")
    page = count_by_years(tab)
    trend = charts.first  # the first theme's preambular and operative lines
    assert x_axis_label(trend).endswith("7 values: 2019, 2020, 2021, 2022, 2023, 2024, 2025")
    flagged = trend.locator('[aria-roledescription="point"][aria-label*="Partial: true"]')
    assert flagged.count() == 2 * 2  # 2019 and 2025, preambular and operative
    assert page.evaluate(PARTIAL_TEXT)[0] == 2
    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Partial:").first.inner_text()
    assert "2019 holds only session 74's" in caption and "2025 holds only session 79's" in caption
    tab.assert_clean("themes by year")
    whole_page_screenshot(page, shots / "themes-years.png")


HEATMAPS = [  # (address, title, a row's name in its cells' descriptions, the row clicked, the words then shown)
    ("mandates", "Mandates", "Entity", "United Nations Office on Drugs and Crime", "mandates"),
    ("citations", "Citations", "Instrument", "Charter of the United Nations", "resolutions"),
]


@pytest.mark.parametrize("address, title, row_title, row, shown", HEATMAPS, ids=[h[0] for h in HEATMAPS])
def test_heatmaps_by_session_then_by_year_with_partial_years_marked(app, tab, shots, address, title, row_title,
                                                                   row, shown):
    page = tab.open(f"{app.url}/{address}", title)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("svg").first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    # By default: a column per GA session, none partial, long names whole (wrapped, not cut).
    x_axis = x_axis_label(chart)
    assert x_axis.startswith("X-axis titled 'GA session'"), x_axis
    assert x_axis.endswith("6 values: 74, 75, 76, 77, 78, 79"), x_axis
    labels = chart.locator('.role-axis-label text').all_text_contents()
    assert [f"{n}th ({1945 + n}-{str(1946 + n)[2:]})" for n in range(74, 80)] == [
        label for label in labels if label.endswith(")") and label[:2].isdigit()], labels
    assert not [label for label in labels if "partial" in label or label.endswith("…")], labels
    assert "Partial:" not in page.inner_text("body")
    tab.assert_clean(f"{title} by session")
    whole_page_screenshot(page, shots / f"{address}-sessions.png")

    # A click on a cell picks its row and session below the chart.
    # A cell's description: its encodings (the x axis' "GA session: 78" first), then its tooltip.
    cell = chart.locator(f'[aria-roledescription="rect mark"][aria-label^="GA session: 78;"]'
                         f'[aria-label*="; {row_title}: {row};"]')
    assert cell.count() == 1
    cell.click(position={"x": 3, "y": 3})  # a corner: the count is written in the middle
    said = page.locator("p").filter(has_text=f"{row} in 78th (2023-24)" if address == "mandates"
                                    else f"adopted in 78th (2023-24) cite {row}")
    said.first.wait_for(timeout=TIMEOUT)
    tab.settle()
    assert f" {shown}" in said.first.inner_text()
    tab.assert_clean(f"{title}, after a click")

    # Calendar years: the columns of 2019 and 2025 say they are partial, a caption says why.
    page = count_by_years(tab)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    x_axis = x_axis_label(chart)
    assert x_axis.startswith("X-axis titled 'Calendar year'"), x_axis
    assert x_axis.endswith("7 values: 2019, 2020, 2021, 2022, 2023, 2024, 2025"), x_axis
    labels = chart.locator('.role-axis-label text').all_text_contents()
    years = [label for label in labels if label[:4].isdigit() and label[:4] in {str(y) for y in range(2019, 2026)}]
    assert years == ["2019 (partial)", "2020", "2021", "2022", "2023", "2024", "2025 (partial)"], labels
    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Partial:").first.inner_text()
    assert "2019 (2019 holds only session 74's" in caption and "2025 (2025 holds only session 79's" in caption
    assert 'labelled "(partial)"' in caption
    tab.assert_clean(f"{title} by year")
    whole_page_screenshot(page, shots / f"{address}-years.png")


def test_search_for_wildlife_shows_a_paragraph_of_78_229(app, tab, shots):
    page = tab.open(f"{app.url}/search", "Search")
    box = page.get_by_label("Search paragraphs", exact=True).and_(page.locator("input"))
    box.fill("wildlife")
    box.press("Enter")
    page.locator(".unga-hit").first.wait_for(timeout=TIMEOUT)
    tab.settle()
    hits = page.locator(".unga-hit")
    assert 20 < hits.count() <= 100  # at most 3 paragraphs per resolution by default: maybe fewer than 100
    ours = page.locator('.unga-hit[data-symbol="A/RES/78/229"]')
    assert ours.count() >= 1
    op66 = ours.filter(has_text="op 66")
    assert op66.count() == 1
    meta = op66.locator(".meta").first.inner_text()
    assert "A/RES/78/229" in meta and "2023" in meta and "Also urges" in meta
    assert "Strengthening the United Nations crime prevention and criminal justice programme" in meta
    assert [m.lower() for m in op66.locator("mark").all_inner_texts()] == ["wildlife"] * op66.locator("mark").count()
    assert op66.locator("mark").count() >= 1
    assert page.locator(".unga-hit .notes li").count() >= 1  # footnotes of the hits that have some
    assert "q=wildlife" in page.url
    tab.assert_clean("search")
    page.screenshot(path=str(shots / "search-wildlife.png"), full_page=False)

    # Filters: operative paragraphs of 2023 only.
    page.goto(f"{app.url}/search?q=wildlife")
    tab.settle("Search")
    choose(tab, "Year", "2023")
    choose(tab, "Kind", "operative")
    hits = page.locator(".unga-hit")
    assert 0 < hits.count() < 100
    for hit in hits.all():
        first = hit.locator(".meta").first.inner_text()
        assert " · op " in first and " · 2023 · " in first, first
    tab.assert_clean("search with filters")


def test_lineage_shows_the_changes_from_77_237_to_78_229(app, tab, full_build, shots):
    with duckdb.connect(str(full_build.snapshot), read_only=True) as con:
        step = con.execute("SELECT changed, \"new\", dropped, unchanged FROM marts.series_step "
                           "WHERE symbol = 'A/RES/78/229'").fetchone()
    changed, new, dropped, unchanged = step
    page = tab.open(f"{app.url}/lineage?symbol=A/RES/77/237", "Series lineage")
    page.get_by_role("heading", name="A/RES/76/187 → A/RES/77/237").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("heading", name="A/RES/77/237 → A/RES/78/229").wait_for(timeout=TIMEOUT)
    tab.settle()
    assert "symbol=A%2FRES%2F78%2F229" in page.url or "symbol=A/RES/78/229" in page.url
    metrics = dict(zip(page.locator('[data-testid="stMetricLabel"]').all_inner_texts(),
                       page.locator('[data-testid="stMetricValue"]').all_inner_texts()))
    assert metrics["Changed"] == str(changed) and metrics["New"] == str(new)
    assert metrics["Dropped"] == str(dropped) and metrics["Unchanged"] == str(unchanged)
    assert page.locator(".unga-para.changed").count() == changed
    assert page.locator(".unga-para.new").count() == new
    assert page.locator(".unga-para.dropped").count() == dropped
    assert page.locator(".unga-para.unchanged").count() == 0  # hidden unless asked for
    # The first preambular paragraph now also reaffirms 77/237: added words marked.
    first = page.locator(".unga-para.changed").first
    assert any("77/237" in t for t in first.locator("ins").all_inner_texts())
    assert first.locator("del").count() >= 1
    tab.assert_clean("lineage")
    page.screenshot(path=str(shots / "lineage-78-229.png"), full_page=False)


def test_status_page_shows_sessions_checks_and_the_quality_report(app, tab, full_build):
    from dashboards.queries import quality_report

    page = tab.open(f"{app.url}/status", "Status")
    body = page.inner_text("body")
    assert "74, 75, 76, 77, 78, 79" in body
    assert "blocking checks passed" in body
    if quality_report(full_build) is None:
        assert "No quality report yet" in body
    else:
        # The sections stream in one after another: wait for this one rather than count at once.
        from playwright.sync_api import expect

        page.get_by_role("heading", name="Quality report").first.wait_for(timeout=TIMEOUT)
        button = page.get_by_role("button", name="Download the quality report (HTML)")
        try:
            expect(button).to_have_count(1, timeout=TIMEOUT)
        except AssertionError as exc:
            raise AssertionError(f"no download button for {quality_report(full_build)}; the page says:\n"
                                 f"{page.inner_text('body')[-3000:]}") from exc
    tab.assert_clean("status")


def test_empty_data_dir_then_a_publish_seen_after_a_refresh(full_build, browser, tmp_path, shots):
    data = Paths(tmp_path / "data")
    data.root.mkdir()
    server = App(data.root, tmp_path / "streamlit.log")
    tab = Tab(browser)
    try:
        for address, title in PAGES:
            page = tab.open(f"{server.url}/{address}", title)
            assert EMPTY in page.inner_text("body"), title
            tab.assert_clean(f"{title}, no snapshot")
        page.screenshot(path=str(shots / "status-empty.png"), full_page=False)

        # A build publishes (here: the full build's snapshot moved in by a rename).
        data.published_dir.mkdir()
        _publish_copy(full_build.snapshot, data.snapshot, run_id=None)
        page = tab.open(f"{server.url}/status", "Status")
        with duckdb.connect(str(full_build.snapshot), read_only=True) as con:
            first_run = con.execute("SELECT run_id FROM ops.build_info").fetchone()[0]
        assert first_run in page.inner_text("body")
        assert EMPTY not in page.inner_text("body")

        # Another publish: a refresh shows it (the app keeps no connection to the old file).
        _publish_copy(full_build.snapshot, data.snapshot, run_id="e2e-second-publish")
        page.reload()
        tab.settle("Status")
        assert "e2e-second-publish" in page.inner_text("body")
        page = tab.open(f"{server.url}/", "Environmental crime")
        page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=TIMEOUT)
        tab.assert_clean("after the publishes")
    finally:
        tab.close()
        server.stop()


# ----------------------------------------------------------------------- the charts

# Each drawn chart (Vega's SVG) as the test reads it: its axes (description, labels with
# their boxes on the page and whether Vega hid them, title), its grid lines and its bars
# and points (description and box).
CHART_GEOMETRY = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks')].map(svg => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {
    axes: [...svg.querySelectorAll('g.role-axis[aria-roledescription="axis"]')].map(a => ({
      label: a.getAttribute('aria-label') || '',
      ticks: [...a.querySelectorAll('.role-axis-label text')].map(t => ({
        text: t.textContent, shown: t.getAttribute('opacity') !== '0' && t.textContent !== '', box: box(t)})),
      title: [...a.querySelectorAll('.role-axis-title text')].map(t => t.textContent).join(' '),
    })),
    grid: [...svg.querySelectorAll('.role-axis-grid line')].map(box),
    marks: [...svg.querySelectorAll('[aria-roledescription="bar"], [aria-roledescription="point"]')].map(m => ({
      kind: m.getAttribute('aria-roledescription'), label: m.getAttribute('aria-label') || '', box: box(m)})),
  };
})"""
PX = 1.5  # pixels of tolerance (Vega rounds grid lines to the half pixel)


def check_chart(chart: dict, where: str, checked: dict) -> None:
    """The chart names every category, titles its value axes and draws a zero on the zero
    grid line, with its "0" label centred on that line (not above it)."""
    import re

    checked["charts"] += 1
    bars = [m for m in chart["marks"] if m["kind"] == "bar"]
    if bars:
        checked["bar charts"] += 1
    for axis in chart["axes"]:
        label, vertical = axis["label"], axis["label"].startswith("Y-axis")
        shown = [t for t in axis["ticks"] if t["shown"]]
        discrete = re.search(r"discrete scale with (\d+) values", label)
        if discrete:
            count = int(discrete.group(1))
            assert len(shown) == count, f"{where}: {len(shown)} of {count} labels shown on the {label}"
            if bars:
                assert not [t["text"] for t in shown if t["text"].endswith("…")], f"{where}: labels cut short"
                # One label per bar (or per stack of bars): as many as the bars' distinct places.
                places = {round((b["box"][1] + b["box"][3]) / 2 if vertical else (b["box"][0] + b["box"][2]) / 2)
                          for b in bars}
                assert len(places) == count, f"{where}: {len(places)} bars' places, {count} labels ({label})"
            continue
        if "linear scale" not in label:
            continue
        title = re.match(r"[XY]-axis titled '(.*)' for", label)
        assert title and axis["title"], f"{where}: the value axis has no title ({label})"
        zero_label = [t for t in shown if t["text"] == "0"]
        if not zero_label:
            continue
        centre = lambda b: ((b[1] + b[3]) / 2) if vertical else ((b[0] + b[2]) / 2)  # noqa: E731
        lines = [g for g in chart["grid"] if (abs(g[1] - g[3]) < 0.1 if vertical else abs(g[0] - g[2]) < 0.1)]
        assert lines, f"{where}: no grid lines"
        label_at = centre(zero_label[0]["box"])
        zero = min((centre(g) for g in lines), key=lambda y: abs(y - label_at))
        assert abs(label_at - zero) <= PX + 1, \
            f"{where}: the '0' of the {label} is centred {zero - label_at:+.1f} px from the zero grid line"
        field = title.group(1)
        for mark in chart["marks"]:
            b = mark["box"]
            is_zero = f"{field}: 0;" in mark["label"] + ";"
            if mark["kind"] == "point":
                at = centre(b)
                below = at - zero if vertical else zero - at
                assert below <= PX, f"{where}: a point {below:.1f} px below zero ({mark['label']})"
                if is_zero:
                    checked["zero marks"] += 1
                    assert abs(at - zero) <= PX, f"{where}: a zero {at - zero:+.1f} px off the zero line"
            else:  # a bar starts at zero (or on the bar under it, stacked) and never crosses it
                base = b[3] if vertical else b[0]
                below = base - zero if vertical else zero - base
                assert below <= PX, f"{where}: a bar reaching {below:.1f} px below zero ({mark['label']})"
                if is_zero:
                    checked["zero marks"] += 1
                    assert abs(b[3] - b[1] if vertical else b[2] - b[0]) <= PX, f"{where}: a zero bar drawn"


def whole_page_screenshot(page, path: Path) -> None:
    """The whole page in one PNG: Streamlit scrolls its main block itself, so the window is
    made as tall as that block for the shot (``full_page`` would stop at the window)."""
    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stMainBlockContainer"], [data-testid="stAppViewContainer"]')]
        .map(e => e.scrollHeight), document.body.scrollHeight)""")
    if height > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 40, 12_000)})
        page.wait_for_timeout(600)  # the charts redraw for the new size
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)


def _save_small_png(png: bytes, path: Path) -> None:
    """The screenshot in 256 colours (a third of the size; the page is flat colours and text)."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    image.save(path, format="PNG", optimize=True)


def choose(tab: Tab, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``."""
    page = tab.page
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]').get_by_text(label, exact=True))
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(300)
    tab.settle()


def _publish_copy(source: Path, snapshot: Path, run_id: str | None) -> None:
    """Publish as warehouse.publish does: a whole file written beside, renamed over."""
    tmp = snapshot.with_name(f".{snapshot.name}.e2e.tmp")
    shutil.copyfile(source, tmp)
    if run_id is not None:
        with duckdb.connect(str(tmp)) as con:
            con.execute("UPDATE ops.build_info SET run_id = ?", [run_id])
    os.replace(tmp, snapshot)
