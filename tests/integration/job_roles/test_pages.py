"""Job-role pages: HR builds roles, managers assess, everyone sees only what they may."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Occupation
from app.models.job_roles import AssessedSkill, JobRole, JobRoleMicroCredential, JobRoleSkill
from tests.factories.accounts import member
from tests.factories.skills import hold, membership, record


def actions(org) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.organisation_id == org.id).order_by(AuditEvent.id)
        )
    )


def test_hr_creates_a_role_from_an_esco_occupation_with_its_skills_prefilled(client, login, world):
    occupation = Occupation(uri="urn:test:occ:1", label="welder")
    occupation.skills = [world.welding, world.safety]
    db.session.add(occupation)
    db.session.flush()
    login(world.hr)
    response = client.post(
        "/roles/",
        data={"title": "Apprentice Welder", "department": "Production", "occupation": occupation.id, "prefill": "y"},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Apprentice Welder" in page and "weld metal" in page and "2 (Working)" in page
    assert "job_role.create" in actions(world.org)


def test_a_duplicate_or_empty_title_is_refused_with_a_message(client, login, world):
    login(world.hr)
    response = client.post("/roles/", data={"title": "Fabricator", "occupation": 0})
    assert response.status_code == 422
    assert "already has a job role called Fabricator" in response.get_data(as_text=True)
    assert client.post("/roles/", data={"title": "", "occupation": 0}).status_code == 422


def test_hr_sets_skills_maps_micro_credentials_and_assigns_people(client, login, world):
    login(world.hr)
    role = world.role
    assert (
        client.post(f"/roles/{role.id}/skills", data={"skill-skill": world.cad.id, "skill-target_level": 4}).status_code
        == 303
    )
    req = db.session.scalar(
        select(JobRoleSkill).where(JobRoleSkill.job_role_id == role.id, JobRoleSkill.skill_id == world.cad.id)
    )
    assert req.target_level == 4
    published = record(world.provider, "Welding inspection", [world.welding], code="WI-1")
    response = client.post(
        f"/roles/{role.id}/micro-credentials", data={"mc-record": published.id, "mc-requirement": "required"}
    )
    assert response.status_code == 303
    mapping = db.session.scalar(select(JobRoleMicroCredential).where(JobRoleMicroCredential.job_role_id == role.id))
    assert (mapping.code, mapping.provider_id, mapping.requirement) == ("WI-1", world.provider.id, "required")
    draft = record(world.provider, "Unfinished", [world.welding], status="draft")
    assert client.post(
        f"/roles/{role.id}/micro-credentials", data={"mc-record": draft.id, "mc-requirement": "required"}
    ).status_code in (404, 422)

    manager = world.m(world.manager)
    assert client.post(f"/roles/people/{manager.id}/job-role", data={"assign-job_role": role.id}).status_code == 303
    assert manager.job_role_id == role.id
    page = client.get(f"/roles/{role.id}").get_data(as_text=True)
    assert "Welding inspection" in page and "Required" in page and "Mags Manager" in page
    report_page = f"/roles/people/{world.m(world.report).id}"
    assert "Welding inspection" in client.get(report_page).get_data(as_text=True).split("Not held")[0]
    hold(world.report, world.org, published)
    mapped_section = client.get(report_page).get_data(as_text=True).split("Micro-credentials for this job role")[1]
    assert "Welding inspection" in mapped_section and 'govuk-tag--green">Held<' in mapped_section

    assert client.post(f"/roles/{role.id}/skills/{req.id}/remove").status_code == 303
    assert client.post(f"/roles/{role.id}/micro-credentials/{mapping.id}/remove").status_code == 303
    assert {
        "job_role.skill_set",
        "job_role.credential_map",
        "job_role.assign",
        "job_role.skill_remove",
        "job_role.credential_unmap",
    } <= set(actions(world.org))


def test_a_line_manager_assesses_their_own_reports_only(client, login, world):
    login(world.manager)
    report, colleague, me = world.m(world.report), world.m(world.colleague), world.m(world.manager)
    form = {
        "assess-skill": world.cad.id,
        "assess-level": 3,
        "assess-note": "Drew the hull section unaided",
        "assess-assessed_on": ["3", "2", "2026"],
    }
    assert client.post(f"/roles/people/{report.id}/assessments", data=form).status_code == 303
    row = db.session.scalar(select(AssessedSkill).where(AssessedSkill.membership_id == report.id))
    assert (row.level, row.assessed_on, row.assessed_by_id) == (3, date(2026, 2, 3), world.manager.id)
    assert "skills.assess" in actions(world.org)
    assert client.post(f"/roles/people/{colleague.id}/assessments", data=form).status_code == 403
    assert client.post(f"/roles/people/{me.id}/assessments", data=form).status_code == 403
    assert client.get(f"/roles/people/{colleague.id}").status_code == 403
    page = client.get(f"/roles/people/{report.id}").get_data(as_text=True)
    assert "Drew the hull section unaided" in page and "Record an assessment" in page


def test_hr_assesses_anyone_and_bad_input_is_explained(client, login, world):
    login(world.hr)
    colleague = world.m(world.colleague)
    future = date.today() + timedelta(days=3)
    bad = {
        "assess-skill": world.cad.id,
        "assess-level": 2,
        "assess-assessed_on": [str(future.day), str(future.month), str(future.year)],
    }
    response = client.post(f"/roles/people/{colleague.id}/assessments", data=bad)
    assert response.status_code == 422 and "today or in the past" in response.get_data(as_text=True)
    response = client.post(
        f"/roles/people/{colleague.id}/assessments",
        data={"assess-skill": world.cad.id, "assess-assessed_on": ["1", "1", "2026"]},
    )
    assert response.status_code == 422 and "Choose the assessed level" in response.get_data(as_text=True)
    ok = dict(bad, **{"assess-assessed_on": ["1", "1", "2026"]})
    assert client.post(f"/roles/people/{colleague.id}/assessments", data=ok).status_code == 303


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/roles/"),
        ("post", "/roles/"),
        ("get", "/roles/{role}"),
        ("post", "/roles/{role}/skills"),
        ("post", "/roles/{role}/micro-credentials"),
        ("get", "/roles/team"),
        ("post", "/roles/people/{colleague}/job-role"),
        ("post", "/roles/people/{colleague}/assessments"),
    ],
)
def test_a_learner_cannot_manage_roles_or_see_the_team(client, login, world, method, path):
    login(world.report)
    url = path.format(role=world.role.id, colleague=world.m(world.colleague).id)
    response = getattr(client, method)(url, data={"title": "Sneaky"} if method == "post" else None)
    assert response.status_code == 403


def test_a_learner_sees_their_own_gaps(client, login, world):
    login(world.report)
    response = client.get("/roles/me")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Fabricator" in page and "Missing" in page and "Suggested pathway" in page
    assert "Record an assessment" not in page


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/roles/{role}"),
        ("post", "/roles/{role}"),
        ("post", "/roles/{role}/skills"),
        ("post", "/roles/{role}/skills/{req}/remove"),
        ("get", "/roles/people/{person}"),
        ("post", "/roles/people/{person}/job-role"),
        ("post", "/roles/people/{person}/assessments"),
    ],
)
def test_another_employers_roles_and_people_are_not_found(client, login, world, method, path):
    login(world.outsider_hr)
    req = db.session.scalar(select(JobRoleSkill.id).where(JobRoleSkill.job_role_id == world.role.id))
    url = path.format(role=world.role.id, req=req, person=world.m(world.report).id)
    response = getattr(client, method)(url, data={"role-title": "Taken over"} if method == "post" else None)
    assert response.status_code == 404


def test_another_employers_role_cannot_be_assigned_or_listed(client, login, world):
    login(world.hr)
    colleague = world.m(world.colleague)
    response = client.post(f"/roles/people/{colleague.id}/job-role", data={"assign-job_role": world.other_role.id})
    assert response.status_code in (404, 422)
    assert colleague.job_role_id == world.role.id
    for url in ("/roles/", "/roles/team"):
        page = client.get(url).get_data(as_text=True)
        assert "Secret role" not in page and "Olly Outsider" not in page


def test_team_heat_map_has_text_in_every_cell_and_a_table_alternative(client, login, world):
    hold(world.colleague, world.org, record(world.provider, "CAD", [world.cad], scqf_level=9))
    login(world.hr)
    page = client.get("/roles/team").get_data(as_text=True)
    assert "Skills coverage heat map" in page and "Show the same as a list" in page
    assert "Covered</strong>" in page and "Missing</strong>" in page and "3 of 3" in page
    assert "Cat Colleague" in page and "Rab Report" in page
    listing = client.get("/roles/team?view=list").get_data(as_text=True)
    assert "Each person's required skills, one per row" in listing and "Skills coverage heat map" not in listing
    assert re.search(r"<td[^>]*>Cat Colleague</td>\s*<td[^>]*>[^<]+</td>\s*<td[^>]*>[^<]+</td>", listing)


def test_filters_return_a_partial_to_htmx_and_a_page_otherwise(client, login, world):
    login(world.hr)
    full = client.get("/roles/team?department=Production").get_data(as_text=True)
    assert "<html" in full and 'id="team-results"' in full
    partial = client.get("/roles/team?department=Production", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and "Rab Report" in partial
    empty = client.get("/roles/team?department=Nowhere", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Rab Report" not in empty and "matching these filters" in empty
    boosted = client.get("/roles/team", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)

    listing = client.get("/roles/?department=Production", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in listing and "Fabricator" in listing

    record(world.provider, "CAD quick", [world.cad], price=90_000, hours=10)
    record(world.provider, "CAD cheap", [world.cad], price=10_000, hours=300)
    person = f"/roles/people/{world.m(world.report).id}"
    by_hours = client.get(f"{person}?by=hours", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in by_hours and "CAD quick" in by_hours and "CAD cheap" not in by_hours
    by_cost = client.get(f"{person}?by=cost").get_data(as_text=True)
    assert "<html" in by_cost and "CAD cheap" in by_cost and "CAD quick" not in by_cost
    assert "read the sea" in by_cost  # taught by nothing: listed as not covered


def test_hr_finds_people_without_a_job_role_on_the_team_page(client, login, world):
    newcomer = member(world.org, "learner", name="Nina Newcomer")
    login(world.hr)
    page = client.get("/roles/team").get_data(as_text=True)
    without = page.split("Without a job role")[1]
    assert "Nina Newcomer" in without and "Hana HR" not in without
    person = membership(newcomer, world.org)
    assert f"/roles/people/{person.id}" in without
    own_page = client.get(f"/roles/people/{person.id}").get_data(as_text=True)
    assert "No job role yet" in own_page and "Save job role" in own_page


def test_job_roles_are_for_employers_only(client, login, world):
    coordinator = member(world.provider, "provider_coordinator", "learner", name="Pat Provider")
    login(coordinator)
    assert client.get("/roles/me").status_code == 403  # an organisation-kind refusal (was 404)
    assert client.get("/roles/").status_code == 403


def test_a_role_can_be_deleted_only_when_nobody_holds_it(client, login, world):
    login(world.hr)
    response = client.post(f"/roles/{world.role.id}/delete")
    assert response.status_code == 303 and db.session.get(JobRole, world.role.id) is not None
    assert "give them another role first" in client.get(response.headers["Location"]).get_data(as_text=True)
    for user in (world.report, world.colleague):
        world.m(user).job_role_id = None
    db.session.flush()
    assert client.post(f"/roles/{world.role.id}/delete").headers["Location"].endswith("/roles/")
    db.session.expire_all()
    assert db.session.get(JobRole, world.role.id) is None
    assert db.session.scalar(select(JobRoleSkill).where(JobRoleSkill.job_role_id == world.role.id)) is None
    assert "job_role.delete" in actions(world.org)


def test_a_credential_recorded_twice_is_listed_once_with_both_sources(client, login, world):
    """An award on Credwork that HR also recorded (the demo's "2D CAD" for Callum) is one credential."""
    cad_course = record(world.provider, "2D CAD Drawing", [world.cad], code="T-CAD1")
    hold(world.report, world.org, cad_course)
    issued_copy = hold(world.report, world.org, cad_course, on=date(2026, 2, 1))
    issued_copy.source = "issued"
    db.session.flush()
    login(world.hr)
    page = client.get(f"/roles/people/{world.m(world.report).id}").get_data(as_text=True)
    held = page[page.index("Micro-credentials held") :]
    assert held.count("2D CAD Drawing (T-CAD1") == 1
    assert "15 January 2026: Issued on Credwork, Recorded by HR" in held
