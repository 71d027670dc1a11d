"""Skills profiles, gap states and pathways, computed from the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models.job_roles import JobRole, JobRoleSkill
from app.services.skills import gaps, job_roles, pathways
from app.services.skills.gaps import GapState, gap_state
from app.services.skills.profile import profile_for
from tests.factories.skills import assess, hold, job_role, record


def test_gap_state_boundaries():
    assert gap_state(None, 2) is GapState.MISSING and gap_state(0, 1) is GapState.MISSING
    assert gap_state(1, 2) is GapState.PARTLY
    assert gap_state(2, 2) is GapState.COVERED and gap_state(4, 2) is GapState.COVERED
    # Every state carries words as well as a colour.
    assert {s.label for s in GapState} == {"Covered", "Partly covered", "Missing"}


def test_level_is_the_higher_of_credentials_and_the_latest_assessment(world):
    held = record(world.provider, "Fabrication basics", [world.cad, world.welding], scqf_level=7)  # level 2
    hold(world.report, world.org, held)
    m = world.m(world.report)
    assess(m, world.cad, 4, date(2025, 5, 1), by=world.manager)
    assess(m, world.cad, 1, date(2026, 2, 1), by=world.manager)  # latest, but below the credential
    assess(m, world.safety, 3, date(2025, 1, 1))
    assess(m, world.safety, 2, date(2026, 1, 1))  # latest wins over the earlier, higher one

    profile = profile_for(world.org, m)
    assert profile[world.cad.id].credential_level == 2 and profile[world.cad.id].assessed_level == 1
    assert profile[world.cad.id].level == 2
    assert profile[world.safety.id].level == 2
    assert profile[world.welding.id].level == 2

    found = gaps.person_gaps(world.org, m)
    states = {g.skill.label: (g.state, g.level, g.target) for g in found.gaps}
    assert states == {
        "use CAD software": (GapState.PARTLY, 2, 3),
        "weld metal": (GapState.COVERED, 2, 2),
        "apply health and safety standards": (GapState.COVERED, 2, 2),
        "read the sea": (GapState.MISSING, 0, 1),
    }
    assert {g.skill.label for g in found.to_learn} == {"use CAD software", "read the sea"}


def test_a_credential_held_at_another_employer_does_not_count_here(world):
    mc = record(world.provider, "Welding", [world.welding], scqf_level=9)
    hold(world.report, world.other, mc)
    assert world.welding.id not in profile_for(world.org, world.m(world.report))


def test_pathway_by_cost_or_hours_skips_held_drafts_and_retired_and_reports_uncovered(world):
    # The person holds version 1 of "Fabrication basics"; version 2 (published) must not be offered.
    v1 = record(
        world.provider, "Fabrication basics", [world.cad, world.welding], code="FAB1", status="retired", scqf_level=7
    )  # level 2: CAD partly (target 3), welding covered (target 2)
    record(world.provider, "Fabrication basics", [world.cad, world.welding], code="FAB1", version=2, price=100)
    hold(world.report, world.org, v1)
    assess(world.m(world.report), world.safety, 2, date(2026, 1, 1))
    # The person is at level 2 in CAD and safety: only records above that (SCQF 8+ gives level 3) help.
    record(world.provider, "CAD, short and dear", [world.cad], price=30_000, hours=40, scqf_level=8)
    record(
        world.provider,
        "CAD and safety, cheap and long",
        [world.cad, world.safety],
        price=20_000,
        hours=200,
        scqf_level=8,
    )
    record(world.provider, "CAD at the level they have", [world.cad], price=10, hours=1, scqf_level=7)
    record(world.provider, "Draft CAD", [world.cad], price=1, hours=1, status="draft")
    record(world.provider, "Old CAD", [world.cad], price=1, hours=1, status="retired")

    person = gaps.person_gaps(world.org, world.m(world.report))
    assert {g.skill.label for g in person.to_learn} == {"use CAD software", "read the sea"}
    by_cost = pathways.suggest_pathway(world.org, person, "cost")
    assert [r.title for r in by_cost.records] == ["CAD and safety, cheap and long"]
    assert by_cost.total_pence == 20_000 and by_cost.total_hours == 200 and by_cost.total_credits == 10
    assert [s.label for s in by_cost.uncovered] == ["read the sea"]
    assert by_cost.method == "exact"

    by_hours = pathways.suggest_pathway(world.org, person, "hours")
    assert [r.title for r in by_hours.records] == ["CAD, short and dear"]
    assert by_hours.total_hours == 40 and by_hours.total_pence == 30_000


def test_team_grid_lists_people_with_roles_and_counts_each_skill(world):
    hold(world.colleague, world.org, record(world.provider, "CAD", [world.cad], scqf_level=9))  # level 3
    members = gaps.team_members(world.org, department="Production")
    grid = gaps.team_grid(world.org, members)
    assert [p.membership.user.name for p in grid.people] == ["Cat Colleague", "Rab Report"]
    assert [s.label for s in grid.skills] == sorted(
        s.label for s in (world.cad, world.welding, world.safety, world.untaught)
    )
    cad_counts = grid.summary(world.cad)
    assert cad_counts[GapState.COVERED] == 1 and cad_counts[GapState.MISSING] == 1
    # A manager sees only their own reports.
    mine = gaps.team_members(world.org, line_manager=world.m(world.manager))
    assert [m.user.name for m in mine] == ["Rab Report"]


def test_team_heat_maps_are_one_per_job_role_with_that_roles_skills(world):
    welder = job_role(world.org, "Welder", {world.welding: 3}, department="Production")
    world.m(world.colleague).job_role_id = welder.id
    grids = gaps.team_grids(world.org, gaps.team_members(world.org))
    assert [
        (role.title, [p.membership.user.name for p in grid.people], [s.label for s in grid.skills])
        for role, grid in grids
    ] == [
        (
            "Fabricator",
            ["Rab Report"],
            sorted(s.label for s in (world.cad, world.welding, world.safety, world.untaught)),
        ),
        ("Welder", ["Cat Colleague"], ["weld metal"]),
    ]


def test_deleting_a_role_deletes_its_requirements_even_when_not_loaded(world):
    empty = job_role(world.org, "Short-lived", {world.cad: 2, world.welding: 1})
    db.session.expire_all()
    job_roles.delete_role(world.hr, db.session.get(JobRole, empty.id))
    assert db.session.scalars(select(JobRoleSkill).where(JobRoleSkill.job_role_id == empty.id)).all() == []


def test_the_pathway_leaves_out_what_cpd_already_has_on_the_way_and_offers_sponsorship(world, app, login):
    """Issue 11, item 12: a course the person's CPD request is already taking them to is shown as
    on the way, not suggested again; each suggestion can be asked for as CPD in one click."""
    from app.services.cpd import requests as cpd_requests

    welding = record(world.provider, "Welding for fabricators", [world.welding], scqf_level=7, price=20_000)
    cad = record(world.provider, "CAD for fabricators", [world.cad], scqf_level=9, price=30_000)
    m = world.m(world.report)
    before = pathways.suggest_pathway(world.org, gaps.person_gaps(world.org, m), "cost")
    assert {r.id for r in before.records} >= {welding.id, cad.id}
    cpd_requests.create_request(
        world.report,
        world.org,
        cpd_requests.CourseDetails(reason="For my role", micro_credential_id=welding.id),
        submit=True,
    )
    after = pathways.suggest_pathway(world.org, gaps.person_gaps(world.org, m), "cost")
    assert welding.id not in {r.id for r in after.records} and cad.id in {r.id for r in after.records}
    assert [(r.title, status) for r, status in after.in_progress] == [("Welding for fabricators", "Submitted")]

    page = login(world.report, c=app.test_client()).get("/roles/me", follow_redirects=True).get_data(as_text=True)
    assert "Already on the way through CPD" in page and "Welding for fabricators (" in page
    assert f'href="/cpd/requests/new?micro_credential={cad.id}"' in page
    hr_view = login(world.hr, c=app.test_client()).get(f"/roles/people/{m.id}").get_data(as_text=True)
    assert "Ask to be sponsored for this" not in hr_view  # only the person asks for themself
