"""The one allow-list every piece of editor HTML passes before it is stored.

Sanitising happens where a value is prepared for the database (``get_prep_value``), so
the admin, the API, imports and a plain ORM ``save()`` are all covered and rendering
pays nothing. Wagtail's own rich-text markup survives: ``<a linktype="page" id="3">``
and ``<embed embedtype="image" …/>`` are how the editor stores internal links and
images, and Wagtail expands them when the page renders.
"""

import bleach
from wagtail.fields import RichTextField

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "code",
        "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "hr",
        "a", "embed",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Wagtail's embed handlers know these; any other embed is dropped at render time anyway.
ALLOWED_EMBED_TYPES = frozenset({"image", "media"})
ALLOWED_LINK_TYPES = frozenset({"page", "document"})


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        if name == "linktype":
            return value in ALLOWED_LINK_TYPES
        return name in {"href", "id", "title"}
    if tag == "embed":
        if name == "embedtype":
            return value in ALLOWED_EMBED_TYPES
        return name in {"id", "format", "alt", "url"}
    return False


def clean_html(html: str | None) -> str:
    """Return ``html`` with every tag, attribute and URL scheme outside the allow-list removed.

    Disallowed tags are dropped together with their markup but their text stays (as
    escaped text), so an editor never silently loses words. Idempotent.
    """
    if not html:
        return ""
    return bleach.clean(
        str(html),
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


class SanitizedRichTextField(RichTextField):
    """A ``RichTextField`` whose value is cleaned by :func:`clean_html` on every write."""

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return super().get_prep_value(clean_html(value) if value is not None else None)
