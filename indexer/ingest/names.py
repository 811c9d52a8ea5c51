"""Curated names: a CSV file the user keeps beside the corpus to fix what extraction got wrong.

Columns ``facet,action,value,target`` (a header line first; blank lines and lines starting with
``#`` are skipped), one rule a line, per facet (a facet's name, URL parameter or JSON field:
``person``, ``people``, ``org``…):

- ``merge``: ``value`` is another spelling of ``target`` ("Brian T. Carroll" → "Brian Carroll");
- ``move``: ``value`` belongs to the facet ``target`` ("Al Jazeera": person → org);
- ``drop``: ``value`` is not a value of this facet at all ("Bug Busters"); no target.

Values match however they are cased or accented. Rules chain: a value merged into a name that is
itself moved ends in the other facet; a chain that comes back to where it started is an error.
``Names.load`` reads and checks the whole file before anything is built: a mistake is a
``NamesError`` whose one-line message names the file and the line. The build applies the rules to
every article as it is read (``apply``), before any engine sees it.

CSV rather than TOML: journalists keep such lists in a spreadsheet, which saves CSV and has no
TOML; a CSV line is a rule, so an error's line number points at the row to fix
(docs/names-file.md).
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from indexer import facets
from indexer.facets import FacetSpec
from indexer.model import Article
from indexer.textkeys import casefold_key

COLUMNS = ("facet", "action", "value", "target")
ACTIONS = ("merge", "move", "drop")
ENV_NAMES = "NEWSFACET_NAMES"


class NamesError(ValueError):
    """A names file that cannot be used: the message is one line naming the file and the line."""


@dataclass(frozen=True)
class Rule:
    """One line of the file: what to do with ``value`` in facet ``facet`` (names from the registry)."""
    facet: str
    action: str
    value: str
    target: str           # merge: the name to use; move: the facet's name; drop: ""
    line: int


@dataclass
class Names:
    """A checked names file: its rules by (facet, folded value), ready to apply to articles."""
    path: str
    rules: dict[tuple[str, str], Rule] = field(default_factory=dict)
    digest: str = ""      # a hash of the file, so `update` re-reads every file when the rules change

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Names":
        """The file at ``path`` read and checked whole; NamesError (one line) for the first mistake."""
        shown = os.fspath(path)
        try:
            data = open(path, "rb").read()
        except FileNotFoundError:
            raise NamesError(f"names file {shown}: no such file") from None
        except OSError as exc:
            raise NamesError(f"names file {shown}: {exc.strerror or exc}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise NamesError(f"{shown}, line {line}: not UTF-8 text (save the sheet as “CSV UTF-8”)") from None
        names = cls(shown, digest=hashlib.sha1(data).hexdigest())
        names._read(text)
        names._check_chains()
        return names

    # ------------------------------------------------------------ reading

    def _read(self, text: str) -> None:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = False
        try:
            for row in reader:
                line = reader.line_num
                cells = [c.strip() for c in row]
                if not any(cells) or cells[0].startswith("#"):
                    continue
                if not header:
                    head = [c.lower() for c in cells]
                    while head and not head[-1]:
                        head.pop()
                    if head not in (list(COLUMNS), list(COLUMNS[:3])):
                        self._fail(line, f"the first line must be the header {','.join(COLUMNS)}")
                    header = True
                    continue
                self._add(self._rule(cells, line))
        except csv.Error as exc:
            self._fail(reader.line_num, f"not valid CSV ({exc})")

    def _fail(self, line: int, message: str):
        raise NamesError(f"{self.path}, line {line}: {message}")

    def _facet(self, word: str, line: int, what: str) -> FacetSpec:
        found = _facet_named(word)
        if found is None:
            known = ", ".join(s.name for s in _named_facets())
            self._fail(line, f"unknown {what} “{word}” (one of {known})")
        return found

    def _rule(self, cells: list[str], line: int) -> Rule:
        if len(cells) > 4 and any(cells[4:]):
            self._fail(line, f"more than {len(COLUMNS)} columns ({','.join(COLUMNS)})")
        if any(ch < " " for cell in cells for ch in cell):
            self._fail(line, "a control character in a cell (a line break inside quotes?)")
        facet_word, action, value, target = (cells + [""] * 4)[:4]
        if not facet_word:
            self._fail(line, "no facet")
        spec = self._facet(facet_word, line, "facet")
        action = action.lower()
        if action not in ACTIONS:
            self._fail(line, f"unknown action “{action}” (merge, move or drop)")
        if not value:
            self._fail(line, "no value")
        if action == "merge":
            if not target:
                self._fail(line, "merge needs a target: the name to use instead")
            if casefold_key(target) == casefold_key(value):
                self._fail(line, f"“{value}” is merged into itself")
        elif action == "move":
            if not target:
                self._fail(line, "move needs a target: the facet the value belongs to")
            to = self._facet(target, line, "target facet")
            if to.name == spec.name:
                self._fail(line, f"“{value}” is moved to the facet it is in")
            if not to.multi:
                self._fail(line, f"{to.name} holds one value per article: values can't be moved into it")
            target = to.name
        elif target:
            self._fail(line, "drop takes no target")
        return Rule(spec.name, action, value, target, line)

    def _add(self, rule: Rule) -> None:
        key = (rule.facet, casefold_key(rule.value))
        earlier = self.rules.get(key)
        if earlier is not None:
            self._fail(rule.line, f"“{rule.value}” in {rule.facet} already has a rule on line {earlier.line}")
        self.rules[key] = rule

    def _check_chains(self) -> None:
        for rule in sorted(self.rules.values(), key=lambda r: r.line):
            try:
                self._resolve(rule.facet, rule.value)
            except _Loop:
                self._fail(rule.line, f"the rules for “{rule.value}” lead back to it")

    # ------------------------------------------------------------ applying

    def _resolve(self, facet: str, value: str) -> Optional[tuple[str, str]]:
        """Where (facet, value) ends after the rules: another name or facet, or None (dropped)."""
        seen = set()
        while True:
            rule = self.rules.get((facet, casefold_key(value)))
            if rule is None:
                return facet, value
            if (facet, casefold_key(value)) in seen:
                raise _Loop()
            seen.add((facet, casefold_key(value)))
            if rule.action == "drop":
                return None
            if rule.action == "merge":
                value = rule.target
            else:
                facet = rule.target

    def apply(self, article: Article) -> int:
        """Curate one article's facet values in place (merged, moved, dropped, then without
        repeats); returns how many of its values a rule changed."""
        touched = {name for name in (*article.facets, *article.mentioned)}
        if not any((name, casefold_key(v)) in self.rules for name in touched
                   for v in (*article.facets.get(name, ()), *article.mentioned.get(name, ()))):
            return 0
        changed = 0
        values: dict[str, list[str]] = {}
        mentioned: dict[str, list[str]] = {}
        moved: dict[str, list[str]] = {}
        for source, out in ((article.facets, values), (article.mentioned, mentioned)):
            for name, items in source.items():
                for value in items:
                    where = self._resolve(name, value)
                    if where != (name, value):
                        changed += 1
                    if where is None:
                        continue
                    to, shown = where
                    (out if to == name else moved).setdefault(to, []).append(shown)
        for name, items in moved.items():
            values.setdefault(name, []).extend(items)
        article.facets = {}
        for name, items in values.items():
            kept = _unique(items)
            spec = facets.BY_NAME.get(name)
            if spec is not None and not spec.multi:
                kept = kept[:1]
            if kept:
                article.facets[name] = kept
        article.mentioned = {}
        for name, items in mentioned.items():
            about = {casefold_key(v) for v in article.facets.get(name, ())}
            kept = [v for v in _unique(items) if casefold_key(v) not in about]
            if kept:
                article.mentioned[name] = kept
        return changed

    def summary(self) -> str:
        """What the file does, in one line (``newsfacet names check``)."""
        actions = Counter(r.action for r in self.rules.values())
        per_facet = Counter(r.facet for r in self.rules.values())
        what = ", ".join(f"{actions[a]} {a}" for a in ACTIONS if actions[a]) or "none"
        where = ", ".join(f"{name} {n}" for name, n in per_facet.items())
        return f"{self.path}: {len(self.rules)} rules ({what})" + (f" for {where}" if where else "") + "."


class _Loop(Exception):
    """Rules that lead a value back to itself."""


def _named_facets() -> tuple[FacetSpec, ...]:
    """The facets a names file curates: those whose values are names (people, countries, …) read or
    extracted, not codes such as a language's nor values the build assigns (a story)."""
    return tuple(s for s in facets.VALUE_FACETS
                 if s.kind in (facets.NAMES, facets.COUNTRIES) and s.source != "built")


def _facet_named(word: str) -> Optional[FacetSpec]:
    """A names facet by its name, URL parameter, JSON field or query alias, any case."""
    key = word.strip().lower()
    for spec in _named_facets():
        if key in (spec.name, spec.param, spec.json, *spec.aliases):
            return spec
    return None


def _unique(values: list[str]) -> list[str]:
    seen, out = set(), []
    for v in values:
        key = casefold_key(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def load(path: Optional[str | os.PathLike]) -> Optional[Names]:
    """``Names.load(path)``, or None without a path."""
    return Names.load(path) if path else None
