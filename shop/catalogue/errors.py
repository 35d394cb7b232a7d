"""Catalogue rules an operator's request can break; ``str()`` is a sentence for people."""

from django.utils.translation import gettext as _


class CatalogueError(Exception):
    """Base of every catalogue rule; catch this in admin views and show ``str(error)``."""


class StockBelowZero(CatalogueError):
    def __init__(self, code, stock, delta):
        self.code, self.stock, self.delta = code, stock, delta
        super().__init__(
            _("%(code)s has %(stock)s in stock: taking away %(taken)s would make the stock negative.")
            % {"code": code, "stock": stock, "taken": -delta}
        )


class InvalidStockAdjustment(CatalogueError):
    def __init__(self, message):
        super().__init__(message)


class StaleEdit(CatalogueError):
    """A form opened before someone else saved the same row: saving it would undo theirs."""

    def __init__(self, title):
        super().__init__(
            _("Someone else saved this product after you opened it, so your changes were not saved "
              "(they would have undone theirs). Open “%(title)s” again to see the current values, "
              "then make your changes once more.") % {"title": title}
        )
