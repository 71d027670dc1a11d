from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional


class SsoSettingsForm(FlaskForm):
    issuer_url = StringField(
        "Issuer URL",
        widget=GovTextInput(),
        description="From your identity provider, for example https://login.microsoftonline.com/<tenant>/v2.0",
        validators=[InputRequired("Enter the issuer URL"), Length(max=500)],
    )
    client_id = StringField(
        "Client ID", widget=GovTextInput(), validators=[InputRequired("Enter the client ID"), Length(max=300)]
    )
    # Never rendered with its value: the secret is write-only.
    client_secret = PasswordField("Client secret", widget=GovPasswordInput(), validators=[Optional(), Length(max=500)])
    allowed_domains = TextAreaField(
        "Email domains",
        widget=GovTextArea(),
        description="Staff with these email domains sign in here. "
        "Separate domains with commas or new lines, like acme.co.uk",
        validators=[InputRequired("Enter at least one email domain"), Length(max=1000)],
    )
    enabled = BooleanField("Turn on single sign-on", widget=GovCheckboxInput(), default=True)
    submit = SubmitField("Save single sign-on settings", widget=GovSubmitInput())


class SsoStartForm(FlaskForm):
    email = EmailField(
        "Work email address",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter your work email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
