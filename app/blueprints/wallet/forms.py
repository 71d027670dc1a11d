"""The wallet's forms: import a badge (the verifier's three ways in), check again, remove."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

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
