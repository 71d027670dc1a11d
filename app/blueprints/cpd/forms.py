"""Forms for CPD sponsorship: the request, a nomination, budgets and funding sources."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.blueprints.forms import DateBoxesField
from app.domain.calendar import parse_financial_year
from app.domain.money import parse_pence
from app.models.cpd import FUNDING_KIND_LABELS
from app.services.cpd.requests import CourseDetails


def year_arg(args: Mapping[str, str], default: int) -> int:
    """The financial year a CPD page or report is for, from its `?year=` (else `default`)."""
    return parse_financial_year(args.get("year"), default)


def optional_year_arg(args: Mapping[str, str]) -> int | None:
    """The financial year from `?year=`, or None for every year."""
    return parse_financial_year(args.get("year"), None)


class PoundsField(StringField):
    """An amount in pounds, kept as integer pence in `.pence`."""

    pence: int | None = None

    def pre_validate(self, form):
        try:
            self.pence = parse_pence(self.data)
        except ValueError:
            raise ValidationError(f"Enter {self.label.text.lower()} in pounds, like 450 or 450.50") from None


class RequestForm(FlaskForm):
    course_kind = RadioField(
        "What do you want to study?",
        widget=GovRadioInput(),
        default="hub",
        choices=[
            ("hub", "A micro-credential from the Credwork hub"),
            ("external", "Another course (enter the details yourself)"),
        ],
    )
    micro_credential_id = SelectField(
        "Micro-credential from the hub", widget=GovSelect(), coerce=str, validators=[Optional()]
    )
    external_title = StringField("Course title", widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    external_provider = StringField("Provider name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    external_url = StringField(
        "Course web page (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=500)]
    )
    cost = PoundsField(
        "Cost",
        widget=GovTextInput(),
        description="In pounds. For a hub micro-credential, leave empty to use the hub price.",
    )
    hours = IntegerField(
        "Hours of learning",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, 10_000)],
        description="Notional hours, including study and assessment. Taken from the hub record "
        "for a hub micro-credential.",
    )
    scqf_credits = IntegerField(
        "SCQF credit points (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, 1_000)],
        description="Only if the course is credit-rated. 1 credit point is 10 notional hours.",
    )
    start_date = DateBoxesField(
        "Start date",
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[Optional()],
        description="For example, 1 9 2026",
    )
    reason = TextAreaField(
        "Why would this help you in your work?",
        widget=GovTextArea(),
        validators=[InputRequired("Say why this learning would help in your work"), Length(max=4000)],
    )
    submit = SubmitField("Send request", widget=GovSubmitInput())
    save_draft = SubmitField("Save as draft", widget=GovSubmitInput())

    def details(self) -> CourseDetails:
        hub = self.course_kind.data == "hub"
        return CourseDetails(
            reason=self.reason.data or "",
            micro_credential_id=int(self.micro_credential_id.data) if hub and self.micro_credential_id.data else None,
            external_title=None if hub else self.external_title.data,
            external_provider=None if hub else self.external_provider.data,
            external_url=None if hub else self.external_url.data,
            cost_pence=self.cost.pence,
            hours=None if hub else self.hours.data,
            scqf_credits=None if hub else self.scqf_credits.data,
            start_date=self.start_date.data,
        )

    def fill_from(self, s) -> None:
        self.course_kind.data = "hub" if s.micro_credential_id else "external"
        self.micro_credential_id.data = str(s.micro_credential_id or "")
        self.external_title.data, self.external_provider.data = s.external_title, s.external_provider
        self.external_url.data = s.external_url
        self.cost.data = f"{s.cost_pence / 100:.2f}"
        self.hours.data, self.scqf_credits.data = s.hours, s.scqf_credits
        self.start_date.data, self.reason.data = s.start_date, s.reason


class NominateForm(RequestForm):
    person = SelectField(
        "Who are you nominating?",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Choose the person you are nominating")],
    )
    reason = TextAreaField(
        "Why should they do this?",
        widget=GovTextArea(),
        validators=[InputRequired("Say why this learning would help them"), Length(max=4000)],
    )
    submit = SubmitField("Send nomination to HR", widget=GovSubmitInput())


class BudgetForm(FlaskForm):
    department = StringField(
        "Department or cost centre",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the department or cost centre"), Length(max=120)],
    )
    financial_year = SelectField("Financial year", widget=GovSelect(), coerce=int)
    allocated = PoundsField(
        "Budget",
        widget=GovTextInput(),
        description="In pounds, for the whole year",
        validators=[InputRequired("Enter the budget")],
    )
    submit = SubmitField("Save budget", widget=GovSubmitInput())


class FundingSourceForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a name for the funding source"), Length(max=200)],
    )
    kind = RadioField(
        "Kind of funding",
        widget=GovRadioInput(),
        default="employer",
        choices=[(k.value, label) for k, label in FUNDING_KIND_LABELS.items()],
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000)],
        description="For example: FWDF, up to £15,000 a year via a college.",
    )
    submit = SubmitField("Add funding source", widget=GovSubmitInput())


class FundingCapForm(FlaskForm):
    funding_source_id = SelectField("Funding source", widget=GovSelect(), coerce=int)
    financial_year = SelectField("Financial year", widget=GovSelect(), coerce=int)
    cap = PoundsField(
        "Cap for the year", widget=GovTextInput(), description="In pounds", validators=[InputRequired("Enter the cap")]
    )
    submit = SubmitField("Save cap", widget=GovSubmitInput())


# Ids posted back from the page's own choices; anything beyond a database integer is no choice.
_ID = [Optional(), NumberRange(min=1, max=2**31 - 1)]


class TransitionForm(FlaskForm):
    """One workflow action on a request: the buttons on the request page, with what each needs
    (a budget and funding source to approve against, an actual cost to finish, an agreement)."""

    comment = TextAreaField("Comment", validators=[Optional()])
    conditions = TextAreaField("Conditions", validators=[Optional()])
    budget_id = IntegerField("Budget", validators=_ID)
    funding_year_id = IntegerField("Funding source", validators=_ID)
    actual_cost = PoundsField("The actual cost", validators=[Optional()])
    completed_on = DateField("Completed on", validators=[Optional()], format="%Y-%m-%d")
    agreement_text = TextAreaField("Learning agreement", validators=[Optional()])
    repayment_months = StringField("Repayment period", validators=[Optional()])
    repayment_basis = StringField("Repayment basis", validators=[Optional()])

    def validate_repayment_months(self, field) -> None:
        text = (field.data or "").strip()
        if text and not (text.isdigit() and len(text) <= 3):
            raise ValidationError("Enter the repayment period in whole months")

    def problem(self) -> str:
        """One sentence for the flash message when the posted values are not usable."""
        if self.actual_cost.errors or self.completed_on.errors:
            return "Enter the actual cost in pounds and the date as shown"
        return next(iter(e for errors in self.errors.values() for e in errors), "Check the form and try again")

    def action_for(self, action: str) -> tuple[str, str | None]:
        """The action and its comment: conditions, when given, make an approval conditional."""
        conditions = (self.conditions.data or "").strip()
        if action == "approve" and conditions:
            return "approve_with_conditions", conditions
        return action, self.comment.data

    def agreement(self) -> dict | None:
        if not (self.agreement_text.data or "").strip():
            return None
        return {
            "text": self.agreement_text.data,
            "repayment_months": (self.repayment_months.data or "").strip() or 0,
            "repayment_basis": self.repayment_basis.data or "pro_rata",
        }


class CostChangeForm(FlaskForm):
    """HR changes what a request costs (a refund, a new price), saying why."""

    new_cost = PoundsField("The new cost")
    comment = TextAreaField("Why the cost changed", validators=[Optional()])

    def validate_new_cost(self, field) -> None:
        if field.pence is None:
            raise ValidationError("Enter the new cost in pounds")

    def problem(self) -> str:
        if self.new_cost.errors:
            return (
                self.new_cost.errors[-1]
                if self.new_cost.pence is None and not (self.new_cost.data or "").strip()
                else "Enter the new cost in pounds, like 450.00"
            )
        return next(iter(e for errors in self.errors.values() for e in errors), "Check the form and try again")


class BudgetsPageForm(FlaskForm):
    """Which of the budgets page's three forms was sent (each carries its name in `form`)."""

    class Meta:
        csrf = False  # each of the three forms checks its own token

    form = StringField()


class BulkApproveForm(FlaskForm):
    """The confirmed bulk approval: the chosen requests, one funding source, a comment."""

    ids = SelectMultipleField(
        "Requests",
        name="id",
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(message="Choose the requests to approve")],
    )
    funding_source_id = IntegerField("Funding source", validators=_ID)
    comment = TextAreaField("Comment", validators=[Optional()])
