"""Carts. A guest's cart is found through a token in the session; a signed-in reader's
through their account. Carts hold no stock: stock is taken when the order is placed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cart(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="cart",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("cart")

    def __str__(self):
        return str(self.token)


class CartLine(models.Model):
    """One SKU in a cart. The attribution keys remember the article link the reader
    followed when they added it; checkout copies them onto the order line."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalogue.SKU", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    article_page_id = models.IntegerField(null=True, blank=True)
    block_id = models.CharField(max_length=64, blank=True)
    block_type = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "sku"], name="cart_line_unique_sku"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="cart_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.sku_id}"
