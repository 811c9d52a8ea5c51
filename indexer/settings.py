"""Named limits, each declared once with its default and help text.

The README's Settings table is generated from this registry (``python -m indexer.settings``) and a
test checks that it matches, so a limit cannot be added, renamed or re-explained without the docs.
Callers read the module attributes (``settings.MAX_PAGE_SIZE``); tests may monkeypatch them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One named limit: the registry's entry that the README row is generated from."""
    name: str
    default: Any
    help: str


REGISTRY: dict[str, Setting] = {}


def _declare(name: str, default: Any, help: str) -> Any:
    if name in REGISTRY:
        raise ValueError(f"setting {name} is declared twice")
    REGISTRY[name] = Setting(name, default, help)
    return default


MAX_QUERY_CHARS = _declare("MAX_QUERY_CHARS", 1000,
                           "longer queries are cut at the end of a word, with a message")
MAX_QUERY_WORDS = _declare("MAX_QUERY_WORDS", 32,
                           "a long paste of plain words (no operators, quotes or fields) searches its first this "
                           "many different words, with a message")
MAX_PAGE_SIZE = _declare("MAX_PAGE_SIZE", 100, "largest page size accepted; larger ones are lowered to it")
PAGE_SIZES = _declare("PAGE_SIZES", (10, 20, 50), "page sizes the web page offers")
DEFAULT_PAGE_SIZE = _declare("DEFAULT_PAGE_SIZE", 10, "results per page by default")
MAX_PAGE = _declare("MAX_PAGE", 1000, "deepest page served; deeper ones are refused with a message")
MAX_FILTER_VALUES = _declare("MAX_FILTER_VALUES", 50, "selected values kept per facet")
FACET_SIZE = _declare("FACET_SIZE", 10, "values shown per facet before \"more\"")
MAX_FACET_SIZE = _declare("MAX_FACET_SIZE", 500, "most values one facet request returns")
SNIPPET_CHARS = _declare("SNIPPET_CHARS", 220, "length of a hit's snippet, in characters")
SNIPPET_FRAGMENTS = _declare("SNIPPET_FRAGMENTS", 3, "most fragments in a snippet")
HIGHLIGHT_SCAN_CHARS = _declare("HIGHLIGHT_SCAN_CHARS", 60_000,
                                "how many characters of a long article's body are scanned for snippets")
SUGGEST_MAX_HITS = _declare("SUGGEST_MAX_HITS", 3,
                            "\"did you mean\" is offered when a query has at most this many hits")
EXPORT_MAX_HITS = _declare("EXPORT_MAX_HITS", 100_000, "most rows a CSV/JSON export streams")
FEED_SIZE = _declare("FEED_SIZE", 20, "entries in an Atom feed")
COPIES_SHOWN = _declare("COPIES_SHOWN", 5,
                        "other copies named under a grouped result (oldest first); the rest are on its story's page")
STORY_COPIES = _declare("STORY_COPIES", 100, "copies of its story listed on an article page")
MORE_LIKE_THIS = _declare("MORE_LIKE_THIS", 5, "similar articles shown on an article page")
MORE_FACET_SIZE = _declare("MORE_FACET_SIZE", 100, "values shown when a facet is expanded with \"more\"")
SUGGEST_LIMIT = _declare("SUGGEST_LIMIT", 8, "autocomplete entries")
SUGGEST_WORDS = _declare("SUGGEST_WORDS", 3,
                         "most typed words an autocomplete name replaces (`north ko` → `country:\"North Korea\"`)")
MAX_ID_CHARS = _declare("MAX_ID_CHARS", 200, "longest article id looked up; longer ones are refused unread")
MAX_PREFIX_CHARS = _declare("MAX_PREFIX_CHARS", 100, "longest facet filter text")
HIT_COUNTRY_CHIPS = _declare("HIT_COUNTRY_CHIPS", 3,
                             "country chips under a hit (most salient first); the rest are on its page")
HIT_PERSON_CHIPS = _declare("HIT_PERSON_CHIPS", 5,
                            "person chips under a hit (most mentioned first); the rest are on its page")
HIT_ORGANISATION_CHIPS = _declare("HIT_ORGANISATION_CHIPS", 3,
                                  "organisation chips under a hit (most mentioned first); the rest are on its page")
FACET_TIME_BUDGET = _declare("FACET_TIME_BUDGET", 0.25,
                             "seconds into a search after which the facets not yet counted come back partial "
                             "(selected values only, marked \"partial\")")
SEARCH_TIME_BUDGET = _declare("SEARCH_TIME_BUDGET", 0.4,
                              "seconds into a search after which the rest is cut short (the remaining words of a "
                              "long OR or paste, the proximity bonus, facets, snippets) and the page comes back "
                              "partial, newest first, with a message")
MAX_EXPANSIONS = _declare("MAX_EXPANSIONS", 20,
                          "index terms one wildcard or prefix expands to in each language: its most frequent "
                          "matching words")
MAX_EXPANSION_DOCS = _declare("MAX_EXPANSION_DOCS", 100_000,
                              "documents a wildcard's words may hold in all (their document counts); the first "
                              "word is always taken")
MAX_PROXIMITY_PAIRS = _declare("MAX_PROXIMITY_PAIRS", 8,
                               "pairs of words typed side by side that are checked for standing together in an "
                               "article (a ranking bonus)")
RESCORE_WINDOW = _declare("RESCORE_WINDOW", 200,
                          "the best-scoring articles (at least down to the page's end) the proximity bonus is "
                          "computed for: word positions are read for those only")
PROXIMITY_WEIGHT = _declare("PROXIMITY_WEIGHT", 1.0,
                            "the proximity bonus: this times the pair's BM25 score, in articles where the words "
                            "stand together")
MIN_SHOULD_MATCH = _declare("MIN_SHOULD_MATCH", 0.5,
                            "when no article has all of a query's words: the articles with at least this share "
                            "of as many of them as the best article has, those with more words first")
MAX_QUEUED_REQUESTS = _declare("MAX_QUEUED_REQUESTS", 64,
                               "`serve` under overload: a request that finds this many waiting before it is "
                               "answered 503 at once")
MAX_QUEUE_WAIT = _declare("MAX_QUEUE_WAIT", 2.0,
                          "`serve` under overload: a request that waited this many seconds for a thread is "
                          "answered 503")
RETRY_AFTER = _declare("RETRY_AFTER", 2, "`serve`: the `Retry-After` seconds sent with a 503 under overload")
KEEPALIVE_REQUESTS = _declare("KEEPALIVE_REQUESTS", 16,
                              "with `serve --processes` above 1, a kept-alive connection is closed after this many "
                              "requests, so the clients spread over the processes again (a connection stays with "
                              "the process that accepted it)")
STOP_GRACE = _declare("STOP_GRACE", 10,
                      "with `serve --processes` above 1, the seconds SIGTERM gives the requests in flight to finish "
                      "before the workers stop (Ctrl-C stops them at once)")
FILE_TIME_LIMIT = _declare("FILE_TIME_LIMIT", 30,
                           "seconds reading and extracting one article may take (the clock restarts at each "
                           "article of a many-article file); a file where one takes longer is skipped whole as "
                           "\"timed out\"")
MAX_FILE_BYTES = _declare("MAX_FILE_BYTES", 16 * 1024 * 1024,
                          "bytes above which a single-article file (txt, html, json) is skipped unread as too "
                          "large; in jsonl and sgm files, the cap on one line or document")

BATCH_MAX_QUERIES = _declare("BATCH_MAX_QUERIES", 1000,
                              "most queries one batch search runs (`/batch`, `/api/batch`, `newsfacet batch`); a "
                              "longer list is refused with a message")
BATCH_MAX_BYTES = _declare("BATCH_MAX_BYTES", 1024 * 1024,
                           "largest list of queries (pasted or uploaded) a batch search accepts, in bytes")
TREND_MAX_SERIES = _declare("TREND_MAX_SERIES", 8,
                            "most queries one trend compares (`/trends`, `/api/trends`, `newsfacet trends`); the "
                            "chart has a colour and a marker for each")
TREND_MAX_POINTS = _declare("TREND_MAX_POINTS", 120,
                            "a trend's periods are the finest of day, week, month and year that gives at most this "
                            "many over its range (a finer one may still be asked for, up to 20 times this)")

OPENSEARCH_URL = _declare("OPENSEARCH_URL", "http://127.0.0.1:9200",
                          "the OpenSearch engine's cluster (`NEWSFACET_OPENSEARCH_URL`, `--opensearch`); several "
                          "nodes may be given, separated by commas")
OPENSEARCH_INDEX = _declare("OPENSEARCH_INDEX", "newsfacet",
                            "the OpenSearch alias searched (`NEWSFACET_OPENSEARCH_INDEX`); a rebuild writes a new "
                            "index named after it and a timestamp and moves the alias to it")
OPENSEARCH_SHARDS = _declare("OPENSEARCH_SHARDS", 2, "primary shards of an index a rebuild creates in OpenSearch")
OPENSEARCH_REPLICAS = _declare("OPENSEARCH_REPLICAS", 1,
                               "replicas of each OpenSearch shard (1: a lost node leaves a full copy)")
OPENSEARCH_TIMEOUT = _declare("OPENSEARCH_TIMEOUT", 30, "seconds an OpenSearch request may take before it fails")
OPENSEARCH_BULK_DOCS = _declare("OPENSEARCH_BULK_DOCS", 500, "articles per OpenSearch bulk request")
OPENSEARCH_BULK_THREADS = _declare("OPENSEARCH_BULK_THREADS", 2, "bulk requests a rebuild keeps in flight at once")
OPENSEARCH_SHARD_SIZE = _declare("OPENSEARCH_SHARD_SIZE", 2000,
                                 "facet values each OpenSearch shard counts before the top ones are merged "
                                 "(counts are exact when a facet has fewer values per shard)")

SETTINGS = {name: setting.default for name, setting in REGISTRY.items()}   # name → default, for callers that list them


def readme_table() -> str:
    """The README's Settings table, so the docs are generated from the registry rather than kept by hand."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for s in REGISTRY.values():
        default = f"{s.default:_}" if isinstance(s.default, int) and s.default >= 10_000 else repr(s.default)
        rows.append(f"| `{s.name}` | `{default}` | {s.help} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(readme_table(), end="")
