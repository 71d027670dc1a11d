"""`flask seed scale` at a small size: the large employer loads beside the demo with its line
management, job roles, hub records, held credentials and apprentices; a second run adds nothing;
its HR manager signs in and sees a bounded team page."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Apprenticeship, HeldCredential, Membership, MicroCredential, Organisation
from seeds import DEMO_PASSWORD
from seeds.scale import EMPLOYER_SLUG, HR_EMAIL, PROVIDER_SLUG


def _run(app, *extra):
    args = ["seed", "scale", "--staff", "60", "--apprentices", "5", "--credentials", "300", "--hub-records", "40"]
    result = app.test_cli_runner().invoke(args=[*args, *extra])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_the_scale_tenant_loads_once_and_its_hr_manager_signs_in(app, client):
    demo = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert demo.exit_code == 0, demo.output
    output = _run(app)
    assert "Scale tenant loaded in" in output and HR_EMAIL in output and DEMO_PASSWORD in output
    board = db.session.scalar(select(Organisation).where(Organisation.slug == EMPLOYER_SLUG))
    college = db.session.scalar(select(Organisation).where(Organisation.slug == PROVIDER_SLUG))
    people = db.session.scalars(select(Membership).where(Membership.organisation_id == board.id)).all()
    assert len(people) == 2 + 60 + 5  # HR and admin, the staff, the apprentices
    staff = [m for m in people if m.job_role_id]
    assert len(staff) == 60  # every member of staff holds a job role
    # Everyone but the twelve heads of department reports to someone in their own department.
    by_id = {m.id: m for m in people}
    managed = [m for m in staff if m.line_manager_id]
    assert len(managed) == 60 - 12
    assert all(by_id[m.line_manager_id].department == m.department for m in managed)
    assert (
        db.session.scalar(select(func.count(MicroCredential.id)).where(MicroCredential.provider_id == college.id)) == 40
    )
    assert (
        db.session.scalar(select(func.count(HeldCredential.id)).where(HeldCredential.organisation_id == board.id))
        == 300
    )
    assert db.session.scalar(select(func.count(Apprenticeship.id)).where(Apprenticeship.employer_id == board.id)) == 5

    again = _run(app)
    assert "already loaded: nothing added" in again
    assert db.session.scalar(select(func.count(Membership.id)).where(Membership.organisation_id == board.id)) == 67

    response = client.post("/login", data={"email": HR_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 303
    team = client.get("/roles/team").get_data(as_text=True)
    assert re.search(r"67 people by job role", team) and "Showing people 1 to 50 of 67" in team
    assert "Strathmore" in client.get("/hub?q=infection").get_data(as_text=True)
