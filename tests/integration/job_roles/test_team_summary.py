"""The team skills summary counts in SQL exactly what the per-person gaps count in Python: the
same levels from credentials, imported verified badges and the latest assessment. HR sees everyone
(or one line manager's reports); a line manager sees their own reports."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import WalletCredential, WalletCredentialSkill
from app.services.catalogue.lifecycle import level_from_scqf, level_from_scqf_sql
from app.services.skills import gaps, team_summary
from tests.factories.accounts import member
from tests.factories.skills import assess, hold, membership, record
from tests.factories.wallet import wallet_entry


@pytest.mark.parametrize("scqf", range(1, 13))
def test_the_sql_level_rule_is_the_python_one(scqf):
    assert db.session.scalar(select(level_from_scqf_sql(db.literal(scqf)))) == level_from_scqf(scqf)


def _counts(people):
    found = {"covered": 0, "partly": 0, "missing": 0}
    for person in people:
        for gap in person.gaps:
            found[gap.state.value] += 1
    return found


def test_the_summary_agrees_with_each_persons_gaps(world):
    # Rab: welding from a credential at SCQF 6 (level 2, target 2: covered), CAD assessed 3 then 1
    # (latest counts: partly), safety from an imported verified badge (level 2, target 2: covered).
    hold(world.report, world.org, record(world.provider, "Welding", [world.welding], scqf_level=6))
    report = membership(world.report, world.org)
    assess(report, world.cad, 3, date(2025, 1, 1))
    assess(report, world.cad, 1, date(2026, 1, 1))
    entry = wallet_entry(world.report, name="Safety badge")
    entry.verdict, entry.recipient_match = "valid", True
    db.session.flush()
    db.session.add(WalletCredentialSkill(wallet_credential_id=entry.id, skill_id=world.safety.id, level=2))
    # Cat: a badge that names someone else counts for nothing.
    other = wallet_entry(world.colleague, name="Not hers")
    other.verdict, other.recipient_match = "valid", False
    db.session.flush()
    db.session.add(WalletCredentialSkill(wallet_credential_id=other.id, skill_id=world.cad.id, level=4))
    db.session.flush()

    people = gaps.gaps_for(world.org, gaps.team_members(world.org))
    expected = _counts([p for p in people if p.job_role is not None])
    found = team_summary.summary(world.org)
    assert (found.overall.covered, found.overall.partly, found.overall.missing) == (
        expected["covered"],
        expected["partly"],
        expected["missing"],
    )
    assert found.overall.covered == 2 and found.overall.partly == 1
    [role] = found.by_role
    assert (role.label, role.people, role.requirements) == ("Fabricator", 2, 8)
    assert found.biggest_gaps[0].skill == "read the sea" and found.biggest_gaps[0].short == 2
    assert [f.name for f in found.furthest] == ["Cat Colleague", "Rab Report"]
    assert db.session.scalar(select(WalletCredential.id).where(WalletCredential.id == other.id))


def test_hr_sees_everyone_and_drills_down_and_a_manager_sees_their_reports(app, client, login, world):
    hold(world.report, world.org, record(world.provider, "Welding", [world.welding], scqf_level=6))
    db.session.commit()
    login(world.hr)
    page = client.get("/roles/team/summary").get_data(as_text=True)
    assert "Everyone in Clyde Fabrication" in page and "Coverage by job role" in page
    assert f"/roles/team?job_role={world.role.id}" in page and "/roles/team?department=Production" in page
    assert "Cat Colleague" in page and "Rab Report" in page
    assert "Mags Manager's reports" in page  # the line-manager filter
    manager_id = membership(world.manager, world.org).id
    mine = client.get(f"/roles/team/summary?line_manager={manager_id}").get_data(as_text=True)
    assert "Rab Report" in mine and "Cat Colleague" not in mine
    partial = client.get("/roles/team/summary", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and "Coverage by department" in partial

    as_manager = login(world.manager, c=app.test_client())
    theirs = as_manager.get("/roles/team/summary").get_data(as_text=True)
    assert "The people you manage" in theirs and "Rab Report" in theirs and "Cat Colleague" not in theirs
    outsider = login(world.outsider_hr, c=app.test_client())
    assert "Rab Report" not in outsider.get("/roles/team/summary").get_data(as_text=True)
    assert outsider.get(f"/roles/team/summary?line_manager={manager_id}").status_code == 404
    learner = login(member(world.org, "learner"), c=app.test_client())
    assert learner.get("/roles/team/summary").status_code == 403


def test_the_summary_is_kept_for_a_while_and_says_when_it_was_counted(app, client, login, world):
    from app.extensions import cache
    from tests.support.queries import counting

    db.session.commit()
    login(world.hr)
    with counting(cold=False) as counted:
        first = client.get("/roles/team/summary").get_data(as_text=True)
    assert any("row_number" in q.lower() for q in counted)  # counted the first time
    assert "Figures counted" in first and "Rab Report" in first
    with counting(cold=False) as queries:
        again = client.get("/roles/team/summary").get_data(as_text=True)
    assert not any("row_number" in q.lower() for q in queries)  # not counted again: from the cache
    assert again.count("Rab Report") == first.count("Rab Report")
    other = client.get("/roles/team/summary?department=Elsewhere").get_data(as_text=True)
    assert "Nobody in this view holds a job role" in other  # each filter has its own figures

    world.report.name = "Rab Renamed"  # a change: the page is made again, from the kept figures
    db.session.commit()
    with counting(cold=False) as recounted:
        changed = client.get("/roles/team/summary").get_data(as_text=True)
    assert not any("row_number" in q.lower() for q in recounted)
    assert any("line_manager_id" in q for q in recounted)  # the page itself was made again
    assert changed.count("Rab Report") == first.count("Rab Report")
    cache.clear()  # as when TEAM_SUMMARY_CACHE_SECONDS have passed
    assert "Rab Renamed" in client.get("/roles/team/summary").get_data(as_text=True)


def test_without_redis_the_summary_cache_is_shared_by_every_worker_on_the_machine(tmp_path):
    """gunicorn's workers are separate processes: the default cache keeps the figures in files
    they all read (with REDIS_URL, in Redis for every instance), so each does not count again."""
    from app import create_app
    from app.extensions import cache
    from config import Config

    assert Config.CACHE_TYPE == ("RedisCache" if os.environ.get("REDIS_URL") else "FileSystemCache")
    first, second = (create_app("test", CACHE_TYPE="FileSystemCache", CACHE_DIR=str(tmp_path)) for _ in range(2))
    with first.app_context():
        cache.set("team-summary:1:::", {"counted": "by the first worker"})
    with second.app_context():
        assert cache.get("team-summary:1:::") == {"counted": "by the first worker"}
