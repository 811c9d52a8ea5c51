"""The web UI in a real browser: Playwright driving Debian's Chromium against waitress.

Skipped when /usr/bin/chromium is missing, except under CI (env CI set), where
that is a failure. Screenshots go to tests/artifacts/ (git-ignored).
"""
from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.conftest import waitress_in_thread
from tests.web.archive import XSS_TITLE, involved, values_of, web_articles

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
AXE = Path(__file__).resolve().parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"   # make axe
ARTICLES = web_articles()
WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 390, "height": 844}


def expected(word, countries):
    """(total, country counts over the word's matches) from the fixture documents (disjunctive)."""
    base = [a for a in ARTICLES if word in re.findall(r"\w+", f"{a.title} {a.body}".lower())]
    total = sum(1 for a in base if any(c in involved(a) for c in countries))
    counts = {}
    for a in base:
        for c in involved(a):
            counts[c] = counts.get(c, 0) + 1
    return total, counts


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base_url(web_index):
    """The app under waitress in a background thread on a free port."""
    with waitress_in_thread(web_index) as url:
        yield url


class Watch:
    """Dialogs and CSP violations seen by a page: both must stay empty."""

    def __init__(self, page):
        self.dialogs, self.csp = [], []
        page.on("dialog", self._dialog)
        page.on("console", lambda msg: self.csp.append(msg.text)
                if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text else None)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    assert page.watch.dialogs == []
    assert page.watch.csp == []
    context.close()


def facet_value(page, facet: str, name: str):
    """The row of a facet value: its checkbox and its label (name and count)."""
    return page.locator(f'#facet-{facet} li.value:has(.name:text-is("{name}"))')


def facet_box(page, facet: str, name: str):
    return facet_value(page, facet, name).locator("input[type=checkbox]")


def shown_total(page) -> int:
    return int(page.locator(".count strong").inner_text().replace(",", ""))


def test_search_select_two_countries_and_open_an_article(page, base_url):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(base_url + "/")
    assert page.evaluate("document.activeElement.id") == "q"     # autofocus on the empty home page only
    page.locator("#q").fill("diplomats")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["diplomats"]
    _, counts = expected("diplomats", ())
    assert shown_total(page) == sum(1 for a in ARTICLES if "diplomats" in a.body.lower())

    assert page.evaluate("document.activeElement.id") != "q"     # … not after a search
    with page.expect_navigation():
        facet_box(page, "country", "China").click()
    with page.expect_navigation():
        facet_value(page, "country", "Japan").locator("label").click()   # the label toggles too
    params = parse_qs(urlsplit(page.url).query)
    assert params["country"] == ["China", "Japan"] and params["q"] == ["diplomats"]
    total, counts = expected("diplomats", ("China", "Japan"))
    assert shown_total(page) == total
    # disjunctive counts: every shown country counts over all matches of the query
    for name in ("China", "Japan", "Russia"):
        count = facet_value(page, "country", name).locator(".count").inner_text()
        assert int(count.replace(",", "")) == counts[name], name
    assert "selected" in facet_value(page, "country", "China").get_attribute("class")
    assert facet_box(page, "country", "China").is_checked() and not facet_box(page, "country", "Russia").is_checked()
    assert page.locator(".active .chip").count() == 2
    assert page.locator("#filters > summary").inner_text().strip() == "Filters (2)"
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    # back and forward walk the URL state
    page.go_back()
    assert parse_qs(urlsplit(page.url).query)["country"] == ["China"]
    assert shown_total(page) == expected("diplomats", ("China",))[0]
    page.go_forward()
    assert shown_total(page) == total

    first = page.locator(".hit-title a").first
    title = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert "/article/" in page.url
    assert parse_qs(urlsplit(page.url).query) == {"q": ["diplomats"], "country": ["China", "Japan"]}
    assert page.locator("h1").inner_text() == title
    assert page.locator(".body mark").first.inner_text().lower() == "diplomats"
    assert page.locator(".similar li").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)


def test_script_inside_an_article_does_not_run(page, base_url):
    for url in ("/article/art0041?q=reactor", "/?q=reactor&size=50", "/api/search?q=reactor"):
        page.goto(base_url + url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("img[src=x]").count() == 0
        assert page.evaluate("Array.from(document.scripts).filter(s => !s.src).length") == 0
    page.goto(base_url + "/article/art0041")
    assert page.locator("h1").inner_text() == XSS_TITLE
    assert "<script>" in page.locator(".body").inner_text()
    # the javascript: URL of the article is not a link
    assert page.locator('a[href^="javascript:"]').count() == 0
    # a hostile query is shown as text
    page.goto(base_url + "/?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert page.locator("#q").input_value() == "<img src=x onerror=alert(1)>"
    assert page.locator("img[src=x]").count() == 0


def type_and_wait_for_suggestions(page, text: str) -> None:
    """Type into the search box and wait for the suggestions of the whole text (not of a prefix
    whose answer came back while typing)."""
    with page.expect_response(lambda r: "/api/suggest?q=" + quote(text) in r.url):
        page.locator("#q").press_sequentially(text, delay=30)


def test_autocomplete_fills_a_person_search(page, base_url):
    page.goto(base_url + "/")
    type_and_wait_for_suggestions(page, "kel")
    option = page.locator("#suggestions li", has_text="James Kelly")
    option.wait_for()
    assert page.locator("#q").get_attribute("aria-expanded") == "true"
    page.locator("#q").press("ArrowDown")
    page.locator('#suggestions li[aria-selected="true"]', has_text="James Kelly").wait_for()
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert parse_qs(urlsplit(page.url).query)["q"] == ['person:"James Kelly"']
    assert shown_total(page) == sum(1 for a in ARTICLES if "James Kelly" in values_of(a, "person"))


@pytest.mark.parametrize("typed, chosen, query", [
    ("talks north ko", "North Korea", 'talks country:"North Korea"'),   # the typed "north ko" is replaced
    ("james k", "James Kelly", 'person:"James Kelly"'),                 # a two-word prefix of a name
])
def test_autocomplete_replaces_the_words_it_completes(page, base_url, typed, chosen, query):
    page.goto(base_url + "/")
    type_and_wait_for_suggestions(page, typed)
    option = page.locator("#suggestions li", has_text=chosen).first
    option.wait_for()
    with page.expect_navigation():
        option.dispatch_event("mousedown")
    assert parse_qs(urlsplit(page.url).query)["q"] == [query]


def test_autocomplete_offers_the_words_of_the_page_s_language(page, base_url):
    page.goto(base_url + "/?lang=de")
    with page.expect_response(lambda r: "/api/suggest?q=ha&" in r.url and "lang=de" in r.url):
        page.locator("#q").press_sequentially("ha", delay=30)
    page.locator("#suggestions li", has_text="hafen").first.wait_for()
    assert page.locator("#suggestions li", has_text="harbour").count() == 0


def test_facet_filter_box_narrows_values_live(page, base_url):
    page.goto(base_url + "/")
    url = page.url
    page.locator("#filter-person").press_sequentially("minor", delay=20)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#facet-person .name')].every(n => n.textContent.startsWith('Minor'))")
    names = page.locator("#facet-person .name").all_inner_texts()
    assert len(names) == 12 and page.url == url
    with page.expect_navigation():
        facet_box(page, "person", "Minor Figure 50").check()
    assert parse_qs(urlsplit(page.url).query)["person"] == ["Minor Figure 50"]
    assert shown_total(page) == 1


def test_date_histogram_bar_filters_to_a_year(page, base_url):
    page.goto(base_url + "/")
    with page.expect_navigation():
        page.locator('.histogram a[title^="2004:"]').click()
    params = parse_qs(urlsplit(page.url).query)
    assert params["from"] == ["2004-01-01"] and params["to"] == ["2004-12-31"]
    assert page.locator(".histogram a").count() == 12
    assert shown_total(page) == sum(1 for a in ARTICLES if a.date and a.date.year == 2004)


def test_narrow_screen_folds_filters_behind_a_toggle(browser, base_url):
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(base_url + "/?q=diplomats&country=China")
    summary = page.locator("#filters > summary")
    assert summary.is_visible() and summary.inner_text().strip() == "Filters (1)"
    assert not page.locator("#facet-country").is_visible()
    page.screenshot(path=str(ARTIFACTS / "search-narrow.png"), full_page=False)
    summary.click()
    assert page.locator("#facet-country").is_visible()
    page.screenshot(path=str(ARTIFACTS / "search-narrow-open.png"), full_page=False)
    context.close()


def test_everything_works_without_javascript(browser, base_url):
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/")
    assert page.locator("#facet-country").is_visible()      # the sidebar is open on wide screens without JS
    page.locator("#filter-person").fill("kel")
    with page.expect_navigation():
        page.locator("#facet-person button", has_text="Find").click()
    assert page.locator("#facet-person .name").all_inner_texts() == ["James Kelly"]
    page.locator("#q").fill("diplomats")
    with page.expect_navigation():
        page.locator(".searchbox button").click()
    # facet values are a form of checkboxes: tick several, then Apply
    facet_box(page, "country", "China").check()
    facet_box(page, "country", "Japan").check()
    assert page.locator("#facet-country button", has_text="Apply").is_visible()
    with page.expect_navigation():
        page.locator("#facet-country button", has_text="Apply").click()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["diplomats"], "country": ["China", "Japan"]}
    assert shown_total(page) == expected("diplomats", ("China", "Japan"))[0]
    facet_box(page, "country", "Japan").uncheck()
    with page.expect_navigation():
        page.locator("#facet-country button", has_text="Apply").click()
    assert shown_total(page) == expected("diplomats", ("China",))[0]
    page.goto(base_url + "/")
    with page.expect_navigation():
        page.locator("#facet-person a.more").click()
    assert page.locator("#facet-person .name").count() > 10
    context.close()


# ---------------------------------------------------------------- accessibility

PAGE_KINDS = {
    "search": "/?q=diplomats&country=China&person=Colin+Powell",
    "home": "/",
    "article": "/article/art0002?q=reactor&country=Japan",
    "error": "/no-such-page",
    "trends": "/trends?q=reactor&q=negotiations&q=diplomats&by=month",
    "trends-share": "/trends?q=reactor&q=negotiations&by=year&measure=share&country=Japan",
    "batch-form": "/batch?country=Japan",
}
BLOCKING = ("critical", "serious")


def axe_run(page) -> list[dict]:
    """axe-core's violations on the page as loaded (the pinned npm package, injected over the
    DevTools protocol, so the page's CSP stays in force)."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing; `make axe` installs it")
        pytest.skip(f"{AXE} not installed (make axe)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


def describe(violations: list[dict]) -> list[str]:
    return [f"{v['impact']} {v['id']}: {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:4])
            for v in violations]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1366", "390"])
def test_axe_finds_no_serious_violation(browser, base_url, scheme, viewport):
    """Every page kind, light and dark, wide and narrow (narrow also with the filters opened)."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    page.watch = Watch(page)
    found, summary = [], {}
    kinds = dict(PAGE_KINDS)
    if viewport is NARROW:
        kinds["search-filters-open"] = PAGE_KINDS["search"]
    for kind, url in kinds.items():
        response = page.goto(base_url + url)
        assert response.status == (404 if kind == "error" else 200)
        if kind == "search-filters-open":
            page.locator("#filters > summary").click()
            assert page.locator("#facet-country").is_visible()
        violations = axe_run(page)
        summary[kind] = {impact: sum(1 for v in violations if v["impact"] == impact)
                         for impact in ("critical", "serious", "moderate", "minor")}
        summary[kind]["rules"] = sorted(v["id"] for v in violations)
        found += [f"{kind}: {line}" for line in describe([v for v in violations if v["impact"] in BLOCKING])]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{scheme}-{viewport['width']}.json").write_text(json.dumps(summary, indent=1))
    assert found == [], "\n".join(found)
    assert page.watch.csp == []
    context.close()


def test_keyboard_reaches_the_first_result_and_toggles_a_facet_with_space(page, base_url):
    page.goto(base_url + "/?q=diplomats")
    assert page.evaluate("document.activeElement === document.body")   # no autofocus after a search
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    first = page.locator(".hit-title a").first
    presses = 1
    while presses < 5 and not first.evaluate("a => a === document.activeElement"):
        page.keyboard.press("Tab")
        presses += 1
    assert first.evaluate("a => a === document.activeElement"), f"first result not reached in {presses} Tabs"
    assert presses <= 5

    box = facet_box(page, "country", "China")
    assert box.evaluate("b => b.type") == "checkbox" and not box.is_checked()
    name = box.evaluate("b => b.labels[0].textContent").split()
    assert name[0] == "China" and name[1].replace(",", "").isdigit()          # the count is in its name
    box.focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["diplomats"], "country": ["China"]}
    box = facet_box(page, "country", "China")
    assert box.is_checked()
    assert box.evaluate("b => b === document.activeElement")     # focus stays on the value just toggled
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["diplomats"]}
    assert not facet_box(page, "country", "China").is_checked()


def test_results_article_and_back_keep_every_filter_sort_and_page(page, base_url):
    page.goto(base_url + "/")
    page.locator("#q").fill("diplomats")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    for name in ("China", "Japan", "Russia", "United States"):
        with page.expect_navigation():
            facet_box(page, "country", name).check()
    page.locator(".dates input[name=from]").fill("2003-01-01")
    page.locator(".dates input[name=to]").fill("2005-12-31")
    with page.expect_navigation():
        page.locator(".dates button").click()
    with page.expect_navigation():
        page.locator(".seg a", has_text="oldest").click()
    with page.expect_navigation():
        page.locator(".seg a", has_text="20").click()
    assert shown_total(page) > 20          # two pages of 20
    with page.expect_navigation():
        page.locator(".pager a", has_text="2").first.click()
    results_url = page.url
    state = parse_qs(urlsplit(results_url).query)
    countries = ["China", "Japan", "Russia", "United States"]
    assert state == {"q": ["diplomats"], "country": countries, "from": ["2003-01-01"], "to": ["2005-12-31"],
                     "sort": ["oldest"], "size": ["20"], "page": ["2"]}
    titles = page.locator(".hit-title a").all_inner_texts()

    with page.expect_navigation():
        page.locator(".hit-title a").nth(1).click()
    back = page.locator(".crumbs a")
    assert back.inner_text() == ("‹ Results for diplomats (China, Japan, Russia, United States, "
                                 "2003-01-01 – 2005-12-31)")
    with page.expect_navigation():
        back.click()
    assert parse_qs(urlsplit(page.url).query) == state
    assert page.locator(".hit-title a").all_inner_texts() == titles
    assert all(facet_box(page, "country", name).is_checked() for name in countries)
    assert page.locator(".controls .seg a.on").all_inner_texts() == ["oldest", "20"]
    assert page.locator(".pager a.on").inner_text() == "2"
    assert page.locator(".dates input[name=from]").input_value() == "2003-01-01"

    # the browser's own back button walks the same way
    with page.expect_navigation():
        page.locator(".hit-title a").first.click()
    page.go_back()
    assert page.url == results_url

    # chips on the article page keep the query (and the rest of the search) and add their filter
    with page.expect_navigation():
        page.locator(".hit-title a").first.click()
    chip = page.locator(".entities a.chip-country").first
    name = chip.inner_text()
    with page.expect_navigation():
        chip.click()
    params = parse_qs(urlsplit(page.url).query)
    assert params["q"] == ["diplomats"] and name in params["country"] and params["sort"] == ["oldest"]
    assert "page" not in params


def test_screenshots_of_search_article_and_mobile_filters(browser, base_url):
    """For looking at (tests/artifacts/): light and dark, wide and narrow with the filters open."""
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=WIDE, color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + "/?q=diplomats&country=China&country=Japan")
        page.screenshot(path=str(ARTIFACTS / f"search-{scheme}.png"), full_page=True)
        page.goto(base_url + "/article/art0004?q=reactor")
        page.screenshot(path=str(ARTIFACTS / f"article-{scheme}.png"), full_page=True)
        page.goto(base_url + "/no-such-page")
        page.screenshot(path=str(ARTIFACTS / f"error-{scheme}.png"))
        context.close()
        context = browser.new_context(viewport=NARROW, color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + "/?q=diplomats&country=China")
        page.locator("#filters > summary").click()
        assert page.locator("#facet-country").is_visible()
        page.screenshot(path=str(ARTIFACTS / f"mobile-filters-{scheme}.png"))
        context.close()


def tab_to(page, selector: str, most: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    trail = []
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
        trail.append(page.evaluate("(e => e.tagName + ' ' + (e.getAttribute('href') || e.id || e.name || ''))"
                                   "(document.activeElement)"))
    raise AssertionError(f"Tab never reached {selector} (focus went to: {' · '.join(trail[-12:])})")


def watched_page(browser, scheme: str, url: str):
    """A wide page in ``scheme`` opened at ``url``, its dialogs and CSP reports watched: (context, page)."""
    context = browser.new_context(viewport=WIDE, color_scheme=scheme)
    page = context.new_page()
    page.watch = Watch(page)
    page.goto(url)
    return context, page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_batch_by_keyboard_streams_a_table_without_serious_violations(browser, base_url, scheme):
    context, page = watched_page(browser, scheme, base_url + "/batch?country=Japan")
    tab_to(page, "#queries")
    page.keyboard.type('reactor\n"diplomats met\nAND OR\nperson:kelly')
    tab_to(page, "button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 4
    assert rows.nth(2).locator(".error-note").count() == 1           # the malformed line has its row
    assert "4 of 4 run" in page.locator(".tally").inner_text()
    found = describe([v for v in axe_run(page) if v["impact"] in BLOCKING])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"batch-{scheme}.png"), full_page=True)
    tab_to(page, "table.data tbody a")
    with page.expect_navigation():
        page.keyboard.press("Enter")                                  # a row's query opens its search
    assert parse_qs(urlsplit(page.url).query) == {"q": ["reactor"], "country": ["Japan"]}
    assert found == [], "\n".join(found)
    assert page.watch.csp == [] and page.watch.dialogs == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_trends_by_keyboard_add_a_query_and_open_a_period(browser, base_url, scheme):
    context, page = watched_page(browser, scheme, base_url + "/?q=reactor")
    tab_to(page, 'a[href^="/trends"]', most=140)     # past ten hits, each with its chips and language
    with page.expect_navigation():
        page.keyboard.press("Enter")                                  # the search page's "Trend" link
    assert parse_qs(urlsplit(page.url).query)["q"] == ["reactor"]
    tab_to(page, "#q-new")
    page.keyboard.type("negotiations")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["reactor", "negotiations"]
    assert page.locator("svg.trend-svg path.line").count() == 2
    assert page.locator("table.trend-table tbody tr").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"trends-{scheme}.png"), full_page=True)
    found = describe([v for v in axe_run(page) if v["impact"] in BLOCKING])
    link = page.locator("table.trend-table tbody a").first
    count = int(link.inner_text().replace(",", ""))
    tab_to(page, "table.trend-table tbody a")
    with page.expect_navigation():
        page.keyboard.press("Enter")                                  # a period's count opens its search
    assert shown_total(page) == count
    assert found == [], "\n".join(found)
    assert page.watch.csp == [] and page.watch.dialogs == []
    context.close()
