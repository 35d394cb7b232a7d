"""What search keeps in the database: index updates that could not be written yet, and
the searches that found nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingUpdate(models.Model):
    """A document the index could not be brought in line with because Elasticsearch did
    not answer. Written by the failed update, in the database (which answered: the
    change that caused the update was just committed there), and written to the index
    by the next update that succeeds or by ``manage.py search_index retry``. One row per
    document, replaced by each new failure; the document is rebuilt from the database
    as it is when retried. ``claimed_at``: a retry is writing it (see search.backlog)."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        SKU = "sku", _("SKU")
        PRODUCT = "product", _("Product (all its SKUs)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pending search index update")
        verbose_name_plural = _("pending search index updates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_pending_update_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class UnansweredSearch(models.Model):
    """How many times a day readers searched for ``query`` and found nothing: what to
    write about next. The query is Wagtail's (search_promotions), which normalises it and
    counts every search; this counts the ones that came back empty."""

    query = models.ForeignKey(
        "wagtailsearchpromotions.Query", verbose_name=_("query"), on_delete=models.CASCADE,
        related_name="unanswered",
    )
    date = models.DateField(_("date"))
    searches = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("search that found nothing")
        verbose_name_plural = _("searches that found nothing")
        constraints = [
            models.UniqueConstraint(fields=["query", "date"], name="search_unanswered_query_date_unique"),
        ]

    def __str__(self):
        return f"{self.query} {self.date}: {self.searches}"
