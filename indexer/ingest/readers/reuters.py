"""Reuters-21578 pseudo-SGML (.sgm): many <REUTERS> documents per file, streamed one at a time.

The markup is not XML (bare "&", unclosed tags), so each document is cut out with string
search and its fields taken with regexes. Category labels (PLACES, PEOPLE, TOPICS…) are
evaluation data and deliberately not copied into the article.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterator, Optional, Union

from indexer.ingest.clean import clean_line, clean_text
from indexer.model import (SKIP_EMPTY, SKIP_TOO_LARGE, SKIP_UNREADABLE, RawArticle,
                           Skipped, SkipFile)
from indexer.ingest.readers._common import fallback_title, make_date

SUFFIXES = (".sgm",)

_START = "<REUTERS"
_END = "</REUTERS>"
_CHUNK = 1 << 20
_MAX_TITLE_CHARS = 200

_NEWID = re.compile(r'\bNEWID="(\d+)"')
_DATE = re.compile(r"<DATE>\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_TYPE = re.compile(r'TYPE\s*=\s*"?(\w+)', re.I)
# Elements that are not article text (headline, metadata, category labels).
_SUB_ELEMENTS = re.compile(
    r"<(TITLE|DATELINE|AUTHOR|DATE|TOPICS|PLACES|PEOPLE|ORGS|EXCHANGES|COMPANIES|UNKNOWN|MKNOTE)>.*?</\1>",
    re.S)
_TAG = re.compile(r"</?[A-Z]+\b[^>]*>")
_SIGN_OFF = re.compile(r"(?:^|\s)REUTERS?\b[\s.]*$", re.I)
_DATELINE_TAIL = re.compile(r"[\s\-–]+$")
_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)}

Result = Union[RawArticle, Skipped]


def read_reuters(path: Path, max_bytes: int) -> Iterator[Result]:
    """Every <REUTERS> document of the file, in order, as RawArticle or Skipped."""
    source = str(path)
    try:
        f = open(path, "r", encoding="latin-1", newline="")
    except OSError as e:
        raise SkipFile(SKIP_UNREADABLE, e.strerror or str(e)) from None
    pos = 0
    with f:
        try:
            for segment, problem in _segments(f, max_bytes):
                ref = f"{source}#{pos}"
                if problem == "too large":
                    yield Skipped(ref, SKIP_TOO_LARGE, f"article over {max_bytes} bytes")
                else:
                    yield parse_document(segment, source, pos, truncated=problem == "truncated")
                pos += 1
        except OSError as e:
            raise SkipFile(SKIP_UNREADABLE, e.strerror or str(e)) from None
    if pos == 0:
        raise SkipFile(SKIP_EMPTY, "no <REUTERS> documents")


def _segments(f, max_bytes: int) -> Iterator[tuple[str, Optional[str]]]:
    """(document text, problem) pairs; problem is None, "truncated" or "too large".

    Keeps at most one document (plus one read chunk) in memory.
    """
    buf, i, eof, oversized = "", 0, False, False
    while True:
        s = buf.find(_START, i)
        if oversized:                           # discard until the document ends
            e = buf.find(_END, i)
            cut = min(x for x in (s, e, len(buf)) if x >= 0)
            if cut < len(buf):
                oversized = False
                i = e + len(_END) if cut == e else s
                continue
            i = len(buf)
        elif s >= 0:
            e = buf.find(_END, s)
            nxt = buf.find(_START, s + 1)
            if e >= 0 and (nxt < 0 or e < nxt):
                if e + len(_END) - s > max_bytes:
                    yield "", "too large"
                else:
                    yield buf[s:e + len(_END)], None
                i = e + len(_END)
                continue
            if nxt >= 0:
                yield buf[s:nxt], "truncated"
                i = nxt
                continue
            if eof:
                yield buf[s:], "truncated"
                return
            if len(buf) - s > max_bytes:
                yield "", "too large"
                oversized, i = True, len(buf)
            else:
                i = s
        else:
            i = max(i, len(buf) - len(_START))
        if eof:
            return
        chunk = f.read(_CHUNK)
        if not chunk:
            eof = True
        buf = buf[i:] + chunk
        i = 0


def parse_document(doc: str, source: str, pos: int, truncated: bool = False) -> Result:
    """One <REUTERS> document → RawArticle, or Skipped when it is cut off or has no text."""
    ref = f"{source}#{pos}"
    if truncated and "</TEXT>" not in doc:
        return Skipped(ref, SKIP_UNREADABLE, "truncated article")
    m = _NEWID.search(doc[:300])
    given_id = m.group(1) if m else None
    m = _DATE.search(doc)
    date = make_date(int(m.group(3)), _MONTHS.get(m.group(2).upper(), 0), int(m.group(1))) \
        if m and m.group(2).upper() in _MONTHS else None

    open_at = doc.find("<TEXT")
    if open_at >= 0:
        tag_end = doc.find(">", open_at)
        m = _TYPE.search(doc, open_at, tag_end)
        kind = m.group(1).upper() if m else "NORMAL"
        inner = _between(doc, tag_end + 1, "</TEXT>")
    else:                                           # no <TEXT>: look for fields anywhere
        kind, inner = "NORMAL", doc[doc.find(">") + 1:]
    inner = inner.replace("</REUTERS>", "")

    title = clean_line(_unescape(_element(inner, "TITLE") or ""))
    dateline = _element(inner, "DATELINE", need_close=True)
    if dateline is not None:
        dateline = _DATELINE_TAIL.sub("", clean_line(_unescape(dateline)))

    if kind == "BRIEF":
        body = ""                                   # headline-only flash; the rest is filler
    else:
        raw = _element(inner, "BODY")
        has_body = raw is not None
        if not has_body:
            raw = _TAG.sub("", _SUB_ELEMENTS.sub("", inner))
        body = _strip_sign_off(_reflow(_unescape(raw)))
        if not title and body:
            if kind == "UNPROC" or not has_body:    # first line of unprocessed text is its headline
                first, _, rest = body.partition("\n")
                if len(first) <= _MAX_TITLE_CHARS:
                    title, body = clean_line(first), rest.strip()
            if not title:
                title = fallback_title(body)
    if not title and not body:
        return Skipped(ref, SKIP_EMPTY, "no text")
    return RawArticle(source=source, title=title, body=body, date=date, position=pos,
                      dateline=dateline or None, given_id=given_id)


def _between(doc: str, start: int, close: str) -> str:
    end = doc.find(close, start)
    return doc[start:] if end < 0 else doc[start:end]


def _element(text: str, name: str, need_close: bool = False) -> Optional[str]:
    """Content of the first <NAME>…</NAME> (to the end of ``text`` if unclosed), or None."""
    start = text.find(f"<{name}>")
    if start < 0:
        return None
    start += len(name) + 2
    end = text.find(f"</{name}>", start)
    if end < 0:
        return None if need_close else text[start:]
    return text[start:end]


def _strip_sign_off(body: str) -> str:
    """Drop the closing "Reuter" signature (checked on the tail only, for speed)."""
    tail = body[-20:]
    m = _SIGN_OFF.search(tail)
    return body[:len(body) - len(tail) + m.start()].rstrip() if m else body


def _unescape(s: str) -> str:
    return html.unescape(s) if "&" in s else s


def _reflow(raw: str) -> str:
    """Undo the wire's hard wrapping: indented lines start paragraphs, table rows keep their lines."""
    paras: list[list[str]] = []
    current: Optional[list[str]] = None
    prev_table = False
    for line in raw.split("\n"):
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        indent = len(line) - len(line.lstrip())
        table = "   " in stripped or "..." in stripped
        if current is None or indent >= 3:
            current = [stripped]
            paras.append(current)
        elif table or prev_table or indent:
            current.append("\n" + stripped)
        else:
            current.append(" " + stripped)
        prev_table = table
    return clean_text("\n\n".join("".join(p) for p in paras))
