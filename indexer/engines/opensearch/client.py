"""The connection to an OpenSearch cluster, and what its failures mean for a reader.

Everything the engine sends goes through ``Cluster.call``, so every failure is turned into
the engine's own terms in one place:

* the cluster unreachable or refusing → ``IndexUnavailable`` with a one-line message (the CLI
  prints it, the web answers 503), never a traceback;
* no index behind the alias → ``IndexUnavailable`` saying to rebuild;
* a node lost in the middle of a request (OpenSearch does not retry a search's fetch phase on
  another copy) → the request is sent once more, when the replicas answer; if it fails again
  ``NodeLost`` says so, and the search comes back partial with a message.
"""
from __future__ import annotations

import time
from typing import Callable, Optional, TypeVar

import opensearchpy
from opensearchpy import OpenSearch

from indexer import settings
from indexer.engines.base import IndexUnavailable, NoIndex

T = TypeVar("T")

# Exception types an error body or shard failure names when a node went away under the request
# (measured on the development cluster: tests/test_opensearch_cluster.py).
NODE_LOSS = frozenset({
    "node_not_connected_exception", "node_disconnected_exception", "node_closed_exception",
    "search_context_missing_exception", "connect_transport_exception", "send_request_transport_exception",
    "transport_exception", "no_shard_available_action_exception", "node_disconnected",
})
RETRY_PAUSE = 0.2            # seconds before the one retry, so the cluster notices the node left
PARTIAL_MESSAGE = ("Part of the index did not answer (a node of the cluster was lost during the search): "
                   "these results may be incomplete.")


class NodeLost(IndexUnavailable):
    """A request failed twice because nodes left the cluster while it ran (a search comes back
    partial instead; anything else is answered as the index being unavailable now)."""


def failure_causes(error) -> set[str]:
    """Every exception type named in an OpenSearch error body or shard-failure list (nested causes too)."""
    causes, stack = set(), [error]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            kind = item.get("type")
            if isinstance(kind, str) and kind != "search_phase_execution_exception":
                causes.add(kind)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return causes


def node_loss(error: opensearchpy.TransportError) -> bool:
    """Whether a failed request failed because a node went away (worth one retry)."""
    if isinstance(error, opensearchpy.ConnectionError):
        return True
    causes = failure_causes(error.info) if isinstance(error.info, dict) else set()
    return bool(causes) and causes <= NODE_LOSS | {"search_phase_execution_exception"}


def hosts(url: str) -> list[str]:
    """The node URLs in ``url`` (comma-separated), without surrounding space."""
    found = [u.strip().rstrip("/") for u in (url or "").split(",") if u.strip()]
    if not found:
        raise IndexUnavailable("no OpenSearch URL given: set NEWSFACET_OPENSEARCH_URL or pass --opensearch URL")
    return found


class Cluster:
    """One cluster and alias: the client, and ``call`` which gives every request the same failure handling.

    It is also the ``ctx`` the query side (translate, suggest) receives: ``.client`` and ``.index``.
    """

    def __init__(self, url: str, index: str, timeout: Optional[float] = None):
        self.url = ",".join(hosts(url))
        self.index = index
        self.client = OpenSearch(hosts=hosts(url), timeout=timeout or settings.OPENSEARCH_TIMEOUT,
                                 max_retries=1, retry_on_timeout=False)

    def where(self) -> str:
        """The cluster and alias, for messages."""
        return f"OpenSearch {self.url} index {self.index!r}"

    def call(self, fn: Callable[..., T], *args, missing_ok: bool = False, **kwargs) -> T:
        """``fn(*args, **kwargs)`` (a client method), retried once on a node lost mid-request.

        ``missing_ok``: a missing index is the caller's to handle (the NotFoundError is raised)."""
        for attempt in (1, 2):
            try:
                return fn(*args, **kwargs)
            except opensearchpy.NotFoundError as error:
                if missing_ok or not _index_missing(error):
                    raise
                raise NoIndex(f"no index at {self.where()}: run `newsfacet rebuild PATH --engine opensearch` "
                                       "first") from None
            except opensearchpy.ConnectionError as error:
                if attempt == 2:
                    raise IndexUnavailable(f"cannot reach {self.where()}: {_reason(error)}") from None
            except opensearchpy.TransportError as error:
                if error.status_code in (401, 403):
                    raise IndexUnavailable(f"{self.where()} refused the request ({error.status_code}: "
                                           f"{_reason(error)})") from None
                if not node_loss(error):
                    raise
                if attempt == 2:
                    raise NodeLost(f"part of {self.where()} did not answer (a node was lost): "
                                   f"{_reason(error)}") from None
            time.sleep(RETRY_PAUSE)
        raise AssertionError("unreachable")   # pragma: no cover

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()


def refusal(error: opensearchpy.TransportError) -> str:
    """Why the cluster refused a request, in one line."""
    return _reason(error)


def _index_missing(error: opensearchpy.TransportError) -> bool:
    return "index_not_found_exception" in failure_causes(error.info) if isinstance(error.info, dict) else \
        error.error == "index_not_found_exception"


def _reason(error: opensearchpy.TransportError) -> str:
    """One line on what went wrong, from the error body or the connection error."""
    info = getattr(error, "info", None)
    if isinstance(info, dict):
        cause = info.get("error", {})
        if isinstance(cause, dict):
            root = (cause.get("root_cause") or [cause])[0]
            return f"{root.get('type', 'error')}: {root.get('reason', '')}".strip()
    if isinstance(error, opensearchpy.ConnectionError):
        inner = getattr(error, "info", None) or error.error
        text = str(inner)
        if "Connection refused" in text or "ConnectionRefused" in text:
            return "connection refused (is the cluster running?)"
        if "timed out" in text.lower():
            return "the connection timed out"
        return text.splitlines()[0][:200] if text else "connection failed"
    return str(error.error)[:200]
