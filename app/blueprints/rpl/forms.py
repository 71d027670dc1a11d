"""The learner's request form and the coordinator's decision form (one choice and reason per
module, named by module id, read in the route)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class RequestForm(FlaskForm):
    programme_id = SelectField("Programme", widget=GovSelect(), coerce=int)
    badges = SelectMultipleField(
        "Badges to attach",
        widget=GovCheckboxesInput(),
        description="Only verified badges can be attached. The provider checks each one again.",
        validators=[Optional()],
        validate_choice=False,
    )
    message = TextAreaField(
        "Anything the provider should know (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=4000)],
    )
    submit = SubmitField("Send the request", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    submit = SubmitField("Send the decision", widget=GovSubmitInput())
