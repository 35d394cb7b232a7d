"""What the search index holds: the analysis, the two document kinds and their builders.

One index (behind an alias, see ``search.indexing``) holds both kinds; ``kind`` tells
them apart and ids are ``article-<page pk>`` / ``sku-<sku pk>``. Field names are a
contract with ``search.selectors``: change both together.

Analysis works on stock Elasticsearch (no plugins). ``haowu_text``: the standard
tokenizer splits Chinese into single characters, ``cjk_bigram`` adds the overlapping
pairs and keeps the singles (保温杯 → 保 保温 温 温杯 杯), so a one-character query
still matches and a query whose characters stand in order scores the pairs too; the
Porter stemmer folds English plurals (mugs → mug, boxes → box, towels → towel).
``title.prefix`` indexes the leading edges of each word/run for autocomplete.
"""

from __future__ import annotations

from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    Text,
    analyzer,
    token_filter,
    tokenizer,
)

cjk_bigram_with_unigrams = token_filter("haowu_cjk_bigram", "cjk_bigram", output_unigrams=True)

haowu_text = analyzer(
    "haowu_text",
    tokenizer="standard",
    filter=["cjk_width", "lowercase", cjk_bigram_with_unigrams, "porter_stem"],
)

# Autocomplete: every leading edge of each run of letters or digits (保 保温 保温杯,
# m mu mug mugs), matched by the whole typed words (保温, mug) at search time.
haowu_prefix = analyzer(
    "haowu_prefix",
    tokenizer=tokenizer(
        "haowu_edge", "edge_ngram", min_gram=1, max_gram=20, token_chars=["letter", "digit"],
    ),
    filter=["cjk_width", "lowercase"],
)
haowu_prefix_search = analyzer(
    "haowu_prefix_search",
    tokenizer=tokenizer("haowu_words", "pattern", pattern=r"[\s\p{Punct}]+"),
    filter=["cjk_width", "lowercase"],
)


def _text(**kwargs):
    return Text(analyzer=haowu_text, **kwargs)


class SearchDocument(Document):
    """Fields both kinds share."""

    kind = Keyword()
    title = Text(
        analyzer=haowu_text,
        fields={
            "prefix": Text(analyzer=haowu_prefix, search_analyzer=haowu_prefix_search),
            "raw": Keyword(),
        },
    )
    url = Keyword(index=False)
    image = Keyword(index=False)
    date = Date()
    category = _text()
    category_slug = Keyword()
    category_name = Keyword()
    # A hash of every other field, so `search_index check` can tell a stale document.
    digest = Keyword(index=False)


class ArticleDocument(SearchDocument):
    intro = _text()
    body = _text()
    author = Text(analyzer=haowu_text, fields={"raw": Keyword()})
    tags = Keyword()
    tags_text = _text()
    products = _text()
    product_count = Integer()


class SkuDocument(SearchDocument):
    sku = Keyword()
    product_id = Integer()
    brand = _text()
    brand_slug = Keyword()
    brand_name = Keyword()
    options = _text()
    description = _text()
    price = Keyword(index=False)
    price_cents = Long()
    in_stock = Boolean()
    featured_count = Integer()
    featured_titles = _text()


def search_index_definition(name: str) -> Index:
    """The index ``name`` with Haowu's analysis and both document mappings."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(ArticleDocument)
    index.document(SkuDocument)
    return index
