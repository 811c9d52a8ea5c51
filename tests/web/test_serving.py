"""Serving (webui/serving.py): waitress, gunicorn's pre-fork workers, the port check, overload shedding.
"""
from __future__ import annotations

import http.client
import inspect
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from indexer import settings
from indexer.build import index_articles
from tests.conftest import REPO, make_article


def test_serve_signature_and_debug_off(app):
    from webui.serving import serve
    assert list(inspect.signature(serve).parameters) == ["index_root", "host", "port", "threads", "processes", "sock"]
    assert app.debug is False


def test_requests_that_waited_too_long_or_behind_too_many_get_503_with_retry_after(monkeypatch):
    from webui.serving import QUEUED_AT, QUEUED_BEHIND, shed_overload
    monkeypatch.setattr(settings, "MAX_QUEUE_WAIT", 2.0)
    monkeypatch.setattr(settings, "MAX_QUEUED_REQUESTS", 10)
    served = []

    def app(environ, start_response):
        served.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    shed = shed_overload(app, clock=lambda: 100.0)

    def call(path, **environ):
        got = {}
        body = b"".join(shed({"PATH_INFO": path, **environ}, lambda status, headers: got.update(
            status=status, headers=dict(headers))))
        return got["status"], got["headers"], body

    assert call("/", **{QUEUED_AT: 99.0, QUEUED_BEHIND: 3})[0] == "200 OK"
    assert call("/")[0] == "200 OK"                                # not through the server: never shed
    status, headers, body = call("/api/search", **{QUEUED_AT: 97.5, QUEUED_BEHIND: 0})
    assert status.startswith("503") and headers["Retry-After"] == str(settings.RETRY_AFTER)
    assert headers["Content-Type"] == "application/json" and b'"status": 503' in body
    status, headers, _ = call("/", **{QUEUED_AT: 99.9, QUEUED_BEHIND: 10})
    assert status.startswith("503") and "Content-Security-Policy" in headers
    assert served == ["/", "/"]


def test_the_server_sheds_a_queue_it_cannot_serve(monkeypatch):
    """One thread, held busy: requests queued behind MAX_QUEUED_REQUESTS others are answered 503."""
    from webui.serving import waitress_server
    monkeypatch.setattr(settings, "MAX_QUEUED_REQUESTS", 1)
    release = threading.Event()

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/slow":
            release.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = waitress_server(app, threads=1, host="127.0.0.1", port=0)

    def run():
        try:
            server.run()
        except OSError:       # closing the socket under select() at the end (as conftest's server)
            pass
    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    port = server.effective_port
    statuses: dict = {}

    def get(path, key):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        statuses[key] = (resp.status, resp.getheader("Retry-After"))
        conn.close()

    clients = [threading.Thread(target=get, args=("/slow", "slow"))]
    clients[0].start()
    time.sleep(0.5)                        # the slow request holds the one thread
    for k in range(3):
        clients.append(threading.Thread(target=get, args=("/", k)))
        clients[-1].start()
        time.sleep(0.2)
    release.set()
    try:
        for c in clients:
            c.join(20)
    finally:
        server.close()
    assert statuses["slow"] == (200, None) and statuses[0] == (200, None)
    assert statuses[1][0] == 503 and statuses[2][0] == 503 and statuses[1][1] == str(settings.RETRY_AFTER)


# ---------------------------------------------------------------- several processes: gunicorn's workers

PREFORK = textwrap.dedent("""
    import sys, threading
    from indexer import settings
    from webui.serving import listen, run_prefork
    setting, value, processes = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    setattr(settings, setting, type(getattr(settings, setting))(value))
    release = threading.Event()

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/slow":
            release.wait(float(environ["QUERY_STRING"] or 10))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(__import__("os").getpid()).encode()]

    sock = listen("127.0.0.1", 0)
    print(sock.getsockname()[1], flush=True)
    run_prefork(sock, lambda: app, processes, 1)
""")


class Prefork:
    """``run_prefork`` over a test app in a subprocess, with one setting changed; ``get`` a path."""

    def __init__(self, setting: str, value, processes: int = 1):
        self.proc = subprocess.Popen([sys.executable, "-c", PREFORK, setting, str(value), str(processes)],
                                     cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())
        deadline = time.monotonic() + 30
        while len(self.children()) < processes and time.monotonic() < deadline:   # forked a moment apart
            time.sleep(0.05)
        assert self.get("/")[0] == 200
        time.sleep(0.3)      # the worker has seen that connection closed (a thread's work too, in its queue)

    def children(self) -> list[int]:
        """The worker processes' ids."""
        with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
            return [int(p) for p in f.read().split()]

    def get(self, path: str) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.getheader("Retry-After"), resp.read().decode()
        finally:
            conn.close()

    def stop(self, sig=signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=30)


def _get_all(server: Prefork, first: str, then: list[str], pause: float) -> dict:
    """``first`` (which holds the one thread), then each of ``then`` a moment apart, all at once."""
    statuses: dict = {}

    def get(key, path):
        statuses[key] = server.get(path)[:2]
    threads = [threading.Thread(target=get, args=("first", first))]
    threads[0].start()
    time.sleep(0.5)
    for k, path in enumerate(then):
        threads.append(threading.Thread(target=get, args=(k, path)))
        threads[-1].start()
        time.sleep(pause)
    for t in threads:
        t.join(30)
    return statuses


def test_a_worker_sheds_requests_queued_behind_too_many():
    server = Prefork("MAX_QUEUED_REQUESTS", 1)
    try:
        statuses = _get_all(server, "/slow?2", ["/", "/", "/"], 0.2)
    finally:
        assert server.stop() == 0
    assert statuses["first"] == (200, None) and statuses[0] == (200, None)
    assert statuses[1] == (503, str(settings.RETRY_AFTER)) and statuses[2][0] == 503


def test_a_worker_sheds_requests_that_waited_too_long_for_a_thread():
    server = Prefork("MAX_QUEUE_WAIT", 0.5)
    try:
        statuses = _get_all(server, "/slow?1.5", ["/"], 0)
        assert server.get("/")[0] == 200                  # an idle server serves at once
    finally:
        assert server.stop() == 0
    assert statuses["first"] == (200, None) and statuses[0] == (503, str(settings.RETRY_AFTER))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_workers_share_the_port_and_stop_with_the_server(sig):
    server = Prefork("KEEPALIVE_REQUESTS", 16, processes=2)
    try:
        children = server.children()
        assert len(children) == 2
        seen = {server.get("/")[2] for _ in range(40)}         # one connection a request: either worker accepts
        assert seen <= {str(c) for c in children}
    finally:
        assert server.stop(sig) == 0
    for child in children:
        assert not os.path.exists(f"/proc/{child}") or "zombie" in open(f"/proc/{child}/status").read().lower()


def test_several_processes_serve_a_rebuilt_index_without_a_restart(tmp_path):
    root = tmp_path / "index"
    index_articles([make_article(1, "Old story", "about an old harbour", "2004-01-01")], root)
    proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve", "--index", str(root), "--port", "0",
                             "--processes", "2", "--threads", "2"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", proc.stdout.readline()).group(1))

        def titles() -> set:
            for _ in range(100):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    conn.request("GET", "/api/search?q=harbour")
                    return {h["title"] for h in json.load(conn.getresponse())["hits"]}
                except OSError:          # the workers are still starting
                    time.sleep(0.2)
                finally:
                    conn.close()
            raise AssertionError("the server did not answer")
        assert [titles() for _ in range(4)] == [{"Old story"}] * 4
        index_articles([make_article(2, "New story", "about a new harbour", "2005-01-01")], root)
        assert [titles() for _ in range(4)] == [{"New story"}] * 4      # every worker, from the next request
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_a_worker_that_dies_is_replaced():
    server = Prefork("KEEPALIVE_REQUESTS", 16, processes=2)
    try:
        before = server.children()
        os.kill(before[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = server.children()
            if len(now) == 2 and before[0] not in now:
                break
            time.sleep(0.1)
        assert len(now) == 2 and before[0] not in now and before[1] in now
        assert all(server.get("/")[0] == 200 for _ in range(10))
    finally:
        assert server.stop() == 0


def test_the_banner_names_the_folder_or_the_cluster(tmp_path, monkeypatch):
    from webui.serving import served
    monkeypatch.delenv("NEWSFACET_ENGINE", raising=False)
    assert served(str(tmp_path / "idx")) == str(tmp_path / "idx")
    monkeypatch.setenv("NEWSFACET_ENGINE", "opensearch")
    monkeypatch.setenv("NEWSFACET_OPENSEARCH_URL", "http://127.0.0.1:9")
    banner = served(str(tmp_path / "idx"))
    assert banner.startswith("OpenSearch http://127.0.0.1:9") and str(tmp_path) not in banner
