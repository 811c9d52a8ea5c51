"""The story's paragraphs less what is about the story rather than of it: bylines, "Updated …"
lines, tag rows, credits, appeals and the teasers of other stories at its end."""
from __future__ import annotations

import re
from typing import Optional

from indexer.ingest.readers._common import byline_names, is_date_line

# Cleaning the story's paragraphs (see tidy).
_EDGE_PARAS = 4             # bylines and date lines are looked for this far from either end
_BYLINE_MAX_WORDS = 14
_APPEAL_MAX_WORDS = 80
_UPDATED = re.compile(r"^\s*(?:last\s+)?(?:updated|modified|published|posted|first published)\b[^.!?]{0,80}$", re.I)
_TAG_ROW = re.compile(r"^\s*(?:(?:filed under|tagged(?: with)?|posted in|from the section)\b"
                      r"|(?:tags?|topics?|categories|category|keywords|more (?:on|about)|related (?:topics|tags))\s*[:：])",
                      re.I)
_NOTE_MAX_WORDS = 60
_PROMO_MAX_WORDS = 30
_PROMO = re.compile(r"^\s*(?:related(?:\s+(?:stories|articles|coverage|content))?|read\s+(?:more|also|next|this)|see\s+also"
                    r"|also\s+(?:read|see)|more\s+(?:on\s+this|stories)|recommended|watch|listen)\s*[:|›»]", re.I)
_AGO = re.compile(r"^\s*(?:about\s+)?(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\s*$", re.I)
_CREDIT = re.compile(r"^\s*(?:(?:media|image|video|photo|picture)\s+(?:caption|copyright|source)|(?:image|photo|picture|"
                     r"photograph|illustration|credit|source)s?\s*:)", re.I)
_AUTHOR_NOTE = re.compile(r"^\W*(?:is|was|,\s*an?|,\s*the|writes|covers|reports)\b", re.I)
_TAIL_SHARE = 0.6           # a closing heading comes after this share of the text
_TAIL_HEADING_WORDS = 6
_TEASER_CHARS = 300         # ... followed by items of at most this median length
_TEASER_BYLINES = 2         # this many bylines after most of the text are teaser cards of other stories,
_TEASER_LINES, _TEASER_WORDS = 2, 50    # each with up to two short lines (headline, blurb) above its byline
_TAIL_HEADING = re.compile(
    r"^\s*(?:related(?:\s+(?:stories|articles|content|news|coverage|links|reading|posts))?|more\s+(?:from|on|in|stories|news"
    r"|articles|coverage|to\s+read)\b.*|other\b.*\b(?:columns|stories|news|articles)|next\s+on\b.*|read\s+(?:more|next)"
    r"|recommended(?:\s+for\s+you)?|you\s+(?:may|might)\s+(?:also\s+)?like|most\s+(?:read|popular|viewed|shared)"
    r"|top\s+stories|trending(?:\s+now)?|also\s+(?:read|on)\b.*|what\s+to\s+read\s+next)\s*[:›»>]?\s*$", re.I)
_APPEAL = re.compile(r"\b(?:donat(?:e|es|ion|ions|ing)|become an? (?:member|supporter|patron|subscriber)"
                     r"|support (?:our|us|independent)|chip in|make a (?:gift|contribution))\b", re.I)


def tidy(paras: list[str], title: Optional[str], authors: list[str]) -> tuple[list[str], list[str]]:
    """Drop what is about the story rather than of it: bylines and author notes, "Updated …"
    and "3 hours ago" lines, "Filed under"/tag rows, captions' credit lines, "Read more: …" and
    "Related: …" links to other stories, donation appeals,
    repeats of a paragraph (slide captions). Returns the paragraphs and the names from the
    bylines."""
    names: list[str] = []
    out: list[str] = []
    seen: set[str] = set()
    edge = _EDGE_PARAS
    for i, para in enumerate(paras):
        near_start, near_end = i < edge, i >= len(paras) - edge
        words = para.split()
        key = " ".join(words).casefold()
        if len(words) >= 3 and key in seen:
            continue
        seen.add(key)
        if len(words) <= _BYLINE_MAX_WORDS:
            found = byline_names(para)
            if found and (near_start or near_end):
                names.extend(found)
                continue
            if _UPDATED.match(para) or _AGO.match(para) or ((near_start or near_end) and is_date_line(para)):
                continue
            if _TAG_ROW.match(para) or _CREDIT.match(para):
                continue
        if len(words) <= _PROMO_MAX_WORDS and _PROMO.match(para):
            continue
        if len(words) <= _NOTE_MAX_WORDS and (near_start or near_end) and _about_author(para, authors or names):
            continue
        if len(words) <= _APPEAL_MAX_WORDS and _APPEAL.search(para) and (near_start or near_end):
            continue
        out.append(para)
    return out, names


def cut_tail(paras: list[str]) -> list[str]:
    """The paragraphs before a "Related stories", "More from …", "Other … columns" heading
    that comes after most of the text and is followed by short items only (headlines and
    blurbs of other stories, not a section of this one), or before teaser cards: bylines
    after most of the text, each under a headline and a blurb."""
    total = sum(len(p) for p in paras) or 1
    seen = 0
    late_bylines = []
    for i, para in enumerate(paras):
        if seen >= _TAIL_SHARE * total:
            if len(para.split()) <= _TAIL_HEADING_WORDS and _TAIL_HEADING.match(para) \
                    and _median_len(paras[i + 1:]) <= _TEASER_CHARS:
                return paras[:i]
            if len(para.split()) <= _BYLINE_MAX_WORDS and byline_names(para):
                late_bylines.append(i)
        seen += len(para)
    if len(late_bylines) >= _TEASER_BYLINES:       # teaser cards: headline, blurb, "By …"
        cut = late_bylines[0]
        for _ in range(_TEASER_LINES):
            if cut > 0 and len(paras[cut - 1].split()) <= _TEASER_WORDS:
                cut -= 1
        return paras[:cut]
    return paras


def _median_len(paras: list[str]) -> int:
    lengths = sorted(len(p) for p in paras)
    return lengths[len(lengths) // 2] if lengths else 0


def _about_author(para: str, authors: list[str]) -> bool:
    """A note about the writer: "Jane Doe is a reporter …", "By Jane Doe, a deputy editor …"."""
    text = para.removeprefix("By ").removeprefix("by ").casefold()
    return any(text.startswith(a.casefold()) and _AUTHOR_NOTE.search(text[len(a):]) for a in authors if a)
