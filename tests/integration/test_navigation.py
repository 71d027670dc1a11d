"""The navigation sends each person to the right place."""

from tests.factories.accounts import OrganisationFactory, member


def test_a_recruiters_verify_link_goes_to_their_organisations_verifications(client, login):
    recruiter = member(OrganisationFactory(), "recruiter")
    login(recruiter)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/verifications"' in page
    assert 'href="/verify"' not in page


def test_anyone_else_gets_the_public_verifier(client, login):
    assert 'href="/verify"' in client.get("/hub").get_data(as_text=True)
    learner = member(OrganisationFactory(), "learner")
    login(learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/verify"' in page and 'href="/verifications"' not in page


def test_an_assessor_reaches_apprentices_and_work_based_evidence(client, login):
    assessor = member(OrganisationFactory(provider=True), "assessor")
    login(assessor)
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<a class="govuk-link" href="/apprenticeships/coverage">Work-based evidence</a>' in page
    assert '<a class="govuk-link" href="/apprenticeships/">Apprentices</a>' in page
    assert "Not available yet" not in page


ROLES_BY_KIND = {
    "employer": ["org_admin", "hr_manager", "line_manager", "recruiter", "learner"],
    "provider": ["org_admin", "provider_coordinator", "assessor", "learner"],
    "platform": ["org_admin", "platform_admin", "platform_reviewer"],
}


def test_no_dashboard_links_to_a_page_that_refuses_the_person_it_is_shown_to(app, login):
    """Every link on every role's dashboard opens (issue 11, item 15)."""
    import re

    from tests.factories.accounts import OrganisationFactory as Org

    kinds = {"employer": Org(), "provider": Org(provider=True), "platform": Org(platform=True)}
    broken = []
    for kind, roles in ROLES_BY_KIND.items():
        for role in roles:
            client = login(member(kinds[kind], role), c=app.test_client())
            page = client.get("/dashboard").get_data(as_text=True)
            main = page[page.index('id="main-content"') :]
            for href in sorted(set(re.findall(r'<a class="govuk-link" href="(/[^"]*)"', main))):
                status = client.get(href).status_code
                if status not in (200, 302):
                    broken.append(f"{kind} {role}: {href} -> {status}")
    assert not broken, "\n".join(broken)


def test_the_site_has_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)
