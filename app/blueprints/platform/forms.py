"""The platform's forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf, InputRequired

REVIEW_FILTERS = {"waiting": False, "assured": True, "": None}
REVIEW_LABELS = {"waiting": "Not yet marked", "assured": "Marked as quality-assured", "": "All"}


class QualityForm(FlaskForm):
    """The platform's mark on a provider or a published record: set ("yes") or removed ("no")."""

    assured = HiddenField(validators=[InputRequired(), AnyOf(["yes", "no"])])
    show = HiddenField()  # the review filter to go back to

    @property
    def marked(self) -> bool:
        return self.assured.data == "yes"


class ReviewFilterForm(FlaskForm):
    """GET filter of the review list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    show = SelectField("Show", choices=list(REVIEW_LABELS.items()), default="waiting", validate_choice=False)

    @property
    def assured(self) -> bool | None:
        return REVIEW_FILTERS.get(self.show_value)

    @property
    def show_value(self) -> str:
        return self.show.data if self.show.data in REVIEW_FILTERS else "waiting"
