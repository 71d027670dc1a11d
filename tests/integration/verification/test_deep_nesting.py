"""A credential nested hundreds of levels deep gets a clear "too deeply nested" verdict, never
a 500, whether pasted, uploaded, sent to the API or inside a batch; the batch completes with
its other items verified (issue 11, item 2)."""

from __future__ import annotations

import io
import json
import zipfile

from app.extensions import db
from app.models.verifications import VerificationBatch
from app.openbadges.detect import too_deeply_nested
from app.services.verification import api_keys
from app.services.verification.batches import submit_batch
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.verification import issued_badge


def deep_credential(levels: int = 700) -> dict:
    badge = issued_badge()
    inner: dict = {"name": "bottom"}
    for _ in range(levels):
        inner = {"nested": inner}
    badge["credentialSubject"]["extra"] = inner
    return badge


def test_the_depth_check_walks_without_recursion():
    assert not too_deeply_nested({"a": [{"b": 1}]})
    assert too_deeply_nested(deep_credential(5000))


def test_pasted_and_uploaded_deep_credentials_get_a_verdict(client):
    text = json.dumps(deep_credential())
    for fields in ({"credential_text": text}, {"credential_file": (io.BytesIO(text.encode()), "deep.json")}):
        data = {"credential_text": "", "credential_url": "", "recipient_email": "", **fields}
        response = client.post("/verify", data=data, content_type="multipart/form-data")
        assert response.status_code == 303
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "too deeply nested" in page


def test_the_api_answers_deep_json_without_a_500(client):
    org = OrganisationFactory()
    _, key = api_keys.create_key(member(org, "org_admin"), org, "ATS")
    headers = {"Authorization": f"Bearer {key}"}
    answered = client.post("/api/v1/verifications", json={"credential": deep_credential()}, headers=headers)
    assert answered.status_code == 201 and "too deeply nested" in json.dumps(answered.get_json())
    brackets = "[" * 100_000 + "]" * 100_000
    refused = client.post("/api/v1/verifications", data=brackets, content_type="application/json", headers=headers)
    assert refused.status_code == 400 and "too deeply nested" in refused.get_json()["error"]["detail"]


def test_a_batch_with_a_deep_file_completes_and_verifies_the_rest(app):
    org = OrganisationFactory()
    recruiter = member(org, "recruiter")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("deep.json", json.dumps(deep_credential()))
        z.writestr("good.json", json.dumps(issued_badge()))
    batch = submit_batch(recruiter, org, "candidates.zip", archive.getvalue())  # runs at once in tests
    db.session.refresh(batch)
    assert batch.complete and batch.processed == 2
    assert isinstance(batch, VerificationBatch)
