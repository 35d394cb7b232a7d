"""Model fields for editor content."""

from wagtail.blocks import StreamValue
from wagtail.fields import StreamField


class SanitizedStreamField(StreamField):
    """A StreamField whose every block is prepared through its block class on write.

    Wagtail writes stream items that were never read back verbatim from their raw data,
    and stores a raw list or JSON string (``QuerySet.update(body=…)``) as it is; either
    would let HTML skip the rich-text blocks' allow-list. Raw values are therefore
    turned into a StreamValue and every item is read before it is prepared.
    """

    def get_prep_value(self, value):
        if isinstance(value, (list, str)) and value:
            value = self.to_python(value)
        if isinstance(value, StreamValue):
            for _child in value:
                pass
        return super().get_prep_value(value)
