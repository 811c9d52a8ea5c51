"""Serving the app: the port check, waitress in one process, gunicorn's pre-fork workers for several.

``listen`` binds the port before anything else (so a second server fails at once, in one line);
``serve`` runs the app there. One Python process searches on one core at a time (the GIL), so
``serve(processes=N)`` with N > 1 hands the bound socket to gunicorn's arbiter, which forks N
workers, restarts one that dies and stops them all on SIGTERM/SIGINT. Whatever the server, a
request that waited too long for a thread, or found too many waiting, is answered 503 at once
(``shed_overload``), and every request opens the index as published when it starts (the app's
per-request engine session), so a rebuild is served without a restart.
"""
from __future__ import annotations

import errno
import os
import socket
import threading
import time

from flask import Flask

from indexer import settings
from indexer.engines import open_engine
from webui import SECURITY_HEADERS, create_app

QUEUED_AT, QUEUED_BEHIND = "newsfacet.queued_at", "newsfacet.queued_behind"


class PortError(OSError):
    """The server can't listen where it was asked to; the message is one line for the user."""


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, bound before anything else starts (so a second server
    fails at once, before opening the index), or PortError saying why not in one line."""
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
    """Run the app on ``sock`` (default: ``listen(host, port)``), never under Flask's debug server:
    waitress with ``threads`` threads in this process, or with ``processes`` > 1 that many gunicorn
    workers of ``threads`` threads each sharing the socket, until SIGTERM or Ctrl-C."""
    sock = sock or listen(host, port)
    where = f"http://{host}:{sock.getsockname()[1]}/"
    if processes <= 1:
        app = warmed_app(index_root)
        server = waitress_server(app, threads, sockets=[sock])
        print(f"Newsfacet: serving {served(index_root)} on {where}", flush=True)
        server.run()
        return
    print(f"Newsfacet: serving {served(index_root)} on {where} with {processes} processes", flush=True)
    run_prefork(sock, lambda: warmed_app(index_root), processes, threads)


def served(index_root: str) -> str:
    """What the banner names: the index folder, or the cluster and alias when the engine is one."""
    engine = open_engine(index_dir=index_root)
    try:
        return os.path.abspath(engine.location()) if engine.name == "whoosh" else engine.location()
    finally:
        engine.close()


def warmed_app(index_root: str) -> Flask:
    """The app for production serving on ``index_root``: debug off, the index opened (``warm``)."""
    app = create_app({"INDEX": index_root, "DEBUG": False})
    app.debug = False
    warm(app)
    return app


def warm(app: Flask) -> None:
    """Open the index (the embedded engine's per-document arrays take seconds on a large index)
    before taking requests, so no user's first search pays for it. In each worker, after
    the fork: open files must not be shared between processes. No index yet is fine:
    the pages say so until one is built."""
    try:
        app.extensions["newsfacet_engine"].session().close()
    except Exception as exc:      # the request path reports it the same way, per request
        app.logger.warning("index not opened at start: %s", exc)


def shed_overload(app, clock=time.monotonic):
    """WSGI middleware: a request that waited more than MAX_QUEUE_WAIT seconds for a thread, or
    found MAX_QUEUED_REQUESTS or more waiting before it, is answered 503 with Retry-After at
    once (a millisecond), so under overload the queue drains instead of growing and every
    client hears back quickly. The server puts the two figures in the environ."""

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


# ---------------------------------------------------------------- one process: waitress

def waitress_server(app, threads: int, **listen_on):
    """A waitress server for ``app`` that sheds load: its dispatcher notes when each request was
    queued and how many waited before it, and its tasks put both in the environ for
    ``shed_overload``."""
    import waitress.server
    from waitress.channel import HTTPChannel
    from waitress.task import ThreadedTaskDispatcher, WSGITask

    class Dispatcher(ThreadedTaskDispatcher):
        def add_task(self, task):
            task.newsfacet_queued = (time.monotonic(), len(self.queue))
            super().add_task(task)

    class Task(WSGITask):
        def get_environment(self):
            environ = super().get_environment()
            queued = getattr(self.channel, "newsfacet_queued", None)
            if queued is not None:
                environ[QUEUED_AT], environ[QUEUED_BEHIND] = queued
            return environ

    class Channel(HTTPChannel):
        task_class = Task

    dispatcher = Dispatcher()
    dispatcher.set_thread_count(threads)
    server = waitress.server.create_server(shed_overload(app), threads=threads, ident="Newsfacet",
                                           _dispatcher=dispatcher, **listen_on)
    server.channel_class = Channel
    return server


# ---------------------------------------------------------------- several processes: gunicorn

_queued = threading.local()     # the queueing figures of the request this worker thread serves


def run_prefork(sock, load_app, processes: int, threads: int) -> None:
    """Serve ``load_app()`` on ``sock`` with gunicorn: ``processes`` workers of ``threads`` threads
    (``ShedWorker``), each calling ``load_app`` after the fork (so each opens its own index files).
    Returns when the arbiter stops (SIGTERM: in-flight requests finish; SIGINT/Ctrl-C: at once)."""
    from gunicorn.app.base import BaseApplication

    class Prefork(BaseApplication):
        def load_config(self):
            for name, value in {
                "bind": [f"fd://{fd}"], "workers": processes, "threads": threads,
                "worker_class": shed_worker_class(), "graceful_timeout": settings.STOP_GRACE,
                "loglevel": "warning", "proc_name": "newsfacet", "preload_app": False,
            }.items():
                self.cfg.set(name, value)

        def load(self):
            return _from_worker_thread(shed_overload(load_app()))

    fd = sock.detach()               # the arbiter owns the socket from here on
    arbiter = os.getpid()
    try:
        Prefork().run()
    except SystemExit as exc:        # the arbiter and each worker end with sys.exit
        if os.getpid() != arbiter or exc.code not in (0, None):
            raise                    # a worker leaves through gunicorn's own exit, never through ours


def _from_worker_thread(app):
    """Copies the queueing figures ``ShedWorker`` noted for this thread into the environ."""
    def middleware(environ, start_response):
        figures = getattr(_queued, "figures", None)
        if figures is not None:
            environ[QUEUED_AT], environ[QUEUED_BEHIND] = figures
        return app(environ, start_response)
    return middleware


def shed_worker_class():
    """gunicorn's threaded worker made to shed load (imported here, where gunicorn is needed)."""
    from gunicorn.workers.gthread import ThreadWorker

    class ShedWorker(ThreadWorker):
        """gunicorn's threaded worker, noting for each request when it was queued for a thread and
        how many waited before it (for ``shed_overload``; a kept-alive connection the client has
        closed waits for a thread too, to find it closed, so it counts), and closing a kept-alive connection
        after KEEPALIVE_REQUESTS requests: a connection stays with the process that accepted it,
        and a handful of clients connecting at once could all land on one process while the
        other idles; reconnecting now and then lets whichever process is free accept."""

        def init_process(self):
            self.newsfacet_lock = threading.Lock()
            self.newsfacet_waiting = 0
            super().init_process()

        def enqueue_req(self, conn):
            with self.newsfacet_lock:
                conn.newsfacet_queued = (time.monotonic(), self.newsfacet_waiting)
                self.newsfacet_waiting += 1
            super().enqueue_req(conn)

        def handle(self, conn):
            with self.newsfacet_lock:
                self.newsfacet_waiting -= 1
            queued_at, behind = conn.newsfacet_queued
            conn.newsfacet_waited = (time.monotonic() - queued_at, behind)   # not the client's sending time
            return super().handle(conn)

        def handle_request(self, req, conn):
            served = getattr(conn, "newsfacet_requests", 0) + 1
            conn.newsfacet_requests = served
            if served >= settings.KEEPALIVE_REQUESTS:
                req.must_close = True
            waited, behind = conn.newsfacet_waited
            _queued.figures = (time.monotonic() - waited, behind)
            try:
                return super().handle_request(req, conn)
            finally:
                _queued.figures = None

    return ShedWorker

