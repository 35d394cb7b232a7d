"""Snippets editors reuse across articles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Author(index.Indexed, models.Model):
    """A byline. Linked to a user so editors can later see their own articles' numbers."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True, allow_unicode=True)
    role = models.CharField(_("role"), max_length=120, blank=True,
                            help_text=_("e.g. “Kitchen editor” or “好物编辑”."))
    bio = models.TextField(_("biography"), blank=True)
    avatar = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("portrait"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="author_profiles",
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio"),
              FieldPanel("avatar"), FieldPanel("user")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name
