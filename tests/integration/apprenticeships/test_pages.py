"""The apprenticeship pages as each party uses them: what they see, what they may do, and
what is refused."""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.extensions import db
from app.models import AuditEvent, OffTheJobEntry, Party
from tests.factories.apprenticeships import accept_all, log_hours, open_review, setting


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_coordinator_sees_the_cohort_with_its_counts(client, login):
    s = setting(started=True)
    login(s.coordinator.user)
    cohorts = client.get("/cohorts/")
    assert cohorts.status_code == 200
    assert "September cohort" in text_of(cohorts)
    page = client.get(f"/cohorts/{s.cohort.id}")
    assert page.status_code == 200
    assert "Aila Apprentice" in text_of(page)
    # Nothing logged in 120 days and the first review overdue: off track, with the reason.
    assert "Off track Off-the-job hours 0% of expected to date" in text_of(page)
    assert "(overdue)" in text_of(page)


def test_the_apprentice_goes_straight_to_their_own_record(client, login):
    s = setting(started=True)
    login(s.apprentice.user)
    response = client.get("/apprenticeships/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/apprenticeships/{s.apprenticeship.id}")
    page = text_of(client.get(f"/apprenticeships/{s.apprenticeship.id}"))
    assert "Aila Apprentice" in page and "Engineering Practice" in page
    assert "hours target" in page


def test_three_parties_accept_the_plan_in_the_app(client, login, app):
    s = setting()
    for party, member in (
        (Party.APPRENTICE, s.apprentice),
        (Party.EMPLOYER, s.line_manager),
        (Party.PROVIDER, s.assessor),
    ):
        c = app.test_client()
        login(member.user, c=c)
        plan = c.get(f"/apprenticeships/{s.apprenticeship.id}/plan")
        assert f"Accept the plan as the {party.label.lower()}" in text_of(plan)
        response = c.post(f"/apprenticeships/{s.apprenticeship.id}/plan/accept", data={"party": party.value})
        assert response.status_code == 303
        after = text_of(c.get(f"/apprenticeships/{s.apprenticeship.id}/plan"))
        assert f"Accepted by {member.user.name}" in after
    db.session.refresh(s.apprenticeship)
    assert s.apprenticeship.plan_accepted


def test_nobody_accepts_for_a_party_they_do_not_act_for(client, login):
    s = setting()
    login(s.apprentice.user)
    page = text_of(client.get(f"/apprenticeships/{s.apprenticeship.id}/plan"))
    assert "Accept the plan as the employer" not in page
    client.post(f"/apprenticeships/{s.apprenticeship.id}/plan/accept", data={"party": "employer"})
    db.session.refresh(s.apprenticeship)
    assert Party.EMPLOYER not in s.apprenticeship.accepted_parties()
    assert "You cannot accept the plan for the employer" in text_of(
        client.get(f"/apprenticeships/{s.apprenticeship.id}/plan")
    )


def test_the_apprentice_logs_hours_and_an_overlap_is_refused(client, login):
    s = setting(started=True)
    login(s.apprentice.user)
    day = date.today() - timedelta(days=2)
    fields = {
        "day": [str(day.day), str(day.month), str(day.year)],
        "starts_at": "09:00",
        "ends_at": "12:30",
        "activity": "taught_learning",
        "description": "Hydraulics lecture",
        "counts": "yes",
    }
    url = f"/apprenticeships/{s.apprenticeship.id}/off-the-job"
    assert client.post(url, data=fields).status_code == 303
    page = text_of(client.get(url))
    assert "Hydraulics lecture" in page and "3.5" in page
    overlapping = dict(fields, starts_at="11:00", ends_at="13:00", description="Workshop")
    refused = client.post(url, data=overlapping)
    assert refused.status_code == 422
    assert "overlaps another entry" in text_of(refused)
    assert db.session.query(OffTheJobEntry).filter_by(apprenticeship_id=s.apprenticeship.id).count() == 1


def test_the_assessor_confirms_an_entry_and_it_is_locked(client, login):
    s = setting(started=True)
    entry = log_hours(s, date.today() - timedelta(days=1))
    login(s.assessor.user)
    url = f"/apprenticeships/{s.apprenticeship.id}/off-the-job"
    assert "Confirm" in text_of(client.get(url))
    assert client.post(f"{url}/{entry.id}/confirm").status_code == 303
    db.session.refresh(entry)
    assert entry.confirmed_by_id == s.assessor.user.id
    assert "Confirmed" in text_of(client.get(url))


def test_a_review_is_signed_by_all_three_and_locked(app, login):
    s = setting(started=True)
    review = open_review(s)
    url = f"/apprenticeships/{s.apprenticeship.id}/reviews/{review.id}"
    held = date.today() - timedelta(days=1)
    assessor = login(s.assessor.user, c=app.test_client())
    recorded = assessor.post(
        f"{url}/record",
        data={
            "held_on": [str(held.day), str(held.month), str(held.year)],
            "progress": "Good progress on hydraulics",
            "wellbeing": "",
        },
    )
    assert recorded.status_code == 303
    ksb = s.apprenticeship.programme.outcomes[0]
    assert (
        assessor.post(f"{url}/ratings", data={"provider-party": "provider", f"provider-ksb_{ksb.id}": "3"}).status_code
        == 303
    )
    for member, party in ((s.assessor, "provider"), (s.apprentice, "apprentice"), (s.line_manager, "employer")):
        c = login(member.user, c=app.test_client())
        assert c.post(f"{url}/sign", data={"party": party}).status_code == 303
    db.session.refresh(review)
    assert review.is_locked
    page = text_of(assessor.get(url))
    assert "This record is locked" in page and "Good progress on hydraulics" in page
    next_review = open_review(s)
    assert next_review.number == 2


def test_the_employer_dashboard_lists_apprentices_with_their_status(client, login):
    s = setting(started=True)
    login(s.hr.user)
    page = text_of(client.get("/apprenticeships/"))
    assert "Aila Apprentice" in page
    assert "Off track" in page
    filtered = text_of(client.get("/apprenticeships/?progress=on_track"))
    assert "No apprentices match" in filtered


def test_a_colleague_who_is_not_a_party_is_refused(client, login):
    from app.models.people import Role
    from tests.factories.apprenticeships import person

    s = setting(started=True)
    colleague = person(s.employer, Role.LINE_MANAGER, name="Other Manager")
    login(colleague.user)
    assert client.get(f"/apprenticeships/{s.apprenticeship.id}").status_code == 403
    assert "Aila Apprentice" not in text_of(client.get("/apprenticeships/"))


def test_a_coordinator_defines_and_publishes_a_programme(client, login):
    s = setting()
    login(s.coordinator.user)
    response = client.post(
        "/programmes/new",
        data={
            "type": "graduate_apprenticeship",
            "title": "Data Science GA",
            "duration_months": "36",
            "otj_basis": "percent",
            "otj_percent": "20",
            "review_interval_weeks": "12",
            "scqf_level": "10",
            "scqf_credits": "480",
            "outcomes": "K1 Statistics\nS1 Builds data pipelines\nB1 Acts ethically",
            "otj_at_risk_percent": "90",
            "otj_off_track_percent": "70",
            "review_off_track_days": "28",
        },
    )
    assert response.status_code == 303, text_of(response)[:500]
    page_url = response.headers["Location"]
    assert "Builds data pipelines" in text_of(client.get(page_url))
    assert client.post(page_url + "/publish").status_code == 303
    assert "Published" in text_of(client.get(page_url))
    events = db.session.query(AuditEvent).filter(AuditEvent.action.like("programme.%")).count()
    assert events >= 2


def test_plan_changes_need_all_three_again(client, login):
    s = setting()
    accept_all(s)
    login(s.coordinator.user)
    end = s.apprenticeship.planned_end_date + timedelta(days=30)
    response = client.post(
        f"/apprenticeships/{s.apprenticeship.id}/plan/change",
        data={
            "weekly_hours": "30",
            "planned_end_date": [str(end.day), str(end.month), str(end.year)],
            "notes": "Part-time from now",
        },
    )
    assert response.status_code == 303
    db.session.refresh(s.apprenticeship)
    assert s.apprenticeship.plan_version == 2 and not s.apprenticeship.plan_accepted


def test_the_apprentice_sees_their_next_steps(client, login):
    from app.services.apprenticeships import lifecycle

    s = setting()
    login(s.apprentice.user)
    url = f"/apprenticeships/{s.apprenticeship.id}"
    assert "What happens next Accept the training plan as the apprentice" in text_of(client.get(url))
    accept_all(s)
    assert "Waiting for the other parties to accept the training plan, then the provider starts" in text_of(
        client.get(url)
    )
    lifecycle.change(s.coordinator.user, s.apprenticeship, "start", today=s.apprenticeship.start_date)
    page = text_of(client.get(url))
    assert "Log your off-the-job training : 0 of" in page
    assert "Progress review 1 is due" in page
