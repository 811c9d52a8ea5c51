"""The same articles and the same full-page job on SQLite FTS5 (stdlib) and tantivy (optional).

Articles come from ``indexer.ingest.pipeline.process_file`` (our readers, cleaning and entity extraction,
de-duplicated as the build does), so every engine sees identical text, dates, countries and
people. A "page" is what our ``search()`` returns: total count, top 10 (by relevance or date)
with highlighted snippets, and the three facets (country, person, date histogram) with
disjunctive counts (each facet counted under the other facets' filters).
"""
from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Optional

from common import DATA

PAGE = 10
FACETS = ("country", "person", "date")


# ---------------------------------------------------------------- articles, as the indexer sees them

def _files(paths: Iterable[Path]) -> list[tuple[str, str]]:
    from indexer.ingest import readers
    out = []
    for given in paths:
        root = Path(given).resolve()
        base = str(root if root.is_dir() else root.parent)
        for item in readers.iter_files([root]):
            if not hasattr(item, "reason"):
                out.append((str(Path(item).resolve()), base))
    return out


def load_articles(paths: Iterable[Path], cache: Optional[Path] = None, workers: int = 0) -> list:
    """Every article the indexer would index from ``paths`` (duplicates dropped as the build does)."""
    if cache and cache.exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    from indexer.ingest.pipeline import process_file
    tasks = _files(paths)
    workers = workers or len(os.sched_getaffinity(0))
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(process_file, [t[0] for t in tasks], [t[1] for t in tasks], chunksize=2))
    seen_hash, seen_id, articles = set(), set(), []
    for result in results:
        for art in result.articles:
            if art.content_hash in seen_hash or art.id in seen_id:
                continue
            seen_hash.add(art.content_hash)
            seen_id.add(art.id)
            art.words = frozenset()
            articles.append(art)
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with open(cache, "wb") as fh:
            pickle.dump(articles, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return articles


# ---------------------------------------------------------------- the request mix, per engine

def parts(q: str) -> tuple[str, list[list[str]]]:
    """``("and"|"or", [[word], [phrase words…], …])`` for the mix's queries (words, "phrase", a OR b)."""
    mode = "or" if " OR " in q else "and"
    out, rest = [], q.replace(" OR ", " ")
    chunks = rest.split('"')
    for i, chunk in enumerate(chunks):
        if i % 2:
            if chunk.split():
                out.append(chunk.split())
        else:
            out += [[w] for w in chunk.split()]
    return mode, out


def to_request(r: dict):
    """A request of the mix as a SearchRequest (of this tree, or of a --baseline tree from before the
    facet registry, whose requests held each facet in an attribute of its own)."""
    from indexer.model import SearchRequest
    from indexer.request import parse_date
    chosen = {"country": list(r["countries"]), "person": list(r["people"])}
    if "filters" in SearchRequest.__dataclass_fields__:
        selection = {"filters": {name: values for name, values in chosen.items() if values}}
    else:
        selection = {"countries": chosen["country"], "people": chosen["person"]}
    return SearchRequest(q=r["q"], **selection,
                         date_from=parse_date(r["from"]) if r.get("from") else None,
                         date_to=parse_date(r["to"], end=True) if r.get("to") else None,
                         sort=r["sort"], page=r["page"])


def by_month(r: dict) -> bool:
    return bool(r.get("from") and r.get("to") and r["from"][:4] == r["to"][:4])


# ---------------------------------------------------------------- SQLite FTS5

class Fts5:
    """FTS5 (porter) for text, bm25() with title weight 2, snippet(); side tables for facets."""

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(str(path), check_same_thread=False)
        self.db.execute("PRAGMA temp_store=MEMORY")
        self.db.execute("PRAGMA cache_size=-200000")
        # A request's articles, collected once: with a query its matches (day, bm25 score, and
        # whether each passes the country, person and date filter: c, p, d), else each filter's.
        self.db.execute("CREATE TEMP TABLE m(docid INTEGER PRIMARY KEY, day TEXT, score REAL, c INTEGER, "
                        "p INTEGER, d INTEGER)")
        for name in FACETS:
            self.db.execute(f"CREATE TEMP TABLE in_{name}(docid INTEGER PRIMARY KEY)")

    @classmethod
    def build(cls, articles: list, path: Path) -> "Fts5":
        if path.exists():
            path.unlink()
        db = sqlite3.connect(str(path))
        db.executescript("""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2');
            CREATE TABLE meta(docid INTEGER PRIMARY KEY, id TEXT, title TEXT, day TEXT);
            CREATE TABLE doc_country(docid INTEGER, country TEXT);
            CREATE TABLE doc_person(docid INTEGER, person TEXT);
        """)
        with db:
            for i, a in enumerate(articles, 1):
                db.execute("INSERT INTO docs(rowid, title, body) VALUES (?,?,?)", (i, a.title, a.body))
                db.execute("INSERT INTO meta VALUES (?,?,?,?)",
                           (i, a.id, a.title, a.date.isoformat() if a.date else ""))
                db.executemany("INSERT INTO doc_country VALUES (?,?)", [(i, c) for c in a.facets.get("country", [])])
                db.executemany("INSERT INTO doc_person VALUES (?,?)", [(i, p) for p in a.facets.get("person", [])])
        db.executescript("""
            CREATE INDEX dc_value ON doc_country(country, docid); CREATE INDEX dc_doc ON doc_country(docid);
            CREATE INDEX dp_value ON doc_person(person, docid); CREATE INDEX dp_doc ON doc_person(docid);
            CREATE INDEX meta_day ON meta(day);
            INSERT INTO docs(docs) VALUES('optimize');
            ANALYZE;
        """)
        db.close()
        return cls(path)

    @staticmethod
    def match(q: str) -> str:
        mode, ps = parts(q)
        quoted = ['"' + " ".join(p).replace('"', "") + '"' for p in ps]
        return (" OR " if mode == "or" else " ").join(quoted)

    @staticmethod
    def _filters(r: dict) -> dict:
        """``{facet: (SQL selecting the articles that pass its filter, args)}`` for the request's filters."""
        out = {}
        for name, key, table in (("country", "countries", "doc_country"), ("person", "people", "doc_person")):
            if r[key]:
                out[name] = (f"SELECT docid FROM {table} WHERE {name} IN ({','.join('?' * len(r[key]))})",
                             list(r[key]))
        if r.get("from") or r.get("to"):
            out["date"] = ("SELECT docid FROM meta WHERE day BETWEEN ? AND ?",
                           [r.get("from") or "0001-01-01", r.get("to") or "9999-12-31"])
        return out

    def page(self, r: dict) -> dict:
        db = self.db
        q = self.match(r["q"]) if r["q"].strip() else ""
        relevance = bool(q) and r["sort"] == "relevance"
        filters = self._filters(r)
        for table in ("m", *(f"in_{name}" for name in FACETS)):
            db.execute(f"DELETE FROM {table}")
        if q:
            # The matches, in one pass: each with its day, its bm25 score (relevance order only) and
            # whether it passes each filter, looked up for that article alone.
            flags, args = [], []
            for name in FACETS:
                sql, values = filters.get(name, ("", []))
                flags.append(f"EXISTS ({sql} AND docid = a.docid)" if sql else "1")
                args += values
            score = "bm25(docs, 2.0, 1.0)" if relevance else "NULL"
            db.execute(f"INSERT INTO m SELECT a.docid, a.day, {score}, {', '.join(flags)} "
                       f"FROM docs JOIN meta a ON a.docid = docs.rowid WHERE docs MATCH ?", [*args, q])
            tests = {"country": "m.c", "person": "m.p", "date": "m.d"}

            def articles(skip: str = "", table: str = "") -> str:
                """FROM … WHERE … for the matches passing all filters but ``skip``'s (joined to ``table``)."""
                where = " AND ".join(test for name, test in tests.items() if name != skip)
                return f"m JOIN {table} t ON t.docid = m.docid WHERE {where}" if table else f"m WHERE {where}"
        else:
            # No query: every article matches. Each filter's articles are collected once.
            for name, (sql, values) in filters.items():
                db.execute(f"INSERT OR IGNORE INTO in_{name} {sql}", values)

            def articles(skip: str = "", table: str = "") -> str:
                """FROM … WHERE … for the articles passing all filters but ``skip``'s (rows of ``table``)."""
                joins = "".join(f" JOIN in_{name} USING (docid)" for name in filters if name != skip)
                return f"{table} t{joins} WHERE 1" if table else f"meta{joins} WHERE 1"
        # the sets' sizes, so that SQLite joins a few articles row by row and many along a value index
        db.execute("ANALYZE temp")

        total = db.execute(f"SELECT count(*) FROM {articles()}").fetchone()[0]
        if relevance:
            sql = f"SELECT docid FROM {articles()} ORDER BY score, docid"
        else:
            sql = (f"SELECT docid FROM {articles()} AND day != '' "
                   f"ORDER BY day {'ASC' if r['sort'] == 'oldest' else 'DESC'}, docid")
        ids = [row[0] for row in db.execute(f"{sql} LIMIT ? OFFSET ?", [PAGE, (r["page"] - 1) * PAGE])]
        # snippets and titles for the page's articles only
        snippets, titles, marks = {}, {}, ",".join("?" * len(ids))
        if ids:
            if q:
                snippets = dict(db.execute(
                    f"SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', ' … ', 24) FROM docs "
                    f"WHERE docs MATCH ? AND rowid IN ({marks})", [q, *ids]).fetchall())
            else:
                snippets = dict(db.execute(f"SELECT rowid, substr(body, 1, 220) FROM docs WHERE rowid IN ({marks})",
                                           ids).fetchall())
            titles = dict(db.execute(f"SELECT docid, title FROM meta WHERE docid IN ({marks})", ids).fetchall())
        hits = [(titles.get(i), snippets.get(i, "")) for i in ids]
        # disjunctive facets: each counted under the other two filters
        facets = {}
        for name, table, col in (("country", "doc_country", "country"), ("person", "doc_person", "person")):
            facets[name] = db.execute(f"SELECT t.{col}, count(*) n FROM {articles(name, table)} "
                                      f"GROUP BY t.{col} ORDER BY n DESC, t.{col} LIMIT 10").fetchall()
        # by day first (without a query that is meta_day's order: no sort), then by year or month
        width = 7 if by_month(r) else 4
        facets["date"] = db.execute(
            f"SELECT substr(day, 1, {width}) k, sum(n) FROM (SELECT day, count(*) n FROM {articles('date')} "
            f"AND day != '' GROUP BY day) GROUP BY k ORDER BY k").fetchall()
        return {"total": total, "hits": hits, "facets": facets}

    def size_bytes(self) -> int:
        return self.path.stat().st_size


# ---------------------------------------------------------------- tantivy (optional)

def tantivy_available() -> bool:
    try:
        import tantivy  # noqa: F401
        return True
    except ImportError:
        return False


class Tantivy:
    """tantivy (en_stem, BM25, title boost 2); country/person/year/month as fast raw fields for
    terms aggregations, day as a fast integer for date ranges and date sort."""

    def __init__(self, path: Path):
        import tantivy
        self.t = tantivy
        self.path = path
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.index.reload()
        self.searcher = self.index.searcher()

    @staticmethod
    def schema():
        import tantivy
        b = tantivy.SchemaBuilder()
        b.add_text_field("id", stored=True, tokenizer_name="raw")
        b.add_text_field("title", stored=True, tokenizer_name="en_stem")
        b.add_text_field("body", stored=True, tokenizer_name="en_stem")
        for name in ("country", "person", "year", "month"):
            b.add_text_field(name, stored=False, fast=True, tokenizer_name="raw", index_option="basic")
        b.add_integer_field("day", stored=False, indexed=True, fast=True)
        return b.build()

    @classmethod
    def build(cls, articles: list, path: Path, threads: int = 0) -> "Tantivy":
        import tantivy
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        index = tantivy.Index(cls.schema(), path=str(path))
        writer = index.writer(heap_size=256_000_000, num_threads=threads or len(os.sched_getaffinity(0)))
        for a in articles:
            doc = tantivy.Document(id=a.id, title=a.title, body=a.body)
            for c in a.facets.get("country", []):
                doc.add_text("country", c)
            for p in a.facets.get("person", []):
                doc.add_text("person", p)
            if a.date:
                day = a.date.isoformat()
                doc.add_text("year", day[:4])
                doc.add_text("month", day[:7])
                doc.add_integer("day", a.date.toordinal())
            else:
                doc.add_integer("day", 0)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        return cls(path)

    def text_query(self, q: str):
        mode, ps = parts(q)
        text = (" OR " if mode == "or" else " ").join('"' + " ".join(p) + '"' if len(p) > 1 else p[0] for p in ps)
        return self.index.parse_query(text, ["title", "body"], field_boosts={"title": 2.0},
                                      conjunction_by_default=True)

    def _filters(self, r: dict, skip: str = "") -> list:
        t, out = self.t, []
        if r["countries"] and skip != "country":
            out.append(t.Query.term_set_query(self.schema, "country", list(r["countries"])))
        if r["people"] and skip != "person":
            out.append(t.Query.term_set_query(self.schema, "person", list(r["people"])))
        if (r.get("from") or r.get("to")) and skip != "date":
            lo = dt.date.fromisoformat(r["from"]).toordinal() if r.get("from") else 1
            hi = dt.date.fromisoformat(r["to"]).toordinal() if r.get("to") else None
            out.append(t.Query.range_query(self.schema, "day", t.FieldType.Integer, lo, hi))
        return out

    def _and(self, text, filters):
        t = self.t
        clauses = ([(t.Occur.Must, text)] if text is not None else []) + [(t.Occur.Must, f) for f in filters]
        if not clauses:
            return t.Query.all_query()
        return clauses[0][1] if len(clauses) == 1 else t.Query.boolean_query(clauses)

    def page(self, r: dict) -> dict:
        t, s = self.t, self.searcher
        text = self.text_query(r["q"]) if r["q"].strip() else None
        query = self._and(text, self._filters(r))
        offset = (r["page"] - 1) * PAGE
        if r["sort"] == "relevance" and text is not None:
            res = s.search(query, PAGE, count=True, offset=offset)
        else:
            order = t.Order.Asc if r["sort"] == "oldest" else t.Order.Desc
            res = s.search(query, PAGE, count=True, offset=offset, order_by_field="day", order=order)
        hits = []
        gen = t.SnippetGenerator.create(s, text, self.schema, "body") if text is not None else None
        for _, addr in res.hits:
            doc = s.doc(addr)
            snip = gen.snippet_from_doc(doc).to_html() if gen else (doc.get_first("body") or "")[:220]
            hits.append((doc.get_first("title"), snip))
        facets = {}
        for name in ("country", "person", "date"):
            q = self._and(text, self._filters(r, skip=name))
            field, size = (name, 10) if name != "date" else ("month" if by_month(r) else "year", 1000)
            agg = s.aggregate(q, {"f": {"terms": {"field": field, "size": size}}})
            facets[name] = [(b["key"], b["doc_count"]) for b in agg["f"]["buckets"]]
        return {"total": res.count, "hits": hits, "facets": facets}

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start
