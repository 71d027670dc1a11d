"""Forms for job roles, their skills and micro-credentials, job-role assignment and assessments.

Several forms share a page, so each has a prefix: field ids stay unique and the error summary
links to the right field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.models.job_roles import PROFICIENCY_LABELS

LEVEL_CHOICES = [(level, f"{level}: {label}") for level, label in PROFICIENCY_LABELS.items()]
REQUIREMENT_CHOICES = [("required", "Required"), ("recommended", "Recommended")]


class RoleForm(FlaskForm):
    title = StringField(
        "Job role title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the job role's title"), Length(max=200)],
    )
    department = StringField("Department (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=120)])
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=4000)]
    )
    occupation = SelectField(
        "ESCO occupation (optional)",
        widget=GovSelect(),
        coerce=int,
        default=0,
        description="The European skills framework's occupation closest to this role.",
    )
    prefill = BooleanField(
        "Copy the occupation's essential skills into this role (at level 2, working)",
        widget=GovCheckboxInput(),
        default=True,
    )
    submit = SubmitField("Create job role", widget=GovSubmitInput())


class RoleEditForm(FlaskForm):
    title = StringField(
        "Job role title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the job role's title"), Length(max=200)],
    )
    department = StringField("Department (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=120)])
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=4000)]
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


def _skill_id(value) -> int | None:
    return None if value in ("", None) else int(value)


def skill_choices(skills) -> list[tuple[str | int, str]]:
    """A skill select's options: an empty first one, so nothing is chosen until someone chooses
    (skill-picker.mjs turns the select into a search box over the rest)."""
    return [("", "Choose a skill"), *((s.id, s.label) for s in skills)]


class SkillForm(FlaskForm):
    skill = SelectField("Skill", widget=GovSelect(), coerce=_skill_id, validators=[InputRequired("Choose a skill")])
    target_level = RadioField(
        "Target proficiency level",
        widget=GovRadioInput(),
        coerce=int,
        choices=LEVEL_CHOICES,
        validators=[InputRequired("Choose a target level")],
    )
    submit = SubmitField("Add or change skill", widget=GovSubmitInput())


class CredentialForm(FlaskForm):
    record = SelectField(
        "Micro-credential", widget=GovSelect(), coerce=int, validators=[InputRequired("Choose a micro-credential")]
    )
    requirement = RadioField(
        "Required or recommended",
        widget=GovRadioInput(),
        choices=REQUIREMENT_CHOICES,
        validators=[InputRequired("Choose required or recommended")],
    )
    submit = SubmitField("Map micro-credential", widget=GovSubmitInput())


class AssignForm(FlaskForm):
    job_role = SelectField("Job role", widget=GovSelect(), coerce=int, default=0)
    submit = SubmitField("Save job role", widget=GovSubmitInput())


class AssessForm(FlaskForm):
    skill = SelectField("Skill", widget=GovSelect(), coerce=_skill_id, validators=[InputRequired("Choose a skill")])
    level = RadioField(
        "Assessed level",
        widget=GovRadioInput(),
        coerce=int,
        choices=LEVEL_CHOICES,
        validators=[InputRequired("Choose the assessed level")],
    )
    assessed_on = DateField(
        "Date of the assessment",
        widget=GovDateInput(),
        format="%d %m %Y",
        description="For example, 27 3 2026",
        validators=[InputRequired("Enter the date of the assessment as day, month and year")],
    )
    note = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
        description="What you saw that supports this level.",
    )
    submit = SubmitField("Record assessment", widget=GovSubmitInput())
