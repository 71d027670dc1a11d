"""Forms for awarding badges (one learner, or a CSV of them), revoking, re-issuing and sending the
claim link again, and the
issued list's GET filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional, ValidationError

from app.models import MicroCredential
from app.services import issuing
from app.services.issuing import bulk

MAX_CSV_BYTES = 1024 * 1024
REAL_DATE = "Enter the expiry date as a real date, like 2028-03-31"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ExpiryField(StringField):
    """A YYYY-MM-DD date typed as text; `moment` is the end of that day (UTC), or None."""

    widget = GovTextInput()

    def __init__(self, label: str, **kwargs):
        super().__init__(label, filters=[_strip], **kwargs)

    def pre_validate(self, form) -> None:
        if self.data:
            try:
                date.fromisoformat(self.data)
            except ValueError:
                raise ValidationError(REAL_DATE) from None

    @property
    def moment(self) -> datetime | None:
        if not self.data:
            return None
        return datetime.combine(date.fromisoformat(self.data), time(23, 59, 59), tzinfo=UTC)


class _RecordForm(FlaskForm):
    """A form that awards one of the provider's published micro-credentials (`records`)."""

    micro_credential_id = SelectField(
        "Micro-credential",
        widget=GovSelect(),
        validate_choice=False,
        description="The current published version is awarded.",
    )

    def __init__(self, records: list[MicroCredential], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {str(r.id): r for r in records}
        self.micro_credential_id.choices = [("", "Choose a micro-credential")] + [
            (key, f"{r.title} ({r.code}, version {r.version})") for key, r in self.records.items()
        ]

    def validate_micro_credential_id(self, field) -> None:
        if self.record is None:
            raise ValidationError("Choose one of your published micro-credentials")

    @property
    def record(self) -> MicroCredential | None:
        return self.records.get(str(self.micro_credential_id.data or ""))


class AwardForm(_RecordForm):
    name = StringField(
        "Learner's full name",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[DataRequired("Enter the learner's full name")],
        description="As it should appear on the badge and certificate.",
    )
    email = StringField(
        "Learner's email address",
        widget=GovTextInput(),
        filters=[_strip],
        description="The badge is linked to this address (stored as a salted hash in the badge) "
        "and we email the learner a link to accept it.",
    )
    evidence_url = StringField(
        "Link to evidence (optional)",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[Optional()],
        description="A public web address showing the learner's work, like a portfolio page.",
    )
    valid_until = ExpiryField(
        "Expiry date (optional)",
        description="As YYYY-MM-DD, like 2028-03-31. Leave empty if the badge does not expire.",
    )
    submit = SubmitField("Award the badge", widget=GovSubmitInput())

    def validate_email(self, field) -> None:
        try:
            issuing.check_email(field.data or "")
        except issuing.IssuingError as exc:
            raise ValidationError(exc.message) from None

    def validate_evidence_url(self, field) -> None:
        if not field.data.startswith(("https://", "http://")):
            raise ValidationError("The evidence link must start with https://")

    @property
    def learner(self) -> issuing.Learner:
        return issuing.Learner(self.name.data or "", self.email.data or "")


class BulkAwardForm(_RecordForm):
    file = FileField("CSV file of names and email addresses", widget=GovFileInput())
    valid_until = ExpiryField(
        "Expiry date for every badge (optional)", description="As YYYY-MM-DD. Leave empty if the badges do not expire."
    )
    submit = SubmitField("Award the badges", widget=GovSubmitInput())

    content: bytes = b""
    problems: list[tuple[int, str]] = []

    def validate_file(self, field) -> None:
        """Read the file, and check every row (one bad row: nothing is issued)."""
        upload = field.data
        self.content = upload.read(MAX_CSV_BYTES + 1) if upload else b""
        if not self.content:
            raise ValidationError("Choose a CSV file of names and email addresses")
        if len(self.content) > MAX_CSV_BYTES:
            raise ValidationError("The file is larger than 1 MB: split it into smaller files")
        try:
            bulk.parse(self.content)
        except issuing.BulkAwardError as exc:
            self.problems = exc.problems
            raise ValidationError(exc.message) from None


class RevokeForm(FlaskForm):
    reason = StringField(
        "Reason for revoking",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[DataRequired("Give a reason for revoking the badge")],
        description="For example: awarded in error.",
    )
    submit = SubmitField("Revoke the badge", widget=GovSubmitInput())


class ReissueForm(FlaskForm):
    valid_until = ExpiryField(
        "New expiry date (optional)", description="As YYYY-MM-DD. Leave empty if the new badge does not expire."
    )
    submit = SubmitField("Re-issue the badge", widget=GovSubmitInput())


class ResendClaimForm(FlaskForm):
    submit = SubmitField("Send the link again", widget=GovSubmitInput())


@dataclass(frozen=True)
class IssuedFilters:
    """The issued list's GET filters (learner's name or email, state, page), checked."""

    search: str = ""
    state: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> IssuedFilters:
        state = args.get("state", "")
        return cls(
            search=args.get("q", "")[:100],
            state=state if state in issuing.STATES else "",
            page=min(max(args.get("page", 1, type=int) or 1, 1), 100_000),
        )  # the database's integers are finite

    def query_args(self) -> dict[str, str]:
        """The filters as query arguments (without the page), for links that keep them."""
        return {k: v for k, v in (("q", self.search), ("state", self.state)) if v}
