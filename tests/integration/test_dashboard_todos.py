"""The dashboard's "Waiting for you": a count per kind of thing waiting for this person, each
linking to where they act on it, each one query however much is waiting."""

from __future__ import annotations

import re

from app.extensions import db
from app.services import issuing
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.cpd import employer, request
from tests.factories.issuing import award, provider_with_record
from tests.support.queries import counting


def _todos(page: str) -> list[str]:
    if 'id="todos-title"' not in page:
        return []
    banner = page[page.index('id="todos-title"') :]
    banner = banner[: banner.index("</ul>")]
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<li><a[^>]*>([^<]+)</a></li>", banner)]


def test_badges_to_accept_are_counted_and_accepted_from_the_wallet(client, login):
    learner = member(OrganisationFactory(), "learner", email="isla@learner.example")
    provider, coordinator, record = provider_with_record()
    first = award(provider, coordinator, record, email=learner.email, notify=False)
    award(provider, coordinator, record, email=learner.email, notify=False)
    revoked = award(provider, coordinator, record, email=learner.email, notify=False)
    issuing.revoke(coordinator, revoked, "Issued in error")
    db.session.commit()
    login(learner)
    assert _todos(client.get("/dashboard").get_data(as_text=True)) == ["2 badges to accept"]
    assert client.post(f"/wallet/issued/{first.id}/accept").status_code == 303
    assert first.claimed_at is not None and first.claim_token_hash is None
    assert _todos(client.get("/dashboard").get_data(as_text=True)) == ["1 badge to accept"]

    someone = member(OrganisationFactory(), "learner")
    other = client.application.test_client()
    login(someone, c=other)
    assert other.post(f"/wallet/issued/{revoked.id}/accept").status_code == 404
    assert _todos(other.get("/dashboard").get_data(as_text=True)) == []


def test_cpd_requests_waiting_are_counted_for_the_person_who_acts(client, login):
    e = employer()
    request(e, e.employee)  # submitted: waits for the line manager
    request(e, e.loner)  # no line manager: waits for HR
    request(e, e.colleague, state="endorsed")  # endorsed: waits for HR
    db.session.commit()

    login(e.hr)
    page = client.get("/dashboard").get_data(as_text=True)
    assert _todos(page) == ["2 CPD requests to endorse or decide"]
    assert 'href="/cpd/">2 CPD requests' in page
    for who, expected in ((e.manager, ["1 CPD request to endorse or decide"]), (e.loner, [])):
        c = client.application.test_client()
        login(who, c=c)
        assert _todos(c.get("/dashboard").get_data(as_text=True)) == expected, who.name


def test_the_dashboard_does_not_run_more_queries_when_more_is_waiting(client, login):
    learner = member(OrganisationFactory(), "learner", email="isla@learner.example")
    provider, coordinator, record = provider_with_record()
    award(provider, coordinator, record, email=learner.email, notify=False)
    db.session.commit()
    login(learner)
    with counting() as few:
        client.get("/dashboard")
    for _ in range(12):
        award(provider, coordinator, record, email=learner.email, notify=False)
    db.session.commit()
    with counting() as many:
        page = client.get("/dashboard").get_data(as_text=True)
    assert "13 badges to accept" in page and len(many) == len(few)


def test_a_learning_agreement_to_accept_is_counted_until_accepted(client, login):
    from app.services import cpd

    e = employer()
    s = request(e, state="endorsed")
    cpd.workflow.act(
        e.hr,
        s,
        "approve",
        budget_id=e.budget.id,
        funding_year_id=e.funding.id,
        agreement={"repayment_months": 12, "repayment_basis": "pro_rata", "text": "Repay a share if you leave."},
    )
    db.session.commit()
    login(e.employee)
    page = client.get("/dashboard").get_data(as_text=True)
    assert _todos(page) == ["1 learning agreement to accept"] and 'href="/cpd/mine">1 learning agreement' in page
    cpd.requests.accept_agreement(e.employee, s)
    db.session.commit()
    assert _todos(client.get("/dashboard").get_data(as_text=True)) == []


def test_evidence_to_sign_off_is_counted_for_the_assessor_only(client, login):
    from tests.factories.evidence import entry, started_setting

    s = started_setting()
    entry(s, title="Replaced a pump")
    entry(s, title="Rewired a panel")
    entry(s, title="Draft notes", submit=False)
    db.session.commit()
    login(s.assessor.user)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "2 evidence entries to sign off" in _todos(page)
    apprentice = client.application.test_client()
    login(s.apprentice.user, c=apprentice)
    assert not any("sign off" in t for t in _todos(apprentice.get("/dashboard").get_data(as_text=True)))


def test_apprentices_at_risk_or_off_track_are_counted_from_their_kept_status(app, login):
    from datetime import date, time, timedelta

    from app.models import Apprenticeship
    from app.services.apprenticeships.progress import progress_of
    from tests.factories.apprenticeships import log_hours, setting

    s = setting(started=True, start=date.today() - timedelta(days=40))  # no hours logged: off track
    db.session.commit()
    a = db.session.get(Apprenticeship, s.apprenticeship.id)
    assert a.progress_status == "off_track" and a.progress_on == date.today()

    manager = login(s.line_manager.user, c=app.test_client())
    page = manager.get("/dashboard").get_data(as_text=True)
    assert "1 apprentice off track" in _todos(page)
    assert 'href="/apprenticeships/?progress=off_track"' in page
    caseload = manager.get("/apprenticeships/?progress=off_track").get_data(as_text=True)
    assert s.apprentice.user.name in caseload
    # The apprentice is not told they are one of their own apprentices at risk.
    me = login(s.apprentice.user, c=app.test_client())
    assert not [t for t in _todos(me.get("/dashboard").get_data(as_text=True)) if "off track" in t]

    # Logging hours is a change the status is judged on: it is worked out again when it commits.
    for days in range(1, 12):
        log_hours(s, date.today() - timedelta(days=days), end=time(17))
    db.session.commit()
    a = db.session.get(Apprenticeship, s.apprenticeship.id)
    live = progress_of([a], date.today())[0].status
    assert a.progress_status == live.value == "on_track"
    assert not [t for t in _todos(manager.get("/dashboard").get_data(as_text=True)) if "apprentice" in t]

    # Time passing alone moves it: the daily refresh catches up a status left behind.
    db.session.execute(db.update(Apprenticeship).values(progress_status="off_track", progress_on=None))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["apprenticeships", "refresh-progress"])
    assert result.exit_code == 0 and "Assessed the progress of 1 active apprenticeship." in result.output
    assert db.session.get(Apprenticeship, s.apprenticeship.id).progress_status == live.value


def test_the_at_risk_count_is_one_query_whatever_the_caseload(app, login):
    from tests.factories.apprenticeships import setting

    s = setting(started=True)
    db.session.commit()
    hr = login(s.hr.user, c=app.test_client())  # HR's caseload is every apprentice of the employer
    with counting() as few:
        assert "1 apprentice off track" in hr.get("/dashboard").get_data(as_text=True)
    for n in range(4):
        setting(started=True, employer=s.employer, provider=s.provider, label=f"{n}")
    db.session.commit()
    with counting() as many:
        page = hr.get("/dashboard").get_data(as_text=True)
    assert "5 apprentices off track" in page and len(many) == len(few)
