"""Issuing Open Badges 3.0: awarding a provider's micro-credentials to learners (one, or many
from a CSV), revoking and re-issuing them, the learner's claim link, the files a learner
downloads, and each provider's issuer profile, signing keys and revocation status lists.

Modules: `awards` (issue, revoke, re-issue, claim, the provider's list), `bulk` (a CSV of
learners), `issuers` (profiles, keys, DID documents), `status_lists` (revocation bits),
`files` (baked badge images, the LinkedIn link), `certificate` (the PDF),
`apprenticeship_certificates` (the ApprenticeshipCertificate issued on a pass at end-point
assessment).
"""

from app.services.issuing import apprenticeship_certificates
from app.services.issuing.awards import (
    REISSUED,
    STATES,
    IssuingError,
    Learner,
    accept,
    awardable,
    by_public_id,
    check_email,
    claim,
    claim_link_expired,
    credential_url,
    find_claim,
    issue,
    issued_by,
    linked_to,
    reissue,
    renew_expired_claim,
    replacement_of,
    resend_claim,
    revoke,
    unclaimed_count,
)
from app.services.issuing.bulk import CSV_TEMPLATE, BulkAwardError, parse, start_award_job
from app.services.issuing.certificate import certificate_pdf
from app.services.issuing.files import baked_png, baked_svg, linkedin_url
from app.services.issuing.issuers import (
    IssuerError,
    did_document,
    did_method,
    ensure_profile,
    platform_did_document,
    profile_by_slug,
    profile_of,
    rotate_key,
)

__all__ = [
    "apprenticeship_certificates",
    "CSV_TEMPLATE",
    "REISSUED",
    "STATES",
    "BulkAwardError",
    "IssuerError",
    "IssuingError",
    "Learner",
    "parse",
    "start_award_job",
    "awardable",
    "baked_png",
    "baked_svg",
    "by_public_id",
    "certificate_pdf",
    "check_email",
    "accept",
    "claim",
    "claim_link_expired",
    "credential_url",
    "did_document",
    "did_method",
    "ensure_profile",
    "find_claim",
    "issue",
    "issued_by",
    "linked_to",
    "linkedin_url",
    "platform_did_document",
    "profile_by_slug",
    "profile_of",
    "reissue",
    "unclaimed_count",
    "renew_expired_claim",
    "resend_claim",
    "replacement_of",
    "revoke",
    "rotate_key",
]
