"""Candidates apply without an account: name, email, consent and badges, each verified on arrival
and explained in plain language; more badges until the closing date; withdrawal deletes at once;
hostile input keeps nothing."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Candidate, CandidateBadge, Verification
from tests.factories.recruitment import spreadsheets, vacancy
from tests.factories.verification import baked_png, issued_badge

EMAIL = "cara@candidate.example"


def _form(**fields):
    data = {"name": "Cara Candidate", "email": EMAIL, "consent": "y", "badge_url": "", "badge_text": ""}
    data.update(fields)
    return data


def _post(client, found, **fields):
    return client.post(f"/apply/{found.token}", data=_form(**fields), content_type="multipart/form-data")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _open_vacancy():
    spreadsheets()
    found = vacancy(closes_on=date.today() + timedelta(days=10), today=date.today())
    db.session.commit()
    return found


def test_the_application_page_shows_only_the_vacancys_public_fields(client):
    found = _open_vacancy()
    page = client.get(f"/apply/{found.token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Data Officer" in text and "Clyde Analytics" in text and "Analyse our data." in text
    assert "use spreadsheets software (level 2 of 4)" in text
    assert "Rhona Recruiter" not in text  # the recruiter and any candidates stay private
    assert "6 months after the closing date" in text  # the consent says how long data is kept
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get("/apply/not-a-real-link").status_code == 404


def test_a_candidate_applies_with_a_valid_and_a_tampered_badge_and_sees_each_verdict(client, outbox):
    found = _open_vacancy()
    tampered = issued_badge(EMAIL)
    tampered["credentialSubject"]["achievement"]["name"] = "Advanced Data Science"
    response = _post(
        client,
        found,
        badge_files=[(io.BytesIO(baked_png(EMAIL)), "analysis.png")],
        badge_text=json.dumps(tampered),
        carry_badges="y",
    )
    assert response.status_code == 303
    assert "/me/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This badge is genuine and awarded to you" in page
    assert "This badge did not pass the checks" in page
    candidate = db.session.scalar(select(Candidate))
    assert candidate.name == "Cara Candidate" and candidate.carry_badges
    assert "Clyde Analytics may keep and use my name" in candidate.consent_text and candidate.consented_at
    verdicts = sorted(b.verdict for b in db.session.scalars(select(CandidateBadge)))
    assert verdicts == ["invalid", "valid"]
    assert (
        candidate.skills_met == 1
    )  # the valid badge covers spreadsheets at level 2; the tampered one counts for nothing
    # Each check is in the employer's verification history, under the candidate
    assert db.session.scalar(select(func.count()).where(Verification.candidate_email == EMAIL)) == 2
    [mail] = [m for m in outbox if m.to == EMAIL]
    assert re.search(r"/apply/[^/]+/me/[A-Za-z0-9_-]+", mail.body)
    applied = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "candidate.applied"))
    assert applied.organisation_id == found.organisation_id  # in the employer's audit log
    assert EMAIL not in applied.summary


def test_the_consent_is_required_and_nothing_is_kept_without_it(client):
    found = _open_vacancy()
    response = _post(client, found, consent="", badge_text=json.dumps(issued_badge(EMAIL)))
    assert response.status_code == 422
    assert "Agree to how your data is used" in response.get_data(as_text=True)
    assert _count(Candidate) == 0 and _count(CandidateBadge) == 0 and _count(Verification) == 0


def test_a_file_that_is_not_a_badge_is_refused_clearly_and_nothing_is_kept(client):
    found = _open_vacancy()
    for name, content in [
        ("cv.pdf", b"%PDF-1.4 not a badge"),
        ("empty.json", b""),
        ("junk.png", b"\x89PNG\r\n\x1a\nrubbish"),
    ]:
        response = _post(
            client,
            found,
            badge_files=[(io.BytesIO(content), name)],
            badge_text=json.dumps(issued_badge(EMAIL)),
        )
        assert response.status_code in (303, 422), name
        if response.status_code == 422:
            assert "There is a problem" in response.get_data(as_text=True)
    # Whatever the engine made of each, no 500 and no half-made application from a refused form
    assert _count(Candidate) <= 1


def test_pasted_text_that_is_not_a_badge_keeps_nothing(client):
    found = _open_vacancy()
    response = _post(client, found, badge_text="hello, please hire me")
    assert response.status_code == 422
    assert "That is not a badge" in response.get_data(as_text=True)
    assert _count(Candidate) == 0 and _count(Verification) == 0


def test_too_many_files_at_once_are_refused(client):
    found = _open_vacancy()
    files = [(io.BytesIO(json.dumps(issued_badge(EMAIL)).encode()), f"b{i}.json") for i in range(6)]
    response = _post(client, found, badge_files=files)
    assert response.status_code == 422
    assert "Share at most 5 badges at a time" in response.get_data(as_text=True)
    assert _count(Candidate) == 0


def test_an_oversized_file_is_refused(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_MAX_UPLOAD_BYTES", 1024)
    found = _open_vacancy()
    response = _post(client, found, badge_files=[(io.BytesIO(b"{" + b" " * 2048 + b"}"), "big.json")])
    assert response.status_code == 422
    assert "smaller than" in response.get_data(as_text=True)
    assert _count(Candidate) == 0


def test_applying_again_with_the_same_email_sends_a_new_link_and_says_nothing_else(client, outbox):
    found = _open_vacancy()
    assert _post(client, found, badge_text=json.dumps(issued_badge(EMAIL))).status_code == 303
    again = _post(client, found, name="Someone Else", badge_text=json.dumps(issued_badge(EMAIL)))
    assert again.status_code == 303 and again.headers["Location"].endswith("/sent")
    assert "Check your email" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _count(Candidate) == 1 and db.session.scalar(select(Candidate.name)) == "Cara Candidate"
    assert len([m for m in outbox if m.to == EMAIL]) == 2


def test_a_closed_vacancy_takes_no_applications(client):
    spreadsheets()
    found = vacancy(closes_on=date.today() - timedelta(days=1), today=date.today() - timedelta(days=5))
    db.session.commit()
    page = client.get(f"/apply/{found.token}").get_data(as_text=True)
    assert "no longer takes applications" in page
    _post(client, found, badge_text=json.dumps(issued_badge(EMAIL)))
    assert _count(Candidate) == 0


def _applied(client, found, **fields):
    response = _post(client, found, badge_text=json.dumps(issued_badge(EMAIL)), **fields)
    assert response.status_code == 303
    return response.headers["Location"]


def test_a_candidate_adds_a_badge_from_their_private_link_until_the_closing_date(client):
    found = _open_vacancy()
    mine = _applied(client, found)
    other = issued_badge(EMAIL, name="Report Writing")
    response = client.post(
        mine + "/badges", data={"badge_text": json.dumps(other), "badge_url": ""}, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    page = client.get(mine).get_data(as_text=True)
    assert "Report Writing" in page and "Data Analysis with Python" in page
    assert _count(CandidateBadge) == 2


def test_a_private_link_with_a_wrong_token_is_not_found(client):
    found = _open_vacancy()
    mine = _applied(client, found)
    assert client.get(mine[:-4] + "abcd").status_code == 404
    assert client.get(f"/apply/{found.token}/me/").status_code == 404


def test_withdrawing_deletes_the_candidates_data_at_once(client):
    found = _open_vacancy()
    mine = _applied(client, found)
    response = client.post(mine + "/withdraw")
    assert response.status_code == 200
    assert "Application withdrawn" in response.get_data(as_text=True)
    assert _count(Candidate) == 0 and _count(CandidateBadge) == 0
    assert db.session.scalar(select(func.count()).where(Verification.candidate_email == EMAIL)) == 0
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "candidate.withdrew")).all()
    assert len(events) == 1 and EMAIL not in events[0].summary and "Cara" not in events[0].summary
    assert client.get(mine).status_code == 404


def test_the_candidate_downloads_everything_kept_about_them(client):
    import zipfile

    found = _open_vacancy()
    mine = _post(client, found, badge_files=[(io.BytesIO(baked_png(EMAIL)), "analysis.png")]).headers["Location"]
    response = client.get(mine + "/data.zip")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))
    assert data["email"] == EMAIL and data["consent"]["text"].startswith("I agree")
    assert data["badges"][0]["verdict"] == "valid" and data["badges"][0]["file"] == "files/1-analysis.png"
    assert archive.read("files/1-analysis.png")[:8] == b"\x89PNG\r\n\x1a\n"  # the file as it was shared


def test_applications_are_rate_limited_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "APPLY_RATE_LIMIT", "2 per hour")
    found = _open_vacancy()
    for n in range(2):
        _post(client, found, email=f"c{n}@candidate.example", badge_text="not a badge")
    assert _post(client, found, email="c9@candidate.example").status_code == 429


def test_applications_are_rate_limited_per_vacancy(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "APPLY_VACANCY_RATE_LIMIT", "2 per hour")
    found = _open_vacancy()
    for n in range(2):
        _post(client, found, email=f"c{n}@candidate.example", badge_text="not a badge")
    other_address = app.test_client()
    response = other_address.post(
        f"/apply/{found.token}",
        data=_form(email="c9@candidate.example"),
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": "192.0.2.99"},
    )
    assert response.status_code == 429
