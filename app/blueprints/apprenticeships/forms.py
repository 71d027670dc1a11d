"""Forms for programmes, cohorts, apprenticeships, the off-the-job log and progress reviews."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.blueprints.forms import DateBoxesField, TimeOfDayField
from app.models.programmes import PROGRAMME_TYPE_LABELS
from app.models.progress_reviews import ACTIVITY_LABELS
from app.services.apprenticeships.off_the_job import EntryDetails
from app.services.apprenticeships.programmes import ProgrammeDetails

GATEWAY_CHECKS = ("gateway_ksbs", "gateway_otj", "gateway_reviews", "gateway_modules")


def date_field(label: str, required: bool = True, description: str = "For example, 27 3 2026") -> DateBoxesField:
    validators = [InputRequired(f"Enter {label.lower()}")] if required else [Optional()]
    return DateBoxesField(
        label, widget=GovDateInput(), format="%d %m %Y", validators=validators, description=description
    )


def _number(label: str, low: int, high: int, required: bool = False, **kw) -> IntegerField:
    message = f"{label} must be a whole number from {low} to {high}"
    validators = [InputRequired(message)] if required else [Optional()]
    return IntegerField(label, widget=GovTextInput(), validators=[*validators, NumberRange(low, high, message)], **kw)


class ProgrammeForm(FlaskForm):
    type = RadioField(
        "Type of programme",
        widget=GovRadioInput(),
        choices=list(PROGRAMME_TYPE_LABELS.items()),
        validators=[InputRequired("Choose the type of programme")],
    )
    title = StringField(
        "Title", widget=GovTextInput(), validators=[InputRequired("Enter the programme's title"), Length(max=200)]
    )
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=4000)]
    )
    scqf_level = _number("SCQF level", 1, 12, description="1 to 12. Graduate Apprenticeships reach up to level 11.")
    scqf_credits = _number(
        "SCQF credit points", 0, 1000, description="Leave empty if the programme is not credit-rated."
    )
    duration_months = _number("Planned duration in months", 1, 120, required=True)
    otj_basis = RadioField(
        "Off-the-job target",
        widget=GovRadioInput(),
        choices=[("percent", "A percentage of contracted hours"), ("hours", "A fixed minimum of hours")],
        default="percent",
        validators=[InputRequired("Choose how the off-the-job target is set")],
    )
    otj_percent = _number("Percentage of contracted hours", 1, 100, description="For example 20.")
    otj_hours = _number("Minimum hours", 1, 10000, description="For example 187.")
    review_interval_weeks = _number("Weeks between progress reviews", 1, 52, required=True, default=12)
    outcomes = TextAreaField(
        "Knowledge, skills and behaviours (KSBs) or learning outcomes",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=20000)],
        description="One per line: the code, then the description. K1, S1 and B1 codes are knowledge, "
        "skills and behaviours; any other code (LO1, WBLO1) is a learning outcome.",
    )
    otj_at_risk_percent = _number(
        "At risk below this % of expected off-the-job hours", 1, 100, required=True, default=90
    )
    otj_off_track_percent = _number(
        "Off track below this % of expected off-the-job hours", 1, 100, required=True, default=70
    )
    review_off_track_days = _number(
        "Off track when a review is overdue by more than (days)", 1, 365, required=True, default=28
    )
    gateway_checks = SelectMultipleField(
        "The gateway checklist asks for",
        widget=GovCheckboxesInput(),
        choices=[
            ("gateway_ksbs", "Every KSB covered by signed-off evidence"),
            ("gateway_otj", "The off-the-job target met"),
            ("gateway_reviews", "Every progress review signed"),
            ("gateway_modules", "The modules passed (or recognised as prior learning)"),
        ],
        default=list(GATEWAY_CHECKS),
        validators=[Optional()],
        description="The employer's and the provider's confirmations are always asked for.",
    )
    submit = SubmitField("Save programme", widget=GovSubmitInput())

    def details(self) -> ProgrammeDetails:
        return ProgrammeDetails(
            type=self.type.data,
            title=self.title.data or "",
            description=(self.description.data or "").strip() or None,
            scqf_level=self.scqf_level.data,
            scqf_credits=self.scqf_credits.data,
            duration_months=self.duration_months.data,
            otj_basis=self.otj_basis.data,
            otj_percent=self.otj_percent.data,
            otj_hours=self.otj_hours.data,
            review_interval_weeks=self.review_interval_weeks.data,
            otj_at_risk_percent=self.otj_at_risk_percent.data,
            otj_off_track_percent=self.otj_off_track_percent.data,
            review_off_track_days=self.review_off_track_days.data,
            **{name: name in (self.gateway_checks.data or []) for name in GATEWAY_CHECKS},
        )

    def fill_gateway_from(self, programme) -> None:
        self.gateway_checks.data = [name for name in GATEWAY_CHECKS if getattr(programme, name)]


class ModuleForm(FlaskForm):
    micro_credential_id = SelectField(
        "Add a module from the hub",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Choose a micro-credential")],
    )
    submit = SubmitField("Add module", widget=GovSubmitInput())


class CopyForm(FlaskForm):
    title = StringField(
        "Title of the new programme",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a title"), Length(max=200)],
    )
    submit = SubmitField("Copy programme", widget=GovSubmitInput())


class CohortForm(FlaskForm):
    programme_id = SelectField(
        "Programme", widget=GovSelect(), coerce=int, validators=[InputRequired("Choose a programme")]
    )
    name = StringField(
        "Cohort name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a name for the cohort"), Length(max=200)],
        description="For example, September 2026 Glasgow",
    )
    start_date = date_field("Start date")
    submit = SubmitField("Create cohort", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    coordinator_id = SelectField("Coordinator", widget=GovSelect(), coerce=int, validators=[Optional()])
    assessor_ids = SelectMultipleField("Assessors", widget=GovCheckboxesInput(), coerce=int, validators=[Optional()])
    submit = SubmitField("Save team", widget=GovSubmitInput())


class EnrolForm(FlaskForm):
    employer_id = SelectField(
        "Employer", widget=GovSelect(), coerce=int, validators=[InputRequired("Choose the employer")]
    )
    apprentice_email = StringField(
        "Apprentice's work email",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the apprentice's email"), Length(max=320)],
    )
    line_manager_email = StringField(
        "Line manager's work email",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the line manager's email"), Length(max=320)],
    )
    assessor_id = SelectField("Assessor", widget=GovSelect(), coerce=int, validators=[Optional()])
    weekly_hours = StringField(
        "Contracted hours a week",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the contracted hours a week")],
        description="For example, 37.5",
    )
    start_date = date_field("Start date", required=False, description="Leave empty to use the cohort's start date.")
    planned_end_date = date_field(
        "Planned end date", required=False, description="Leave empty to use the programme's duration."
    )
    submit = SubmitField("Add apprentice", widget=GovSubmitInput())


class ImportForm(FlaskForm):
    file = FileField("CSV file", widget=GovFileInput(), validators=[InputRequired("Choose a CSV file")])
    submit = SubmitField("Import apprentices", widget=GovSubmitInput())


class StatusForm(FlaskForm):
    reason = TextAreaField("Reason", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    on = date_field("Date", required=False)
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class PlanTermsForm(FlaskForm):
    weekly_hours = StringField(
        "Contracted hours a week",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the contracted hours a week")],
    )
    planned_end_date = date_field("Planned end date")
    notes = TextAreaField(
        "What the plan says",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=8000)],
        description="The agreed training, each party's part in it, and how to raise a complaint.",
    )
    submit = SubmitField("Save the plan", widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    party = HiddenField(validators=[InputRequired()])


class PriorLearningForm(FlaskForm):
    target = SelectField("Recognised against", widget=GovSelect(), validators=[InputRequired("Choose a KSB or module")])
    reason = TextAreaField(
        "Reason", widget=GovTextArea(), validators=[InputRequired("Give the reason"), Length(max=2000)]
    )
    evidence = SelectField(
        "Evidence",
        widget=GovSelect(),
        validators=[Optional()],
        description="The apprentice's badge or qualification it rests on.",
    )
    submit = SubmitField("Record prior learning", widget=GovSubmitInput())


class ModuleResultForm(FlaskForm):
    result = RadioField(
        "Result",
        widget=GovRadioInput(),
        choices=[("passed", "Passed"), ("failed", "Not passed")],
        validators=[InputRequired("Choose the result")],
    )
    on = date_field("Date of the result")
    submit = SubmitField("Record result", widget=GovSubmitInput())


class EntryForm(FlaskForm):
    day = date_field("Date")
    starts_at = TimeOfDayField(
        "Start time", widget=GovTextInput(), validators=[Optional()], description="24-hour clock, like 09:30"
    )
    ends_at = TimeOfDayField("End time", widget=GovTextInput(), validators=[Optional()])
    duration_hours = StringField(
        "Or the duration in hours",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=10)],
        description="If you did not note the times. For example, 1.5",
    )
    activity = RadioField(
        "Type of activity",
        widget=GovRadioInput(),
        choices=list(ACTIVITY_LABELS.items()),
        validators=[InputRequired("Choose the type of activity")],
    )
    description = TextAreaField(
        "What did you do?",
        widget=GovTextArea(),
        validators=[InputRequired("Describe what the training was"), Length(max=2000)],
    )
    counts = RadioField(
        "Does this count as off-the-job training?",
        widget=GovRadioInput(),
        choices=[("yes", "Yes"), ("no", "No")],
        default="yes",
        validators=[InputRequired("Say whether it counts")],
    )
    not_counting_reason = TextAreaField(
        "If not, why not?",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000)],
        description="For example: outside paid hours, or English and maths to level 2.",
    )
    corrects_id = HiddenField()
    submit = SubmitField("Save entry", widget=GovSubmitInput())

    def details(self) -> EntryDetails:
        corrects = self.corrects_id.data or ""
        return EntryDetails(
            day=self.day.data,
            activity=self.activity.data,
            description=self.description.data or "",
            counts=self.counts.data == "yes",
            not_counting_reason=self.not_counting_reason.data or "",
            starts_at=self.starts_at.data,
            ends_at=self.ends_at.data,
            duration_hours=self.duration_hours.data or "",
            corrects_id=int(corrects) if corrects.isdigit() and len(corrects) < 10 else None,
        )


class ReviewRecordForm(FlaskForm):
    held_on = date_field("Date of the review")
    progress = TextAreaField(
        "Progress since the last review",
        widget=GovTextArea(),
        validators=[InputRequired("Describe the progress since the last review"), Length(max=8000)],
    )
    wellbeing = TextAreaField(
        "Wellbeing and support needs", widget=GovTextArea(), validators=[Optional(), Length(max=4000)]
    )
    submit = SubmitField("Save the review", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    description = StringField(
        "Action", widget=GovTextInput(), validators=[InputRequired("Describe the action"), Length(max=1000)]
    )
    owner = SelectField(
        "Owner",
        widget=GovSelect(),
        choices=[("apprentice", "Apprentice"), ("employer", "Employer"), ("provider", "Provider")],
        validators=[InputRequired("Choose who owns the action")],
    )
    due_date = date_field("Due date")
    submit = SubmitField("Add action", widget=GovSubmitInput())


class PartyForm(FlaskForm):
    """Signing or rating as one party (the route checks the person acts for it)."""

    party = HiddenField(validators=[InputRequired()])


def ratings_form(outcomes, current: dict[int, int]) -> type[FlaskForm]:
    """A form with one 1-to-5 choice per KSB, prefilled with the party's `current` scores."""

    class RatingsForm(FlaskForm):
        # Several of these (one per party, each with its prefix) share a page; the app-wide
        # CSRFProtect checks the page's one token on every POST.
        class Meta:
            csrf = False

        party = HiddenField(validators=[InputRequired()])
        submit = SubmitField("Save ratings", widget=GovSubmitInput())

    for outcome in outcomes:
        field = SelectField(
            f"{outcome.code}: {outcome.description}",
            widget=GovSelect(),
            choices=[("", "Not rated")] + [(str(n), f"{n}") for n in range(1, 6)],
            default=str(current.get(outcome.id, "")),
            validators=[Optional()],
        )
        setattr(RatingsForm, f"ksb_{outcome.id}", field)
    return RatingsForm


def scores_from(form, outcomes) -> dict[int, int]:
    found = {}
    for outcome in outcomes:
        value = getattr(form, f"ksb_{outcome.id}").data
        if value and value.isdigit():
            found[outcome.id] = int(value)
    return found
