from shop.checkout.errors import CheckoutError, InvalidQuantity, OutOfStock, SKUUnavailable, UnknownSKU

__all__ = ["CartError", "InvalidQuantity", "OutOfStock", "SKUUnavailable", "UnknownSKU"]

#: Cart rules are the same rules checkout enforces; they share the exceptions.
CartError = CheckoutError
