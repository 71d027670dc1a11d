"""Batch uploads: whatever bytes arrive, the result is a stored batch or a BatchError with a
message, never another exception (fuzzed), and CSV cells cannot become spreadsheet formulas."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.services.verification.batches import BatchError, create_batch, results_csv
from tests.factories.accounts import OrganisationFactory

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _try(org, content: bytes):
    savepoint = db.session.begin_nested()
    try:
        batch = create_batch(None, org, "upload", content)
    except BatchError as exc:
        assert str(exc)
        batch = None
    savepoint.rollback()
    return batch


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes(content):
    _try(OrganisationFactory(), content)


@FUZZ
@given(st.text(max_size=500))
def test_any_csv_text(text):
    _try(
        OrganisationFactory(),
        text.encode("utf-8", "surrogatepass") if text.isprintable() else text.encode("utf-8", "replace"),
    )


@FUZZ
@given(st.binary(max_size=300))
def test_damaged_zips(tail):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.json", b"{}")
    data = out.getvalue()
    _try(OrganisationFactory(), data[: len(data) // 2] + tail)


def test_formula_cells_are_neutralised():
    org = OrganisationFactory()
    batch = create_batch(None, org, "x.csv", b'=HYPERLINK("http://evil"),https://example.org/b\n')
    text = results_csv(batch)
    assert "'=hyperlink" in text.lower() and ',"=' not in text and ",=" not in text
