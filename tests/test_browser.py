"""The web UI in a real browser: Playwright driving Debian's Chromium against waitress.

Skipped when /usr/bin/chromium is missing, except under CI (env CI set), where
that is a failure. Screenshots go to tests/artifacts/ (git-ignored).
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import XSS_TITLE, waitress_in_thread, web_articles

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARTICLES = web_articles()
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}


def expected(word, countries):
    """(total, country counts over the word's matches) from the fixture documents (disjunctive)."""
    base = [a for a in ARTICLES if word in re.findall(r"\w+", f"{a.title} {a.body}".lower())]
    total = sum(1 for a in base if any(c in a.countries + a.countries_mentioned for c in countries))
    counts = {}
    for a in base:
        for c in a.countries + a.countries_mentioned:
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
    return page.locator(f'#facet-{facet} a.value:has(.name:text-is("{name}"))')


def shown_total(page) -> int:
    return int(page.locator(".count strong").inner_text().replace(",", ""))


def test_search_select_two_countries_and_open_an_article(page, base_url):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(base_url + "/")
    assert page.evaluate("document.activeElement.id") == "q"     # autofocus
    page.locator("#q").fill("diplomats")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["diplomats"]
    _, counts = expected("diplomats", ())
    assert shown_total(page) == sum(1 for a in ARTICLES if "diplomats" in a.body.lower())

    with page.expect_navigation():
        facet_value(page, "country", "China").click()
    with page.expect_navigation():
        facet_value(page, "country", "Japan").click()
    params = parse_qs(urlsplit(page.url).query)
    assert params["country"] == ["China", "Japan"] and params["q"] == ["diplomats"]
    total, counts = expected("diplomats", ("China", "Japan"))
    assert shown_total(page) == total
    # disjunctive counts: every shown country counts over all matches of the query
    for name in ("China", "Japan", "Russia"):
        count = facet_value(page, "country", name).locator(".count").inner_text()
        assert int(count.replace(",", "")) == counts[name], name
    assert "selected" in facet_value(page, "country", "China").get_attribute("class")
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
    assert "/article/" in page.url and "q=diplomats" in page.url
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


def test_autocomplete_fills_a_person_search(page, base_url):
    page.goto(base_url + "/")
    page.locator("#q").press_sequentially("kel", delay=30)
    option = page.locator("#suggestions li", has_text="James Kelly")
    option.wait_for()
    assert page.locator("#q").get_attribute("aria-expanded") == "true"
    page.locator("#q").press("ArrowDown")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert parse_qs(urlsplit(page.url).query)["q"] == ['person:"James Kelly"']
    assert shown_total(page) == sum(1 for a in ARTICLES if "James Kelly" in a.people)


def test_facet_filter_box_narrows_values_live(page, base_url):
    page.goto(base_url + "/")
    url = page.url
    page.locator("#filter-person").press_sequentially("minor", delay=20)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#facet-person .name')].every(n => n.textContent.startsWith('Minor'))")
    names = page.locator("#facet-person .name").all_inner_texts()
    assert len(names) == 12 and page.url == url
    with page.expect_navigation():
        facet_value(page, "person", "Minor Figure 50").click()
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
        page.locator("#facet-person button").click()
    assert page.locator("#facet-person .name").all_inner_texts() == ["James Kelly"]
    page.locator("#q").fill("diplomats")
    with page.expect_navigation():
        page.locator(".searchbox button").click()
    with page.expect_navigation():
        facet_value(page, "country", "China").click()
    assert shown_total(page) == expected("diplomats", ("China",))[0]
    page.goto(base_url + "/")
    with page.expect_navigation():
        page.locator("#facet-person a.more").click()
    assert page.locator("#facet-person .name").count() > 10
    context.close()
