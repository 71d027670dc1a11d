"""The evidence pack (PDF index by KSB, zip of files with a manifest) and the cohort coverage
report say what the portfolio says, to the parties only."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile

from pypdf import PdfReader

from app.models.people import Role
from app.services.evidence import portfolio, storage
from tests.factories.apprenticeships import person
from tests.factories.evidence import PDF, docx, entry, started_setting


def _text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def _signed(s, **kwargs):
    made = entry(s, **kwargs)
    portfolio.sign_off(s.assessor.user, s.apprenticeship, made, [c.outcome_id for c in made.claims], None)
    return made


def test_the_pack_indexes_signed_off_evidence_by_ksb_and_zips_the_files(app, login):
    s = started_setting()
    k1 = s.apprenticeship.programme.outcomes[0]
    signed = _signed(s, title="Pump overhaul", file=("overhaul report.pdf", PDF))
    entry(s, title="Still waiting", file=("draft.docx", docx()))  # submitted, not signed off: left out
    client = login(s.assessor.user, c=app.test_client())
    url = f"/apprenticeships/{s.apprenticeship.id}/evidence"
    index = _text(client.get(f"{url}/pack.pdf").data)
    assert "Evidence pack: Aila Apprentice" in index
    assert f"{k1.code}: {k1.description}" in index and "Pump overhaul" in index
    assert "Still waiting" not in index
    response = client.get(f"{url}/pack.zip")
    assert response.mimetype == "application/zip" and "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    kept = signed.files[0]
    path = f"evidence/{signed.id:05d}-{kept.id:05d}-overhaul report.pdf"
    assert set(archive.namelist()) == {"index.pdf", "manifest.csv", path}
    assert archive.read(path) == PDF
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert rows == [
        {
            "path": path,
            "entry": str(signed.id),
            "title": "Pump overhaul",
            "ksbs": k1.code,
            "work_date": signed.work_date.isoformat(),
            "signed_off_by": "Asha Assessor",
            "signed_off_at": rows[0]["signed_off_at"],
            "size": str(len(PDF)),
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "note": "",
        }
    ]


def test_a_lost_file_is_named_in_the_manifest_rather_than_breaking_the_pack(app, login):
    s = started_setting()
    signed = _signed(s, file=("report.pdf", PDF))
    storage.store().delete(signed.files[0].storage_key)
    client = login(s.apprentice.user, c=app.test_client())
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/apprenticeships/{s.apprenticeship.id}/evidence/pack.zip").data))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert rows[0]["note"] == "missing from storage"


def test_the_cohort_coverage_report_and_who_may_download(app, login):
    s = started_setting()
    _signed(s)
    coordinator = login(s.coordinator.user, c=app.test_client())
    text = _text(coordinator.get(f"/cohorts/{s.cohort.id}/coverage.pdf").data)
    assert "Evidence coverage: September cohort" in text
    assert "Aila Apprentice Signed off None None" in text
    outsider = login(person(s.employer, Role.LEARNER).user, c=app.test_client())
    assert outsider.get(f"/apprenticeships/{s.apprenticeship.id}/evidence/pack.zip").status_code == 403
    assert (
        login(s.line_manager.user, c=app.test_client()).get(f"/cohorts/{s.cohort.id}/coverage.pdf").status_code == 403
    )
