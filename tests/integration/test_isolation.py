"""Tenant isolation: every route, every role, with ids of another organisation's records.

The matrix walks `app.url_map`, so a new route joins it automatically. Each URL parameter is
filled by a builder that makes the record for a given tenant (BUILDERS below, plus any
`ISOLATION_PARAMS` dict a `tests/factories/<feature>.py` module defines: parameter name ->
`callable(tenant) -> value`). A route whose parameter has no builder fails the suite with a
message saying where to add one.

Tenant B's records carry marker strings (names no other fixture uses); no response to anyone
in tenant A may contain them, no request may write to tenant B's audit log, and a request
that names one of B's records is refused (401/403/404/405/400/410, or a redirect to sign in).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import product
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.routing.converters import AnyConverter

import tests.factories
from app.extensions import db
from app.models import AuditEvent, Invitation, Membership, Organisation, Partnership, User, utcnow
from app.security import tokens
from tests.factories.accounts import OrganisationFactory, member

# Reachable without signing in, or cross-tenant by nature (the public hub shows every provider's
# published records). Each needs a reason: adding an endpoint here is a security decision.
PUBLIC_ENDPOINTS = {
    "static": "files",
    "main.index": "front page",
    "main.accessibility": "accessibility statement",
    "main.favicon": "the site's icon",
    "main.dev_outbox": "development only (404 in every other environment): the emails a dev server did not send",
    "auth.login": "sign-in form",
    "auth.forgot_password": "asks for a reset email, says nothing about accounts",
    "auth.reset_password": "the emailed secret token is the credential",
    "auth.accept_invitation": "the emailed secret token is the credential",
    "sso.start": "single sign-on entry, chooses the provider by email domain",
    "sso.callback": "single sign-on return, checked against the state in the session",
    "sso.confirm_domain": "the emailed single-use token is the credential (proof of a mailbox at the domain)",
    "api.health": "liveness probe",
    "glossary.index": "public glossary",
    "glossary.about_data": "public data sources page",
    "hub.search": "public micro-credential hub",
    "hub.provider_records": "public hub: a provider's published records",
    "hub.record": "public hub record",
    "hub.achievement": "public Open Badges 3.0 achievement",
    "hub.achievement_version": "public Open Badges 3.0 achievement",
    "hub.badge_class": "public Open Badges 2.0 badge class",
    "hub.badge_class_version": "public Open Badges 2.0 badge class",
    "hub.image": "public badge image",
    "hub.issuer": "public issuer profile",
    "verification.public": "public badge verifier",
    "verification.public_result": "a shared result link: its random token is the credential",
    "verification.public_result_json": "a shared result link: its random token is the credential",
    "verification.public_result_pdf": "a shared result link: its random token is the credential",
    "verification.badge_image": "an issuer's public badge image, addressed by its content's SHA-256",
    "credentials.show": "a hosted credential: verifiers fetch it by its unguessable public id",
    "credentials.json_ld": "a hosted credential: verifiers fetch it by its unguessable public id",
    "credentials.jwt": "a hosted credential: verifiers fetch it by its unguessable public id",
    "credentials.pdf": "a hosted credential: verifiers fetch it by its unguessable public id",
    "credentials.png": "a hosted credential: verifiers fetch it by its unguessable public id",
    "credentials.svg": "a hosted credential: verifiers fetch it by its unguessable public id",
    "credentials.claim": "the emailed claim token is the credential",
    "credentials.claim_post": "the emailed claim token is the credential",
    "credentials.claim_renew": "the emailed claim token is the credential; the new link goes to the awarded address",
    "credentials.claim_sent": "a static 'check your email' page",
    "wallet.shared": "a badge its holder shared: the random share token is the credential",
    "wallet.shared_download": "a badge its holder shared: the random share token is the credential",
    "wallet.public_profile": "a public profile its holder turned on: its random address is the credential",
    "credentials.issuer_did": "public did:web document of an issuer",
    "credentials.status_list": "public revocation status list",
    "apprenticeships.calendar_ics": "a private calendar feed: its random token is the credential",
    "apprenticeships.programme_achievement": "public Open Badges 3.0 achievement of a published programme",
    "recruitment.apply": "a vacancy's public application page: its random link is the credential; public fields only",
    "recruitment.applied": "a static 'check your email' page behind the vacancy's random link",
    "recruitment.mine": "a candidate's own application: their emailed random token is the credential",
    "recruitment.add_badges": "a candidate's own application: their emailed random token is the credential",
    "recruitment.my_data": "a candidate's own application: their emailed random token is the credential",
    "recruitment.withdraw": "a candidate's own application: their emailed random token is the credential",
}

# The platform's admins and reviewers work across every organisation on these (quality
# assurance), by design.
PLATFORM_WIDE_BLUEPRINTS = {"platform"}
PLATFORM_ROLES = {"platform_admin", "platform_reviewer"}

# Run after everything else for a role: they end or change the session.
SESSION_ENDING = {"auth.logout"}

REFUSED = {302, 400, 401, 403, 404, 405, 410}
ROLES = [
    None,
    "org_admin",
    "hr_manager",
    "line_manager",
    "recruiter",
    "learner",
    "provider_coordinator",
    "assessor",
    "platform_admin",
    "platform_reviewer",
]

MARK_EMPLOYER = "Zetland Hidden Shipwrights"
MARK_EMPLOYER_PERSON = "Quillon Marker-Vasquez"
MARK_PROVIDER_PERSON = "Ysolde Marker-Petrie"
# Every record built for tenant B has a name or title starting with this.
MARK_RECORDS = "Secret Marker"


@dataclass
class Tenant:
    """An employer and a provider that belong together, with one person in each."""

    employer: Organisation
    provider: Organisation
    employer_person: User
    provider_person: User
    made: dict = field(default_factory=dict)

    def membership(self, user: User, org: Organisation) -> Membership:
        return db.session.scalar(
            select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == org.id)
        )

    def once(self, key, make):
        """Build each kind of record once per tenant, so related parameters share it."""
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]


def _invitation(t: Tenant) -> int:
    _, digest = tokens.new_token()
    invitation = Invitation(
        organisation_id=t.employer.id,
        email=f"invitee@{t.employer.slug}.example",
        roles="learner",
        token_hash=digest,
        expires_at=utcnow() + timedelta(days=3),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation.id


def _partnership(t: Tenant) -> int:
    p = Partnership(
        employer_id=t.employer.id, provider_id=t.provider.id, status="active", requested_by_org_id=t.employer.id
    )
    db.session.add(p)
    db.session.flush()
    return p.id


def _job_role(t: Tenant):
    from app.models.job_roles import JobRole

    def make():
        role = JobRole(organisation_id=t.employer.id, title=f"{t.made.get('label', '')}Harpooner")
        db.session.add(role)
        db.session.flush()
        return role

    return t.once("job_role", make)


def _requirement(t: Tenant) -> int:
    from app.models.job_roles import JobRoleSkill
    from tests.factories.catalogue import skill

    requirement = JobRoleSkill(job_role_id=_job_role(t).id, skill_id=skill("Rope work").id, target_level=2)
    db.session.add(requirement)
    db.session.flush()
    return requirement.id


def _record(t: Tenant):
    from tests.factories.catalogue import micro_credential

    return t.once(
        "record", lambda: micro_credential(t.provider, publish=False, title=f"{t.made.get('label', '')}Draft Course")
    )


def _mapping(t: Tenant) -> int:
    from app.models.job_roles import JobRoleMicroCredential

    record = _record(t)
    mapping = JobRoleMicroCredential(job_role_id=_job_role(t).id, provider_id=t.provider.id, code=record.code)
    db.session.add(mapping)
    db.session.flush()
    return mapping.id


def _sponsorship(t: Tenant) -> int:
    from app.services.cpd.requests import create_request
    from tests.factories.cpd import external

    return create_request(t.employer_person, t.employer, external(), submit=True).id


def _api_key(t: Tenant) -> int:
    from app.models.verifications import ApiKey

    key = ApiKey(
        organisation_id=t.employer.id,
        name=f"{t.made.get('label', '')}Key",
        prefix="cw_test",
        key_hash=tokens.new_token()[1],
    )
    db.session.add(key)
    db.session.flush()
    return key.id


def _verification(t: Tenant) -> int:
    from app.models.verifications import Verification

    verification = Verification(
        token=tokens.new_token()[0][:43],
        organisation_id=t.employer.id,
        source="paste",
        verdict="valid",
        format="ob3",
        result={},
        achievement_name=f"{t.made.get('label', '')}Verified Badge",
    )
    db.session.add(verification)
    db.session.flush()
    return verification.id


def _batch(t: Tenant) -> int:
    from app.models.verifications import VerificationBatch

    batch = VerificationBatch(
        organisation_id=t.employer.id, kind="csv", filename=f"{t.made.get('label', '')}candidates.csv"
    )
    db.session.add(batch)
    db.session.flush()
    return batch.id


BUILDERS = {
    "membership_id": lambda t: t.membership(t.employer_person, t.employer).id,
    "invitation_id": _invitation,
    "partnership_id": _partnership,
    "provider_id": lambda t: t.provider.id,
    "record_id": lambda t: _record(t).id,
    "role_id": lambda t: _job_role(t).id,
    "requirement_id": _requirement,
    "mapping_id": _mapping,
    "sponsorship_id": _sponsorship,
    "action": lambda t: "approve",  # a CPD workflow step named in the URL
    "key_id": _api_key,
    "verification_id": _verification,
    "batch_id": _batch,
}


def all_builders() -> dict:
    """BUILDERS plus each `tests/factories/<feature>.py` module's ISOLATION_PARAMS."""
    found = dict(BUILDERS)
    for info in pkgutil.iter_modules(tests.factories.__path__):
        module = importlib.import_module(f"tests.factories.{info.name}")
        found.update(getattr(module, "ISOLATION_PARAMS", {}))
    return found


def checked_rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC_ENDPOINTS),
        key=lambda r: (r.endpoint in SESSION_ENDING, r.rule),
    )


def test_every_route_parameter_has_an_isolation_builder(app):
    builders = all_builders()
    missing = sorted(
        {
            f"{rule.endpoint} ({rule.rule}): <{name}>"
            for rule in checked_rules(app)
            for name, conv in rule._converters.items()
            if name not in builders and not isinstance(conv, AnyConverter)
        }
    )
    assert not missing, (
        "These route parameters have no builder in the isolation matrix. Add one to "
        "ISOLATION_PARAMS in tests/factories/<feature>.py (parameter -> callable(tenant) returning "
        "the id of that tenant's record), or list a public endpoint in PUBLIC_ENDPOINTS in "
        "tests/integration/test_isolation.py with the reason:\n  " + "\n  ".join(missing)
    )


def _tenant(employer_name, provider_name, employer_person, provider_person, label=""):
    employer = OrganisationFactory(name=employer_name)
    provider = OrganisationFactory(provider=True, name=provider_name)
    tenant = Tenant(
        employer,
        provider,
        member(employer, "learner", name=employer_person),
        member(provider, "learner", name=provider_person),
    )
    tenant.made["label"] = label
    return tenant


def _url_variants(rule, builders, home: Tenant, other: Tenant):
    """(url, names B's records?, methods): every parameter from B, and for routes with several
    parameters each one from B with the rest from A (a child of B's under a parent of A's); for
    pages without parameters, also a GET whose query string names B's records."""
    names = [n for n, c in rule._converters.items() if not isinstance(c, AnyConverter)]
    choices = {n: sorted(c.items) for n, c in rule._converters.items() if isinstance(c, AnyConverter)}
    plans = [{n: other for n in names}]
    if len(names) > 1:
        plans += [{n: (other if n == pick else home) for n in names} for pick in names]
    for plan, picks in product(plans, product(*choices.values()) if choices else [()]):
        values = {n: _built(builders, n, tenant) for n, tenant in plan.items()}
        values.update(dict(zip(choices, picks, strict=True)))
        yield rule.build(values, append_unknown=False)[1], bool(names), rule.methods
    if not names and not choices and "GET" in rule.methods:
        yield rule.build({}, append_unknown=False)[1] + "?" + _query_with_b_ids(builders, other), False, {"GET"}


def _query_with_b_ids(builders, other: Tenant) -> str:
    """A query string naming B's records under every parameter name the matrix knows, plus the
    names pages use for pre-filled choices, for GET pages that read ids from the query."""
    values = {name: _built(builders, name, other) for name in BUILDERS if name != "action"}
    record = values.get("record_id")
    values.update(
        organisation_id=other.employer.id,
        provider=other.provider.id,
        record=record,
        micro_credential=record,
        person=values["membership_id"],
        membership=values["membership_id"],
    )
    return urlencode(values)


def _built(builders, name, tenant: Tenant):
    def make():
        value = builders[name](tenant)
        # Committed (to the test's savepoint) so a route that rolls back on an error does not
        # take the records away and make the audit count look changed.
        db.session.commit()
        return value

    return tenant.once(("param", name), make)


def _b_audit_count(other: Tenant) -> int:
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.organisation_id.in_([other.employer.id, other.provider.id]))
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_no_route_leaks_another_organisations_records(app, client, login, role):
    builders = all_builders()
    home = _tenant("Harbour Home Fabricators", "Home Valley College", "Home Employee", "Home Tutor")
    other = _tenant(
        MARK_EMPLOYER, "Other Isles College", MARK_EMPLOYER_PERSON, MARK_PROVIDER_PERSON, label=MARK_RECORDS + " "
    )
    markers = [MARK_EMPLOYER, MARK_EMPLOYER_PERSON, MARK_PROVIDER_PERSON]
    if role is not None:
        org = {"provider_coordinator": home.provider, "assessor": home.provider}.get(role, home.employer)
        if role in PLATFORM_ROLES:
            org = OrganisationFactory(platform=True)
        login(member(org, role, name=f"Matrix {role}"))
    form = {"organisation_id": str(other.employer.id), "roles": "learner"}
    db.session.commit()

    failures = []
    for rule in checked_rules(app):
        if role in PLATFORM_ROLES and rule.endpoint.split(".")[0] in PLATFORM_WIDE_BLUEPRINTS:
            continue
        unbuilt = [n for n, c in rule._converters.items() if n not in builders and not isinstance(c, AnyConverter)]
        if unbuilt:
            failures.append(f"{rule.endpoint}: no isolation builder for {unbuilt} (see the module docstring)")
            continue
        for url, names_b_record, methods in _url_variants(rule, builders, home, other):
            for method in sorted(methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
                before = _b_audit_count(other)
                response = client.open(url, method=method, data=None if method == "GET" else dict(form))
                status, body = response.status_code, response.get_data()
                where = f"{role or 'anonymous'} {method} {url} ({rule.endpoint}) -> {status}"
                allowed = REFUSED | ({303} if method != "GET" else set())
                if not names_b_record and role is not None:
                    allowed |= {200, 303, 422}
                if status not in allowed:
                    failures.append(f"{where}: status not allowed")
                leaked = [m for m in markers + [MARK_RECORDS] if m.encode() in body]
                if leaked:
                    failures.append(f"{where}: shows {leaked}")
                if _b_audit_count(other) != before:
                    failures.append(f"{where}: changed the other organisation's records")
    assert not failures, "Tenant isolation failures:\n  " + "\n  ".join(failures)
