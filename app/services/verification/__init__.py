"""Verifying the credentials candidates bring, and keeping the results: the public verifier,
an organisation's verifications and history, batches (a CSV of links or a zip of files), the
PDF report, and the API keys integrations verify with.

Modules: `verifier` (what was handed in, running the engine, the history), `batches`,
`report` (the PDF), `api_keys`, `fetching` (the verifier's fetcher: this site in-process).
"""

from app.services.verification.api_keys import (
    ApiKeyError,
    authenticate,
    bearer_token,
    create_key,
    keys_of,
    revoke_key,
)
from app.services.verification.batches import (
    BatchError,
    create_batch,
    items_of,
    items_page,
    recent_batches,
    results_csv,
    resume_batch,
    submit_batch,
)
from app.services.verification.report import build_report, friendly_date
from app.services.verification.verifier import (
    HistoryPage,
    InputTooLarge,
    VerificationInput,
    VerificationInputError,
    history,
    input_from_text,
    input_from_upload,
    input_from_url,
    max_upload_bytes,
    public_verification,
    purge_anonymous,
    result_of,
    run_verification,
    verify_data,
)

__all__ = [
    "ApiKeyError",
    "BatchError",
    "HistoryPage",
    "InputTooLarge",
    "VerificationInput",
    "VerificationInputError",
    "authenticate",
    "bearer_token",
    "build_report",
    "create_batch",
    "create_key",
    "friendly_date",
    "history",
    "input_from_text",
    "input_from_upload",
    "input_from_url",
    "items_of",
    "items_page",
    "keys_of",
    "max_upload_bytes",
    "public_verification",
    "purge_anonymous",
    "recent_batches",
    "result_of",
    "results_csv",
    "resume_batch",
    "submit_batch",
    "revoke_key",
    "run_verification",
    "verify_data",
]
