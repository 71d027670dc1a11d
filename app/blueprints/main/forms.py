"""The organisation switcher in the page header."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional


class SwitchOrganisationForm(FlaskForm):
    organisation_id = IntegerField("Organisation", validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    next = StringField(validators=[Optional()])
