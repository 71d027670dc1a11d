"""Forms for verifying one badge (upload, paste or link) and for a batch."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, Length, Optional

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


class VerifyForm(FlaskForm):
    """Exactly one of file, pasted text or URL; the route says which is missing or extra."""

    credential_file = FileField(
        "Upload a badge file", widget=GovFileInput(),
        description="A badge image (PNG or SVG) with the badge baked in, a JSON file or a text file holding a JWT.")
    credential_text = TextAreaField(
        "Or paste the badge", widget=GovTextArea(), validators=[Optional()],
        description="The badge's JSON, or a JWT (three parts separated by dots).")
    credential_url = StringField(
        "Or give the badge's web address", widget=GovTextInput(), validators=[Optional(), Length(max=2000)],
        description="For example, https://badges.example.ac.uk/credentials/123")
    recipient_email = EmailField(
        "Candidate's email address (optional)", widget=GovTextInput(),
        validators=[Optional(), Length(max=320), Email(EMAIL_MESSAGE)],
        description="We check the badge was awarded to this email address. It is never sent anywhere.")
    submit = SubmitField("Verify", widget=GovSubmitInput())


class BatchForm(FlaskForm):
    batch_file = FileField(
        "Upload a CSV file or a zip file", widget=GovFileInput(),
        description="A CSV with two columns, candidate email and badge web address (a header row is optional), "
                    "or a zip of badge files (at most 200 files).")
    candidate_email = EmailField(
        "Candidate's email address for every file in a zip (optional)", widget=GovTextInput(),
        validators=[Optional(), Length(max=320), Email(EMAIL_MESSAGE)])
    submit = SubmitField("Start verifying", widget=GovSubmitInput())
