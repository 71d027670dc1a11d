"""A person's wallet: every credential they hold, in one place.

Modules: `imports` (bring a badge in by file, pasted JSON/JWT or URL, verified on arrival; check
it again; remove it; the scheduled re-check), `skills_feed` (verified hub badges count in the skills
profile), `sharing` (share links, public or private, email, LinkedIn, the public profile), `entries` (the "My badges" list: badges issued on
Credwork, imported ones and records HR keeps, one entry per credential with all its sources).
"""

from app.services.wallet.entries import PAGE_SIZE, WalletEntry, WalletPage, my_badges, own_import
from app.services.wallet.imports import WalletError, check_report, import_badge, recheck, recheck_due, remove
from app.services.wallet.sharing import (
    email_issued,
    email_link,
    linkedin_url,
    profile_of,
    profile_url,
    public_profile,
    set_issued_on_profile,
    set_profile,
    set_public,
    share_url,
    shared,
    start_sharing,
    stop_sharing,
)

__all__ = [
    "PAGE_SIZE",
    "WalletEntry",
    "WalletError",
    "WalletPage",
    "check_report",
    "email_issued",
    "email_link",
    "import_badge",
    "linkedin_url",
    "profile_of",
    "profile_url",
    "public_profile",
    "set_issued_on_profile",
    "set_profile",
    "set_public",
    "share_url",
    "shared",
    "start_sharing",
    "stop_sharing",
    "my_badges",
    "own_import",
    "recheck",
    "recheck_due",
    "remove",
]
