"""A person's wallet: every credential they hold, in one place.

Modules: `imports` (bring a badge in by file, pasted JSON/JWT or URL, verified on arrival; check
it again; remove it; the scheduled re-check), `entries` (the "My badges" list: badges issued on
Credwork, imported ones and records HR keeps, one entry per credential with all its sources).
"""

from app.services.wallet.entries import PAGE_SIZE, WalletEntry, WalletPage, my_badges, own_import
from app.services.wallet.imports import WalletError, import_badge, recheck, recheck_due, remove

__all__ = [
    "PAGE_SIZE",
    "WalletEntry",
    "WalletError",
    "WalletPage",
    "import_badge",
    "my_badges",
    "own_import",
    "recheck",
    "recheck_due",
    "remove",
]
