"""The evidence workflow as each party meets it: recording, sign-off by KSB, return with
feedback, separation of duties, corrections, downloads, coverage and the progress status."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import AuditEvent, EvidenceEntry, Party
from app.models.people import Role
from app.security.policy import evidence_sign_off_refusal
from app.services.apprenticeships import ApprenticeshipError, progress
from app.services.evidence import coverage, portfolio
from tests.factories.apprenticeships import person
from tests.factories.evidence import PDF, entry, started_setting


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_draft_submit_return_resubmit_and_sign_off_each_ksb():
    s = started_setting()
    k1, s1, b1 = (o.id for o in s.apprenticeship.programme.outcomes)
    made = entry(s, submit=False, outcomes=[k1, s1])
    assert made.status == "draft"
    portfolio.submit(s.apprentice.user, s.apprenticeship, made)
    assert made.status == "submitted"
    refusal = evidence_sign_off_refusal(s.assessor, s.apprenticeship, made)
    portfolio.return_with_feedback(s.assessor.user, s.apprenticeship, made, "Add the test sheet you filled in", refusal)
    assert made.status == "returned" and made.comments[-1].is_feedback
    portfolio.attach(s.apprentice.user, s.apprenticeship, made, "test-sheet.pdf", PDF)
    portfolio.submit(s.apprentice.user, s.apprenticeship, made)
    assert made.status == "resubmitted"
    portfolio.sign_off(s.assessor.user, s.apprenticeship, made, [k1], refusal)
    assert made.status == "resubmitted"  # S1 still waits
    portfolio.sign_off(s.assessor.user, s.apprenticeship, made, [s1], refusal)
    assert made.status == "signed_off" and made.signed_off_by_id == s.assessor.user.id
    actions = [e.action for e in db.session.query(AuditEvent).filter(AuditEvent.subject_type == "EvidenceEntry")]
    assert {"evidence.record", "evidence.submit", "evidence.return", "evidence.file", "evidence.sign_off"} <= set(
        actions
    )


def test_nobody_signs_off_what_they_recorded_and_signed_off_evidence_never_changes():
    s = started_setting()
    made = entry(s)
    assert (
        evidence_sign_off_refusal(s.line_manager, s.apprenticeship, made)
        == "Only the apprentice's assessor signs off evidence."
    )
    # An assessor who also recorded the entry may not sign it off.
    made.recorded_by_id = s.assessor.user.id
    assert "someone else must sign it off" in evidence_sign_off_refusal(s.assessor, s.apprenticeship, made)
    with pytest.raises(ApprenticeshipError, match="someone else must sign it off"):
        portfolio.sign_off(
            s.assessor.user,
            s.apprenticeship,
            made,
            [made.claims[0].outcome_id],
            evidence_sign_off_refusal(s.assessor, s.apprenticeship, made),
        )
    made.recorded_by_id = s.apprentice.user.id
    portfolio.sign_off(s.assessor.user, s.apprenticeship, made, [made.claims[0].outcome_id], None)
    with pytest.raises(ApprenticeshipError, match="never changes"):
        portfolio.attach(s.apprentice.user, s.apprenticeship, made, "late.pdf", PDF)
    fix = portfolio.correct(s.apprentice.user, s.apprenticeship, made, {Party.APPRENTICE}, date.today())
    assert fix.corrects_id == made.id and fix.status == "draft" and made.status == "signed_off"


def test_a_line_manager_records_only_their_own_statement():
    s = started_setting()
    statement = entry(s, by="line_manager")
    assert statement.recorded_as == "employer" and statement.type == "witness_testimony"
    with pytest.raises(ApprenticeshipError, match="observation or a witness testimony"):
        entry(s, by="line_manager", kind="reflective_account")


def test_pages_show_the_portfolio_and_coverage_to_the_parties(app, login):
    s = started_setting()
    made = entry(s, title="Diesel engine strip-down", file=("strip-down report.pdf", PDF))
    apprentice = login(s.apprentice.user, c=app.test_client())
    page = text_of(apprentice.get(f"/apprenticeships/{s.apprenticeship.id}/evidence"))
    assert "Diesel engine strip-down" in page and "Submitted, not signed off" in page and "No evidence yet" in page
    assessor = login(s.assessor.user, c=app.test_client())
    url = f"/apprenticeships/{s.apprenticeship.id}/evidence/{made.id}"
    assert "Sign off the chosen KSBs" in text_of(assessor.get(url))
    ksb = made.claims[0].outcome_id
    assert assessor.post(f"{url}/sign-off", data={"outcome_ids": [str(ksb)]}).status_code == 303
    after = text_of(apprentice.get(f"/apprenticeships/{s.apprenticeship.id}/evidence"))
    assert "33% of the KSBs have signed-off evidence" in after
    colleague = login(person(s.employer, Role.LEARNER).user, c=app.test_client())
    assert colleague.get(url).status_code == 403


def test_downloads_are_attachments_that_never_render_and_a_lost_file_is_a_clear_message(app, login):
    s = started_setting()
    made = entry(s, file=("../../evil name.pdf", PDF))
    kept = made.files[0]
    client = login(s.line_manager.user, c=app.test_client())
    url = f"/apprenticeships/{s.apprenticeship.id}/evidence/{made.id}/files/{kept.id}"
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"] == 'attachment; filename="evil-name.pdf"'
    assert response.mimetype == "application/pdf"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    stranger = login(person(s.employer, Role.LINE_MANAGER).user, c=app.test_client())
    assert stranger.get(url).status_code == 403
    # The file goes missing from storage: a clear message, not a server error.
    from app.services.evidence import storage

    storage.store().delete(kept.storage_key)
    lost = client.get(url, follow_redirects=True)
    assert lost.status_code == 200 and "missing from storage" in text_of(lost)


def test_coverage_feeds_the_progress_status():
    s = started_setting(start=date.today() - timedelta(days=600))
    outcomes = s.apprenticeship.programme.outcomes
    before = progress.progress_of([s.apprenticeship], date.today())[0]
    assert not any(r.startswith("evidence covers") for r in before.reasons)  # no portfolio yet: not judged
    made = entry(s, outcomes=[outcomes[0].id])
    portfolio.sign_off(s.assessor.user, s.apprenticeship, made, [outcomes[0].id], None)
    cells = coverage.matrix(s.apprenticeship)
    assert [c.rag for c in cells] == ["green", "red", "red"]
    figures = progress.progress_of([s.apprenticeship], date.today())[0]
    ran = 600 * 100 // s.apprenticeship.otj_plan().planned_days
    assert f"evidence covers 33% of KSBs, {ran}% expected by now" in figures.reasons


def test_a_cohort_heat_map_in_a_fixed_number_of_queries():
    from app.models import Apprenticeship
    from seeds.apprenticeship_scale import add_apprentices
    from tests.support.queries import counting

    s = started_setting()
    made = entry(s)
    portfolio.sign_off(s.assessor.user, s.apprenticeship, made, [made.claims[0].outcome_id], None)
    outcomes = s.apprenticeship.programme.outcomes
    condition = Apprenticeship.cohort_id == s.cohort.id
    found = coverage.heat_map(condition, outcomes)
    assert found.rows[0][2] == {outcomes[0].id: "green", outcomes[1].id: "red", outcomes[2].id: "red"}
    with counting() as few:
        coverage.heat_map(condition, outcomes)
    add_apprentices(s.cohort, s.employer.id, s.line_manager, s.assessor, 60, today=date.today())
    with counting() as many:
        bigger = coverage.heat_map(condition, outcomes)
    assert len(many) == len(few) and bigger.total == 61 and len(bigger.rows) == 50
    assert db.session.query(EvidenceEntry).count() == 1


def test_a_large_portfolio_page_runs_a_fixed_number_of_queries(app, login):
    from seeds.apprenticeship_scale import add_evidence
    from tests.support.queries import counting

    s = started_setting()
    outcomes = [o.id for o in s.apprenticeship.programme.outcomes]
    client = login(s.assessor.user, c=app.test_client())
    url = f"/apprenticeships/{s.apprenticeship.id}/evidence"

    def measured() -> int:
        db.session.expire_all()
        with counting() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    add_evidence([s.apprenticeship.id], outcomes, 5, s.apprentice.user.id, today=date.today())
    few = measured()
    add_evidence([s.apprenticeship.id], outcomes, 120, s.apprentice.user.id, today=date.today())
    assert measured() == few
    assert "Workplace evidence" in client.get(url).get_data(as_text=True)
