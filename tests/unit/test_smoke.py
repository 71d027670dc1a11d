from tests.factories.accounts import OrganisationFactory, member


def test_sign_in_shows_dashboard_with_roles(client, login):
    org = OrganisationFactory(name="Kelvin Test Ltd")
    user = member(org, "hr_manager", name="Fiona Test")
    login(user)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, Fiona Test" in page
    assert "Kelvin Test Ltd" in page
    assert "HR manager" in page
