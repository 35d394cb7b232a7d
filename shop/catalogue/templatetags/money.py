from django import template

from shop.money import money_format

register = template.Library()


@register.filter(name="money")
def money_filter(amount, currency=None):
    """``{{ offer.price|money }}`` → ``¥1,299.00``."""
    return money_format(amount, currency)
