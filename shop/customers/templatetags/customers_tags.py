from django import template

register = template.Library()


@register.inclusion_tag("customers/includes/header_links.html", takes_context=True)
def reader_links(context):
    """The header's cart and account links, the same for every reader (pages are cached
    and shared): static/js/session.js fills in the count and the signed-in state."""
    return {"request": context.get("request")}
