"""The product form of the catalogue admin (``ProductViewSet``): saves that keep what
others did while it was open."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from shop.catalogue.errors import StaleEdit
from shop.catalogue.services import product_edit_lock


class ProductForm(WagtailAdminModelForm):
    """Refuses a save when someone else saved the product since this form was opened (the
    hidden ``version``), and writes each SKU's current stock, read under the row locks,
    instead of the stock it read when it was built. Must be validated and saved in one
    transaction (``ProductEditView`` wraps its POST in one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new product has no version to compare; an edit without one is refused as stale.
        self.fields["version"].required = False

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        try:
            stocks = product_edit_lock(product_id=self.instance.pk, opened_version=cleaned.get("version"))
        except StaleEdit as error:
            raise forms.ValidationError(str(error), code="stale") from error
        for form in self.formsets["skus"].forms:
            if form.instance.pk in stocks:
                form.instance.stock = stocks[form.instance.pk]
        self._locked_version = cleaned.get("version")
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is not None:
            self.instance.version = self._locked_version + 1
        return super().save(commit=commit)
