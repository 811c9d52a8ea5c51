"""Named limits. Each one is documented in the README (a test checks that)."""

MAX_QUERY_CHARS = 1000        # longer queries are cut, with a message
MAX_QUERY_WORDS = 32          # a long paste of plain words searches its first this many different words
MAX_PAGE_SIZE = 100           # page sizes above this are lowered to it
PAGE_SIZES = (10, 20, 50)     # sizes the web page offers
DEFAULT_PAGE_SIZE = 10
MAX_PAGE = 1000               # deeper pages are refused with a message
MAX_FILTER_VALUES = 50        # selected values per facet
FACET_SIZE = 10               # values shown per facet before "more"
MAX_FACET_SIZE = 500          # most values one facet request returns
SNIPPET_CHARS = 220           # total snippet length for a hit
SNIPPET_FRAGMENTS = 3
HIGHLIGHT_SCAN_CHARS = 60_000  # body characters scanned for snippets (huge articles)
SUGGEST_MAX_HITS = 3          # "did you mean" is looked for when a query has at most this many hits
EXPORT_MAX_HITS = 100_000     # rows a CSV/JSON export streams
FEED_SIZE = 20                # entries in an Atom feed
MORE_LIKE_THIS = 5
MORE_FACET_SIZE = 100         # values shown when a facet is expanded (?more=person)
SUGGEST_LIMIT = 8             # autocomplete entries
SUGGEST_WORDS = 3             # most typed words one autocomplete name replaces ("north ko" → North Korea)
MAX_ID_CHARS = 200            # longer article ids are refused before any lookup
MAX_PREFIX_CHARS = 100        # facet filter box input
HIT_COUNTRY_CHIPS = 3         # entity chips under a hit (salience order); the rest on its page
HIT_PERSON_CHIPS = 5
FACET_TIME_BUDGET = 0.25      # seconds into a search after which facets not yet counted come back partial
SEARCH_TIME_BUDGET = 0.4      # seconds into a search after which the rest is cut short: the page comes back partial
MAX_EXPANSIONS = 20           # index terms one wildcard or prefix expands to (its most frequent matching words)
MAX_EXPANSION_DOCS = 100_000  # ... and at most this many postings (their words' document counts) read for them
MAX_PROXIMITY_PAIRS = 8       # adjacent query-word pairs checked for standing together (a ranking bonus)
RESCORE_WINDOW = 200          # the best-scoring articles the proximity bonus is computed for (at least a page's end)
PROXIMITY_WEIGHT = 1.0        # the bonus: this times the pair's score in articles where the words stand together
MIN_SHOULD_MATCH = 0.5        # when no article has all the words: those with this share of the best one's count
MAX_QUEUED_REQUESTS = 64      # `serve`: requests waiting for a thread beyond which a process answers 503
MAX_QUEUE_WAIT = 2.0          # `serve`: seconds a request may wait for a thread before it is answered 503
RETRY_AFTER = 2               # `serve`: the Retry-After seconds sent with a 503 under overload
KEEPALIVE_REQUESTS = 16       # `serve --processes N>1`: requests per connection before it is closed (rebalances)
FILE_TIME_LIMIT = 30          # seconds one input file may take to read and extract before it is skipped

SETTINGS = {name: value for name, value in globals().items() if name.isupper() and name != "SETTINGS"}
