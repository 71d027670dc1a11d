"""The issuing forms: the expiry date, the micro-credential chooser, the list's GET filters."""

from __future__ import annotations

from datetime import UTC, datetime

from werkzeug.datastructures import MultiDict

from app.blueprints.issuing.forms import AwardForm, IssuedFilters, ReissueForm
from app.models import MicroCredential


def _form(cls, app, data, *args):
    with app.test_request_context(method="POST"):
        form = cls(*args, formdata=MultiDict(data), meta={"csrf": False})
        form.validate()
        return form


def test_expiry_is_the_end_of_the_day_or_a_real_date_error(app):
    form = _form(ReissueForm, app, {"valid_until": " 2030-06-30 "})
    assert not form.errors and form.valid_until.moment == datetime(2030, 6, 30, 23, 59, 59, tzinfo=UTC)
    assert _form(ReissueForm, app, {"valid_until": ""}).valid_until.moment is None
    bad = _form(ReissueForm, app, {"valid_until": "31/02/2030"})
    assert bad.errors["valid_until"] == ["Enter the expiry date as a real date, like 2028-03-31"]


def test_award_form_chooses_only_among_the_records_it_was_given(app):
    record = MicroCredential(id=7, title="Welding", code="W1", version=2)
    chosen = _form(AwardForm, app, {"micro_credential_id": "7", "name": "Ann", "email": "ann@example.org"}, [record])
    assert chosen.record is record and not chosen.errors
    other = _form(AwardForm, app, {"micro_credential_id": "8", "name": "Ann", "email": "ann@example.org"}, [record])
    assert other.record is None and other.errors["micro_credential_id"] == [
        "Choose one of your published micro-credentials"
    ]


def test_list_filters_ignore_what_they_do_not_know():
    filters = IssuedFilters.from_args(MultiDict({"q": "fiona", "state": "bogus", "page": "x"}))
    assert filters == IssuedFilters(search="fiona", state="", page=1)
    assert filters.query_args() == {"q": "fiona"}
    assert IssuedFilters.from_args(MultiDict({"page": "999999999999"})).page == 100_000
