"""factory_boy factories for the foundation models."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db
from app.models import Membership, Organisation, Partnership, RoleGrant, User
from app.security.passwords import hash_password

PASSWORD = "correct-horse-battery"


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 (the per-test session)
        sqlalchemy_session_persistence = "flush"


class OrganisationFactory(_Base):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = "employer"
    email_domain = factory.LazyAttribute(lambda o: f"{o.slug}.example")

    class Params:
        provider = factory.Trait(kind="provider", name=factory.Sequence(lambda n: f"College {n}"))
        platform = factory.Trait(kind="platform", name="Credwork operator")


class UserFactory(_Base):
    class Meta:
        model = User

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))


class MembershipFactory(_Base):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.role_grants.append(RoleGrant(role=role))
        db.session.flush()


class PartnershipFactory(_Base):
    class Meta:
        model = Partnership

    employer = factory.SubFactory(OrganisationFactory)
    provider = factory.SubFactory(OrganisationFactory, provider=True)
    requested_by_org_id = factory.LazyAttribute(lambda p: p.employer.id)
    status = "active"


def member(org: Organisation, *roles: str, **user_fields) -> User:
    """A person holding `roles` in `org`."""
    membership = MembershipFactory(organisation=org, roles=list(roles), user=UserFactory(**user_fields))
    return membership.user
