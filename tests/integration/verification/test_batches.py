"""Batch verification: CSV of (email, URL) rows or a zip of files, checked by a background job
whose progress the page shows (polled by htmx, or refreshed without JavaScript), results as a
paged table and CSV, a retry checking only what could not be checked; hostile zips refused."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Job
from app.models.verifications import Verification, VerificationBatch
from app.services import jobs
from app.services.verification import batches
from app.services.verification.batches import create_batch
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.verification import BadgeServer, baked_png, issued_badge, issued_jwt


@pytest.fixture
def org():
    return OrganisationFactory(name="Forth Engineering")


@pytest.fixture
def recruiter(org, login):
    person = member(org, "recruiter")
    login(person)
    return person


def _upload(client, content: bytes, name: str, **fields):
    return client.post(
        "/verifications/batches",
        data={"batch_file": (io.BytesIO(content), name), **fields},
        content_type="multipart/form-data",
    )


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_csv_batch_runs_as_a_job_whose_progress_the_page_polls(client, app, recruiter, private_networks, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_IN_PROCESS", "thread")
    started: list[int] = []
    monkeypatch.setattr("app.services.jobs.queue._start", started.append)  # the worker, run by hand below
    with BadgeServer(
        {
            "/a.json": json.dumps(issued_badge("ann@example.org")).encode(),
            "/b.json": json.dumps(issued_badge("bob@example.org")).encode(),
            "/c.json": json.dumps(issued_badge("cat@example.org")).encode(),
        }
    ) as server:
        rows = (
            "candidate email,badge url\n"
            f"ann@example.org,{server.url('/a.json')}\n"
            f"someone@example.org,{server.url('/b.json')}\n"
            f"cat@example.org,{server.url('/c.json')}\n"
            "not-an-email,https://example.org/x\n"
        )
        response = _upload(client, rows.encode(), "candidates.csv")
        assert response.status_code == 303
        location = response.headers["Location"]
        batch = db.session.scalar(select(VerificationBatch))
        assert started == [batch.job_id]  # started once the upload committed, not in the request
        waiting = client.get(location).get_data(as_text=True)  # the page only reads: nothing checked yet
        assert "<html" in waiting.lower() and 'hx-trigger="every 1s"' in waiting and "Check progress" in waiting
        assert "Checked 1 of 4" in waiting  # the bad row, refused when the file was read
        assert "is not an email address" in waiting and waiting.count("Waiting") == 3

        jobs.run(batch.job_id)  # what the worker does
        partial = client.get(location, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial.lower() and "Finished" in partial and "hx-trigger" not in partial
    job = db.session.get(Job, batch.job_id)
    assert (job.kind, job.status, job.done, job.total) == ("verification_batch", "finished", 3, 3)
    assert "1 job finished" in client.get("/dashboard").get_data(as_text=True)
    results = list(csv.reader(io.StringIO(client.get(location + ".csv").get_data(as_text=True))))
    assert results[0][:4] == ["Row", "Input", "Candidate email", "Verdict"]
    verdicts = {row[2]: row[3] for row in results[1:]}
    assert verdicts == {
        "ann@example.org": "Valid",
        "someone@example.org": "Not valid",
        "cat@example.org": "Valid",
        "not-an-email": "Error",
    }
    # Each verified row is in the organisation's history under its candidate.
    history = client.get("/verifications?candidate=cat@example.org").get_data(as_text=True)
    assert "Data Analysis with Python" in history


def test_zip_batch_without_javascript_progresses_on_refresh(client, recruiter):
    content = _zip(
        {
            "ann/badge.png": baked_png(),
            "ann/badge.jwt": issued_jwt().encode(),
            "notes.txt": b"hello",
            "__MACOSX/._badge.png": b"junk",
        }
    )
    response = _upload(client, content, "badges.zip", candidate_email="ann.learner@example.org")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Finished" in html and "Download the results (CSV)" in html
    assert html.count("Valid") >= 2 and "Not valid" in html  # notes.txt is not a credential
    assert "__MACOSX" not in html


@pytest.mark.parametrize(
    "files, message",
    [
        ({"../evil.json": b"{}"}, "unsafe file path"),
        ({"/etc/passwd": b"{}"}, "unsafe file path"),
        ({"bomb.json": b"0" * (6 * 1024 * 1024)}, "zip bomb"),
        ({f"f{n}.json": b"{}" for n in range(1001)}, "too many files"),
    ],
)
def test_hostile_zips_are_refused(client, recruiter, files, message):
    response = _upload(client, _zip(files), "bad.zip")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(VerificationBatch).count() == 0


def test_highly_compressed_member_is_refused_even_under_the_size_limit(client, recruiter):
    response = _upload(client, _zip({"x.json": b"{" + b" " * (3 * 1024 * 1024) + b"}"}), "ratio.zip")
    assert response.status_code == 422 and "zip bomb" in response.get_data(as_text=True)


def test_damaged_or_binary_uploads_are_refused(client, recruiter):
    response = _upload(client, b"PK\x03\x04garbage", "broken.zip")
    assert response.status_code == 422 and "damaged" in response.get_data(as_text=True)
    response = _upload(client, b"\x89PNG\r\n\x1a\n\x00\x00", "image.png")
    assert response.status_code == 422


def test_another_organisations_batch_is_not_found(client, recruiter):
    other = OrganisationFactory()
    theirs = create_batch(member(other, "recruiter"), other, "x.csv", b"a@example.org,https://example.org/b\n")
    assert client.get(f"/verifications/batches/{theirs.id}").status_code == 404
    assert client.get(f"/verifications/batches/{theirs.id}.csv").status_code == 404


def test_an_item_that_cannot_be_checked_is_reported_and_a_retry_checks_only_it(client, recruiter, monkeypatch):
    content = _zip({f"b{n}.json": json.dumps(issued_badge()).encode() for n in range(3)})
    real = batches.run_verification
    calls: list[str] = []

    def flaky(data, **kwargs):
        calls.append(kwargs["input_label"])
        if kwargs["input_label"] == "b1.json" and calls.count("b1.json") == 1:
            raise ConnectionError("issuer unreachable")
        return real(data, **kwargs)

    monkeypatch.setattr(batches, "run_verification", flaky)
    location = _upload(client, content, "three.zip").headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Finished" in page and "This file could not be checked (ConnectionError)." in page
    assert "Check again the badges that could not be checked" in page
    job = db.session.scalar(select(Job))
    assert job.failures == [
        {"row": 2, "label": "b1.json", "message": "This file could not be checked (ConnectionError)."}
    ]

    again = client.post(location + "/resume")
    assert again.status_code == 303
    page = client.get(location).get_data(as_text=True)
    assert "could not be checked" not in page and page.count(">Valid<") == 3
    assert calls == ["b0.json", "b1.json", "b2.json", "b1.json"]  # the others were not checked twice
    assert db.session.scalar(select(func.count(Verification.id))) == 3


def test_a_batch_left_without_a_job_is_carried_on_from_its_page(client, org, recruiter):
    """A batch the old per-poll checking left unfinished (or whose job was lost) resumes."""
    batch = create_batch(recruiter, org, "two.zip", _zip({"a.json": json.dumps(issued_badge()).encode()}))
    db.session.commit()
    page = client.get(f"/verifications/batches/{batch.id}").get_data(as_text=True)
    assert "Checking stopped before the end" in page and "hx-trigger" not in page
    assert client.post(f"/verifications/batches/{batch.id}/resume").status_code == 303
    assert "All 1 badge checked." in client.get(f"/verifications/batches/{batch.id}").get_data(as_text=True)
    refused = client.post(f"/verifications/batches/{batch.id}/resume", follow_redirects=True)
    assert "Every badge in this batch has been checked" in refused.get_data(as_text=True)


def test_a_batch_of_many_results_is_shown_a_page_at_a_time(client, recruiter):
    rows = "".join(f"c{n}@example.org,https://example.org/{n} x\n" for n in range(250))  # all refused
    location = _upload(client, rows.encode(), "many.csv").headers["Location"]
    first = client.get(location).get_data(as_text=True)
    assert "Rows 1 to 100 of 250." in first and "c99@example.org" in first and "c100@example.org" not in first
    third = client.get(location + "?page=3").get_data(as_text=True)
    assert "Rows 201 to 250 of 250." in third and "c249@example.org" in third
