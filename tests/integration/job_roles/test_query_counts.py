"""Pages run a bounded number of SQL statements, however many people, skills and credentials."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Membership, Role
from app.models.job_roles import JobRoleMicroCredential, JobRoleSkill
from tests.factories.accounts import member
from tests.factories.skills import assess, hold, membership, record, skill


def grow(world, people: int, skills: int) -> None:
    """More people in the role, more required skills, more credentials held and on offer."""
    extra = [skill(f"extra skill {i}") for i in range(skills)]
    for i, s in enumerate(extra):
        db.session.add(JobRoleSkill(job_role_id=world.role.id, skill_id=s.id, target_level=1 + i % 4))
        record(world.provider, f"Course {i}", [s, world.cad], price=1000 * (i + 1), hours=10 * (i + 1))
    report = membership(world.report, world.org)
    for i in range(people):
        person = member(world.org, "learner", name=f"Extra Person {i}")
        m = membership(person, world.org)
        m.job_role_id, m.department, m.line_manager_id = world.role.id, "Production", report.line_manager_id
        for j, s in enumerate(extra[:3]):
            hold(person, world.org, record(world.provider, f"Held {i}-{j}", [s], scqf_level=6 + j))
            assess(m, s, 2, date(2026, 1, 1 + j))
    for j, s in enumerate(extra):
        hold(world.report, world.org, record(world.provider, f"Report's {j}", [s], scqf_level=8))
        assess(report, s, 3, date(2025, 6, 1))
        assess(report, s, 1, date(2026, 6, 1))
    db.session.flush()


def baseline(world) -> None:
    """Enough that every kind of row exists before the first count, so only growth is measured."""
    for user in (world.report, world.colleague):
        hold(user, world.org, record(world.provider, f"Welding for {user.name}", [world.welding]))
        assess(membership(user, world.org), world.safety, 1, date(2025, 1, 1))
    offered = record(world.provider, "CAD on offer", [world.cad])
    db.session.add(
        JobRoleMicroCredential(
            job_role_id=world.role.id, provider_id=offered.provider_id, code=offered.code, requirement="required"
        )
    )


def statements(client, count_queries, url: str) -> int:
    db.session.expire_all()  # each request starts from nothing cached, as with a fresh session
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


def test_pages_do_not_run_more_queries_for_more_data(client, login, world, count_queries):
    baseline(world)
    login(world.hr)
    person = f"/roles/people/{membership(world.report, world.org).id}"
    urls = [
        "/roles/team",
        "/roles/team?department=Production",
        "/roles/team/summary",
        "/roles/team/summary?department=Production",
        "/roles/",
        f"/roles/{world.role.id}",
        person,
        f"{person}?by=hours",
    ]
    for url in urls:  # warm up: first-request work (e.g. template compilation) is not counted
        client.get(url)
    small = {url: statements(client, count_queries, url) for url in urls}
    grow(world, people=12, skills=8)
    large = {url: statements(client, count_queries, url) for url in urls}
    assert large == small
    assert max(large.values()) <= 30
    heat_map = client.get("/roles/team").get_data(as_text=True)
    # They really were on the page: 14 people in the heat map, each with 12 skills in the list.
    assert heat_map.count("Extra Person") == 12 and "extra skill 7" in heat_map
    listing = client.get("/roles/team?view=list").get_data(as_text=True)
    assert len(re.findall(r'<td class="govuk-table__cell\s*">Extra Person 11</td>', listing)) == 4 + 8


def test_a_managers_team_view_is_bounded_too(client, login, world, count_queries):
    baseline(world)
    login(world.manager)
    client.get("/roles/team")
    small = statements(client, count_queries, "/roles/team")
    grow(world, people=10, skills=5)
    assert statements(client, count_queries, "/roles/team") == small


def test_the_team_page_shows_25_people_at_a_time_with_counts_over_everyone(client, login, world):
    baseline(world)
    grow(world, people=40, skills=1)
    db.session.commit()
    login(world.hr)

    def people_on(url: str) -> tuple[str, set[str]]:
        page = client.get(url).get_data(as_text=True)
        return page, set(re.findall(r'href="/roles/people/(\d+)"', page))

    first, on_first = people_on("/roles/team")
    total = int(re.search(r"(\d+) people by job role", first).group(1))
    assert total > 40 and f"Showing people 1 to 25 of {total}, by name (page 1 of 2)" in first
    second, on_second = people_on("/roles/team?page=2")
    assert f"Showing people 26 to {total} of {total}" in second
    # Everyone with a job role (in the heat maps) or a learner without one (listed) appears on
    # exactly one page; the HR manager, neither, is counted but has no row.
    shown = {
        str(m.id)
        for m in db.session.scalars(select(Membership).where(Membership.organisation_id == world.org.id))
        if m.job_role_id or Role.LEARNER in m.roles
    }
    assert not on_first & on_second and on_first | on_second == shown and len(on_first) >= 23
    assert re.search(rf">{world.role.title}</th>\s*<td[^>]*>(\d+)</td>", first)

    filtered, _ = people_on("/roles/team?department=Production")
    assert int(re.search(r"(\d+) people by job role", filtered).group(1)) >= 40
    assert "department=Production" in filtered.split("Pages of the team")[1]
