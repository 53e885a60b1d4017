"""The search box's small language, parsed before any database sees it: words (all must
appear), "quoted phrases", OR between two alternatives, and -word or -"phrase" to leave out.

Parsing first means a malformed query gets a clear message instead of a database error, and
each backend is handed only syntax it cannot misread (``to_fts5``, ``to_tsquery``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


class QuerySyntaxError(ValueError):
    """A search the hub cannot run; the message says how to put it right."""


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    # Every alternative group must match (AND); within a group any phrase may (OR).
    required: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...]

    @property
    def words(self) -> list[str]:
        return [w for group in self.required for phrase in group for w in phrase.words]


def parse(text: str) -> ParsedQuery | None:
    """The parsed query, or None for an empty one (every document matches)."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"Search for {MAX_QUERY_LENGTH} characters or fewer")
    if text.count('"') % 2:
        raise QuerySyntaxError('Close the quotation mark: a phrase goes between two " marks')
    items = _items(text)
    if not items:
        return None
    groups, excluded = _group(items)
    if not groups:
        raise QuerySyntaxError("Search for at least one word that is not left out with -")
    return ParsedQuery(tuple(groups), tuple(excluded))


def _items(text: str) -> list[Phrase | str]:
    """Phrases and the word OR, in order; punctuation-only tokens are dropped."""
    items: list[Phrase | str] = []
    for minus, quoted, bare in _TOKEN.findall(text):
        if bare == "OR":
            items.append("OR")
            continue
        excluded = bool(minus) or bare.startswith("-")
        words = tuple(w.lower() for w in _WORD.findall(quoted or bare))
        if words:
            items.append(Phrase(words, excluded))
    return items


def _group(items: list[Phrase | str]) -> tuple[list[tuple[Phrase, ...]], list[Phrase]]:
    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    joining = False
    for position, item in enumerate(items):
        if item == "OR":
            before = items[position - 1] if position else None
            after = items[position + 1] if position + 1 < len(items) else None
            if not _can_join(before) or not _can_join(after):
                raise QuerySyntaxError("Put a word on each side of OR, as in: smoking OR tobacco")
            joining = True
        elif item.excluded:
            excluded.append(item)
        elif joining:
            groups[-1].append(item)
            joining = False
        else:
            groups.append([item])
    return [tuple(group) for group in groups], excluded


def _can_join(item) -> bool:
    return isinstance(item, Phrase) and not item.excluded


def _quoted(phrase: Phrase) -> str:
    return '"' + " ".join(phrase.words) + '"'


def to_fts5(query: ParsedQuery) -> str:
    """SQLite FTS5 MATCH syntax: every word quoted, so none is read as an operator."""
    groups = ["(" + " OR ".join(_quoted(p) for p in group) + ")" for group in query.required]
    text = " AND ".join(groups)
    return "".join([f"({text})", *(f" NOT {_quoted(p)}" for p in query.excluded)])


def to_tsquery(query: ParsedQuery) -> str:
    """PostgreSQL ``to_tsquery`` syntax. Only word characters reach it, so no input can be read
    as an operator; the groups are bracketed because & binds tighter than |."""
    groups = ["(" + " | ".join(_followed_by(p) for p in group) + ")" for group in query.required]
    return " & ".join([*groups, *(f"!({_followed_by(p)})" for p in query.excluded)])


def _followed_by(phrase: Phrase) -> str:
    return " <-> ".join(phrase.words)
