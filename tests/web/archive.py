"""The small archive the web tests run over, and what its searches must find, computed here
from the articles themselves (not through the library): known facet values and hostile articles."""
from __future__ import annotations

import re
from collections import Counter

from tests.conftest import make_article
from indexer.model import Article

WEB_COUNTRIES = ["China", "Japan", "North Korea", "South Korea", "Russia", "United States"]
WEB_PEOPLE = ["James Kelly", "Kim Jong Il", "Colin Powell", "Roh Moo-hyun", "Junichiro Koizumi"]
XSS_TITLE = '<script>alert("title")</script> Reactor & "quotes" \'single\''
XSS_BODY = ('The reactor story <script>window.__pwned = 1; alert("body")</script> continues.\n\n'
            '<img src=x onerror="window.__pwned=2"> Second paragraph about the reactor & <b>tags</b>.\n\n'
            '=HYPERLINK("http://evil.example") closing words.')
WEB_FORMULA_TITLES = ["=SUM(A1:A9) spreadsheet", "+1 spreadsheet", "@cmd spreadsheet", "-2 spreadsheet"]
XSS_PERSON = 'Evil <img src=x onerror=alert(3)> "Person"'
XSS_AUTHOR = "<b>Eve</b> Smith"
XSS_ORG = "<i>Friends</i> of the Library"


def web_articles() -> list[Article]:
    """A small archive with known facet values, and some hostile articles.

    Article n: countries and people rotate through the lists above, dates spread
    over 2003–2005 (every 7th has none); even articles mention "reactor", articles
    divisible by 3 mention "negotiations". Articles 59–63 have bylines and organisations. Articles
    1–62 are in English, 63 of no language told, 64–66 in Spanish, German and French.
    """
    articles = []
    for n in range(1, 41):
        countries = [WEB_COUNTRIES[n % 6]] + ([WEB_COUNTRIES[(n + 2) % 6]] if n % 4 == 0 else [])
        people = [WEB_PEOPLE[n % 5]] if n % 2 else []
        words = ["Diplomats met again in the capital."]
        if n % 2 == 0:
            words.append("The reactor was discussed at length.")
        if n % 3 == 0:
            words.append("The negotiations stalled over sanctions.")
        words.append(f"Story number {n} ends here.")
        date = None if n % 7 == 0 else f"{2003 + n % 3}-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}"
        articles.append(make_article(n, f"Archive story {n} about {countries[0]}", " ".join(words), date,
                                     people=people, countries=countries,
                                     mentioned=[WEB_COUNTRIES[(n + 1) % 6]] if n % 5 == 0 else [],
                                     url=f"https://news.example.org/story/{n}"))
    articles.append(make_article(41, XSS_TITLE, XSS_BODY, "2004-02-20", people=[XSS_PERSON, "James Kelly"],
                                 countries=["China"], url="javascript:alert(document.domain)"))
    articles.append(make_article(42, "Plain story with a data URL", "Nothing special about this reactor.",
                                 "2004-02-21", countries=["Japan"], url="data:text/html,<script>alert(1)</script>"))
    for n in range(43, 55):   # many people, so facets need "more"
        articles.append(make_article(n, f"Harbour report {n}", f"The harbour reopened. Minor figure {n} spoke.",
                                     f"2005-06-{n - 40:02d}", people=[f"Minor Figure {n}"], countries=["Japan"]))
    for n, title in enumerate(WEB_FORMULA_TITLES, 55):
        articles.append(make_article(n, title, "A spreadsheet trick in a title.", "2003-03-03", countries=["Russia"]))
    # bylines and organisations (the byline facet, the organisations' chips, escaping of both)
    articles += [
        make_article(59, "Bridge vote", "The council voted to rebuild the bridge.", "2005-03-03",
                     authors=["Jane Doe", "Robert Roe"], countries=["United Kingdom"], orgs=["Kent County Council"]),
        make_article(60, "Bridge costs", "The bridge will cost more than planned.", "2005-03-05",
                     authors=["Jane Doe"], countries=["United Kingdom"],
                     orgs=["Kent County Council", "Highways Agency"]),
        make_article(61, "River flood", "The river flooded the lower town.", "2005-02-01",
                     authors=["Alan Doe"], countries=["Ireland"], orgs=["Environment Agency"]),
        make_article(62, "Library hours", "The library opens late on Thursdays.", "2005-01-10",
                     authors=[XSS_AUTHOR], orgs=[XSS_ORG]),
        make_article(63, "Council budget", "The council approved the budget.", "2005-01-11"),
    ]
    for a in articles[:-1]:           # the last stays without a language, as too short a text would
        a.facets["language"] = ["en"]
    # articles in other languages: pages mark their text's language, searches find their inflections
    articles += [
        make_article(64, "Elecciones en el puerto", "La elección del consejo del puerto fue ayer.", "2005-04-01",
                     language=["es"]),
        make_article(65, "Wahlen im Hafen", "Die Wahl des Hafenrats war gestern.", "2005-04-02", language=["de"]),
        make_article(66, "L'élection du port", "Les élections du conseil du port ont eu lieu hier.", "2005-04-03",
                     language=["fr"]),
    ]
    return articles


ARTICLES = web_articles()


def values_of(article, name: str) -> list[str]:
    """An article's values of facet ``name`` (the ones it is about, for a scoped facet)."""
    return article.facets.get(name, [])


def involved(article) -> list[str]:
    """Every country an article involves: the ones it is about, then those it mentions."""
    return values_of(article, "country") + article.mentioned.get("country", [])


def words_of(article) -> set[str]:
    """The lower-cased words of an article's title and body."""
    return set(re.findall(r"\w+", f"{article.title} {article.body}".lower()))


def expected(word=None, countries=(), people=(), date_from=None, date_to=None, scope="any"):
    """(total, country counts, person counts, year counts) computed from the fixture documents:
    OR within a facet, AND across facets, each facet counted over the matches of the *other* filters.
    Countries are those an article involves (about + mentioned), or with ``scope="about"`` only the
    ones it is about."""
    base = [a for a in ARTICLES if word is None or word in words_of(a)]

    def in_scope(a):
        return values_of(a, "country") if scope == "about" else involved(a)

    def in_c(a):
        return not countries or any(c in in_scope(a) for c in countries)

    def in_p(a):
        return not people or any(p in values_of(a, "person") for p in people)

    def in_d(a):
        if not (date_from or date_to):
            return True
        return a.date is not None and (not date_from or a.date >= date_from) and (not date_to or a.date <= date_to)

    total = sum(1 for a in base if in_c(a) and in_p(a) and in_d(a))
    country = Counter(c for a in base if in_p(a) and in_d(a) for c in in_scope(a))
    person = Counter(p for a in base if in_c(a) and in_d(a) for p in values_of(a, "person"))
    years = Counter(a.date.year for a in base if in_c(a) and in_p(a) and a.date)
    return total, country, person, years
