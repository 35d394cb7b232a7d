"""Model fields for editor content."""

from wagtail.blocks import StreamValue
from wagtail.fields import StreamField


class SanitizedStreamField(StreamField):
    """A StreamField whose every block is prepared through its block class on write.

    Wagtail writes stream items that were never read back verbatim from their raw data;
    that would let HTML assigned as raw JSON (an import, a script, a plain ORM save)
    skip the rich-text blocks' allow-list. Reading each item first closes that path.
    """

    def get_prep_value(self, value):
        if isinstance(value, StreamValue):
            for _child in value:
                pass
        return super().get_prep_value(value)
