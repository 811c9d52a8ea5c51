"""Writing to OpenSearch: a rebuild fills a new index and moves the alias to it in one request.

A rebuild creates ``<alias>-<timestamp>`` (shards and replicas from settings, no refreshes while
it fills), sends the articles with parallel bulk requests, refreshes, records the build in the
index's ``_meta`` and then swaps the alias with one ``_aliases`` request (remove + add), which
OpenSearch applies atomically: readers see the old index or the new one, never a mix. A failed
build deletes its new index and leaves the alias where it was. The index served before is kept
until the next publish (a session that opened it keeps reading it) and deleted then.

``update`` edits the served index in place with the bulk API: articles of changed or vanished
files are deleted by id, new ones indexed, duplicates recognised by content hash; the changes
become visible together at its closing refresh.

Reading files into Articles is ``indexer.build``'s, shared with the Whoosh engine.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from opensearchpy import helpers

from indexer import build, settings
from indexer.engines.base import BuildError, IndexUnavailable
from indexer.engines.opensearch import mapping
from indexer.engines.opensearch.client import Cluster
from indexer.model import Article

SCAN_PAGE = 2000             # documents per page when update reads what the index holds


def concrete_indices(cluster: Cluster) -> list[str]:
    """The indices the alias points to now (normally one; none before the first build)."""
    found = cluster.call(cluster.client.indices.get_alias, name=cluster.index, missing_ok=True,
                         ignore=[404])
    return sorted(name for name in found if isinstance(found.get(name), dict) and "aliases" in found[name])


def built_indices(cluster: Cluster) -> list[str]:
    """Every index a rebuild made for this alias (``<alias>-<timestamp>``), oldest first."""
    found = cluster.call(cluster.client.indices.get, index=f"{cluster.index}-*", missing_ok=True,
                         ignore=[404], allow_no_indices=True, expand_wildcards="open,closed")
    return sorted(name for name in found if isinstance(found.get(name), dict) and "settings" in found[name])


class IndexWriter:
    """The target of one build: a fresh index (rebuild) or the served one (update).

    ``add`` buffers articles and sends them in parallel bulk requests; ``commit`` sends the rest,
    refreshes and (for a fresh index) publishes it; ``cancel`` deletes a fresh index.
    """

    def __init__(self, cluster: Cluster, name: str, fresh: bool, next_seq: int = 0):
        self.cluster, self.name, self.fresh = cluster, name, fresh
        self.seq = next_seq
        self._actions: list[dict] = []
        self.sent = 0

    @classmethod
    def create(cls, cluster: Cluster) -> "IndexWriter":
        """A new, empty index named after the alias and the time, not yet refreshed or served."""
        name = f"{cluster.index}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{time.time_ns() % 1_000_000:06d}"
        body = mapping.index_body()
        body["settings"]["refresh_interval"] = "-1"
        try:
            cluster.call(cluster.client.indices.create, index=name, body=body)
        except (BuildError, IndexUnavailable):
            raise
        except Exception as error:      # a refusal (bad settings, disk) is the build's failure, said in one line
            raise BuildError(f"cannot create index {name} on {cluster.url}: {error}") from None
        return cls(cluster, name, fresh=True)

    @classmethod
    def served(cls, cluster: Cluster) -> "IndexWriter":
        """The index the alias points to, for ``update`` (IndexUnavailable when there is none)."""
        names = concrete_indices(cluster)
        if not names:
            raise IndexUnavailable(f"no index at {cluster.where()}: run `newsfacet rebuild PATH --engine opensearch` "
                                   "first")
        name = names[-1]
        top = cluster.call(cluster.client.search, index=name,
                           body={"size": 0, "aggs": {"seq": {"max": {"field": "seq"}}}})
        last = top["aggregations"]["seq"]["value"]
        return cls(cluster, name, fresh=False, next_seq=int(last) + 1 if last is not None else 0)

    # ------------------------------------------------------------ the build's writer protocol

    def add(self, article: Article) -> None:
        """Index one article (sent with the next bulk request)."""
        self._actions.append({"_op_type": "index", "_index": self.name, "_id": article.id,
                              "_source": mapping.to_document(article, self.seq)})
        self.seq += 1
        if len(self._actions) >= settings.OPENSEARCH_BULK_DOCS * settings.OPENSEARCH_BULK_THREADS * 4:
            self._send()

    def stored(self) -> Iterator[dict]:
        """What update compares with the files: every document's id, path, file and content hashes, date."""
        after = None
        while True:
            body = {"size": SCAN_PAGE, "sort": [{"seq": "asc"}], "_source": ["id", "path", "file_hash", "hash", "date"],
                    "query": {"match_all": {}}}
            if after is not None:
                body["search_after"] = after
            page = self.cluster.call(self.cluster.client.search, index=self.name, body=body)["hits"]["hits"]
            for hit in page:
                src = hit["_source"]
                yield {"id": src["id"], "path": src.get("path", ""), "file_hash": src.get("file_hash", ""),
                       "content_hash": src.get("hash", ""), "date": src.get("date")}
            if len(page) < SCAN_PAGE:
                return
            after = page[-1]["sort"]

    def delete_sources(self, paths: set[str], seen_ids: set[str], words: Counter) -> int:
        """Delete (with the bulk API) every article that came from these files; returns how many."""
        ids = [doc["id"] for doc in self.stored() if doc["path"] in paths]
        for article_id in ids:
            seen_ids.discard(article_id)
            self._actions.append({"_op_type": "delete", "_index": self.name, "_id": article_id})
        self._send()
        return len(ids)

    def open_writer(self) -> None:
        """Nothing to open: bulk requests go straight to the index (update)."""

    def commit(self) -> None:
        """Send what is buffered and refresh, so every article is searchable from now on."""
        self._send()
        client = self.cluster.client
        if self.fresh:
            self.cluster.call(client.indices.put_settings, index=self.name,
                              body={"index": {"refresh_interval": None}})
        self.cluster.call(client.indices.refresh, index=self.name)
        self.cluster.call(client.indices.flush, index=self.name)    # committed on disk; store stats see it

    def cancel(self) -> None:
        """Forget the buffer; a fresh index is deleted, so a failed build leaves no trace."""
        self._actions.clear()
        if self.fresh:
            try:
                self.cluster.client.indices.delete(index=self.name, ignore=[404])
            except Exception:       # the cluster went away: the index stays unaliased, and the next build removes it
                pass

    def close(self) -> int:
        """How many articles the index holds now."""
        return int(self.cluster.call(self.cluster.client.count, index=self.name)["count"])

    # ------------------------------------------------------------ publishing

    def publish(self, info: dict) -> None:
        """Record ``info`` in the index's ``_meta`` and move the alias to it in one atomic request;
        then delete every earlier build but the one served until now."""
        client = self.cluster.client
        self.cluster.call(client.indices.put_mapping, index=self.name, body={"_meta": info})
        if not self.fresh:
            return
        previous = concrete_indices(self.cluster)
        actions = [{"remove": {"index": old, "alias": self.cluster.index}} for old in previous]
        actions.append({"add": {"index": self.name, "alias": self.cluster.index}})
        self.cluster.call(client.indices.update_aliases, body={"actions": actions})
        keep = set(previous) | {self.name}
        for stale in built_indices(self.cluster):
            if stale not in keep:
                self.cluster.call(client.indices.delete, index=stale, ignore=[404])

    def _send(self) -> None:
        if not self._actions:
            return
        actions, self._actions = self._actions, []
        failures = []
        for ok, item in helpers.parallel_bulk(self.cluster.client, actions,
                                              thread_count=settings.OPENSEARCH_BULK_THREADS,
                                              chunk_size=settings.OPENSEARCH_BULK_DOCS,
                                              raise_on_error=False, raise_on_exception=True,
                                              request_timeout=max(60, settings.OPENSEARCH_TIMEOUT)):
            if not ok:
                op, detail = next(iter(item.items()))
                if op == "delete" and detail.get("status") == 404:
                    continue
                failures.append(f"{detail.get('_id')}: {detail.get('error')}")
        self.sent += len(actions)
        if failures:
            raise BuildError(f"OpenSearch refused {len(failures)} articles, e.g. {failures[0]}"[:500])


# ---------------------------------------------------------------- rebuild and update

ProgressFn = Callable[[int, int, int], None]


def _finish(writer: IndexWriter, report: build.BuildReport, started: float, command: str) -> build.BuildReport:
    writer.commit()
    report.total = writer.close()
    report.seconds = time.perf_counter() - started
    report.generation = Path(writer.name)
    stats = writer.cluster.call(writer.cluster.client.indices.stats, index=writer.name, metric="store")
    report.size_bytes = int(stats["_all"]["primaries"]["store"]["size_in_bytes"])
    info = {"command": command, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "articles": report.total,
            **{k: v for k, v in report.to_json().items() if k not in ("generation", "report")}}
    writer.publish(info)
    return report


def _fresh(cluster: Cluster, results, report: build.BuildReport, started: float,
           progress: Optional[ProgressFn], files_total: int, command: str = "rebuild") -> build.BuildReport:
    writer = IndexWriter.create(cluster)
    try:
        build._index_articles(writer, results, report, {}, set(), progress, files_total)
        if report.indexed == 0:
            raise BuildError(build._nothing_message(report))
        return _finish(writer, report, started, command)
    except BaseException:
        writer.cancel()
        raise


def rebuild(cluster: Cluster, paths: Iterable[str | os.PathLike], *, workers: Optional[int] = None,
            progress: Optional[ProgressFn] = None, on_files: Optional[Callable[[int], None]] = None
            ) -> build.BuildReport:
    """Every article under ``paths`` into a new index, then the alias swapped to it (BuildError: nothing changed)."""
    started = time.perf_counter()
    report = build.BuildReport(index_dir=cluster.where())
    paths = list(paths)
    tasks, report.skipped = build._discover(paths)
    report.files = len(tasks)
    if not tasks:
        raise BuildError(build._nothing_message(report, paths))
    if on_files:
        on_files(len(tasks))
    return _fresh(cluster, build._results(tasks, workers or build._default_workers()), report, started,
                  progress, len(tasks))


def index_articles(cluster: Cluster, articles: Iterable[Article]) -> build.BuildReport:
    """A new index from Articles already in memory, published the same way (library use, tests)."""
    report = build.BuildReport(index_dir=cluster.where())
    result = build.FileResult(path="", file_hash="", articles=list(articles))
    return _fresh(cluster, [result], report, time.perf_counter(), None, 0, "index_articles")


def update(cluster: Cluster, paths: Iterable[str | os.PathLike], *, workers: Optional[int] = None,
           progress: Optional[ProgressFn] = None, on_files: Optional[Callable[[int], None]] = None
           ) -> build.BuildReport:
    """Add new files, re-index changed ones (by file hash), delete articles of vanished files, with bulk requests."""
    started = time.perf_counter()
    report = build.BuildReport(index_dir=cluster.where())
    writer = IndexWriter.served(cluster)
    tasks, report.skipped = build._discover(paths)
    report.files = len(tasks)
    by_source: dict[str, str] = {}
    seen_hashes: dict[str, str] = {}
    seen_ids: set[str] = set()
    undated: Counter = Counter()
    for fields in writer.stored():
        by_source[fields["path"]] = fields.get("file_hash", "")
        seen_hashes[fields["content_hash"]] = fields["path"]
        seen_ids.add(fields["id"])
        undated[fields["path"]] += not fields.get("date")
    todo = []
    for path, base in tasks:
        try:
            unchanged = by_source.get(path) == build.file_hash(Path(path))
        except OSError:
            unchanged = False
        if unchanged:
            report.unchanged_files += 1
        else:
            todo.append((path, base))
    if on_files:
        on_files(len(todo))
    walked = {t[0] for t in tasks}
    gone = [p for p in by_source if p not in walked and not os.path.exists(p)]
    dropped = set(gone + [p for p, _ in todo if p in by_source])
    report.removed = writer.delete_sources(dropped, seen_ids, report.words)
    seen_hashes = {h: p for h, p in seen_hashes.items() if p not in dropped}
    report.dates_unknown = sum(n for p, n in undated.items() if p not in dropped)
    build._index_articles(writer, build._results(todo, workers or build._default_workers()), report,
                          seen_hashes, seen_ids, progress, len(todo))
    return _finish(writer, report, started, "update")
