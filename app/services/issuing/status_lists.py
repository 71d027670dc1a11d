"""Revocation status lists: allocating each credential its bit, and publishing the signed
BitstringStatusListCredential at a stable URL (/issuers/<slug>/status/<list id>).

Allocation is one atomic ``UPDATE ... SET next_index = next_index + 1 ... RETURNING``, so two
coordinators issuing at once never get the same index (and the unique constraint on
(status_list_id, status_index) backs that up).
"""

from __future__ import annotations

import json
import secrets

from sqlalchemy import select, update

from app.extensions import db
from app.models.badges import IssuedCredential, IssuerProfile, StatusList
from app.models.base import utcnow
from app.openbadges.issuing import build_status_list_credential, sign_credential
from app.openbadges.status import encode_status_list
from app.services import links
from app.services.issuing import issuers


def list_url(profile_slug: str, list_id: str) -> str:
    return links.public_url(f"/issuers/{profile_slug}/status/{list_id}")


def url_of(status_list: StatusList) -> str:
    return list_url(status_list.issuer.slug, status_list.list_id)


def _open_list(profile: IssuerProfile) -> StatusList:
    found = db.session.scalar(
        select(StatusList)
        .where(
            StatusList.issuer_profile_id == profile.id,
            StatusList.issuer_did == profile.did,
            StatusList.next_index < StatusList.size,
        )
        .order_by(StatusList.id.desc())
    )
    if found is not None:
        return found
    created = StatusList(
        issuer=profile, issuer_profile_id=profile.id, list_id=secrets.token_hex(8), issuer_did=profile.did
    )
    db.session.add(created)
    db.session.flush()
    publish(created)
    return created


def allocate(profile: IssuerProfile) -> tuple[StatusList, int]:
    """A fresh index in the issuer's open list (a new list when the last one is full)."""
    for _attempt in range(3):
        status_list = _open_list(profile)
        taken = db.session.execute(
            update(StatusList)
            .where(StatusList.id == status_list.id, StatusList.next_index < StatusList.size)
            .values(next_index=StatusList.next_index + 1)
            .returning(StatusList.next_index)
            .execution_options(synchronize_session=False)
        ).scalar()
        if taken is not None:
            db.session.expire(status_list, ["next_index"])
            return status_list, taken - 1
        db.session.expire(status_list)  # filled up by someone else meanwhile
    raise RuntimeError("could not allocate a status list index")


def revoked_indexes(status_list: StatusList) -> set[int]:
    return set(
        db.session.scalars(
            select(IssuedCredential.status_index).where(
                IssuedCredential.status_list_id == status_list.id, IssuedCredential.revoked_at.is_not(None)
            )
        )
    )


def publish(status_list: StatusList) -> dict:
    """Rebuild and re-sign the list credential from the revoked credentials; store it."""
    profile = status_list.issuer
    key = issuers.newest_key_for(profile, status_list.issuer_did)
    url = url_of(status_list)
    unsigned = build_status_list_credential(
        status_list.issuer_did,
        url,
        encode_status_list(revoked_indexes(status_list), status_list.size),
        purpose=status_list.purpose,
        valid_from=utcnow(),
    )
    signed = sign_credential(unsigned, issuers.key_pair(key), verification_method=key.verification_method)
    status_list.credential_text = json.dumps(signed, ensure_ascii=False)
    status_list.updated_at = utcnow()
    db.session.flush()
    return signed


def by_public_id(profile_slug: str, list_id: str) -> StatusList | None:
    return db.session.scalar(
        select(StatusList).join(IssuerProfile).where(IssuerProfile.slug == profile_slug, StatusList.list_id == list_id)
    )
