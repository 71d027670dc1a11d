"""The catalogue's forms. A record's fields are checked by ONE rule, `fields.clean` (the CSV
import uses the same), so the form's own validators only read the input; `clean`'s messages are
put on the fields they belong to."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from app.models.catalogue import FUNDING, MODES, QA_TYPES, SUPERVISION
from app.services.catalogue import fields

SCQF_LEVELS = [("", "Choose a level")] + [(str(n), f"Level {n}") for n in range(1, 13)]
EQF_LEVELS = [("", "Work it out from the SCQF level")] + [(str(n), f"Level {n}") for n in range(1, 9)]


def _choice(label, choices, widget, multiple=False, **kwargs):
    # validate_choice=False: `fields.clean` says what is wrong with a choice, in its own words.
    field = SelectMultipleField if multiple else (RadioField if isinstance(widget, GovRadioInput) else SelectField)
    return field(label, choices=list(choices), widget=widget, validate_choice=False, **kwargs)


class MicroCredentialForm(FlaskForm):
    """One version of a record. After `validate()`, `values` and `skill_uris` hold what
    `fields.clean` read, ready for the lifecycle service."""

    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="Your own reference, unique in your catalogue, like FC-DATA150. It cannot change later.",
    )
    title = StringField("Title", widget=GovTextInput())
    summary = TextAreaField(
        "Summary in plain English",
        widget=GovTextArea(),
        description="Two or three sentences for someone who has never studied with you.",
    )
    learning_outcomes = TextAreaField("Learning outcomes", widget=GovTextArea(), description="One per line.")
    scqf_level = _choice("SCQF level", SCQF_LEVELS, GovSelect())
    scqf_credits = StringField(
        "SCQF credit points (leave empty if not credit-bearing)",
        widget=GovTextInput(),
        description="A credit-bearing course's notional hours are its credit points times 10.",
    )
    notional_hours = StringField("Notional hours (only if not credit-bearing)", widget=GovTextInput())
    eqf_level = _choice("EQF level", EQF_LEVELS, GovSelect())
    duration_weeks = StringField("Duration in weeks", widget=GovTextInput())
    mode = _choice("Form of participation", MODES.items(), GovRadioInput())
    start_dates = TextAreaField("Next start dates", widget=GovTextArea(), description="One per line, like 2027-01-18.")
    entry_requirements = TextAreaField(
        "Entry requirements",
        widget=GovTextArea(),
        description="What learners need first. RPL may let someone in without them:",
    )
    assessment_type = StringField("Type of assessment", widget=GovTextInput())
    supervision = _choice("Supervision and identity checks during assessment", SUPERVISION.items(), GovRadioInput())
    grading = StringField("Grading (optional)", widget=GovTextInput(), description="For example: pass or fail; A to C.")
    qa_type = _choice("Type of quality assurance", QA_TYPES.items(), GovRadioInput())
    qa_body = StringField(
        "Quality assurance body",
        widget=GovTextInput(),
        description="For a credit-rated course, the body that credit-rated it.",
    )
    stackable_into = TextAreaField(
        "Qualifications it counts towards (optional)",
        widget=GovTextArea(),
        description="One per line as 'qualification: credits', like HNC Computing: 15. "
        "Leave empty if it is stand-alone.",
    )
    price = StringField(
        "Price in pounds", widget=GovTextInput(), description="Like 95 or 1250.50. Enter 0 if it is free."
    )
    funding = _choice("Funding it is eligible for", FUNDING.items(), GovCheckboxesInput(), multiple=True)
    # Chosen from the whole framework (hundreds of skills): checkboxes grouped by kind of skill in
    # a scrolling box (catalogue/macros.html skill_picker), which skill-picker.mjs turns into a
    # search box that adds skills to a list. Either way the browser sends `skills` once per skill.
    skills = _choice(
        "Skills it develops",
        [],
        GovSelect(),
        multiple=True,
        description="Choose from the ESCO skills framework.",
    )
    further_information = TextAreaField("Further information (optional)", widget=GovTextArea())
    language = StringField(
        "Language of instruction", widget=GovTextInput(), description="A language code, like en or gd."
    )
    country = StringField("Country or region of the provider", widget=GovTextInput(), description="Like GB-SCT.")

    def __init__(self, *args, code_fixed: str | None = None, skill_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.code_fixed = code_fixed  # editing: the record's code, whatever was posted
        # [(group heading, [(uri, label), ...]), ...]
        self.skill_groups = [(heading, list(choices)) for heading, choices in skill_groups]
        self.skills.choices = [choice for _, choices in self.skill_groups for choice in choices]
        self.values: dict = {}
        self.skill_uris: list[str] = []

    def raw(self) -> dict:
        """The submitted values as `fields.clean` reads them (text, lists for many-valued fields)."""
        raw = {name: ("" if f.data is None else f.data) for name, f in self._fields.items() if name != "csrf_token"}
        if self.code_fixed is not None:
            raw["code"] = self.code_fixed
        return raw

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        raw = self.raw()
        self.values, self.skill_uris, problems = fields.clean(raw)
        if not (raw.get("code") or "").strip():
            self.code.errors.append("Enter a code, like FC-DATA150")
        for name, message in problems.items():
            self[name].errors.append(message)
        return not self.errors

    @property
    def code_value(self) -> str:
        return self.code_fixed if self.code_fixed is not None else (self.code.data or "")


class ImportForm(FlaskForm):
    file = FileField("CSV file", widget=GovFileInput())
    publish = BooleanField("Publish them on the hub straight away", widget=GovCheckboxInput())
    submit = SubmitField("Import", widget=GovSubmitInput())


class SubmitForReviewForm(FlaskForm):
    """Ask the platform to quality-review a published version, with an optional note."""

    note = TextAreaField(
        "Note for the reviewer (optional)",
        widget=GovTextArea(),
        description="For example, what you changed since the last review.",
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField("Submit for quality review", widget=GovSubmitInput())
