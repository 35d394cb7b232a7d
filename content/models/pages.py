"""The magazine's page tree: Home → Article index → Articles."""

import datetime
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from content.blocks import ArticleBodyBlock, stream_product_refs
from content.fields import SanitizedStreamField
from content.models.snippets import Author
from content.panels import ArticleAttributionPanel
from content.structured_data import article_json_ld
from shop.attribution.capture import campaign_remember
from shop.catalogue.models import Category
from shop.catalogue.selectors import offers_for
from shop.seo import share_meta

ARTICLES_PER_PAGE = 12


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("content.ArticlePage", on_delete=models.CASCADE,
                                 related_name="tagged_items")


def page_path(page, request) -> str:
    """The page's path on its site (``/articles/pans/``), never an absolute URL: absolute
    addresses come from the one canonical origin (``shop.seo.canonical_url``). A page
    outside every site (a preview of one being moved) has no path: the home page's then."""
    parts = page.get_url_parts(request)
    return parts[2] if parts else "/"


def page_share(page, request, *, description: str = "", **kwargs) -> dict:
    """Sharing tags of a page in the reader's language (``shop.seo.share_meta``)."""
    kwargs.setdefault("language", get_language() or "")
    return share_meta(
        title=page.seo_title or page.title, path=page_path(page, request),
        description=page.search_description or description, **kwargs,
    )


def articles_for_listing(queryset):
    """Articles as cards: author, category and hero image (with renditions) loaded."""
    renditions = models.Prefetch(
        "hero_image__renditions",
        queryset=get_image_model().get_rendition_model().objects.all(),
        to_attr="prefetched_renditions",
    )
    return (
        queryset.select_related("author", "category", "hero_image")
        .prefetch_related(renditions)
        .order_by("-date", "-pk")
    )


class HomePage(Page):
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    featured_article = models.ForeignKey(
        "content.ArticlePage", verbose_name=_("cover story"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    content_panels = [
        *Page.content_panels, FieldPanel("tagline"), FieldPanel("intro"), FieldPanel("featured_article"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.ArticleIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = list(
            articles_for_listing(
                ArticlePage.objects.live().public().descendant_of(self)
            )[:13]
        )
        cover = next((a for a in articles if a.pk == self.featured_article_id), None)
        if cover is None and articles:
            cover = articles[0]
        context["cover"] = cover
        context["articles"] = [a for a in articles if a is not cover][:12]
        context["sections"] = ArticleIndexPage.objects.live().public().child_of(self)
        context["share"] = page_share(self, request, description=self.intro or self.tagline)
        return context


class ArticleIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage"]

    class Meta:
        verbose_name = _("article index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.live().public().descendant_of(self)
        categories = Category.objects.filter(
            pk__in=articles.exclude(category=None).values("category_id")
        ).select_related("parent")
        tags = Tag.objects.filter(
            pk__in=ArticlePageTag.objects.filter(content_object__in=articles).values("tag_id")
        ).order_by("name")

        category = categories.filter(slug=request.GET.get("category") or "").first()
        tag = tags.filter(slug=request.GET.get("tag") or "").first()
        # An author's articles: where an article's JSON-LD ``author.url`` leads.
        author = Author.objects.filter(
            slug=request.GET.get("author") or "", pk__in=articles.values("author_id"),
        ).first()
        if author:
            articles = articles.filter(author=author)
        if category:
            articles = articles.filter(category=category)
        if tag:
            articles = articles.filter(tags=tag)

        paginator = Paginator(articles_for_listing(articles), ARTICLES_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)

        context.update(
            articles=page_obj, paginator=paginator, categories=categories, tags=tags,
            active_category=category, active_tag=tag, active_author=author,
            filter_query=_filter_query(category, tag, author),
            share=page_share(self, request, description=self.intro),
        )
        return context


def _filter_query(category, tag, author=None) -> str:
    """The filter part of a pagination link, so paging keeps the reader's filters."""
    params = {"author": author.slug} if author else {}
    if category:
        params["category"] = category.slug
    if tag:
        params["tag"] = tag.slug
    return urlencode(params)


class ArticlePage(Page):
    LANGUAGES = [("zh-hans", "中文"), ("en", "English")]

    intro = models.TextField(
        _("standfirst"), max_length=300,
        help_text=_("One or two sentences under the title; also the search and social description."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    author = models.ForeignKey(
        "content.Author", verbose_name=_("author"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="articles",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="articles",
    )
    date = models.DateField(_("date"), default=datetime.date.today)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="zh-hans")
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    body = SanitizedStreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        # This article's last 30 days of views, clicks, orders and revenue (reports).
        ArticleAttributionPanel(),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("date"), FieldPanel("category"),
             FieldPanel("language"), FieldPanel("tags")],
            heading=_("About this article"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("category"),
        index.RelatedFields("author", [index.SearchField("name")]),
    ]
    parent_page_types = ["content.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")

    @cached_property
    def offers(self):
        """Every product and SKU the body shows, fetched at once for all blocks."""
        product_ids, sku_ids = stream_product_refs(self.body)
        return offers_for(product_ids=product_ids, sku_ids=sku_ids)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.author_id:
            # The byline shows the portrait: load it with the author, renditions included.
            self.author = (
                Author.objects.select_related("avatar")
                .prefetch_related(models.Prefetch(
                    "avatar__renditions",
                    queryset=get_image_model().get_rendition_model().objects.all(),
                    to_attr="prefetched_renditions",
                ))
                .get(pk=self.author_id)
            )
        context["offers"] = self.offers
        path = page_path(self, request)
        # Home › the index › this article: one query for the ancestors' titles.
        trail = [(p.title, page_path(p, request)) for p in self.get_ancestors().filter(depth__gt=1)]
        trail.append((self.title, path))
        context["json_ld"] = article_json_ld(page=self, path=path, trail=trail, offers=self.offers)
        hero = self.hero_image
        context["share"] = page_share(
            self, request, description=self.intro, language=self.language, kind="article",
            image_url=context["json_ld"]["@graph"][0].get("image", ""),
            image_alt=(getattr(hero, "description", "") or self.title) if hero else "",
            # The article is written in one language; only the site around it is translated.
            alternate_languages=False,
        )
        context["tags"] = list(self.tags.all())
        # Attribution: each block's 1-based place in the body goes into its buy links, and
        # the page's id tells the view/impression beacon (base.html) what it counts.
        context["block_positions"] = {child.id: i for i, child in enumerate(self.body, start=1) if child.id}
        if not getattr(request, "is_preview", False):
            context["beacon_article"] = self.pk
            campaign_remember(request=request)
        return context
