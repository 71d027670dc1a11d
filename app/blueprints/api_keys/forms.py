"""The form that names a new API key."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length


class ApiKeyForm(FlaskForm):
    name = StringField(
        "Key name",
        widget=GovTextInput(),
        description="Say which system uses it, for example \u201cApplicant tracking system\u201d.",
        validators=[InputRequired("Enter a name for the key"), Length(max=120)],
    )
    submit = SubmitField("Create API key", widget=GovSubmitInput())
