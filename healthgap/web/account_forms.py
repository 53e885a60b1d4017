"""Account forms with GOV.UK wording: error messages that say what to do."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

CODE_WIDGET = forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"})


class SignInForm(AuthenticationForm):
    # The error summary links a wrong user name or password to the first field.
    non_field_target = "id_username"
    error_messages = {
        "invalid_login": "The user name or password is not right. Check them and try again "
        "(both are case-sensitive).",
        "inactive": "This account has been closed. Ask your administrator to open it again.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "User name"
        self.fields["username"].error_messages["required"] = "Enter your user name"
        self.fields["password"].error_messages["required"] = "Enter your password"


class CodeForm(forms.Form):
    """A one-time code: 6 digits from an authenticator app, or a backup code."""

    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=CODE_WIDGET,
        error_messages={"required": "Enter the code"},
    )
    non_field_target = "id_code"

    def __init__(self, *args, check=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.fields["code"].help_text = help_text
        self.device = None

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        self.device = self.check(code)
        if self.device is None:
            raise forms.ValidationError(
                "That code is not right or has expired. Enter the code the app shows now."
            )
        return code
