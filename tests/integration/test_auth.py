"""Signing in and out: success, failures, lockout, rate limit, safe redirects, password storage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import utcnow
from tests.factories.accounts import PASSWORD, OrganisationFactory, member


@pytest.fixture
def person():
    org = OrganisationFactory(name="Clydebank Fabrication Ltd")
    return member(org, "hr_manager", name="Elspeth Morrison", email="elspeth@clydebank.example")


def sign_in(client, email, password, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_sign_in_success_shows_the_dashboard(client, person):
    response = sign_in(client, person.email, PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, Elspeth Morrison" in page
    assert "Clydebank Fabrication Ltd" in page


def test_email_is_matched_without_regard_to_case(client, person):
    assert sign_in(client, "ELSPETH@Clydebank.example", PASSWORD).status_code == 303


def test_wrong_password_gives_a_generic_message(client, person):
    response = sign_in(client, person.email, "not-the-password")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a correct email address and password" in page
    # The same message for an unknown email: nothing says which accounts exist.
    unknown = sign_in(client, "nobody@clydebank.example", "not-the-password")
    assert unknown.status_code == 422
    assert "Enter a correct email address and password" in unknown.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302  # still signed out


ATTACKER = "198.51.100.7"
OFFICE = "203.0.113.20"


def sign_in_from(client, address, email, password):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def _fail(app, client, address, email, times=None):
    for _ in range(times or app.config["LOGIN_MAX_FAILURES"]):
        assert sign_in_from(client, address, email, "wrong-password-x").status_code == 422


def _wait_over(email):
    """Let the current wait for every client of this address pass."""
    from app.models import SignInThrottle
    from app.services.accounts import throttle

    for row in db.session.query(SignInThrottle).filter_by(email_digest=throttle.email_digest(email)):
        row.blocked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_repeated_failures_make_that_client_wait_but_not_the_person_elsewhere(app, client, person):
    _fail(app, client, ATTACKER, person.email)
    slowed = sign_in_from(client, ATTACKER, person.email, PASSWORD)
    assert slowed.status_code == 422
    assert "Too many failed attempts. Try again in 1 minute, or reset your password." in slowed.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    # The person, from another address, signs in with the right password at once.
    own = app.test_client()
    assert sign_in_from(own, OFFICE, person.email, PASSWORD).status_code == 303
    home = own.get("/dashboard", environ_base={"REMOTE_ADDR": OFFICE})
    assert "Hello, Elspeth Morrison" in home.get_data(as_text=True)


def test_a_guesser_on_the_persons_own_network_cannot_lock_out_their_browser(app, client, person):
    own = app.test_client()
    assert sign_in_from(own, OFFICE, person.email, PASSWORD).status_code == 303  # the browser is now known
    own.post("/logout")
    _fail(app, client, OFFICE, person.email)  # someone else behind the same office address
    assert "Too many failed attempts" in sign_in_from(client, OFFICE, person.email, PASSWORD).get_data(as_text=True)
    assert sign_in_from(own, OFFICE, person.email, PASSWORD).status_code == 303


def test_waits_grow_with_each_further_failure(app, client, person):
    _fail(app, client, ATTACKER, person.email)
    _wait_over(person.email)
    _fail(app, client, ATTACKER, person.email, times=1)
    assert "Try again in 2 minutes" in sign_in_from(client, ATTACKER, person.email, PASSWORD).get_data(as_text=True)
    _wait_over(person.email)
    _fail(app, client, ATTACKER, person.email, times=1)
    assert "Try again in 4 minutes" in sign_in_from(client, ATTACKER, person.email, PASSWORD).get_data(as_text=True)
    _wait_over(person.email)
    assert sign_in_from(client, ATTACKER, person.email, PASSWORD).status_code == 303  # the right password, in time


def test_an_unknown_address_gets_exactly_the_same_answers(app, client, person):
    _fail(app, client, ATTACKER, person.email)
    _fail(app, client, ATTACKER, "nobody@clydebank.example")
    known = sign_in_from(client, ATTACKER, person.email, "wrong-password-x").get_data(as_text=True)
    unknown = sign_in_from(client, ATTACKER, "nobody@clydebank.example", "wrong-password-x").get_data(as_text=True)
    message = "Too many failed attempts. Try again in 1 minute, or reset your password."
    assert message in known and message in unknown


def test_a_new_password_lifts_every_wait(app, client, person):
    from app.services.accounts import signin

    _fail(app, client, ATTACKER, person.email)
    signin.set_password(person, "a-brand-new-passphrase-2026")
    db.session.commit()
    assert sign_in_from(client, ATTACKER, person.email, "a-brand-new-passphrase-2026").status_code == 303


def test_slowing_a_sign_in_is_written_to_the_audit_log(app, client, person):
    from sqlalchemy import select

    from app.models import AuditEvent

    _fail(app, client, ATTACKER, person.email)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(person.id))).all()
    assert "user.sign_in_slowed" in actions


def test_rate_limit_returns_429(app, client, person):
    original = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [sign_in(client, "someone@example.org", "wrong-password-x").status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = original
    assert statuses[:3] == [422, 422, 422]
    assert statuses[3] == 429


def test_rate_limited_page_explains_itself(app, client):
    original = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "1 per minute"
    try:
        sign_in(client, "someone@example.org", "wrong-password-x")
        response = sign_in(client, "someone@example.org", "wrong-password-x")
    finally:
        app.config["LOGIN_RATE_LIMIT"] = original
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_sign_out(client, login, person):
    login(person)
    response = client.post("/logout")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/login")
    assert "You have signed out" in client.get("/login").get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_sign_out_needs_the_csrf_token(client, login, person):
    login(person)
    assert client.post("/logout", no_csrf=True).status_code == 400
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "%2F%2Fevil.example",
    ],
)
def test_no_open_redirect_after_sign_in(client, person, target):
    response = client.post("/login", query_string={"next": target}, data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.endswith("/dashboard"), location
    assert "evil" not in location


def test_local_next_is_followed_after_sign_in(client, person):
    response = client.post(
        "/login", query_string={"next": "/organisation/people"}, data={"email": person.email, "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/organisation/people")


def test_a_protected_page_sends_you_to_sign_in_and_back(client, person):
    response = client.get("/organisation/people")
    assert response.status_code == 302
    assert "/login?next=/organisation/people" in response.headers["Location"]


def test_passwords_are_stored_as_argon2id(client, person):
    assert person.password_hash.startswith("$argon2id$")
    assert PASSWORD not in person.password_hash


def test_outside_tests_the_hash_uses_real_argon2id_costs(app, monkeypatch):
    from app.security.passwords import hash_password, verify_password

    monkeypatch.setitem(app.config, "PASSWORD_HASH_FAST", False)
    stored = hash_password("a-long-enough-password")
    variant, version, costs, *_ = stored.split("$")[1:]
    params = dict(item.split("=") for item in costs.split(","))
    assert variant == "argon2id"
    # OWASP's floor for Argon2id: 19 MiB of memory and two passes.
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2
    assert verify_password(stored, "a-long-enough-password")
    assert not verify_password(stored, "a-long-enough-passwore")


def test_password_change_signs_out_other_sessions(app, client, login, person, outbox):
    other_browser = app.test_client()
    login(person, c=other_browser)
    login(person)
    assert other_browser.get("/dashboard").status_code == 200

    client.post("/logout")
    client.post("/password/forgot", data={"email": person.email})
    link = outbox[-1].body.split("http://localhost", 1)[1].split()[0]
    response = client.post(link, data={"password": "brand-new-password-1", "confirm": "brand-new-password-1"})
    assert response.status_code == 303

    # The other browser's session no longer works; the new password does, the old one not.
    assert other_browser.get("/dashboard").status_code == 302
    assert sign_in(client, person.email, PASSWORD).status_code == 422
    assert sign_in(client, person.email, "brand-new-password-1").status_code == 303
    db.session.refresh(person)
    assert person.password_hash.startswith("$argon2id$")


def test_an_unknown_email_costs_as_much_as_a_known_one(client, person, monkeypatch):
    """Timing must not reveal which accounts exist: an unknown email still runs Argon2."""
    from argon2 import PasswordHasher

    checked = []
    original = PasswordHasher.verify

    def spy(self, hash, password):
        checked.append(hash)
        return original(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    assert sign_in(client, "nobody@clydebank.example", PASSWORD).status_code == 422
    assert len(checked) == 1 and checked[0].startswith("$argon2id$")
    assert sign_in(client, person.email, "wrong-password-x").status_code == 422
    assert len(checked) == 2


def test_a_session_cookie_copied_before_signing_out_no_longer_works(app, login):
    """Signing out ends the session on the server, not just in the browser (issue 11, item 4)."""
    from tests.factories.cpd import employer

    e = employer()
    client = login(e.hr, c=app.test_client())
    assert client.get("/cpd/").status_code == 200
    stolen = client.get_cookie("session")
    assert client.post("/logout").status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", stolen.value, domain=stolen.domain or "localhost")
    response = thief.get("/cpd/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_out_in_one_browser_leaves_the_others_signed_in(app, login, person):
    laptop = login(person, c=app.test_client())
    phone = login(person, c=app.test_client())
    assert laptop.post("/logout").status_code == 303
    assert laptop.get("/dashboard").status_code == 302
    assert "Hello, Elspeth Morrison" in phone.get("/dashboard").get_data(as_text=True)


def test_the_account_page_lists_sessions_and_signs_out_everywhere(app, login, person):
    from sqlalchemy import select

    from app.models import AuditEvent

    laptop = login(person, c=app.test_client())
    phone = login(person, c=app.test_client())
    stolen = phone.get_cookie("session")
    page = laptop.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in page and page.count("This browser") == 1
    assert page.count('<tr class="govuk-table__row">') >= 3  # a header row and the two sessions
    assert laptop.post("/account/sign-out-everywhere", data={}).status_code == 303
    for device in (laptop, phone):
        assert device.get("/dashboard").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen.value, domain=stolen.domain or "localhost")
    assert thief.get("/dashboard").status_code == 302
    assert "You have signed out everywhere (2 sessions ended)" in laptop.get("/login").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(person.id))).all()
    assert "user.signed_out_everywhere" in actions


def test_signing_out_everywhere_needs_the_csrf_token(client, login, person):
    login(person)
    assert client.post("/account/sign-out-everywhere", no_csrf=True).status_code == 400
    assert client.get("/dashboard").status_code == 200


def test_the_header_links_to_the_account_page(client, login, person):
    login(person)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/account"' in page and "your account" in page
