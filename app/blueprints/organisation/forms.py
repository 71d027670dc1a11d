from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from app.models import ROLE_LABELS
from app.services.accounts.organisations import allowed_roles


def role_choices(org):
    return [(role.value, ROLE_LABELS[role]) for role in allowed_roles(org)]


class InviteForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the person's email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    roles = SelectMultipleField(
        "Roles", widget=GovCheckboxesInput(), validators=[InputRequired("Select at least one role")]
    )
    department = StringField("Department (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=120)])
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        "Roles", widget=GovCheckboxesInput(), validators=[InputRequired("Select at least one role")]
    )
    submit = SubmitField("Save roles", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A bare form: only the CSRF token, for buttons that change state."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class PartnershipRequestForm(FlaskForm):
    partner = SelectField(
        "Organisation", widget=GovSelect(), coerce=int, validators=[InputRequired("Choose an organisation")]
    )
    message = TextAreaField("Message (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=1000)])
    submit = SubmitField("Send partnership request", widget=GovSubmitInput())
