"""The reader's search page: one box, articles and products together, facets as links.

Every link (facet, sort, page) is a plain GET URL built here from the current choices,
so the page works without JavaScript and a result page can be shared or bookmarked.
"""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from search.results import KINDS, MAX_QUERY_LENGTH, SORTS, InvalidSearch
from search.selectors import search_run
from search.services import search_query_record

PAGE_SIZE = 20
FILTER_PARAMS = ("type", "category", "brand", "in_stock", "price_min", "price_max")
SORT_LABELS = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "price": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
}


class SearchForm(forms.Form):
    """The shape of the query string; fields that do not fit are ignored, except an
    overlong query, which the reader is told about."""

    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH, strip=True)
    type = forms.ChoiceField(required=False, choices=[(k, k) for k in KINDS])
    category = forms.SlugField(required=False, allow_unicode=True, max_length=140)
    brand = forms.SlugField(required=False, allow_unicode=True, max_length=140)
    in_stock = forms.NullBooleanField(required=False)
    price_min = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2)
    price_max = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2)
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])
    page = forms.IntegerField(required=False, min_value=1, max_value=500)


def search_page(request):
    form = SearchForm(request.GET)
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    choices = {name: request.GET.get(name, "") for name in ("q", "sort", *FILTER_PARAMS)
               if name in data and name not in form.errors}
    if "in_stock" in choices:
        choices["in_stock"] = "true" if data["in_stock"] else "false"
    q = data.get("q", "")
    searched = bool(q or any(name in choices for name in FILTER_PARAMS))

    results, error = None, form.errors.get("q", [None])[0]
    if searched and not error:
        try:
            results = search_run(
                q=q, type=data.get("type"), category=data.get("category"), brand=data.get("brand"),
                in_stock=data.get("in_stock"), price_min=data.get("price_min"),
                price_max=data.get("price_max"), sort=data.get("sort", "relevance"),
                page=data.get("page", 1), page_size=PAGE_SIZE,
            )
        except InvalidSearch as invalid:
            error = str(invalid)
        else:
            if q and results.page == 1:
                # a search narrowed to nothing by filters is no gap in what we write
                search_query_record(q=q, found=results.total > 0 or any(name in choices for name in FILTER_PARAMS))

    context = {
        "q": q,
        "results": results,
        "error": error,
        "hits": _grouped([_present(hit) for hit in results.hits]) if results else [],
        "facet_groups": _facet_groups(results, choices) if results else [],
        "sorts": _sorts(choices),
        "active_filters": [name for name in FILTER_PARAMS if name in choices],
        "clear_url": _url({"q": q} if q else {}),
        "suggestion_url": _url({"q": results.suggestion}) if results and results.suggestion else "",
        "previous_url": _url(choices, page=results.page - 1) if results and results.has_previous else "",
        "next_url": _url(choices, page=results.page + 1) if results and results.has_next else "",
    }
    return render(request, "search/search.html", context, status=400 if error else 200)


def _url(choices: dict, **changes) -> str:
    params = {**choices, **changes}
    params = {k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)}
    return "?" + urlencode(params) if params else "?"


def _fragment(hit, *names) -> str:
    for name in names:
        fragments = hit.highlight.get(name)
        if fragments:
            return fragments[0]
    return ""


def _present(hit) -> dict:
    """What a result row shows; highlight fragments are already safe (escaped text, <mark>)."""
    title = _fragment(hit, "title") or escape(hit.title)
    if hit.kind == "article":
        snippet = _fragment(hit, "body", "intro") or escape(hit.intro)
    else:
        snippet = _fragment(hit, "description")
    return {"hit": hit, "title_html": mark_safe(title), "snippet_html": mark_safe(snippet)}


def _grouped(items: list[dict]) -> list[dict]:
    """Results in their order, with SKUs of one product that follow each other shown as
    one row listing them (``variants``): a product's colours and sizes usually match
    alike and stand together, and a reader wants the product once with its choices,
    not its photo and description once per SKU. Apart (another result between them, as
    a price sort may put it), each SKU keeps its own row and place."""
    grouped: list[dict] = []
    for item in items:
        hit, last = item["hit"], grouped[-1] if grouped else None
        if (hit.kind == "product" and last is not None and last["hit"].kind == "product"
                and last["hit"].product_id == hit.product_id):
            last.setdefault("variants", [last["hit"]]).append(hit)
        else:
            grouped.append(item)
    return grouped


def _facet_groups(results, choices: dict) -> list[dict]:
    """Each facet as a group of links; a chosen value's link removes it again."""
    groups = []
    labels = {"type": _("Result type"), "category": _("Category"), "brand": _("Brand"),
              "price": _("Price"), "in_stock": _("Availability")}
    base = {k: v for k, v in choices.items() if k != "page"}
    for name, values in results.facets.items():
        links = []
        for value in values:
            if name == "price":
                selected = (choices.get("price_min", "") == value.min
                            and choices.get("price_max", "") == value.max) and bool(value.min or value.max)
                if selected:
                    target = {k: v for k, v in base.items() if k not in ("price_min", "price_max")}
                else:
                    target = {**{k: v for k, v in base.items() if k not in ("price_min", "price_max")},
                              "price_min": value.min, "price_max": value.max}
            else:
                selected = choices.get(name) == value.value
                target = {k: v for k, v in base.items() if k != name}
                if not selected:
                    target[name] = value.value
            if value.count or selected:
                links.append({"label": value.label, "count": value.count, "approximate": value.approximate,
                              "selected": selected, "url": _url(target)})
        if links:
            groups.append({"name": name, "label": labels[name], "links": links})
    return groups


def _sorts(choices: dict) -> list[dict]:
    current = choices.get("sort", "relevance")
    base = {k: v for k, v in choices.items() if k not in ("sort", "page")}
    return [{"label": label, "selected": key == current,
             "url": _url({**base, "sort": key} if key != "relevance" else base)}
            for key, label in SORT_LABELS.items()]
