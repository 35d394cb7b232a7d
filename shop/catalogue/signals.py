"""Events the shop announces for rooms it must not import (search indexing).

Stock changes with queryset ``F()`` updates, which send no model signals; the services
that change it send ``stock_changed`` instead, from inside their transaction, so a
receiver that acts after commit (``transaction.on_commit``) sees the committed count.
"""

from django.dispatch import Signal

# sender: the SKU model; sku_ids: list[int] whose stock changed.
stock_changed = Signal()
