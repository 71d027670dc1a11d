"""The platform's forms: the provider mark, the review queue's filter and the quality review."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import HiddenField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from app.models.catalogue import CRITERION_OUTCOME_LABELS, QA_CRITERIA, CriterionOutcome
from app.services.catalogue.quality import Finding

QUEUE_LABELS = {
    "waiting": "Waiting for review",
    "changes": "Changes requested",
    "approved": "Approved",
    "all": "All",
}
NOTE_MAX = 2000


class QualityForm(FlaskForm):
    """The platform's mark on a provider: set ("yes") or removed ("no")."""

    assured = HiddenField(validators=[InputRequired(), AnyOf(["yes", "no"])])

    @property
    def marked(self) -> bool:
        return self.assured.data == "yes"


class QueueFilterForm(FlaskForm):
    """GET filter of the review queue (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    show = SelectField(
        "Show", widget=GovSelect(), choices=list(QUEUE_LABELS.items()), default="waiting", validate_choice=False
    )

    @property
    def show_value(self) -> str:
        return self.show.data if self.show.data in QUEUE_LABELS else "waiting"


def _outcome_field(label: str) -> RadioField:
    return RadioField(
        label,
        widget=GovRadioInput(),
        choices=[(str(o), CRITERION_OUTCOME_LABELS[o]) for o in CriterionOutcome],
        validators=[InputRequired(f"Record an outcome for “{label}”")],
    )


def _note_field(label: str) -> TextAreaField:
    return TextAreaField(
        f"Note on “{label}” (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=NOTE_MAX)]
    )


class ReviewForm(FlaskForm):
    """A reviewer's decision: an outcome and note per criterion, approve or ask for changes, and
    comments the provider sees. One outcome and one note field per criterion of QA_CRITERIA."""

    decision = RadioField(
        "Your decision",
        widget=GovRadioInput(),
        choices=[("approve", "Approve as quality-assured"), ("changes", "Ask the provider for changes")],
        validators=[InputRequired("Choose whether to approve or ask for changes")],
    )
    comments = TextAreaField(
        "Comments for the provider",
        widget=GovTextArea(),
        description="The provider sees these. Say what to change if you ask for changes.",
        validators=[Optional(), Length(max=NOTE_MAX)],
    )
    submit = SubmitField("Record the review", widget=GovSubmitInput())

    def criterion_fields(self):
        """(key, outcome field, note field) for each criterion, in the published order."""
        return [(key, self[f"{key}_outcome"], self[f"{key}_note"]) for key, _ in QA_CRITERIA]

    @property
    def findings(self) -> dict[str, Finding]:
        return {
            key: Finding(outcome.data or "", note.data or "")
            for key, outcome, note in self.criterion_fields()
            if outcome.data
        }

    @property
    def approve(self) -> bool:
        return self.decision.data == "approve"


for _key, _label in QA_CRITERIA:
    setattr(ReviewForm, f"{_key}_outcome", _outcome_field(_label))
    setattr(ReviewForm, f"{_key}_note", _note_field(_label))
