"""JSON (.json: one object, a list, or {"articles": [...]}) and JSON Lines (.jsonl, .ndjson).

Fields: title, date, body | text | content, optional url, id, the language the article declares
(lang | language | inLanguage | locale: a hint to detection), and each facet's ``given_keys``
(``indexer.facets``: people, countries, organisations, author(s)…). Values of
an obviously convertible type are converted (number → text, list of strings → paragraphs);
anything else makes that one article a Skipped entry, so every object is accounted for.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from indexer import facets
from indexer.ingest.clean import clean_line, decode_bytes, drop_furniture, looks_binary, paragraphs
from indexer.model import (SKIP_EMPTY, SKIP_NOT_ARTICLE, SKIP_TOO_LARGE, SKIP_UNREADABLE,
                           RawArticle, Skipped, SkipFile)
from indexer.ingest.readers._common import (clean_author_names, fallback_title, is_date_line, language_tag,
                                            parse_date)

JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")

_TITLE_KEYS = ("title", "headline")
_BODY_KEYS = ("body", "text", "content")
_DATE_KEYS = ("date", "published", "published_at", "datePublished", "pubdate", "publish_date")
_URL_KEYS = ("url", "link")
_ID_KEYS = ("id", "_id", "guid")
_LANGUAGE_KEYS = ("lang", "language", "inLanguage", "locale")   # ours, schema.org's, and a locale
_WRAPPER_KEYS = ("articles", "items", "data", "results", "documents", "docs", "stories", "entries")

Result = Union[RawArticle, Skipped]


def read_json(data: bytes, source: str) -> Iterator[Result]:
    """Articles of a .json file (already read, size-checked)."""
    text = decode_bytes(data)
    if not text.strip():
        raise SkipFile(SKIP_EMPTY, "empty file")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":           # one object per line saved as .json
            yield from _from_lines(text.splitlines(), source)
            return
        raise SkipFile(SKIP_UNREADABLE, f"invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise SkipFile(SKIP_UNREADABLE, "invalid JSON: nested too deeply") from None

    if isinstance(obj, dict) and not _has_article_fields(obj):
        wrapped = next((obj[k] for k in _WRAPPER_KEYS if isinstance(obj.get(k), list)), None)
        if wrapped is not None:
            obj = wrapped
    if isinstance(obj, dict):
        result = article_from_object(obj, source, None)
        if isinstance(result, Skipped):
            raise SkipFile(result.reason, result.detail)
        yield result
        return
    if not isinstance(obj, list):
        raise SkipFile(SKIP_NOT_ARTICLE, f"JSON {_type_name(obj)}, not an article object")
    if not obj:
        raise SkipFile(SKIP_EMPTY, "no articles")
    if not any(isinstance(item, dict) for item in obj):
        raise SkipFile(SKIP_NOT_ARTICLE, "JSON list without article objects")
    for pos, item in enumerate(obj):
        yield article_from_object(item, source, pos)


def read_jsonl(path: Path, max_bytes: int) -> Iterator[Result]:
    """Articles of a JSON Lines file, read line by line; a line over ``max_bytes`` is skipped."""
    source = str(path)
    try:
        f = open(path, "rb")
    except OSError as e:
        raise SkipFile(SKIP_UNREADABLE, e.strerror or str(e)) from None
    with f:
        try:
            head = f.read(8192)
            if not head.strip():
                raise SkipFile(SKIP_EMPTY, "empty file")
            if looks_binary(head):
                raise SkipFile(SKIP_UNREADABLE, "binary content")
            if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):   # a JSON array saved as .jsonl
                f.seek(0)
                data = f.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise SkipFile(SKIP_TOO_LARGE, f"JSON array over {max_bytes} bytes")
                yield from read_json(data, source)
                return
            f.seek(0)
            yield from _from_lines(_capped_lines(f, max_bytes), source)
        except OSError as e:
            raise SkipFile(SKIP_UNREADABLE, e.strerror or str(e)) from None


class _TooLong:
    """Placeholder for a line that exceeded the size cap (its bytes were not kept)."""

    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit


def _capped_lines(f, max_bytes: int) -> Iterator[Union[bytes, _TooLong]]:
    while True:
        line = f.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while True:                       # skip the rest of the over-long line
                chunk = f.readline(1 << 20)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield _TooLong(size, max_bytes)
            continue
        yield line


def _from_lines(lines: Iterable[Union[bytes, str, _TooLong]], source: str) -> Iterator[Result]:
    """One article per non-blank line. An article's position counts the non-blank lines (its id
    depends on it); a skipped line is reported by its line number in the file, from 1 (``feed.jsonl#line 6``)."""
    pos = 0
    for lineno, line in enumerate(lines, 1):
        ref = f"{source}#line {lineno}"
        if isinstance(line, _TooLong):
            yield Skipped(ref, SKIP_TOO_LARGE, f"line of {line.size} bytes, limit {line.limit}")
            pos += 1
            continue
        if isinstance(line, bytes):
            line = line.strip()
            if not line:
                continue
            try:
                line = line.decode("utf-8-sig")
            except UnicodeDecodeError:
                try:
                    line = decode_bytes(line)
                except SkipFile as e:
                    yield Skipped(ref, e.reason, e.detail)
                    pos += 1
                    continue
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield Skipped(ref, SKIP_UNREADABLE, f"invalid JSON: {e.msg} (column {e.colno})")
        except RecursionError:
            yield Skipped(ref, SKIP_UNREADABLE, "invalid JSON: nested too deeply")
        else:
            result = article_from_object(obj, source, pos)
            yield Skipped(ref, result.reason, result.detail) if isinstance(result, Skipped) else result
        pos += 1
    if pos == 0:
        raise SkipFile(SKIP_EMPTY, "no articles")


# --------------------------------------------------------------------------- one object

def _type_name(value) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean",
            type(None): "null"}.get(type(value), "number")


def _has_article_fields(obj: dict) -> bool:
    return any(k in obj for k in _TITLE_KEYS + _BODY_KEYS)


def _first(obj: dict, keys: tuple[str, ...]):
    for k in keys:
        if obj.get(k) is not None:
            return k, obj[k]
    return None, None


def _as_text(value, joiner: str) -> tuple[str, Optional[str]]:
    """(text, None) for usable values, ("", why) for values that cannot be read as text."""
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return "", "a boolean"
    if isinstance(value, (int, float)):
        return str(value), None
    if isinstance(value, list):
        if all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            return joiner.join(str(v) for v in value), None
        return "", "a list of non-strings"
    return "", f"an {_type_name(value)}" if isinstance(value, dict) else "of an unknown type"


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = [v for v in value if isinstance(v, str)]
    else:
        return []
    return [s for s in (clean_line(v) for v in items) if s]


def article_from_object(obj, source: str, pos: Optional[int]) -> Result:
    """RawArticle from one decoded JSON value, or Skipped saying why it is not one."""
    ref = source if pos is None else f"{source}#{pos}"
    if not isinstance(obj, dict):
        return Skipped(ref, SKIP_NOT_ARTICLE, f"JSON {_type_name(obj)} instead of an article object")
    title_key, title_raw = _first(obj, _TITLE_KEYS)
    title, why = _as_text(title_raw, " ")
    if why:
        return Skipped(ref, SKIP_NOT_ARTICLE, f"{title_key} is {why}")
    body_key, body_raw = _first(obj, _BODY_KEYS)
    if isinstance(body_raw, (int, float)) and not isinstance(body_raw, bool):
        return Skipped(ref, SKIP_NOT_ARTICLE, f"{body_key} is a number")
    body, why = _as_text(body_raw, "\n\n")
    if why:
        return Skipped(ref, SKIP_NOT_ARTICLE, f"{body_key} is {why}")

    title = clean_line(title)
    paras = paragraphs(body)
    dateline = None
    if paras and "\n" not in paras[0] and is_date_line(paras[0]):
        dateline = paras.pop(0)                  # "Friday, January 4, 2019" before the text
    paras = drop_furniture(paras, title or None)
    body = "\n\n".join(paras)
    if not title and not body:
        return Skipped(ref, SKIP_EMPTY, "no text")
    if not any(ch.isalpha() for ch in body) and not (body == "" and any(ch.isalpha() for ch in title)):
        return Skipped(ref, SKIP_NOT_ARTICLE, "no words (only numbers or symbols)")
    if not title:
        title = fallback_title(body)

    _, date_raw = _first(obj, _DATE_KEYS)
    date = parse_date(date_raw) or (parse_date(dateline) if dateline else None)
    _, url = _first(obj, _URL_KEYS)
    _, given_id = _first(obj, _ID_KEYS)
    declared = next((tag for tag in (language_tag(obj.get(k)) for k in _LANGUAGE_KEYS) if tag), None)
    return RawArticle(
        source=source, title=title, body=body, date=date, position=pos,
        url=url.strip() if isinstance(url, str) and url.strip() else None,
        dateline=dateline,
        given_id=str(given_id) if isinstance(given_id, (str, int)) and not isinstance(given_id, bool) else None,
        given=_given(obj), declared_language=declared,
    )


def _given(obj: dict) -> dict[str, list[str]]:
    """The values the object labels for each facet, read from the facet's ``given_keys`` (the
    first present): a comma-separated string, or a list of strings or of objects with a ``name``
    (as in JSON-LD). Authors are bylines: "By Jane Doe and John Roe" is two names."""
    out: dict[str, list[str]] = {}
    for spec in facets.FACETS:
        key = next((k for k in spec.given_keys if obj.get(k) is not None), None)
        if key is None:
            continue
        value = obj[key]
        if isinstance(value, dict):
            value = [value]
        if isinstance(value, list):
            value = [i.get("name") if isinstance(i, dict) else i for i in value]
        values = clean_author_names(value if isinstance(value, list) else [value]) if spec.name == "author" \
            else _as_list(value)
        if values:
            out[spec.name] = values
    return out
