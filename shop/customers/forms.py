from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from shop.customers.services import customer_normalise_email


class SignUpForm(forms.Form):
    """Step one: the address. Whether it has an account is never said here: the answer
    goes to the address (``customer_sign_up_start``)."""

    email = forms.EmailField(label=_("E-mail"), max_length=150, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class SetPasswordForm(forms.Form):
    """Step two, from the link in the e-mail: the new account's password."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not too common."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            try:
                password_validation.validate_password(first, get_user_model()(username=self.email, email=self.email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SignInForm(AuthenticationForm):
    """Readers sign in with their e-mail address (it is their username)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail")
        self.fields["username"].widget.attrs["autocomplete"] = "email"

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        return customer_normalise_email(username) if "@" in username else username
