"""Writing to OpenSearch: every build fills a new index, then moves the alias to it in one request.

``OpenSearchWriter`` is the engine's ``Writer`` (engines/base.py), driven by ``indexer.build``:
``begin`` takes the build lock and creates ``<alias>-<timestamp>`` (shards and replicas from
settings, no refreshes while it fills), empty for a rebuild or, for an update, a server-side copy
of the served index; ``add`` sends articles with parallel bulk requests; ``delete``
removes articles by id with the bulk API; ``relabel`` gives articles their merged story with
partial updates; ``commit`` refreshes; ``publish`` records the
build in the index's ``_meta`` and swaps the alias with one ``_aliases`` request (remove + add),
which OpenSearch applies atomically: readers see the old index or the new one, never a mix.
``abort`` deletes the new index, so a failed build leaves the alias where it was.

The story state (``indexer.stories``) lives in the documents: each holds its story and its
fingerprint (``fingerprint``, binary, not indexed), so it is copied with them by an update, swapped
with the alias, and needs no second place kept in step; ``load_stories`` reads it back in build order. The index served
before is kept until the next publish (a session that opened it keeps reading it), then deleted.

The lock is an index of its own (``<alias>.lock``): creating an index is atomic, so a second build
is refused at once, naming the one that holds it; a lock left by a build whose process is gone (on
this machine) is taken over.
"""
from __future__ import annotations

import base64
import datetime as dt
import os
import socket
import time
from pathlib import Path
from typing import Collection, Iterator, Optional, Sequence

import opensearchpy
from opensearchpy import helpers

from indexer import settings
from indexer.engines.base import INDEX_FORMAT, BuildError, IndexUnavailable, NoIndex, StoredArticle, Written, \
    check_format
from indexer.engines.opensearch import mapping
from indexer.engines.opensearch.client import Cluster
from indexer.grouping import group_spec
from indexer.ingest.fingerprint import Fingerprint
from indexer.ingest.words import article_words
from indexer.model import Article
from indexer.stories import StoryState, state_of

SCAN_PAGE = 2000             # documents per page when update reads what the index holds
BULK_RETRIES = 6             # times articles turned away with 429 (busy) are sent again …
BULK_BACKOFF = 1.0           # … after 1, 2, 4 … seconds


def concrete_indices(cluster: Cluster) -> list[str]:
    """The indices the alias points to now (normally one; none before the first build)."""
    found = cluster.call(cluster.client.indices.get_alias, name=cluster.index, missing_ok=True, ignore=[404])
    return sorted(name for name in found if isinstance(found.get(name), dict) and "aliases" in found[name])


def built_indices(cluster: Cluster) -> list[str]:
    """Every index a build made for this alias (``<alias>-<timestamp>``), oldest first."""
    found = cluster.call(cluster.client.indices.get, index=f"{cluster.index}-*", missing_ok=True,
                         ignore=[404], allow_no_indices=True, expand_wildcards="open,closed")
    return sorted(name for name in found if isinstance(found.get(name), dict) and "settings" in found[name])


def index_format(cluster: Cluster, name: str) -> Optional[int]:
    """The index format a built index records in its ``_meta`` (None: an index of before the
    format was recorded)."""
    found = cluster.call(cluster.client.indices.get_mapping, index=name)
    return ((found.get(name) or {}).get("mappings", {}).get("_meta") or {}).get("format")


def lock_name(cluster: Cluster) -> str:
    """The index whose existence means a build holds this alias."""
    return f"{cluster.index}.lock"


class OpenSearchWriter:
    """One build's new index on the cluster, published by moving the alias (the engine's ``Writer``)."""

    skip_report: Optional[Path] = None      # the skips are in the summary and --json; no file on a cluster

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.location = cluster.where()
        self.name: Optional[str] = None
        self.seq = 0
        self._actions: list[dict] = []
        self._locked = self._published = False

    # ------------------------------------------------------------ the Writer protocol

    def begin(self, update: bool = False) -> None:
        """Take the lock and create the new index: empty, or (update) a copy of the served one."""
        served = concrete_indices(self.cluster) if update else []
        if update and not served:
            raise NoIndex(f"no index at {self.location}: run `newsfacet rebuild PATH --engine opensearch` "
                                   "first")
        if served:                      # an index of an earlier format: rebuild it, in one line
            check_format(index_format(self.cluster, served[-1]), "--engine opensearch")
        self._lock()
        try:
            self.name = self._create()
            if served:
                self._copy(served[-1])
        except BaseException:
            self.abort()
            raise

    def existing(self) -> Iterator[StoredArticle]:
        """Every article the new index holds now (an update's copy), in build order."""
        for src in self._scan(["id", "path", "file_hash", "hash", "date"]):
            yield StoredArticle(id=src["id"], path=src.get("path") or "", file_hash=src.get("file_hash") or "",
                                content_hash=src.get("hash") or "", dated=bool(src.get("date")))

    def add(self, articles: Sequence[Article]) -> None:
        """Index a batch (sent in parallel bulk requests once enough is buffered)."""
        for article in articles:
            self._actions.append({"_op_type": "index", "_index": self.name, "_id": article.id,
                                  "_source": mapping.to_document(article, self.seq)})
            self.seq += 1
        if len(self._actions) >= settings.OPENSEARCH_BULK_DOCS * settings.OPENSEARCH_BULK_THREADS * 4:
            self._send()

    def delete(self, article_ids: Collection[str]) -> int:
        """Delete the articles with these ids (with the bulk API); returns how many were there."""
        ids = list(dict.fromkeys(article_ids))
        self._send()
        self._actions += [{"_op_type": "delete", "_index": self.name, "_id": i} for i in ids]
        return self._send()

    def relabel(self, stories: dict[str, str]) -> int:
        """Articles' new stories, as partial updates of their documents."""
        spec = group_spec()
        if spec is None or not stories:
            return 0
        self._send()
        self._actions += [{"_op_type": "update", "_index": self.name, "_id": i, "doc": {spec.name: [story]}}
                          for i, story in stories.items()]
        self._send()
        return len(stories)

    def save_stories(self, state: StoryState) -> None:
        """Nothing more to write: every document holds its story and fingerprint (see the module)."""

    def load_stories(self) -> StoryState:
        """The story state of the documents the update started with, in build order."""
        spec = group_spec()
        rows = []
        for src in self._scan(["id", "hash", "date", "fingerprint"] + ([spec.name] if spec else [])):
            story = (src.get(spec.name) or [None])[0] if spec else None
            if not story:
                raise BuildError(f"article {src.get('id')} in {self.location} has no story: rebuild the index")
            packed = src.get("fingerprint")
            rows.append((src["id"], src.get("hash") or "", story,
                         dt.date.fromisoformat(src["date"]) if src.get("date") else None,
                         Fingerprint.unpack(base64.b64decode(packed)) if packed else None))
        return state_of(rows)

    def commit(self) -> Written:
        """Send what is buffered, refresh and flush: every article is in the new index (not yet served)."""
        self._send()
        client = self.cluster.client
        self.cluster.call(client.indices.put_settings, index=self.name, body={"index": {"refresh_interval": None}})
        self.cluster.call(client.indices.refresh, index=self.name)
        self.cluster.call(client.indices.flush, index=self.name)     # on disk, and the store size counts it
        count = self.cluster.call(client.count, index=self.name)["count"]
        stats = self.cluster.call(client.indices.stats, index=self.name, metric="store")
        return Written(articles=int(count), size_bytes=int(stats["_all"]["primaries"]["store"]["size_in_bytes"]))

    def publish(self, info: dict) -> str:
        """Record ``info`` in the new index's ``_meta`` and move the alias to it in one atomic request;
        delete every earlier build but the one served until now; release the lock."""
        client = self.cluster.client
        meta = {**info, "format": INDEX_FORMAT}
        self.cluster.call(client.indices.put_mapping, index=self.name, body={"_meta": meta})
        previous = concrete_indices(self.cluster)
        actions = [{"remove": {"index": old, "alias": self.cluster.index}} for old in previous]
        actions.append({"add": {"index": self.name, "alias": self.cluster.index}})
        self.cluster.call(client.indices.update_aliases, body={"actions": actions})
        self._published = True
        keep = set(previous) | {self.name}
        for stale in built_indices(self.cluster):
            if stale not in keep:
                self.cluster.call(client.indices.delete, index=stale, ignore=[404])
        self._unlock()
        return self.name

    def abort(self) -> None:
        """Delete the unpublished new index and release the lock; the served index is untouched."""
        self._actions.clear()
        if self.name and not self._published:
            try:
                self.cluster.client.indices.delete(index=self.name, ignore=[404])
            except opensearchpy.TransportError:   # cluster gone: the index stays unaliased; the next publish removes it
                pass
        self._unlock()

    # ------------------------------------------------------------ inside

    def _create(self) -> str:
        name = f"{self.cluster.index}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{time.time_ns() % 10**6:06d}"
        body = mapping.index_body()
        body["settings"]["refresh_interval"] = "-1"
        try:
            self.cluster.call(self.cluster.client.indices.create, index=name, body=body)
        except opensearchpy.TransportError as error:     # refused (settings, disk, names): said in one line
            raise BuildError(f"cannot create index {name} on {self.cluster.url}: {error.error}") from None
        return name

    def _copy(self, served: str) -> None:
        """The served index's documents into the new one (update starts from them), in build order,
        with parallel bulk requests (``_reindex`` is a module not every cluster loads)."""
        for src in self._scan(None, index=served):
            src["words"] = sorted(article_words(*mapping.texts(src)))   # not in _source
            self._actions.append({"_op_type": "index", "_index": self.name, "_id": src["id"], "_source": src})
            self.seq = max(self.seq, int(src.get("seq") or 0) + 1)
            if len(self._actions) >= settings.OPENSEARCH_BULK_DOCS * settings.OPENSEARCH_BULK_THREADS * 4:
                self._send()
        self._send()
        self.cluster.call(self.cluster.client.indices.refresh, index=self.name)

    def _scan(self, fields: Optional[list[str]], query: Optional[dict] = None,
              index: Optional[str] = None) -> Iterator[dict]:
        """The ``_source`` ``fields`` (None: all) of every document matching ``query`` in ``index``
        (default: the new one), in build order."""
        after = None
        while True:
            body = {"size": SCAN_PAGE, "sort": [{"seq": "asc"}], "_source": True if fields is None else fields,
                    "query": query or {"match_all": {}}}
            if after is not None:
                body["search_after"] = after
            page = self.cluster.call(self.cluster.client.search, index=index or self.name, body=body)["hits"]["hits"]
            for hit in page:
                yield hit["_source"]
            if len(page) < SCAN_PAGE:
                return
            after = page[-1]["sort"]

    def _send(self) -> int:
        """Send the buffered actions with parallel bulk requests; returns how many were done (a
        delete of an article not there is not). Articles the cluster turns away for now (429: a
        full queue, a memory circuit breaker) are sent again after a pause, up to BULK_RETRIES
        times; any other refusal fails the build."""
        actions, self._actions = self._actions, []
        done = 0
        for attempt in range(BULK_RETRIES + 1):
            if not actions:
                return done
            if attempt:
                time.sleep(min(BULK_BACKOFF * 2 ** (attempt - 1), 30))
            busy, failures = [], []
            replies = helpers.parallel_bulk(self.cluster.client, actions, thread_count=settings.OPENSEARCH_BULK_THREADS,
                                            chunk_size=settings.OPENSEARCH_BULK_DOCS, raise_on_error=False,
                                            raise_on_exception=True, request_timeout=max(60, settings.OPENSEARCH_TIMEOUT))
            for action, (ok, item) in zip(actions, replies):      # replies come in the actions' order
                if ok:
                    done += 1
                    continue
                op, detail = next(iter(item.items()))
                if op == "delete" and detail.get("status") == 404:
                    continue
                (busy if detail.get("status") == 429 else failures).append((action, detail))
            if failures:
                action, detail = failures[0]
                raise BuildError(f"OpenSearch refused {len(failures)} articles, e.g. {action['_id']}: "
                                 f"{detail.get('error')}"[:500])
            actions = [action for action, _ in busy]
        raise BuildError(f"OpenSearch was still too busy for {len(actions)} articles after {BULK_RETRIES} retries "
                         f"(e.g. {actions[0]['_id']}); give its nodes more memory or lower OPENSEARCH_BULK_THREADS")

    def _lock(self) -> None:
        holder = {"host": socket.gethostname(), "pid": os.getpid(), "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        client, name = self.cluster.client, lock_name(self.cluster)
        for attempt in (1, 2):
            try:
                self.cluster.call(client.indices.create, index=name, body={
                    "settings": {"number_of_shards": 1, "number_of_replicas": 0}, "mappings": {"_meta": holder}})
                self._locked = True
                return
            except opensearchpy.RequestError as error:
                if "resource_already_exists_exception" not in str(error.error) + str(error.info):
                    raise BuildError(f"cannot take the build lock {name}: {error.error}") from None
            held = self.cluster.call(client.indices.get_mapping, index=name, missing_ok=True, ignore=[404])
            other = (held.get(name) or {}).get("mappings", {}).get("_meta", {})
            if attempt == 1 and _gone(other):
                self.cluster.call(client.indices.delete, index=name, ignore=[404])
                continue
            raise IndexUnavailable(f"another build is writing {self.location} (pid {other.get('pid')} on "
                                   f"{other.get('host')} since {other.get('since')}; if it is gone, delete the "
                                   f"index {name})")

    def _unlock(self) -> None:
        if self._locked:
            self._locked = False
            try:
                self.cluster.client.indices.delete(index=lock_name(self.cluster), ignore=[404])
            except opensearchpy.TransportError:
                pass


def _gone(holder: dict) -> bool:
    """Whether the build that holds a lock was a process of this machine that no longer runs."""
    if holder.get("host") != socket.gethostname() or not isinstance(holder.get("pid"), int):
        return False
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
