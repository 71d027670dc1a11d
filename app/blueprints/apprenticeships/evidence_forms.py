"""Forms for work-based evidence: an entry, a file, the assessor's sign-off and feedback, a
comment, and the end-point assessment result."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.blueprints.apprenticeships.forms import date_field
from app.services.evidence.portfolio import EntryDetails as EvidenceDetails


class EvidenceForm(FlaskForm):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[InputRequired("Give the evidence a title"), Length(max=200)]
    )
    work_date = date_field("Date of the work")
    type = RadioField(
        "Type of evidence", widget=GovRadioInput(), validators=[InputRequired("Choose the type of evidence")]
    )
    description = TextAreaField(
        "What was done, and what does it show?",
        widget=GovTextArea(),
        validators=[InputRequired("Describe the work and what it shows"), Length(max=8000)],
    )
    outcome_ids = SelectMultipleField(
        "KSBs this evidence shows", widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )
    links = TextAreaField(
        "Links (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000)],
        description="One web address a line, for example a shared document.",
    )
    file = FileField(
        "Attach a file (optional)", widget=GovFileInput(), description="PDF, image, office document or short video."
    )
    save_draft = SubmitField("Save as draft", widget=GovSubmitInput())
    submit = SubmitField("Save and submit to the assessor", widget=GovSubmitInput())

    def details(self) -> EvidenceDetails:
        return EvidenceDetails(
            title=self.title.data or "",
            work_date=self.work_date.data,
            description=self.description.data or "",
            type=self.type.data or "",
            outcome_ids=list(self.outcome_ids.data or []),
            links=[line.strip() for line in (self.links.data or "").splitlines() if line.strip()],
        )


class FileForm(FlaskForm):
    file = FileField("Add a file", widget=GovFileInput(), validators=[InputRequired("Choose a file")])
    submit = SubmitField("Upload", widget=GovSubmitInput())


class SignOffForm(FlaskForm):
    outcome_ids = SelectMultipleField(
        "KSBs this evidence shows", widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )
    submit = SubmitField("Sign off the chosen KSBs", widget=GovSubmitInput())


class FeedbackForm(FlaskForm):
    feedback = TextAreaField(
        "Feedback", widget=GovTextArea(), validators=[InputRequired("Write the feedback"), Length(max=4000)]
    )
    submit = SubmitField("Return with feedback", widget=GovSubmitInput())


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Add a comment", widget=GovTextArea(), validators=[InputRequired("Write a comment"), Length(max=4000)]
    )
    submit = SubmitField("Add comment", widget=GovSubmitInput())


class EndPointAssessmentForm(FlaskForm):
    result = RadioField(
        "Result",
        widget=GovRadioInput(),
        choices=[("pass", "Pass"), ("merit", "Merit"), ("distinction", "Distinction"), ("fail", "Fail")],
        validators=[InputRequired("Choose the result")],
    )
    assessed_on = date_field("Date of the assessment")
    submit = SubmitField("Record the result", widget=GovSubmitInput())
