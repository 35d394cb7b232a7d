import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def json_ld(value):
    """A ``<script type="application/ld+json">`` element, escaped so that no value can
    close the script tag (the same escapes as Django's ``json_script``)."""
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
