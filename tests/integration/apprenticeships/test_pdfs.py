"""The apprenticeship PDFs say what the pages say: text extracted from the files with pypdf."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader

from app.models import Party
from app.services.apprenticeships import reviews
from tests.factories.apprenticeships import log_hours, open_review, setting


def text_of(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    reader = PdfReader(io.BytesIO(response.data))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_the_progress_report_shows_hours_status_and_reasons(app, login):
    s = setting(started=True)
    log_hours(s, date.today() - timedelta(days=3))
    client = login(s.line_manager.user, c=app.test_client())
    text = text_of(client.get(f"/apprenticeships/{s.apprenticeship.id}/report.pdf"))
    assert "Apprenticeship progress report: Aila Apprentice" in text
    assert "Kelvin Test Marine" in text and "Forthside Test College" in text
    assert "Off track" in text and "review overdue by" in text
    assert "Review 1" in text


def test_the_signed_review_record_lists_ratings_actions_and_signatures(app, login):
    s = setting(started=True)
    review = open_review(s)
    today = date.today()
    from app.services.apprenticeships import off_the_job

    reviews.record(
        s.assessor.user,
        review,
        reviews.ReviewRecord(
            today - timedelta(days=1), "Strong start on diesel engines", "Needs a quiet room for study"
        ),
        off_the_job.position_of(s.apprenticeship, today),
        today,
    )
    ksb = s.apprenticeship.programme.outcomes[0]
    reviews.rate(s.apprentice.user, review, Party.APPRENTICE, {Party.APPRENTICE}, {ksb.id: 4})
    reviews.add_action(
        s.assessor.user, review, "Book the engine-room shadowing", "employer", today + timedelta(days=14), today
    )
    for party, member in (
        (Party.APPRENTICE, s.apprentice),
        (Party.EMPLOYER, s.line_manager),
        (Party.PROVIDER, s.assessor),
    ):
        reviews.sign(member.user, review, party, {party}, today)
    client = login(s.apprentice.user, c=app.test_client())
    text = text_of(client.get(f"/apprenticeships/{s.apprenticeship.id}/reviews/{review.id}/record.pdf"))
    assert "Progress review 1: Aila Apprentice" in text
    assert "Locked: signed by all three parties" in text
    assert "Strong start on diesel engines" in text and "Needs a quiet room for study" in text
    assert "K1: Understands marine engineering principles 4" in text
    assert "Book the engine-room shadowing" in text
    for name in ("Aila Apprentice", "Lewis Manager", "Asha Assessor"):
        assert name in text


def test_the_cohort_report_counts_and_lists_every_apprentice(app, login):
    s = setting(started=True)
    client = login(s.coordinator.user, c=app.test_client())
    text = text_of(client.get(f"/cohorts/{s.cohort.id}/report.pdf"))
    assert "Cohort report: September cohort" in text
    assert "Aila Apprentice" in text and "Kelvin Test Marine" in text
    assert "Off track" in text


def test_a_colleague_who_is_not_a_party_cannot_download_the_report(app, login):
    from app.models.people import Role
    from tests.factories.apprenticeships import person

    s = setting(started=True)
    colleague = person(s.employer, Role.LEARNER)
    client = login(colleague.user, c=app.test_client())
    assert client.get(f"/apprenticeships/{s.apprenticeship.id}/report.pdf").status_code == 403
    assert login(s.line_manager.user, c=app.test_client()).get(f"/cohorts/{s.cohort.id}/report.pdf").status_code == 403
