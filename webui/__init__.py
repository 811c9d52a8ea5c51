"""The web UI and JSON API: a thin Flask layer over ``indexer``.

``create_app(config)`` builds the app; ``serve(index_root, host, port, threads)``
runs it under waitress (what ``newsfacet serve`` calls). Every request's engine session
reads the index as published when it opened, so a ``newsfacet rebuild`` that swaps in
a new index is served from the next request on, without a restart.
Each request opens one engine session (``session()``, on flask's ``g``) and closes it on
teardown; views speak only the engine interface (``indexer.engines.base``).
"""
from __future__ import annotations

import os
import time
from typing import Optional

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.engines import IndexUnavailable, open_engine
from indexer.facets import VALUE_FACET_NAMES
from webui.session import session  # noqa: F401  (also importable from here)

# Sent with every response. No inline script or style anywhere: CSP forbids both.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(config: Optional[dict] = None) -> Flask:
    """The Flask app. ``config["INDEX"]``: the index directory (default ``$NEWSFACET_INDEX`` or ``./index``);
    ``config["ENGINE"]``: the search engine (default ``$NEWSFACET_ENGINE`` or whoosh)."""
    app = Flask(__name__)
    app.config.update(INDEX=None, ENGINE=None, DEBUG=False, PROPAGATE_EXCEPTIONS=False)
    if config:
        app.config.update(config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["newsfacet_engine"] = open_engine(app.config["ENGINE"], index_dir=app.config["INDEX"])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["value_facets"] = VALUE_FACET_NAMES     # the sidebar's facets, from the registry

    from webui import api, exports, pages, views  # noqa: F401  (each module adds its routes to views.bp)
    app.register_blueprint(views.bp)

    @app.teardown_appcontext
    def close_session(_exc=None):
        session = g.pop("engine_session", None)
        if session is not None:
            session.close()

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    _register_errors(app)
    return app


def wants_json() -> bool:
    """Whether errors should be JSON, so API clients never get an HTML error page."""
    path = request.path
    return path.startswith("/api/") or path.endswith(".json")


def _register_errors(app: Flask) -> None:
    def error_response(status: int, title: str, message: str):
        if wants_json():
            response = jsonify({"error": {"status": status, "title": title, "message": message}})
            response.status_code = status
            return response
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            404: ("Not found", "There is no page at this address."),
            405: ("Method not allowed", "Newsfacet only reads: use GET."),
        }
        title, message = messages.get(exc.code or 500, (exc.name, exc.description or ""))
        response = error_response(exc.code or 500, title, message)
        if exc.code == 405:
            response = app.make_response(response)
            response.headers["Allow"] = "GET, HEAD, OPTIONS"
        return response

    @app.errorhandler(IndexUnavailable)
    def no_index(exc):
        return error_response(503, "No index yet", str(exc))

    @app.errorhandler(Exception)
    def server_error(exc):
        app.logger.exception("Unhandled error on %s", request.path)
        return error_response(500, "Something went wrong",
                              "The server could not answer this request. Try again, or change the search.")


class PortError(OSError):
    """The server can't listen where it was asked to; the message is one line for the user."""


def listen(host: str, port: int):
    """A listening socket on ``host:port``, bound before anything else starts (so a second server
    fails at once, before opening the index), or PortError saying why not in one line."""
    import errno
    import socket
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
        return socket.create_server((host, port), family=family, backlog=1024)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = (f"port {port} on {host} is already in use (is another Newsfacet running?); "
                       "stop it or choose another with --port")
        elif exc.errno == errno.EACCES:
            message = f"not allowed to listen on port {port} (ports below 1024 need root); choose another with --port"
        elif isinstance(exc, socket.gaierror):
            message = f"cannot listen on host {host!r}: no such host"
        elif exc.errno == errno.EADDRNOTAVAIL:
            message = f"cannot listen on host {host!r}: not an address of this machine"
        else:
            message = f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        raise PortError(message) from None


def serve(index_root: str, host: str = "127.0.0.1", port: int = 5000, threads: int = 8,
          processes: int = 1, sock=None) -> None:
    """Run the app under waitress (never Flask's debug server) on ``sock`` (default: ``listen(host, port)``).

    One Python process searches on one core at a time (the GIL), so ``processes`` > 1
    pre-forks that many waitress servers sharing one listening socket; the parent
    only supervises (restarts a worker that dies, stops them all on SIGTERM/SIGINT).
    """
    sock = sock or listen(host, port)
    where = f"http://{host}:{sock.getsockname()[1]}/"
    if processes <= 1:
        app = create_app({"INDEX": index_root, "DEBUG": False})
        app.debug = False
        _warm(app)
        server = _server(app, threads, sockets=[sock])
        print(f"Newsfacet: serving {os.path.abspath(index_root)} on {where}", flush=True)
        server.run()
        return
    print(f"Newsfacet: serving {os.path.abspath(index_root)} on {where} with {processes} processes", flush=True)
    _supervise(sock, lambda: _worker(sock, index_root, threads), processes)


def _worker(sock, index_root: str, threads: int) -> None:
    app = create_app({"INDEX": index_root, "DEBUG": False})
    app.debug = False
    _warm(app)
    _server(app, threads, rebalance=True, sockets=[sock]).run()


def _server(app: Flask, threads: int, rebalance: bool = False, **listen):
    """A waitress server for ``app`` that sheds load (``shed_overload``): its dispatcher notes
    when each request was queued and how many waited before it, and requests that waited too
    long, or found too many ahead of them, get a quick 503 instead of the search."""
    import waitress.server
    dispatcher = _ShedDispatcher()
    dispatcher.set_thread_count(threads)
    server = waitress.server.create_server(shed_overload(app), threads=threads, ident="Newsfacet",
                                           _dispatcher=dispatcher, **listen)
    server.channel_class = _channel(rebalance)
    return server


def _ShedDispatcher():
    from waitress.task import ThreadedTaskDispatcher

    class ShedDispatcher(ThreadedTaskDispatcher):
        def add_task(self, task):
            task.newsfacet_queued = (time.monotonic(), len(self.queue))
            super().add_task(task)

    return ShedDispatcher()


QUEUED_AT, QUEUED_BEHIND = "newsfacet.queued_at", "newsfacet.queued_behind"


def shed_overload(app, clock=time.monotonic):
    """WSGI middleware: a request that waited more than MAX_QUEUE_WAIT seconds for a thread, or
    found MAX_QUEUED_REQUESTS or more waiting before it, is answered 503 with Retry-After at
    once (a millisecond), so under overload the queue drains instead of growing and every
    client hears back quickly. The server's dispatcher puts the two figures in the environ."""
    from indexer import settings

    def middleware(environ, start_response):
        queued_at = environ.get(QUEUED_AT)
        waited = clock() - queued_at if queued_at is not None else 0.0
        if waited > settings.MAX_QUEUE_WAIT or environ.get(QUEUED_BEHIND, 0) >= settings.MAX_QUEUED_REQUESTS:
            path = environ.get("PATH_INFO", "")
            message = "The server is busy; try again in a moment."
            if path.startswith("/api/") or path.endswith(".json"):
                import json
                body = json.dumps({"error": {"status": 503, "title": "Busy", "message": message}}).encode()
                kind = "application/json"
            else:
                body = message.encode()
                kind = "text/plain; charset=utf-8"
            start_response("503 Service Unavailable", [
                ("Content-Type", kind), ("Content-Length", str(len(body))),
                ("Retry-After", str(settings.RETRY_AFTER)), ("Cache-Control", "no-store"),
                *SECURITY_HEADERS.items()])
            return [body]
        return app(environ, start_response)

    return middleware


def _channel(rebalance: bool):
    """A waitress channel whose requests carry their queueing figures into the environ
    (for ``shed_overload``) and, with ``rebalance``, that closes its connection after
    KEEPALIVE_REQUESTS requests (``_rebalancing_channel``)."""
    from waitress.channel import HTTPChannel
    from waitress.task import WSGITask

    base = _rebalancing_channel() if rebalance else HTTPChannel

    class Task(base.task_class if rebalance else WSGITask):
        def get_environment(self):
            environ = super().get_environment()
            queued = getattr(self.channel, "newsfacet_queued", None)
            if queued is not None:
                environ[QUEUED_AT], environ[QUEUED_BEHIND] = queued
            return environ

    class Channel(base):
        task_class = Task

    return Channel


def _rebalancing_channel():
    """A waitress channel that closes its connection after KEEPALIVE_REQUESTS requests.

    With processes sharing one listening socket, a kept-alive connection stays with the
    process that accepted it, and a handful of clients connecting at once can all land
    on one process while the other idles (seen in the 8-client load test: half the
    throughput in some runs). Reconnecting now and then lets whichever process is free
    accept, as servers' keep-alive request limits do."""
    from waitress.channel import HTTPChannel
    from waitress.task import WSGITask

    from indexer import settings

    class Task(WSGITask):
        def build_response_header(self):
            served = getattr(self.channel, "newsfacet_requests", 0) + 1
            self.channel.newsfacet_requests = served
            if served >= settings.KEEPALIVE_REQUESTS:
                self.set_close_on_finish()
            return super().build_response_header()

    class Channel(HTTPChannel):
        task_class = Task

    return Channel


def _warm(app: Flask) -> None:
    """Open the index (the embedded engine's per-document arrays take seconds on a large index)
    before taking requests, so no user's first search pays for it. In each worker, after
    the fork: open files must not be shared between processes. No index yet is fine:
    the pages say so until one is built."""
    try:
        app.extensions["newsfacet_engine"].session().close()
    except Exception as exc:      # the request path reports it the same way, per request
        app.logger.warning("index not opened at start: %s", exc)


def _supervise(sock, run_worker, processes: int) -> None:
    import signal
    import time
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                run_worker()
            finally:
                os._exit(0)
        children.add(pid)

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(processes):
        spawn()
    while children:
        try:
            pid, _ = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
        if not stopping:
            time.sleep(0.5)   # a worker that dies at once must not spin the supervisor
            spawn()
    sock.close()
