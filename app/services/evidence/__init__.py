"""Work-based evidence: the apprentice's portfolio mapped to KSBs, the assessor's sign-off, and
the coverage matrix.

Modules: `portfolio` (the workflow: record, attach, submit, return, sign off, comment, correct),
`uploads` (what a file may be, read from its content), `storage` (where files are kept, behind
one interface), `coverage` (red, amber, green per KSB; a cohort's heat map). Other layers use
them through this package: `evidence.portfolio.submit(...)`.
"""

from app.services.evidence import coverage, exports, gateway, portfolio, storage, uploads
from app.services.evidence.storage import FileMissing
from app.services.evidence.uploads import UploadRefused

__all__ = ["FileMissing", "UploadRefused", "coverage", "exports", "gateway", "portfolio", "storage", "uploads"]
