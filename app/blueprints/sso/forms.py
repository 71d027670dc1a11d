from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
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


class SsoDomainForm(FlaskForm):
    domains = StringField(
        "Email domain",
        widget=GovTextInput(),
        description="Like acme.co.uk. To add several, separate them with commas. "
        "Each one routes sign-ins only after you prove it is yours.",
        validators=[InputRequired("Enter an email domain"), Length(max=1000)],
    )
    add_domain = SubmitField("Add domain", widget=GovSubmitInput())


class SsoDomainEmailForm(FlaskForm):
    """Per claim, with prefix=f"claim-{id}" so each row's field has its own id."""

    address = EmailField(
        "Email address at the domain",
        widget=GovTextInput(),
        validators=[InputRequired("Enter an email address at the domain"), Length(max=320)],
    )
    submit = SubmitField("Send a confirmation email", widget=GovSubmitInput())
