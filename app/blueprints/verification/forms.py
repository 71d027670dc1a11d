"""Forms for verifying one badge (upload, paste or link) and for a batch, and the history's
GET filters."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextArea, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, Length, Optional

from app.models.verifications import VERDICT_LABELS
from app.services import verification

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def _chosen(upload) -> bool:
    return bool(upload and getattr(upload, "filename", ""))


class VerifyForm(FlaskForm):
    """Exactly one of file, pasted text or URL; `given()` says which is missing or extra."""

    credential_file = FileField(
        "Upload a badge file",
        widget=GovFileInput(),
        description="A badge image (PNG or SVG) with the badge baked in, a JSON file or a text file holding a JWT.",
    )
    credential_text = TextAreaField(
        "Or paste the badge",
        widget=GovTextArea(),
        validators=[Optional()],
        description="The badge's JSON, or a JWT (three parts separated by dots).",
    )
    credential_url = StringField(
        "Or give the badge's web address",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=2000)],
        description="For example, https://badges.example.ac.uk/credentials/123",
    )
    recipient_email = EmailField(
        "Candidate's email address (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=320), Email(EMAIL_MESSAGE)],
        description="We check the badge was awarded to this email address. It is never sent anywhere.",
    )
    submit = SubmitField("Verify", widget=GovSubmitInput())

    def given(self) -> verification.VerificationInput:
        """What was handed in: exactly one of the three ways in, else VerificationInputError."""
        upload = self.credential_file.data
        text = (self.credential_text.data or "").strip()
        url = (self.credential_url.data or "").strip()
        count = sum(bool(x) for x in (_chosen(upload), text, url))
        if count == 0:
            raise verification.VerificationInputError("Upload a badge file, paste the badge, or give its web address")
        if count > 1:
            raise verification.VerificationInputError(
                "Give the badge one way only: upload a file, paste it, or give its web address"
            )
        if _chosen(upload):
            content = upload.stream.read(verification.max_upload_bytes() + 1)
            return verification.input_from_upload(upload.filename, content)
        if text:
            return verification.input_from_text(text)
        return verification.input_from_url(url)


class BatchForm(FlaskForm):
    batch_file = FileField(
        "Upload a CSV file or a zip file",
        widget=GovFileInput(),
        description="A CSV with two columns, candidate email and badge web address (a header row is optional), "
        "or a zip of badge files (at most 1,000 rows or files).",
    )
    candidate_email = EmailField(
        "Candidate's email address for every file in a zip (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=320), Email(EMAIL_MESSAGE)],
    )
    submit = SubmitField("Start verifying", widget=GovSubmitInput())

    def upload(self, limit: int) -> tuple[str, bytes]:
        """The chosen file's name and up to `limit` bytes of it, else VerificationInputError."""
        upload = self.batch_file.data
        if not _chosen(upload):
            raise verification.VerificationInputError("Select a CSV file or a zip file")
        return upload.filename, upload.stream.read(limit)


@dataclass(frozen=True)
class HistoryFilters:
    """The history page's GET filters (candidate email, verdict, page), checked."""

    candidate: str = ""
    verdict: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> HistoryFilters:
        verdict = args.get("verdict", "")
        return cls(
            candidate=args.get("candidate", "").strip()[:320].lower(),
            verdict=verdict if verdict in VERDICT_LABELS else "",
            page=min(max(args.get("page", 1, type=int) or 1, 1), 100_000),
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query arguments (without the page), for links that keep them."""
        return {k: v for k, v in (("candidate", self.candidate), ("verdict", self.verdict)) if v}
