"""Gateway: the programme's checklist, both sides' confirmations, and the end-point assessment
result (a fail allows a resit through a new gateway round; a pass completes)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from app.models import Party
from app.services.apprenticeships import ApprenticeshipError, plans
from app.services.evidence import gateway, portfolio
from tests.factories.apprenticeships import log_hours
from tests.factories.evidence import entry, started_setting

TODAY = date.today()


def _ready(s) -> None:
    a = s.apprenticeship
    made = entry(s, outcomes=[o.id for o in a.programme.outcomes])
    portfolio.sign_off(s.assessor.user, a, made, [o.id for o in a.programme.outcomes], None)
    log_hours(s, TODAY - timedelta(days=2), time(9), time(12))
    plans.record_module_result(s.coordinator.user, a, a.programme.modules[0].id, "passed", TODAY, TODAY)


@pytest.fixture
def s():
    return started_setting(start=TODAY - timedelta(days=10), otj_basis="hours", otj_hours=2)


def test_the_checklist_says_what_is_missing(s):
    checks = {c.name: c for c in gateway.checklist(s.apprenticeship, TODAY)}
    assert not checks["All KSBs covered by signed-off evidence"].met
    assert checks["All KSBs covered by signed-off evidence"].detail == "not yet: K1, S1, B1"
    assert checks["Off-the-job target met"].detail == "0 of 2 hours"
    assert checks["Every progress review signed"].met
    assert not checks["Required modules passed"].met
    with pytest.raises(ApprenticeshipError, match="checklist is not complete"):
        gateway.confirm(s.line_manager.user, s.apprenticeship, Party.EMPLOYER, {Party.EMPLOYER}, TODAY)


def test_both_sides_confirm_then_a_fail_allows_a_resit_and_a_pass_completes(s):
    _ready(s)
    assert gateway.ready(s.apprenticeship, TODAY)
    with pytest.raises(ApprenticeshipError, match="each for itself"):
        gateway.confirm(s.apprentice.user, s.apprenticeship, Party.APPRENTICE, {Party.APPRENTICE}, TODAY)
    gateway.confirm(s.line_manager.user, s.apprenticeship, Party.EMPLOYER, {Party.EMPLOYER}, TODAY)
    assert s.apprenticeship.status == "active"
    gateway.confirm(s.assessor.user, s.apprenticeship, Party.PROVIDER, {Party.PROVIDER}, TODAY)
    assert s.apprenticeship.status == "at_gateway"
    with pytest.raises(ApprenticeshipError, match="cannot be in the future"):
        gateway.record_result(s.coordinator.user, s.apprenticeship, "pass", TODAY + timedelta(days=1), TODAY)
    gateway.record_result(s.coordinator.user, s.apprenticeship, "fail", TODAY, TODAY)
    assert s.apprenticeship.status == "active"
    assert gateway.current_round(s.apprenticeship) == 2 and gateway.confirmations(s.apprenticeship) == {}
    gateway.confirm(s.line_manager.user, s.apprenticeship, Party.EMPLOYER, {Party.EMPLOYER}, TODAY)
    gateway.confirm(s.assessor.user, s.apprenticeship, Party.PROVIDER, {Party.PROVIDER}, TODAY)
    gateway.record_result(s.coordinator.user, s.apprenticeship, "merit", TODAY, TODAY)
    assert s.apprenticeship.status == "completed"
    assert [r.result for r in gateway.results(s.apprenticeship)] == ["fail", "merit"]


def test_the_apprenticeship_page_walks_through_gateway(app, login, s):
    _ready(s)
    url = f"/apprenticeships/{s.apprenticeship.id}"
    manager = login(s.line_manager.user, c=app.test_client())
    assert "Confirm gateway as the employer" in manager.get(url).get_data(as_text=True)
    assert manager.post(f"{url}/gateway/confirm", data={"party": "employer"}).status_code == 303
    assessor = login(s.assessor.user, c=app.test_client())
    assessor.post(f"{url}/gateway/confirm", data={"party": "provider"})
    coordinator = login(s.coordinator.user, c=app.test_client())
    page = coordinator.get(url).get_data(as_text=True)
    assert "Record the result" in page
    response = coordinator.post(
        f"{url}/end-point-assessment",
        data={"result": "distinction", "assessed_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year)]},
    )
    assert response.status_code == 303
    assert s.apprenticeship.status == "completed"
    assert manager.post(f"{url}/end-point-assessment", data={"result": "pass"}).status_code == 403


def test_each_programme_sets_its_own_gateway_checklist(app, login):
    s = started_setting()
    programme = s.apprenticeship.programme
    names = lambda: [c.name for c in gateway.checklist(s.apprenticeship, TODAY)]  # noqa: E731
    assert len(names()) == 4
    programme.gateway_otj = programme.gateway_modules = False
    assert names() == ["All KSBs covered by signed-off evidence", "Every progress review signed"]
    client = login(s.coordinator.user, c=app.test_client())
    draft = client.post(f"/programmes/{programme.id}/new-version")
    page = client.get(draft.headers["Location"] + "/edit").get_data(as_text=True)
    assert 'value="gateway_ksbs" checked' in page and 'value="gateway_otj" checked' not in page
