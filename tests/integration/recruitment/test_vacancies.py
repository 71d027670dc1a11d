"""Recruiters open vacancies from job roles, see each candidate's fit against the role (with the
badge and check behind it), compare the shortlist, export it, move candidates on and hire; only
recruiters and the hiring manager see any of it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    Candidate,
    CandidateBadge,
    Invitation,
    Job,
    Membership,
    Vacancy,
    VacancySkill,
    WalletCredential,
)
from app.services import issuing, recruitment
from app.services.accounts import organisations
from app.services.verification.verifier import VerificationInput
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import skill
from tests.factories.issuing import award, provider_with_record
from tests.factories.recruitment import apply, badge_text, hiring_manager, job_role, spreadsheets, vacancy
from tests.support.queries import counting

TODAY = date.today()


def _vacancy(org=None, recruiter=None, **kwargs):
    spreadsheets()
    return vacancy(org, recruiter, closes_on=TODAY + timedelta(days=20), today=TODAY, **kwargs)


def _apply(found, name, email, badges=None, **kwargs):
    made, _ = apply(found, name=name, email=email, badges=badges, today=TODAY, **kwargs)
    return made


def _recruiter(found):
    return (
        db.session.scalars(select(Membership).where(Membership.organisation_id == found.organisation_id)).first().user
    )


def test_a_recruiter_opens_a_vacancy_from_a_job_role_with_its_skills(client, login):
    org = OrganisationFactory(name="Clyde Analytics")
    recruiter = member(org, "recruiter")
    role = job_role(org, "Data Officer", [(spreadsheets(), 3), (skill("write reports"), 2)])
    manager = hiring_manager(org)
    db.session.commit()
    login(recruiter)
    assert client.get("/recruitment/new").status_code == 200
    response = client.post(
        "/recruitment/new",
        data={
            "job_role_id": str(role.id),
            "title": "Data Officer (fixed term)",
            "description": "Two years.",
            "closes_on": ["31", "1", str(TODAY.year + 1)],
            "hiring_manager_id": str(manager.id),
            "retention_months": "6",
        },
    )
    assert response.status_code == 303
    found = db.session.scalar(select(Vacancy))
    assert found.title == "Data Officer (fixed term)" and found.hiring_manager_id == manager.id
    levels = {r.skill.label: r.target_level for r in recruitment.fit.requirements_of(found)}
    assert levels == {"use spreadsheets software": 3, "write reports": 2}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/apply/{found.token}" in page and "No applications yet." in page
    assert "vacancy.created" in db.session.scalars(select(AuditEvent.action)).all()


def test_a_vacancy_needs_a_title_and_a_closing_date_in_the_future(client, login):
    org = OrganisationFactory()
    recruiter = member(org, "recruiter")
    role = job_role(org)
    db.session.commit()
    login(recruiter)
    past = TODAY - timedelta(days=1)
    response = client.post(
        "/recruitment/new",
        data={
            "job_role_id": str(role.id),
            "title": "Analyst",
            "closes_on": [str(past.day), str(past.month), str(past.year)],
            "retention_months": "6",
        },
    )
    assert response.status_code == 422
    assert "The closing date must be today or later" in response.get_data(as_text=True)
    response = client.post(
        "/recruitment/new", data={"job_role_id": str(role.id), "title": "", "retention_months": "99"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter the vacancy" in text and "from 1 to 36" in text
    assert db.session.scalar(select(func.count(Vacancy.id))) == 0


def test_fit_shows_each_skill_covered_by_a_verified_badge_with_a_link_to_its_check(client, login):
    found = _vacancy()
    cara = _apply(found, "Cara Candidate", "cara@candidate.example")
    tam = _apply(
        found, "Tam Tamper", "tam@candidate.example", badges=[badge_text("tam@candidate.example", tampered=True)]
    )
    db.session.commit()
    login(_recruiter(found))
    page = client.get(f"/recruitment/{found.id}/candidates/{cara.id}").get_data(as_text=True)
    assert "Skills covered: 1 of 2" in page
    assert "Level 2 of 2, from" in page and "Data Analysis with Python" in page
    badge = db.session.scalar(select(CandidateBadge).where(CandidateBadge.candidate_id == cara.id))
    check = client.get(f"/recruitment/{found.id}/candidates/{cara.id}/badges/{badge.id}").get_data(as_text=True)
    assert "Valid badge" in check and "Every check" in check
    tampered = client.get(f"/recruitment/{found.id}/candidates/{tam.id}").get_data(as_text=True)
    assert "Skills covered: 0 of 2" in tampered
    assert "which does not count: it is not valid" in tampered
    assert "Advanced Data Science (changed) (claimed, not proven)" in tampered


def test_the_candidate_list_sorts_by_fit_and_stays_bounded(client, login):
    found = _vacancy()
    for n in range(6):
        _apply(found, f"Weak {n}", f"weak{n}@candidate.example", badges=[])
    _apply(found, "Strong Candidate", "strong@candidate.example")
    db.session.commit()
    login(_recruiter(found))
    page = client.get(f"/recruitment/{found.id}").get_data(as_text=True)
    assert page.index("Strong Candidate") < page.index("Weak 0")
    by_date = client.get(f"/recruitment/{found.id}?sort=oldest").get_data(as_text=True)
    assert by_date.index("Strong Candidate") > by_date.index("Weak 5")
    partial = client.get(f"/recruitment/{found.id}?q=strong", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Strong Candidate" in partial and "Weak 0" not in partial and "<html" not in partial
    db.session.expunge_all()
    with counting() as few:
        client.get(f"/recruitment/{found.id}")
    for n in range(6, 30):
        _apply(db.session.get(Vacancy, found.id), f"Weak {n}", f"weak{n}@candidate.example", badges=[])
    db.session.commit()
    db.session.expunge_all()
    with counting() as many:
        client.get(f"/recruitment/{found.id}")
    assert len(many) == len(few), "\n".join(s[:90] for s in many)


def test_changing_the_vacancys_skills_works_out_every_fit_again(client, login):
    found = _vacancy()
    cara = _apply(found, "Cara Candidate", "cara@candidate.example")
    db.session.commit()
    login(_recruiter(found))
    requirement = db.session.scalar(
        select(VacancySkill).where(VacancySkill.vacancy_id == found.id, VacancySkill.skill_id == spreadsheets().id)
    )
    response = client.post(
        f"/recruitment/{found.id}/skills", data={"skill-skill": str(spreadsheets().id), "skill-target_level": "4"}
    )
    assert response.status_code == 303
    db.session.refresh(cara)
    assert cara.skills_met == 0 and cara.skills_partly == 1  # level 2 of 4 now
    assert client.post(f"/recruitment/{found.id}/skills/{requirement.id}/remove").status_code == 303
    db.session.refresh(cara)
    assert cara.skills_partly == 0 and cara.skills_met == 0
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "vacancy.skill_set" in actions and "vacancy.skill_removed" in actions


def test_statuses_move_in_order_and_are_audited(client, login):
    found = _vacancy()
    cara = _apply(found, "Cara Candidate", "cara@candidate.example")
    db.session.commit()
    login(_recruiter(found))
    url = f"/recruitment/{found.id}/candidates/{cara.id}"
    assert client.post(url + "/status", data={"status": "offer"}).status_code == 303  # not from applied
    db.session.refresh(cara)
    assert cara.status == "applied"
    for status in ("shortlisted", "interview", "offer"):
        client.post(url + "/status", data={"status": status})
    db.session.refresh(cara)
    assert cara.status == "offer"
    moves = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "candidate.status")).all()
    assert [m.details["after"] for m in moves] == ["shortlisted", "interview", "offer"]


def _shortlisted(found, *people):
    made = []
    for name, email, badges in people:
        c = _apply(found, name, email, badges=badges)
        c.status = "shortlisted"
        made.append(c)
    db.session.commit()
    return made


def test_the_shortlist_compares_candidates_by_skill_and_exports_safely(client, login):
    found = _vacancy()
    cara, eve = _shortlisted(
        found,
        ("Cara Candidate", "cara@candidate.example", None),
        ('=HYPERLINK("http://evil")', "eve@candidate.example", []),
    )
    login(_recruiter(found))
    page = client.get(f"/recruitment/{found.id}/compare").get_data(as_text=True)
    assert page.index("Cara Candidate") < page.index("HYPERLINK")  # best fit first
    assert "use spreadsheets software (2)" in page and "Covered" in page and "Not covered" in page
    body = client.get(f"/recruitment/{found.id}/shortlist.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["Candidate", "Email", "Status", "Skills covered"]
    assert rows[1][0] == "Cara Candidate" and rows[1][5].startswith("Covered: level 2 from Data Analysis with Python")
    assert rows[2][0].startswith("'=")  # a formula is never run by the spreadsheet
    pdf = client.get(f"/recruitment/{found.id}/panel.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.headers["Cache-Control"] == "no-store"


def test_checking_the_shortlist_again_turns_a_revoked_badge_red(client, login):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, email="isla@candidate.example", notify=False)
    found = _vacancy()
    asked = {r.skill_id for r in recruitment.fit.requirements_of(found)}
    for sid in {s.id for s in record.skills} - asked:
        db.session.add(VacancySkill(vacancy_id=found.id, skill_id=sid, target_level=1))
    db.session.flush()
    [isla] = _shortlisted(
        found, ("Isla Candidate", "isla@candidate.example", [VerificationInput(issued.credential_jwt, "paste")])
    )
    recruitment.fit.refresh_vacancy(found)
    db.session.commit()
    assert isla.skills_met == 2  # the hub record's two skills, from the provider's own signed badge
    issuing.revoke(coordinator, issued, "Issued in error")
    db.session.commit()
    login(_recruiter(found))
    assert client.post(f"/recruitment/{found.id}/compare/recheck?status=shortlisted").status_code == 303
    db.session.refresh(isla)
    assert isla.skills_met == 0
    page = client.get(f"/recruitment/{found.id}/compare").get_data(as_text=True)
    assert "Not covered" in page and "which does not count: it is revoked" in page
    assert "candidate.rechecked" in db.session.scalars(select(AuditEvent.action)).all()


def test_hiring_someone_with_an_account_makes_them_a_member_with_their_badges(client, login):
    found = _vacancy()
    person = member(OrganisationFactory(), "learner", email="cara@candidate.example")
    cara = _apply(found, "Cara Candidate", "cara@candidate.example", carry_badges=True)
    cara.status = "offer"
    db.session.commit()
    login(_recruiter(found))
    response = client.post(f"/recruitment/{found.id}/candidates/{cara.id}/hire")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is now a member of Clyde Analytics, with 1 verified badge(s) in their wallet" in page
    assert db.session.scalar(
        select(func.count()).where(Membership.user_id == person.id, Membership.organisation_id == found.organisation_id)
    )
    assert db.session.scalar(select(func.count()).where(WalletCredential.user_id == person.id)) == 1
    assert "candidate.hired" in db.session.scalars(select(AuditEvent.action)).all()


def test_hiring_someone_new_invites_them_and_their_badges_follow_when_they_accept(client, login):
    found = _vacancy()
    cara = _apply(found, "Cara Candidate", "cara@candidate.example", carry_badges=True)
    cara.status = "offer"
    db.session.commit()
    recruitment.statuses.hire(_recruiter(found), cara)
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "cara@candidate.example"))
    assert invitation is not None and cara.hired_invitation_id == invitation.id
    from app.security import tokens

    token, invitation.token_hash = "known-token", tokens.digest("known-token")
    organisations.accept_invitation(token, user=None, name="Cara Candidate", password="a long enough passphrase 42")
    [entry] = db.session.scalars(select(WalletCredential)).all()
    assert entry.verdict == "valid" and entry.achievement_name == "Data Analysis with Python"


def test_only_a_candidate_with_an_offer_can_be_hired(client, login):
    found = _vacancy()
    cara = _apply(found, "Cara Candidate", "cara@candidate.example")
    db.session.commit()
    login(_recruiter(found))
    client.post(f"/recruitment/{found.id}/candidates/{cara.id}/hire")
    db.session.refresh(cara)
    assert cara.status == "applied"


def test_the_recruiter_exports_a_candidates_data_and_deletes_it_on_request(client, login):
    found = _vacancy()
    cara = _apply(found, "Cara Candidate", "cara@candidate.example")
    db.session.commit()
    login(_recruiter(found))
    export = client.get(f"/recruitment/{found.id}/candidates/{cara.id}/data.zip")
    data = json.loads(zipfile.ZipFile(io.BytesIO(export.data)).read("data.json"))
    assert data["name"] == "Cara Candidate" and data["badges"][0]["check"]["verdict"] == "valid"
    assert client.post(f"/recruitment/{found.id}/candidates/{cara.id}/erase").status_code == 303
    assert db.session.scalar(select(func.count(Candidate.id))) == 0


def test_the_purge_deletes_candidates_after_retention_and_keeps_counts(app, client, login):
    found = _vacancy()
    _apply(found, "Cara Candidate", "cara@candidate.example")
    _apply(found, "Tam Candidate", "tam@candidate.example", badges=[])
    found.closes_on = TODAY - timedelta(days=200)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["recruitment", "purge"])
    assert "Deleted the data of 2 candidates from 1 vacancy." in result.output
    assert db.session.scalar(select(func.count(Candidate.id))) == 0
    db.session.refresh(found)
    assert found.purged_counts == {"candidates": 2, "badges": 1, "by_status": {"applied": 2}}
    login(_recruiter(found))
    page = client.get(f"/recruitment/{found.id}").get_data(as_text=True)
    assert "personal data and files were deleted" in page and "Cara" not in page
    assert client.get(f"/apply/{found.token}").status_code == 404
    again = app.test_cli_runner().invoke(args=["recruitment", "purge"])
    assert "Deleted the data of 0 candidates from 0 vacancies." in again.output


def test_a_vacancy_within_its_retention_period_is_kept():
    found = _vacancy()
    _apply(found, "Cara Candidate", "cara@candidate.example")
    found.closes_on = TODAY - timedelta(days=100)  # about 3 of 6 months
    db.session.flush()
    assert recruitment.retention.purge_due(TODAY) == (0, 0)


def test_learners_and_other_staff_see_no_vacancies_and_hiring_managers_see_their_own(client, login, app):
    org = OrganisationFactory()
    recruiter = member(org, "recruiter")
    manager = hiring_manager(org)
    mine = _vacancy(org, recruiter, hiring_manager=manager, title="Managed Vacancy")
    other = _vacancy(org, recruiter, title="Someone Else's Vacancy")
    cara = _apply(mine, "Cara Candidate", "cara@candidate.example")
    learner = member(org, "learner")
    db.session.commit()
    login(learner)
    assert client.get("/recruitment/").status_code == 403
    assert client.get(f"/recruitment/{mine.id}").status_code == 404
    assert client.get(f"/recruitment/{mine.id}/candidates/{cara.id}").status_code == 404
    as_manager = app.test_client()
    login(manager.user, c=as_manager)
    listing = as_manager.get("/recruitment/").get_data(as_text=True)
    assert "Managed Vacancy" in listing and "Someone Else" not in listing
    assert as_manager.get(f"/recruitment/{mine.id}/candidates/{cara.id}").status_code == 200
    assert as_manager.get(f"/recruitment/{other.id}").status_code == 404
    assert as_manager.get("/recruitment/new").status_code == 403
    elsewhere = app.test_client()
    login(member(OrganisationFactory(), "recruiter"), c=elsewhere)
    assert elsewhere.get(f"/recruitment/{mine.id}").status_code == 404


def test_new_applications_are_a_to_do_for_the_recruiter_and_the_hiring_manager(client, login, app):
    org = OrganisationFactory()
    recruiter = member(org, "recruiter")
    manager = hiring_manager(org)
    found = _vacancy(org, recruiter, hiring_manager=manager)
    _apply(found, "Cara Candidate", "cara@candidate.example")
    _apply(found, "Tam Candidate", "tam@candidate.example", badges=[])
    db.session.commit()
    login(recruiter)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "2 new applications to look at" in page and "Vacancies" in page
    as_manager = app.test_client()
    login(manager.user, c=as_manager)
    assert "2 new applications to look at" in as_manager.get("/dashboard").get_data(as_text=True)


def test_checking_many_badges_again_runs_in_the_background_with_progress(client, login):
    found = _vacancy()
    people = _shortlisted(
        found,
        *[
            (f"Many {n}", f"many{n}@candidate.example", [badge_text(f"many{n}@candidate.example") for _ in range(5)])
            for n in range(6)
        ],
    )
    before = {b.id: b.verification_id for b in db.session.scalars(select(CandidateBadge))}
    assert len(before) == 30  # more than are checked while the recruiter waits
    login(_recruiter(found))
    response = client.post(f"/recruitment/{found.id}/compare/recheck?status=shortlisted")
    assert response.status_code == 303 and "/jobs/" in response.headers["Location"]
    job = db.session.scalar(select(Job))
    assert (job.kind, job.status, job.done, job.total) == ("candidate_recheck", "finished", 30, 30)
    after = {b.id: b.verification_id for b in db.session.scalars(select(CandidateBadge))}
    assert all(after[i] != before[i] for i in before)  # every badge has a new check
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "30 of 30 done" in page and "Back to the comparison" in page
    assert len(people) == 6


def test_a_recruiter_changes_a_vacancy_and_the_change_is_audited(client, login):
    found = _vacancy()
    manager = hiring_manager(found.organisation)
    db.session.commit()
    login(_recruiter(found))
    form = client.get(f"/recruitment/{found.id}/edit")
    assert form.status_code == 200 and found.title in form.get_data(as_text=True)
    later = TODAY + timedelta(days=60)
    response = client.post(
        f"/recruitment/{found.id}/edit",
        data={
            "title": "Senior Data Officer",
            "description": "",
            "closes_on": [str(later.day), str(later.month), str(later.year)],
            "hiring_manager_id": str(manager.id),
            "retention_months": "12",
        },
    )
    assert response.status_code == 303
    db.session.refresh(found)
    assert (found.title, found.closes_on, found.hiring_manager_id, found.retention_months) == (
        "Senior Data Officer",
        later,
        manager.id,
        12,
    )
    assert "vacancy.updated" in db.session.scalars(select(AuditEvent.action)).all()
    bad = client.post(f"/recruitment/{found.id}/edit", data={"title": "", "retention_months": "0"})
    assert bad.status_code == 422
