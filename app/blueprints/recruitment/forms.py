"""Forms for vacancies, candidates' statuses, and the public application (name, email, consent and
badges by file, address or pasted JSON/JWT)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from app.blueprints.forms import DateBoxesField
from app.services import verification
from app.services.recruitment.applications import MAX_PER_SUBMISSION

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def _optional_id(value) -> int | None:
    return None if value in ("", None, "0") else int(value)


class VacancyForm(FlaskForm):
    job_role_id = SelectField(
        "Job role", widget=GovSelect(), coerce=_optional_id, validators=[InputRequired("Choose the job role")]
    )
    title = StringField(
        "Vacancy title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the vacancy's title"), Length(max=200)],
        description="As candidates will see it, for example CAD Technician (maternity cover).",
    )
    description = TextAreaField(
        "Description for candidates (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=5000)]
    )
    closes_on = DateBoxesField(
        "Closing date",
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[InputRequired("Enter the closing date as day, month and year")],
        description="Candidates can apply and add badges until the end of this day. For example, 31 1 2027",
    )
    hiring_manager_id = SelectField("Hiring manager (optional)", widget=GovSelect(), coerce=_optional_id)
    retention_months = IntegerField(
        "Keep candidates' data for (months after closing)",
        widget=GovTextInput(),
        default=6,
        validators=[
            InputRequired("Enter how many months to keep candidates' data"),
            NumberRange(1, 36, "Enter a number of months from 1 to 36"),
        ],
        description="Then their personal data and files are deleted and only anonymous counts are kept.",
    )
    submit = SubmitField("Save vacancy", widget=GovSubmitInput())


class BadgeFields:
    """The three ways a candidate shares badges; `inputs()` reads them (VerificationInputError on
    anything that cannot be a badge, before anything is kept)."""

    badge_files = MultipleFileField(
        "Upload badge files",
        widget=GovFileInput(),
        description=f"Badge images (PNG or SVG) with the badge baked in, JSON files or text files holding a JWT. "
        f"At most {MAX_PER_SUBMISSION} at a time.",
    )
    badge_url = StringField(
        "Or give a badge's web address",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=2000)],
        description="For example, https://badges.example.ac.uk/credentials/123",
    )
    badge_text = TextAreaField(
        "Or paste a badge from your wallet",
        widget=GovTextArea(),
        validators=[Optional()],
        description="The badge's Open Badges 3.0 JSON, or its JWT (three parts separated by dots).",
    )

    def inputs(self) -> list[verification.VerificationInput]:
        found = []
        for upload in self.badge_files.data or []:  # type: ignore[attr-defined]
            if not getattr(upload, "filename", ""):
                continue
            content = upload.stream.read(verification.max_upload_bytes() + 1)
            try:
                found.append(verification.input_from_upload(upload.filename, content))
            except verification.VerificationInputError as exc:
                raise verification.VerificationInputError(
                    f"{upload.filename[:80]}: {exc.message}", field="badge_files"
                ) from None
        url = (self.badge_url.data or "").strip()  # type: ignore[attr-defined]
        if url:
            try:
                found.append(verification.input_from_url(url))
            except verification.VerificationInputError as exc:
                raise verification.VerificationInputError(exc.message, field="badge_url") from None
        text = (self.badge_text.data or "").strip()  # type: ignore[attr-defined]
        if text:
            try:
                found.append(verification.input_from_text(text))
            except verification.VerificationInputError as exc:
                raise verification.VerificationInputError(exc.message, field="badge_text") from None
        if len(found) > MAX_PER_SUBMISSION:
            raise verification.VerificationInputError(
                f"Share at most {MAX_PER_SUBMISSION} badges at a time", field="badge_files"
            )
        return found


class ApplicationForm(BadgeFields, FlaskForm):
    name = StringField(
        "Full name", widget=GovTextInput(), validators=[InputRequired("Enter your full name"), Length(max=200)]
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address"), Length(max=320), Email(EMAIL_MESSAGE)],
        description="We send your private link here. Badges are checked against this address.",
    )
    consent = BooleanField("I agree", widget=GovCheckboxInput())
    carry_badges = BooleanField(
        "If I am hired, add my verified badges to my Credwork wallet", widget=GovCheckboxInput()
    )
    submit = SubmitField("Apply", widget=GovSubmitInput())


class AddBadgesForm(BadgeFields, FlaskForm):
    submit = SubmitField("Add badges", widget=GovSubmitInput())


class StatusForm(FlaskForm):
    status = SelectField("Move to", widget=GovSelect(), validators=[InputRequired("Choose a status")])
    submit = SubmitField("Move candidate", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (hire, check again, withdraw, delete)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
