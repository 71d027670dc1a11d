"""The wallet's forms: import a badge (the verifier's three ways in), check again, remove."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import EmailField, SubmitField
from wtforms.validators import DataRequired, Length

from app.blueprints.verification.forms import VerifyForm


class ImportForm(VerifyForm):
    """A file, pasted JSON/JWT or a web address; the recipient is always the signed-in person."""

    submit = SubmitField("Add to my wallet", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.recipient_email
        self.credential_file.label.text = "Upload a badge file"


class RecheckForm(FlaskForm):
    submit = SubmitField("Check it again", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    submit = SubmitField("Remove from my wallet", widget=GovSubmitInput())


class ShareForm(FlaskForm):
    submit = SubmitField("Make a share link", widget=GovSubmitInput())


class UnshareForm(FlaskForm):
    submit = SubmitField("Revoke the share link", widget=GovSubmitInput())


class VisibilityForm(FlaskForm):
    """Public or private: the button says which way it turns."""

    submit = SubmitField("Switch", widget=GovSubmitInput())


class EmailShareForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the email address to send the link to"), Length(max=320)],
    )
    submit = SubmitField("Email the link", widget=GovSubmitInput())


class ProfileForm(FlaskForm):
    submit = SubmitField("Switch", widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    submit = SubmitField("Accept", widget=GovSubmitInput())
