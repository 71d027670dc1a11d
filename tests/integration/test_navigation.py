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
