"""The learner's "Accept the badge" and "Email me a new link" buttons (each a form of its own: its CSRF token, and where a
refused claim's message is shown)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField


class ClaimForm(FlaskForm):
    submit = SubmitField("Accept the badge", widget=GovSubmitInput())


class RenewClaimForm(FlaskForm):
    submit = SubmitField("Email me a new link", widget=GovSubmitInput())
