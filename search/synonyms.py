"""The editors' synonyms applied to what a reader typed, for both search engines.

osmem-server (the tests' Elasticsearch) ignores the ``synonym``/``synonym_graph`` token
filters, and on Elasticsearch an index-time list would need a reindex after every edit.
So synonyms are applied at search time: the reader's query becomes a few variants, each
with one word of a group replaced by another word of that group ("kettle" → "水壶",
"电水壶"), and a document matching any variant matches. An edit in the admin counts
from the next search on. One query reads the list per search.
"""

from __future__ import annotations

import re

from search.models import SearchSynonym

# The query as typed, then at most this many variants in all: a long query naming many
# groups must not turn into hundreds of clauses.
MAX_VARIANTS = 8
# Han, kana and Hangul are written without spaces: a word of these scripts is found
# anywhere in the text; a word of Latin letters only as a whole word (mug ≠ smug).
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\uac00-\ud7af]")


def synonym_groups() -> list[list[str]]:
    """Every group editors gave, as lists of at least two words. One query."""
    groups = (synonym.word_list() for synonym in SearchSynonym.objects.all())
    return [words for words in groups if len(words) > 1]


def _pattern(word: str) -> re.Pattern:
    body = r"\s+".join(re.escape(part) for part in word.split())
    if _CJK.search(word):
        return re.compile(body, re.IGNORECASE)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def query_variants(*, q: str, groups: list[list[str]]) -> list[str]:
    """``q`` first, then ``q`` with a group's word replaced by each other word of its group
    (the longest word of a group that ``q`` holds: 电水壶, not the 水壶 inside it), across
    groups, at most ``MAX_VARIANTS`` in all, each once."""
    variants = [q]
    seen = {q.casefold()}
    for words in groups:
        found = [word for word in words if _pattern(word).search(q)]
        if not found:
            continue
        word = max(found, key=len)
        pattern = _pattern(word)
        for variant in list(variants):
            for other in words:
                if other.casefold() == word.casefold() or len(variants) >= MAX_VARIANTS:
                    continue
                replaced, count = pattern.subn(lambda _match, other=other: other, variant)
                if count and replaced.casefold() not in seen:
                    seen.add(replaced.casefold())
                    variants.append(replaced)
    return variants
