"""The policy module, scoped loading, safe redirects and token digests, without HTTP."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from app.models import Membership, Organisation, Role
from app.security.permissions import ROLE_PERMISSIONS, Permission
from app.security.policy import permissions_of
from app.security.scoping import get_for, scoped
from app.security.tokens import digest, new_token
from tests.factories.accounts import MembershipFactory, OrganisationFactory, PartnershipFactory


def test_every_role_has_a_permission_entry():
    assert set(ROLE_PERMISSIONS) == set(Role)
    for role, permissions in ROLE_PERMISSIONS.items():
        assert permissions, role


def test_only_org_admins_manage_people_and_see_the_audit_log():
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if Permission.ORG_MANAGE_PEOPLE in perms}
    assert holders == {Role.ORG_ADMIN}
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if Permission.ORG_VIEW_AUDIT in perms}
    assert holders == {Role.ORG_ADMIN}


def test_permissions_are_the_union_of_the_roles_held():
    membership = MembershipFactory(roles=["line_manager", "learner"])
    granted = permissions_of(membership)
    assert Permission.CPD_ENDORSE in granted and Permission.CPD_REQUEST in granted
    assert Permission.CPD_APPROVE not in granted
    assert permissions_of(None) == frozenset()


def test_get_for_loads_only_what_the_organisation_may_see(app):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    own = MembershipFactory(organisation=mine, roles=["learner"])
    other = MembershipFactory(organisation=theirs, roles=["learner"])
    with app.test_request_context():
        assert get_for(mine, Membership, own.id) is own
        assert get_for(mine, Membership, str(own.id)) is own
        for bad in (other.id, "not-a-number", None, 10**9):
            with pytest.raises(NotFound):
                get_for(mine, Membership, bad)
        with pytest.raises(NotFound):
            get_for(None, Membership, own.id)


def test_partnerships_are_visible_to_both_sides_only(app):
    partnership = PartnershipFactory()
    outsider = OrganisationFactory()
    from app.extensions import db
    from app.models import Partnership

    seen = lambda org: list(db.session.scalars(scoped(org, Partnership)))  # noqa: E731
    assert seen(partnership.employer) == [partnership]
    assert seen(partnership.provider) == [partnership]
    assert seen(outsider) == []
    assert list(db.session.scalars(scoped(outsider, Organisation))) == [outsider]


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/organisation/people", "/organisation/people"),
        ("/organisation/audit?action=x", "/organisation/audit?action=x"),
        ("https://evil.example/", "/dashboard"),
        ("//evil.example", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
        ("\\\\evil.example", "/dashboard"),
        ("/\t/evil.example", "/dashboard"),  # browsers drop tabs and newlines: //evil.example
        ("/\n/evil.example", "/dashboard"),
        (" //evil.example", "/dashboard"),
        ("http:/evil.example", "/dashboard"),
        ("javascript:alert(1)", "/dashboard"),
        ("evil.example", "/dashboard"),
        ("", "/dashboard"),
        (None, "/dashboard"),
    ],
)
def test_safe_next(app, target, expected):
    from app.blueprints.forms import safe_next

    with app.test_request_context():
        assert safe_next(target) == expected


def test_tokens_are_random_and_stored_as_sha256():
    token, stored = new_token()
    other, _ = new_token()
    assert token != other and len(token) >= 40
    assert stored == digest(token) and len(stored) == 64 and token not in stored
