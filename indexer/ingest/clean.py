"""Text hygiene shared by every reader: decoding, control characters, whitespace, page furniture.

Readers hand over whatever a file holds; this module turns it into plain NFC text with
paragraphs separated by one blank line, and recognises the menu/share/cookie lines that
saved web pages carry around an article ("page furniture").
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional

from indexer.model import SKIP_UNREADABLE, SkipFile

# --------------------------------------------------------------------------- decoding

_BINARY_SAMPLE = 64 * 1024
# Bytes that never occur in text files (keeps \t \n \v \f \r and ESC out of the count).
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 27)) + bytes(range(28, 32)) + b"\x7f"
_BINARY_CONTROL_RATIO = 0.05

# cp1252 bytes that decode to a plausible Western-European character; used to accept a
# legacy 8-bit file as cp1252 before asking charset-normalizer, which misreads short texts.
_WESTERN_EXTRA = set("€‚„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ«»°£¥§©®±²³´µ·¹º¼½¾¿×÷¡¢¤¦¨ª¬¯¶¸\xa0")


def looks_binary(data: bytes) -> bool:
    """True for content that is not text: runs of NUL bytes or many control bytes.

    A single stray NUL in a text file is tolerated (it is removed later); binary
    formats have NUL runs (padding, little-endian integers) or >5% control bytes.
    """
    sample = data[:_BINARY_SAMPLE]
    if not sample:
        return False
    if b"\x00\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > _BINARY_CONTROL_RATIO


def _utf16_without_bom(data: bytes) -> Optional[str]:
    """Decode BOM-less UTF-16 text (NUL in every other byte) or return None."""
    if len(data) < 4:
        return None
    for codec, zero_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        if all(_utf16_pattern(sample, zero_at) for sample in (data[:64], data[:4096])):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _utf16_pattern(sample: bytes, zero_at: int) -> bool:
    """Mostly-ASCII UTF-16: NUL in most bytes at ``zero_at`` parity, almost none at the other."""
    half = len(sample) // 2 or 1
    nuls = sample[zero_at::2].count(0)
    other = sample[1 - zero_at::2].count(0)
    return nuls > 0.6 * half and other < 0.05 * half


def _plausible_cp1252(data: bytes) -> Optional[str]:
    """cp1252 text when every non-ASCII character is a Latin letter or common sign."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii or len(non_ascii) > 0.3 * len(text):
        return None
    for c in non_ascii:
        if not ("\xc0" <= c <= "\xff" or c in _WESTERN_EXTRA):
            return None
    return text


def decode_bytes(data: bytes, declared: Optional[str] = None) -> str:
    """Bytes of a text file → str. Raises SkipFile(unreadable) for binary or undecodable data.

    Order: BOMs; UTF-8; UTF-8 with a few corrupt bytes (kept as U+FFFD rather than
    re-read in a wrong codec); ``declared`` (e.g. an HTML meta charset); plausible
    cp1252/latin-1; charset-normalizer.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SkipFile(SKIP_UNREADABLE, "undecodable UTF-16 text") from None
    if not data:
        return ""
    utf16 = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if utf16 is not None:
        return utf16
    if looks_binary(data):
        raise SkipFile(SKIP_UNREADABLE, "binary content")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for c in lenient if ord(c) > 127) - bad
    if good > 0 and bad <= max(2, good // 20):
        return lenient
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    text = _plausible_cp1252(data)
    if text is not None:
        return text
    from charset_normalizer import from_bytes   # imported lazily: only legacy files need it

    best = from_bytes(data[:256 * 1024]).best()
    if best is None or not best.encoding:
        raise SkipFile(SKIP_UNREADABLE, "undecodable text (unknown encoding)")
    try:
        return data.decode(best.encoding, errors="replace")
    except LookupError:
        raise SkipFile(SKIP_UNREADABLE, f"undecodable text ({best.encoding})") from None


# --------------------------------------------------------------------------- text cleaning

# Control and invisible characters to drop (\n and \t are handled separately).
_DROP = "".join(chr(c) for c in range(32) if c not in (9, 10, 11, 12, 13)) + "".join(
    chr(c) for c in range(0x7F, 0xA0)) + "\u00ad\u200b\u200c\u200e\u200f\u2060\ufeff\ufffe"
_TRANSLATE = {ord(c): None for c in _DROP}
_TRANSLATE.update({ord("\t"): " ", ord("\r"): "\n", ord("\v"): "\n", ord("\f"): "\n",
                   0x2028: "\n", 0x2029: "\n\n", 0x85: "\n"})
_SPACE_CLASS = "[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_SPACES = re.compile(f"(?: {_SPACE_CLASS}|[^ \\S\\n]){_SPACE_CLASS}*")   # only runs and odd spaces
_TRIM_LINES = re.compile(r" +\n *|\n +")
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_text(s: str) -> str:
    """Plain, NFC-normalised text: no control characters, single spaces, one blank line between paragraphs.

    Single newlines inside a paragraph are kept (line structure of tables, addresses).
    """
    if not s:
        return ""
    s = s.replace("\r\n", "\n").translate(_TRANSLATE)
    if not s.isascii():
        s = unicodedata.normalize("NFC", s)
        s = _SPACES.sub(" ", s)
    elif "  " in s:
        s = _SPACES.sub(" ", s)
    if " \n" in s or "\n " in s:              # the checks skip regex passes on clean input
        s = _TRIM_LINES.sub("\n", s)
    if "\n\n\n" in s:
        s = _BLANK_RUNS.sub("\n\n", s)
    return s.strip()


def clean_line(s: str) -> str:
    """One line of text (titles, datelines): cleaned and with newlines turned into spaces."""
    return " ".join(clean_text(s).split())


def paragraphs(s: str) -> list[str]:
    """Split cleaned text into paragraphs (blocks separated by blank lines)."""
    return [p for p in clean_text(s).split("\n\n") if p]


# --------------------------------------------------------------------------- page furniture

_KNOWN_FURNITURE = frozenset("""
accessibility links
breaking news
skip to main content
skip to content
skip to navigation
skip navigation
skip to main navigation
jump to navigation
share
share this
share this article
share this story
share this page
share on facebook
share on twitter
share via email
tweet
email
email this
email this article
print
print this
print this article
print this page
menu
main menu
open menu
close menu
navigation
home
homepage
home page
subscribe
subscribe now
sign in
log in
login
sign up
register
my account
advertisement
advertisements
advert
ad
sponsored
sponsored content
paid content
related
related articles
related stories
related content
related news
related topics
related links
you may also like
recommended
recommended for you
read more
read next
more
more stories
see also
most popular
most read
most viewed
trending
trending now
top stories
latest news
comments
leave a comment
show comments
view comments
close
search
next
previous
next article
previous article
back to top
top
follow us
newsletter
cookie settings
cookie policy
privacy policy
terms of use
terms of service
contact us
about us
accept
accept cookies
accept all cookies
accept all
reject all
manage cookies
manage preferences
we use cookies
listen
listen to this article
watch
watch live
live
video
image
photo
toggle navigation
loading
""".strip().splitlines())

_FURNITURE_PATTERNS = re.compile(
    r"""^(?:
        (?:this\s+(?:web)?site|our\s+(?:web)?site|we)\s+uses?\s+cookies\b
      | by\s+(?:continuing|using|clicking)\b.{0,80}\b(?:cookies|site|website|agree)\b
      | share\s+(?:on|via|to|this)\b
      | (?:follow|like|join)\s+us\b
      | (?:copyright\b|©|\(c\)\s*\d{4})
      | advertisement\b
      | (?:sign\s+up|subscribe)\s+(?:for|to)\s+(?:our|the)\b.{0,40}\bnewsletters?\b
      | click\s+here\b
      | (?:image|photo|picture)\s+(?:copyright|source|caption)\b
    )""", re.I | re.X)
_ALL_RIGHTS = re.compile(r"all rights reserved", re.I)
_BREADCRUMB_SEP = re.compile(r"\s(?:\||›|»|>|/|•|·)\s")
_SENTENCE_PUNCT = re.compile(r"[.!?;:\"“”«»…]")
_KEY_STRIP = re.compile(r"[\W_]+")


def _key(line: str) -> str:
    return _KEY_STRIP.sub(" ", line.casefold()).strip()


def is_furniture(line: str, title: Optional[str] = None, *, short_rule: bool = True) -> bool:
    """True when ``line`` is page furniture (menus, share bars, cookie notices), not article text.

    A line is furniture when
      1. its normalised text is in the known list ("Breaking News", "Share this", "Print"…), or
      2. it matches a furniture pattern (cookie notice, "Share on …", "Follow us…", copyright,
         "Advertisement …", "Click here…"), at most 60 words, or
      3. it is a breadcrumb/menu row: ≥ 2 separators (| › » / •) between items of ≤ 3 words, or
      4. (``short_rule`` only) it has ≤ 4 words, no digits, no sentence punctuation, and is
         ≤ 2 words or Title Cased like a menu ("Most Popular"; "The change takes eff" is not).
    A line equal to ``title`` is never furniture. Readers apply rule 4 only at the edges
    of a page (before the title line, after the last paragraph); inside the body only
    rules 1–3 apply, so short real paragraphs and sub-headings survive.
    """
    text = line.strip()
    if not text:
        return False
    key = _key(text)
    if title is not None and key == _key(title):
        return False
    if not key:                       # only punctuation/symbols, e.g. "|" or "•••"
        return True
    if key in _KNOWN_FURNITURE:
        return True
    words = text.split()
    if len(words) <= 60 and (_FURNITURE_PATTERNS.match(text) or
                              (len(words) <= 15 and _ALL_RIGHTS.search(text))):
        return True
    parts = _BREADCRUMB_SEP.split(text)
    if len(parts) >= 3 and all(0 < len(p.split()) <= 3 for p in parts):
        return True
    if short_rule and len(words) <= 4 and not _SENTENCE_PUNCT.search(text) \
            and not any(ch.isdigit() for ch in text) \
            and (len(words) <= 2 or all(not w[0].isalpha() or w[0].isupper() for w in words)):
        return True
    return False


def drop_furniture(paras: Iterable[str], title: Optional[str] = None) -> list[str]:
    """Remove furniture from article paragraphs: known furniture anywhere, short menu-like lines at the end.

    Works line by line inside each paragraph; a paragraph repeating the title at the top is dropped.
    """
    out: list[str] = []
    for para in paras:
        lines = [ln for ln in para.split("\n") if ln.strip() and not is_furniture(ln, short_rule=False)]
        if lines:
            out.append("\n".join(lines))
    if out and title and _key(out[0]) == _key(title):
        out.pop(0)
    while out:
        lines = out[-1].split("\n")
        if not is_furniture(lines[-1], title) or (len(out) == 1 and len(lines) == 1):
            break
        lines.pop()
        if lines:
            out[-1] = "\n".join(lines)
        else:
            out.pop()
    return out
