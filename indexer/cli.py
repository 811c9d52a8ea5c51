"""The ``newsfacet`` command line: each command is a thin call into the library."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from indexer import build, facets, request, settings
from indexer.engines import ENGINES, IndexUnavailable, open_engine
from indexer.ingest import pipeline
from indexer.ingest.names import ENV_NAMES, Names, NamesError
from indexer.model import result_to_json

_INDEX_OPTION = click.option("--index", "index_dir", type=click.Path(file_okay=False),
                             help="Index directory [default: $NEWSFACET_INDEX or ./index].")


def _remember(key: str):
    """A click callback keeping an option's value for ``_open`` (in the command's context)."""
    def callback(ctx, param, value):
        if value:
            ctx.meta[key] = value
        return value
    return callback


def _open(index_dir):
    """The engine the command's options (else the environment) choose, over ``--index`` for Whoosh."""
    meta = click.get_current_context().meta
    return open_engine(meta.get("newsfacet.engine"), index_dir=index_dir, url=meta.get("newsfacet.opensearch"))


def INDEX_OPTION(fn):
    """``--index DIR``, ``--engine NAME`` and ``--opensearch URL``: where the index is, on every command that opens one."""
    fn = click.option("--opensearch", "opensearch_url", metavar="URL", expose_value=False, is_eager=True,
                      callback=_remember("newsfacet.opensearch"),
                      help="OpenSearch cluster for --engine opensearch [default: $NEWSFACET_OPENSEARCH_URL or "
                           f"{settings.OPENSEARCH_URL}].")(fn)
    fn = click.option("--engine", "engine_name", type=click.Choice(ENGINES), expose_value=False, is_eager=True,
                      callback=_remember("newsfacet.engine"),
                      help="Search engine [default: $NEWSFACET_ENGINE or whoosh].")(fn)
    return _INDEX_OPTION(fn)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


class _Progress:
    """A tqdm bar over files, showing articles indexed and articles/s."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None

    def start(self, total_files: int) -> None:
        if self.quiet or not total_files:      # no "0/0 files" bar when there is nothing to read
            return
        from tqdm import tqdm
        self.bar = tqdm(total=total_files, unit="file", dynamic_ncols=True, file=sys.stderr,
                        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} files [{elapsed}<{remaining}{postfix}]")

    def __call__(self, files_done: int, files_total: int, articles: int) -> None:
        if self.bar is None:
            return
        self.bar.n = files_done
        rate = articles / self.bar.format_dict["elapsed"] if self.bar.format_dict["elapsed"] else 0
        self.bar.set_postfix_str(f"{articles} articles, {rate:.0f} articles/s", refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _names(path):
    """The names file checked whole, or exit 1 with its one-line error (nothing is built)."""
    try:
        return Names.load(path) if path else None
    except NamesError as exc:
        _fail(str(exc))


_NAMES_OPTION = click.option("--names", "names_path", metavar="FILE", envvar=ENV_NAMES,
                             help=f"Names file (CSV: facet,action,value,target) merging, moving and dropping "
                                  f"values as articles are read [default: ${ENV_NAMES}].")


_COPIES_OPTION = click.option("--all-copies", is_flag=True,
                              help="Count (and list) every article, copies included [default: one per story].")


def _run_build(command: str, paths, index_dir, workers, quiet, as_json, names_path=None):
    """``rebuild`` or ``update`` through the chosen engine's writer, with a progress bar and a summary."""
    names = _names(names_path)
    progress = _Progress(quiet or as_json)
    try:
        engine = _open(index_dir)
        write = engine.rebuild if command == "rebuild" else engine.update
        report = write(paths, workers=workers, progress=progress, on_files=progress.start, names=names)
    except (build.BuildError, IndexUnavailable) as exc:
        progress.close()
        _fail(str(exc))
    except OSError as exc:
        progress.close()
        _fail(f"cannot write the index: {exc}")
    progress.close()
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
        return
    click.echo(summary_text(report))


def summary_text(report: build.BuildReport) -> str:
    """The build report as a few lines for people, the same figures `--json` gives machines."""
    lines = [f"Indexed {report.indexed} articles from {report.files} files in {report.seconds:.1f} s "
             f"({report.articles_per_second:.0f} articles/s); the index now holds {report.total}."]
    if report.unchanged_files or report.removed:
        lines.append(f"Unchanged files: {report.unchanged_files}; articles removed: {report.removed}.")
    skipped = report.skipped_by_reason()
    if skipped:
        lines.append(f"Skipped {len(report.skipped)}: " + ", ".join(f"{n} {r}" for r, n in skipped.items()) + ".")
    else:
        lines.append("Skipped: none.")
    lines.append(f"Dates unknown: {report.dates_unknown}.")
    lines.append(f"Stories: {report.stories}; copies added to a story: {report.copies} "
                 f"({report.exact_copies} exact copies of an article in another file).")
    if report.names_file:
        lines.append(f"Names file {report.names_file}: {report.names_changed} values changed.")
    lines.append(f"Index: {report.generation} ({report.size_bytes / 1e6:.1f} MB)."
                 + (f" Skip report: {report.report_path}" if report.report_path else ""))
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsfacet")
def main():
    """Newsfacet: faceted full-text search for news archives."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@INDEX_OPTION
@click.option("--workers", type=int, default=None, help="Worker processes for parsing [default: every core].")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@_NAMES_OPTION
def rebuild(paths, index_dir, workers, quiet, as_json, names_path):
    """Build a fresh index from PATHS (files or folders) and swap it in when complete."""
    _run_build("rebuild", paths, index_dir, workers, quiet, as_json, names_path)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@INDEX_OPTION
@click.option("--workers", type=int, default=None, help="Worker processes for parsing [default: every core].")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@_NAMES_OPTION
def update(paths, index_dir, workers, quiet, as_json, names_path):
    """Add new files, re-index changed ones and drop articles whose files are gone (all of them
    when the names file changed)."""
    _run_build("update", paths, index_dir, workers, quiet, as_json, names_path)


@main.group()
def names():
    """Names files: the curated merges, moves and drops applied as articles are read."""


@names.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def names_check(file):
    """Check a names FILE whole: exit 0 with what it does, or 1 with its first mistake (file and line)."""
    click.echo(_names(file).summary())


def _facet_options(fn):
    """One repeatable ``--<param>`` option per values facet of the registry (``--country``, ``--person``, …),
    and ``--<param>-scope`` for a scoped one."""
    for spec in reversed(facets.VALUE_FACETS):
        if spec.scoped:
            fn = click.option(f"--{spec.param}-scope", spec.scope_param, type=click.Choice(tuple(facets.SCOPES)),
                              default=facets.DEFAULT_SCOPE, show_default=True,
                              help=f"{spec.label}: any an article involves, or only those it is mainly about.")(fn)
        fn = click.option(f"--{spec.param}", spec.param, multiple=True, help=spec.cli_help)(fn)
    return fn


@main.command()
@click.argument("query", required=False, default="")
@INDEX_OPTION
@_facet_options
@click.option("--from", "date_from", help="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", help="Latest date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--sort", type=click.Choice(request.SORTS), default=None,
              help="relevance, newest or oldest [default: relevance, or newest with no query].")
@click.option("--limit", type=int, default=10, show_default=True, help="Hits to show.")
@click.option("--page", type=int, default=1, show_default=True, help="Page of hits to show (--limit hits a page).")
@_COPIES_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the /api/search shape).")
def search(query, index_dir, date_from, date_to, sort, limit, page, all_copies, as_json, **facet_filters):
    """Search the index; an empty QUERY lists every story, newest first."""
    params = {"q": query, "from": date_from or "", "to": date_to or "", "sort": sort or "", "size": str(limit),
              "page": str(page), "copies": "all" if all_copies else ""}
    for spec in facets.VALUE_FACETS:
        params[spec.param] = list(facet_filters[spec.param])
        if spec.scoped:
            params[spec.scope_param] = facet_filters[spec.scope_param]
    req, messages = request.from_mapping(params)
    try:
        with _open(index_dir).session() as session:
            result = session.search(req, messages=messages)
    except IndexUnavailable as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(result_to_json(result), ensure_ascii=False))
        return
    click.echo(render_text(result))


def _filter_request(facet_filters: dict, date_from, date_to, all_copies: bool = False) -> tuple:
    """The SearchRequest of the facet, date and copies options (no query): what batch and trends
    apply to every query."""
    params = {"q": "", "from": date_from or "", "to": date_to or "", "sort": "relevance",
              "copies": "all" if all_copies else ""}
    for spec in facets.VALUE_FACETS:
        params[spec.param] = list(facet_filters[spec.param])
        if spec.scoped:
            params[spec.scope_param] = facet_filters[spec.scope_param]
    return request.from_mapping(params)


@main.command("batch")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@INDEX_OPTION
@_facet_options
@click.option("--from", "date_from", help="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", help="Latest date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--csv", "csv_out", type=click.File("w", encoding="utf-8", lazy=True), default=None,
              help="Write the rows as CSV to this file ('-': standard output).")
@click.option("--json", "as_json", is_flag=True, help="Print {\"rows\": [...]} (the /api/batch shape).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@_COPIES_OPTION
def batch_command(file, index_dir, date_from, date_to, csv_out, as_json, quiet, all_copies, **facet_filters):
    """Run every query of FILE (one per line, or a CSV with a `query` column) with the filters: one
    row per query, in order; a malformed query gets its row with an error ('-' reads standard input)."""
    from indexer import batch
    base, messages = _filter_request(facet_filters, date_from, date_to, all_copies)
    for m in messages:
        click.echo(f"# {m}", err=True)
    try:
        lines = batch.read_queries(file.read())
    except batch.BatchError as exc:
        _fail(str(exc))
    progress = None
    if not quiet and not as_json and len(lines) > 1:
        from tqdm import tqdm
        progress = tqdm(total=len(lines), unit="query", file=sys.stderr, dynamic_ncols=True)
    rows = []
    try:
        with _open(index_dir).session() as session:
            for row in batch.run(session, lines, base):
                rows.append(row)
                if progress is not None:
                    progress.update(1)
    except IndexUnavailable as exc:
        _fail(str(exc))
    finally:
        if progress is not None:
            progress.close()
    if csv_out is not None:
        for chunk in batch.csv_lines(rows):
            csv_out.write(chunk)
    if as_json:
        click.echo(json.dumps({"rows": [batch.row_json(r) for r in rows]}, ensure_ascii=False))
    elif csv_out is None or getattr(csv_out, "name", "") != "<stdout>":
        click.echo(render_batch(rows))


def render_batch(rows) -> str:
    """The rows for a terminal: line, total, dates, the top values, notes."""
    from indexer import batch
    out = []
    for row in rows:
        span = f"{row.first} – {row.last}" if row.first else "no dated article"
        out.append(f"{row.line:>4}  {row.total:>7,}  {span:<25}  {row.label + ': ' if row.label else ''}{row.query}")
        for spec in batch.chip_facets():
            if row.top.get(spec.name):
                out.append(f"{'':14}{spec.label}: {', '.join(row.top[spec.name])}")
        if row.error:
            out.append(f"{'':14}! {row.error}")
    return "\n".join(out)


@main.command("trends")
@click.argument("queries", nargs=-1, required=True)
@INDEX_OPTION
@_facet_options
@click.option("--from", "date_from", help="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", help="Latest date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--by", "interval", type=click.Choice(("day", "week", "month", "year")), default=None,
              help="Period [default: the finest that draws the range in at most TREND_MAX_POINTS points].")
@click.option("--csv", "as_csv", is_flag=True, help="Print the table as CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print the /api/trends shape.")
@_COPIES_OPTION
def trends_command(queries, index_dir, date_from, date_to, interval, as_csv, as_json, all_copies, **facet_filters):
    """How often each of QUERIES matches per period (stories, or articles with --all-copies), as counts
    and as shares of all of the period."""
    import csv as csv_mod
    from indexer import trends
    from indexer.exports import csv_cell
    base, messages = _filter_request(facet_filters, date_from, date_to, all_copies)
    wanted = list(dict.fromkeys(q.strip() for q in queries if q.strip()))
    if len(wanted) > settings.TREND_MAX_SERIES:
        messages.append(f"At most {settings.TREND_MAX_SERIES} queries; the first {settings.TREND_MAX_SERIES} are drawn.")
        wanted = wanted[:settings.TREND_MAX_SERIES]
    try:
        with _open(index_dir).session() as session:
            trend, notes = trends.run(session, [(q, q) for q in wanted], base, interval)
    except IndexUnavailable as exc:
        _fail(str(exc))
    for m in messages + notes + [m for s in trend.series for m in s.messages]:
        click.echo(f"# {m}", err=True)
    if as_json:
        click.echo(json.dumps(trend.to_json(), ensure_ascii=False))
        return
    if as_csv:
        writer = csv_mod.writer(sys.stdout)
        writer.writerow([csv_cell(h) for h in trend.header()])
        for row in trend.rows():
            writer.writerow([csv_cell(v) for v in row])
        return
    if not trend.first:
        click.echo("No dated article matches.")
        return
    click.echo(f"{trend.unit} per {trend.interval}, {trend.first} – {trend.last}")
    click.echo(f"{'period':<10} {'all':>7}  " + "  ".join(f"{s.label[:24]:>24}" for s in trend.series))
    for i, row in enumerate(trend.rows()):
        cells = []
        for s in trend.series:
            p = s.points[i]
            cells.append(f"{p.count:>9,} ({(p.share or 0) * 100:5.1f}%)".rjust(24))
        click.echo(f"{row[0]:<10} {row[1]:>7,}  " + "  ".join(cells))
    click.echo("total      " + " " * 9 + "  ".join(f"{s.total:>24,}" for s in trend.series))


def render_text(result) -> str:
    """A terminal rendering: messages, hits with snippets (<mark> shown as **bold**), top facet values."""
    import html as html_mod
    import re

    def unmark(s: str) -> str:
        return html_mod.unescape(re.sub(r"</?mark>", "**", s))
    out = [f"# {m}" for m in result.messages]
    if result.suggestion:
        out.append(f"Did you mean: {result.suggestion}")
    found = (f"{result.stories} stories ({result.articles} articles)" if result.grouped
             else f"{result.articles} articles")
    out.append(f"{found} ({result.took_ms:.0f} ms), page {result.request.page} of {result.pages}")
    for n, hit in enumerate(result.hits, 1 + (result.request.page - 1) * result.request.page_size):
        out.append("")
        labels = [facets.shown_value(spec, v) for spec in facets.VALUE_FACETS if spec.display == "label"
                  for v in hit.facets.get(spec.name) or ()]
        out.append(f"{n}. {hit.title}  [{' · '.join([hit.date or 'date unknown', *labels])}]  id={hit.id}")
        out.append(f"   {hit.source}")
        for spec in facets.VALUE_FACETS:
            if spec.display == "byline" and hit.facets.get(spec.name):
                out.append(f"   by {', '.join(hit.facets[spec.name])}")
        out.append(f"   {unmark(hit.snippet)}")
        entities = [facets.shown_value(spec, v) for spec in facets.VALUE_FACETS if spec.display == "chips"
                    for v in hit.facets.get(spec.name) or ()]
        if entities:
            out.append(f"   {' · '.join(entities)}")
        if hit.copies_total:
            named = "; ".join(f"{c.source} ({c.date or 'date unknown'})" for c in hit.copies)
            more = hit.copies_total - len(hit.copies)
            out.append(f"   and {hit.copies_total} other {'copy' if hit.copies_total == 1 else 'copies'}: {named}"
                       + (f"; {more} more" if more > 0 else ""))
    for facet in result.facets.values():
        shown = [f"{'[x] ' if v.selected else ''}{v.label or v.value} ({v.count})" for v in facet.values[:10]]
        if shown:
            out.append("")
            out.append(f"{facet.label}: " + ", ".join(shown))
    return "\n".join(out)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON line per article (the only format).")
@click.option("--full-body", is_flag=True, help="The whole body, not its first 300 characters.")
@_NAMES_OPTION
def extract(files, as_json, full_body, names_path):
    """Print the articles found in FILES with their date and each facet's values; no indexing.

    Exits 1 when a FILE does not exist or no article was found at all (after printing the rest)."""
    names = _names(names_path)
    missing, found = [], 0
    for item in pipeline.extract_files(files, body_chars=None if full_body else 300, names=names):
        if item.get("reason") == "not found":
            missing.append(item["skipped"])
            click.echo(f"Error: no such file or folder: {item['skipped']}", err=True)
        elif "skipped" in item:
            click.echo(f"skipped {item['skipped']}: {item['reason']} {item['detail']}".rstrip(), err=True)
        else:
            found += 1
            click.echo(json.dumps(item, ensure_ascii=False))
    if missing:
        sys.exit(1)
    if not found:
        _fail("no article found in " + ", ".join(files))


@main.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def stats(index_dir, as_json):
    """Article count, date range, each sidebar facet's top values, index size, last build."""
    try:
        with _open(index_dir).session() as session:
            info = session.stats()
    except IndexUnavailable as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"Articles: {info['articles']} ({info['dates_unknown']} with date unknown)")
    click.echo(f"Dates: {info['date_from']} … {info['date_to']}")
    for spec in facets.SIDEBAR_FACETS:
        top = info[f"top_{spec.json}"]
        click.echo(f"{spec.label}: {info[f'distinct_{spec.json}']}; top: "
                   + ", ".join(f"{facets.shown_value(spec, v['value'])} ({v['count']})" for v in top))
    click.echo(f"Index: {info['index_dir']} ({info['size_bytes'] / 1e6:.1f} MB), generation {info['generation']}")
    click.echo(f"Last build: {info['last_build']} ({info['last_build_command']}, {info['last_build_seconds']} s)")


@main.command()
@INDEX_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free one).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 1024),
              help="Request threads per process.")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes sharing the port (one core each; gunicorn workers, Unix only).")
@click.option("--check", is_flag=True,
              help="Only check that HOST:PORT is free to listen on (exit 0), else say why (exit 1).")
def serve(index_dir, host, port, threads, processes, check):
    """Serve the web UI and JSON API (http://HOST:PORT): waitress, or gunicorn workers with --processes."""
    from webui.serving import PortError, listen, serve as run_server
    try:
        engine = _open(index_dir)
    except IndexUnavailable as exc:
        _fail(str(exc))
    root = engine.location()
    try:
        published = check or engine.exists()
    except IndexUnavailable as exc:
        _fail(str(exc))
    if not published:
        where = "--engine opensearch" if engine.name == "opensearch" else f"--index {root}"
        _fail(f"no index at {root}: run `newsfacet rebuild PATH {where}` first")
    try:
        sock = listen(host, port)
    except PortError as exc:
        _fail(str(exc))
    if check:
        sock.close()
        click.echo(f"Port {port} on {host} is free.")
        return
    meta = click.get_current_context().meta      # the web app's processes read the choice from the environment
    for key, variable in (("newsfacet.engine", "NEWSFACET_ENGINE"), ("newsfacet.opensearch", "NEWSFACET_OPENSEARCH_URL")):
        if meta.get(key):
            os.environ[variable] = meta[key]
    run_server(root, host=host, port=port, threads=threads, processes=processes, sock=sock)


if __name__ == "__main__":   # pragma: no cover
    main()
