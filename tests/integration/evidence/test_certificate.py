"""On a pass, the provider issues an ApprenticeshipCertificate through the same engine, keys and
status lists as every badge: it carries the SCQF level and credits, aligns to the KSBs, shows on
the apprentice's record and verifies in the project's own verifier."""

from __future__ import annotations

from datetime import date, time, timedelta

from app.models import Party
from app.openbadges.verify import verify
from app.services.apprenticeships import plans
from app.services.evidence import gateway, portfolio
from app.services.issuing import apprenticeship_certificates
from tests.factories.apprenticeships import log_hours
from tests.factories.evidence import entry, started_setting
from tests.factories.issuing import ClientFetcher

TODAY = date.today()


def _completed(s, grade="merit"):
    a = s.apprenticeship
    made = entry(s, outcomes=[o.id for o in a.programme.outcomes])
    portfolio.sign_off(s.assessor.user, a, made, [o.id for o in a.programme.outcomes], None)
    log_hours(s, TODAY - timedelta(days=2), time(9), time(12))
    plans.record_module_result(s.coordinator.user, a, a.programme.modules[0].id, "passed", TODAY, TODAY)
    gateway.confirm(s.line_manager.user, a, Party.EMPLOYER, {Party.EMPLOYER}, TODAY)
    gateway.confirm(s.assessor.user, a, Party.PROVIDER, {Party.PROVIDER}, TODAY)
    gateway.record_result(s.coordinator.user, a, grade, TODAY, TODAY)


def test_a_pass_issues_the_apprenticeship_certificate_and_it_verifies(app, client):
    s = started_setting(start=TODAY - timedelta(days=10), otj_basis="hours", otj_hours=2)
    _completed(s)
    issued = apprenticeship_certificates.certificate_of(s.apprenticeship)
    assert issued is not None and issued.user_id == s.apprentice.user.id
    achievement = issued.credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "ApprenticeshipCertificate"
    assert achievement["name"] == "Engineering Practice"
    assert achievement["creditsAvailable"] == 120.0
    aligned = {a["targetCode"] for a in achievement["alignment"] if a.get("targetCode")}
    assert {"7", "K1", "S1", "B1"} <= aligned
    for data in (issued.credential_text, issued.credential_jwt):
        result = verify(data, fetcher=ClientFetcher(app, client), recipient_email=s.apprentice.user.email)
        assert result.verdict == "valid", result.to_json()
    page = client.get(f"/credentials/{issued.public_id}").get_data(as_text=True)
    assert "An apprenticeship certificate (Modern Apprenticeship)" in page and "Valid" in page
    published = client.get(achievement["id"].replace("http://localhost", ""))
    assert published.status_code == 200 and published.get_json()["achievementType"] == "ApprenticeshipCertificate"


def test_the_certificate_is_issued_once_and_shows_on_the_record(app, login):
    s = started_setting(start=TODAY - timedelta(days=10), otj_basis="hours", otj_hours=2)
    _completed(s, grade="pass")
    first = apprenticeship_certificates.certificate_of(s.apprenticeship)
    assert apprenticeship_certificates.issue(s.coordinator.user, s.apprenticeship, "pass") is first
    page = (
        login(s.apprentice.user, c=app.test_client())
        .get(f"/apprenticeships/{s.apprenticeship.id}")
        .get_data(as_text=True)
    )
    assert f"/credentials/{first.public_id}" in page and "(apprenticeship certificate)" in page


def test_a_passed_module_badge_is_issued_from_the_apprenticeship_page(app, login):
    s = started_setting()
    a = s.apprenticeship
    module = a.programme.modules[0]
    coordinator = login(s.coordinator.user, c=app.test_client())
    url = f"/apprenticeships/{a.id}"
    assert coordinator.post(f"{url}/modules/{module.id}/badge").status_code == 303
    assert plans.badges_issued(a) == []  # not passed yet: refused
    plans.record_module_result(s.coordinator.user, a, module.id, "passed", TODAY, TODAY)
    assert "Issue the badge" in coordinator.get(url).get_data(as_text=True)
    coordinator.post(f"{url}/modules/{module.id}/badge")
    badges = plans.badges_issued(a)
    assert [b.achieved.title for b in badges] == ["Marine systems module"]
    assert "Issue the badge" not in coordinator.get(url).get_data(as_text=True)
