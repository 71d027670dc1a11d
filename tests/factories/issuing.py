"""Builders for issuing tests: a provider with a coordinator and a published record, awards
made through the real service, and a fetcher that serves this app's own URLs from the test
client (so the engine's verifier reads our status lists and DID documents with no network)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from app.models import utcnow
from app.openbadges.fetching import FetchError, FetchResponse
from app.services import issuing
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import micro_credential, skill


def provider_with_record(**record_fields):
    """(provider, coordinator, published record with two ESCO skills)."""
    provider = OrganisationFactory(provider=True, website="https://college.example")
    coordinator = member(provider, "provider_coordinator", name="Cora Coordinator")
    skills = [
        skill("use spreadsheets software", "http://data.europa.eu/esco/skill/test-spreadsheets"),
        skill("analyse data", "http://data.europa.eu/esco/skill/test-analyse"),
    ]
    record = micro_credential(
        provider, skills=skills, title=record_fields.pop("title", "Data Analysis Basics"), **record_fields
    )
    return provider, coordinator, record


def award(provider, coordinator, record, *, name="Lewis Learner", email="lewis@learner.example", **kwargs):
    return issuing.issue(coordinator, provider, record, issuing.Learner(name, email), **kwargs)


class ClientFetcher:
    """The engine's Fetcher, answering URLs under PUBLIC_BASE_URL from the Flask test client."""

    def __init__(self, app, client=None):
        self.app = app
        self.client = client or app.test_client()
        self.requested: list[str] = []

    def get(self, url: str, *, accept: str | None = None) -> FetchResponse:
        self.requested.append(url)
        base = urlsplit(self.app.config["PUBLIC_BASE_URL"])
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise FetchError(f"no network in tests: {url}")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.get(path, headers={"Accept": accept or "*/*"})
        return FetchResponse(
            url, response.status_code, response.get_data(), {k.lower(): v for k, v in response.headers.items()}
        )


def _isolation_credential(tenant) -> int:
    def make():
        record = micro_credential(tenant.provider, title=f"{tenant.made.get('label', '')}Awarded Course")
        person = tenant.employer_person
        return issuing.issue(
            None,
            tenant.provider,
            record,
            issuing.Learner(person.name, person.email),
            notify=False,
            valid_until=utcnow() + timedelta(days=400),
        ).id

    return tenant.once("issued_credential", make)


ISOLATION_PARAMS = {"credential_id": _isolation_credential}
