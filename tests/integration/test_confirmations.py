"""Destructive actions ask once more, in words, without needing JavaScript: the button that does
it sits inside a disclosure that states what will happen (issue 11, item 14)."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Membership
from tests.factories.accounts import OrganisationFactory, PartnershipFactory, member


def _confirmation(page: str, question: str, action: str) -> bool:
    """The question and a "Yes, ..." button posting to `action`, inside a <details>."""
    for block in re.findall(r"<details.*?</details>", page, flags=re.S):
        if question in block and f'action="{action}"' in block and "Yes, " in block:
            return True
    return False


def test_removing_a_person_ending_a_partnership_and_revoking_a_key_ask_first(app, login):
    org = OrganisationFactory(name="Kelvin Test")
    admin = member(org, "org_admin")
    leaver = member(org, "learner", name="Ruth Leaver")
    provider = OrganisationFactory(provider=True, name="Forthside Test")
    partnership = PartnershipFactory(employer=org, provider=provider)
    client = login(admin, c=app.test_client())
    leaving = db.session.query(Membership).filter_by(user_id=leaver.id).one()

    roles = client.get(f"/organisation/people/{leaving.id}/roles").get_data(as_text=True)
    assert _confirmation(roles, "Remove Ruth Leaver from Kelvin Test?", f"/organisation/people/{leaving.id}/remove")
    partnerships = client.get("/organisation/partnerships").get_data(as_text=True)
    assert _confirmation(
        partnerships, "End the partnership with Forthside Test?", f"/organisation/partnerships/{partnership.id}/end"
    )

    from app.services.verification import api_keys

    key, _ = api_keys.create_key(admin, org, "HR system")
    keys = client.get("/organisation/api-keys/").get_data(as_text=True)
    assert _confirmation(keys, "Revoke the key HR system?", f"/organisation/api-keys/{key.id}/revoke")
    # The confirmed action still works as before.
    assert client.post(f"/organisation/api-keys/{key.id}/revoke").status_code in (302, 303)
