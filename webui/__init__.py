"""The web UI and JSON API: a thin Flask layer over ``indexer``.

``create_app(config)`` builds the app (Flask's application factory); ``webui.serving`` runs it
(what ``newsfacet serve`` calls). Each request opens one engine session (``session()``, on
Flask's ``g``) and closes it on teardown, so it reads the index as published when it began: a
``newsfacet rebuild`` that swaps in a new index is served from the next request on, without a
restart. Views speak only the engine interface (``indexer.engines.base``).
"""
from __future__ import annotations

from typing import Optional

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.engines import IndexUnavailable, NoIndex, open_engine
from indexer import facets, languages, settings
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
    # a body is only read by the batch search: its list, plus room for a multipart form's headers
    app.config.update(INDEX=None, ENGINE=None, DEBUG=False, PROPAGATE_EXCEPTIONS=False,
                      MAX_CONTENT_LENGTH=settings.BATCH_MAX_BYTES + 64 * 1024,
                      MAX_FORM_MEMORY_SIZE=settings.BATCH_MAX_BYTES + 64 * 1024)
    if config:
        app.config.update(config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["newsfacet_engine"] = open_engine(app.config["ENGINE"], index_dir=app.config["INDEX"])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["value_facets"] = [s.name for s in facets.SIDEBAR_FACETS]   # the sidebar, from the registry
    app.jinja_env.globals["page_locale"] = languages.PAGE_LOCALE     # the pages' own language
    # the query fields naming a facet, for app.js (the suggestions' field prefixes)
    app.jinja_env.globals["query_fields"] = [word for word, s in facets.BY_ALIAS.items()
                                             if s.kind in facets.VALUE_KINDS]

    from webui import api, batch, exports, pages, trends, views  # noqa: F401  (each module adds its routes to views.bp)
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
        allowed = sorted(getattr(exc, "valid_methods", None) or ("GET", "HEAD", "OPTIONS"))
        messages = {
            404: ("Not found", "There is no page at this address."),
            # only the batch search takes POST (a long list of queries); everything else only reads
            405: ("Method not allowed", "This address takes POST: send the list of queries as the form field "
                  "“queries”." if "POST" in allowed else "Newsfacet only reads: use GET."),
            413: ("Too large", f"The request is larger than {settings.BATCH_MAX_BYTES:,} bytes, the most a list "
                  "of queries may be; split it into smaller lists."),
        }
        title, message = messages.get(exc.code or 500, (exc.name, exc.description or ""))
        response = error_response(exc.code or 500, title, message)
        if exc.code == 405:
            response = app.make_response(response)
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(IndexUnavailable)
    def no_index(exc):
        # No index built yet, a build holding it, or a cluster not answering: the message says which.
        return error_response(503, "No index yet" if isinstance(exc, NoIndex) else "Search unavailable", str(exc))

    @app.errorhandler(Exception)
    def server_error(exc):
        app.logger.exception("Unhandled error on %s", request.path)
        return error_response(500, "Something went wrong",
                              "The server could not answer this request. Try again, or change the search.")
