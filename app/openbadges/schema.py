"""JSON Schema check for OB 3.0 credentials that name a 1EdTech schema in ``credentialSchema``.

Schemas are never fetched: a known 1EdTech schema id maps to a file in a schema directory
(``schema_dir``, default :data:`DEFAULT_SCHEMA_DIR`); an unknown id is a warning. See
``schemas/SOURCES.md`` for where the schema files come from.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator
from jsonschema.exceptions import SchemaError

from app.openbadges.result import Check, CheckStatus

CHECK_NAME = "schema"
DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/"
ACHIEVEMENT_FILE = "ob_v3p0_achievementcredential_schema.json"
ENDORSEMENT_FILE = "ob_v3p0_endorsementcredential_schema.json"
SCHEMA_FILES = (ACHIEVEMENT_FILE, ENDORSEMENT_FILE)
PUBLISHED_AT = _BASE + "json/"  # where 1EdTech publishes the files

# Schema ids (the published URL and the file's own $id) -> file name in the schema directory.
KNOWN_SCHEMAS: dict[str, str | None] = {
    _BASE + "json/ob_v3p0_achievementcredential_schema.json": ACHIEVEMENT_FILE,
    _BASE + "json/ob_v3p0_achievementcredential-jsonschema1.json": ACHIEVEMENT_FILE,
    _BASE + "json/ob_v3p0_endorsementcredential_schema.json": ENDORSEMENT_FILE,
    _BASE + "json/ob_v3p0_endorsementcredential-jsonschema1.json": ENDORSEMENT_FILE,
    # VC 1.1-era JSON-LD flavoured schemas: recognised as 1EdTech's, but we hold no copy.
    _BASE + "json-ld/ob_v3p0_anyachievementcredential_schema.json": None,
    _BASE + "json-ld/ob_v3p0_anyendorsementcredential_schema.json": None,
}
_MAX_REPORTED = 3


@lru_cache(maxsize=16)
def _validator(path: Path) -> Draft201909Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def _as_validated(credential: dict[str, Any]) -> dict[str, Any]:
    # A single proof object is the same as a one-element proof set (VC data model); the
    # published schema files have required an array at times, which would fail every
    # single-proof credential for a reason that is not about its content.
    if isinstance(credential.get("proof"), dict):
        return {**credential, "proof": [credential["proof"]]}
    return credential


def _path_of(error: Any) -> str:
    return "/" + "/".join(str(part) for part in error.absolute_path)


def _validate(
    credential: dict[str, Any], schema_id: str, file_name: str | None, schema_dir: Path
) -> tuple[CheckStatus, str]:
    if file_name is None:
        return CheckStatus.WARN, f"1EdTech schema {schema_id} is an older form this verifier does not check"
    if not (schema_dir / file_name).is_file():
        # Nothing is wrong with the credential: this installation has no copy of the schema.
        return CheckStatus.NOT_CONFIGURED, f"not configured: this verifier holds no copy of {file_name}"
    try:
        validator = _validator((schema_dir / file_name).resolve())
    except (OSError, ValueError, SchemaError) as exc:
        return CheckStatus.WARN, f"the bundled copy of {schema_id} cannot be used ({exc.__class__.__name__})"
    try:
        errors = sorted(validator.iter_errors(_as_validated(credential)), key=lambda e: list(e.absolute_path))
    except RecursionError:
        return CheckStatus.WARN, f"the credential is too deeply nested to validate against {schema_id}"
    if not errors:
        return CheckStatus.PASS, f"conforms to {file_name}"
    shown = "; ".join(f"{_path_of(e)}: {e.message[:160]}" for e in errors[:_MAX_REPORTED])
    more = f" (and {len(errors) - _MAX_REPORTED} more)" if len(errors) > _MAX_REPORTED else ""
    return CheckStatus.FAIL, f"does not conform to {file_name}: {shown}{more}"


def inferred_schema_id(credential: dict[str, Any]) -> str | None:
    """The 1EdTech schema an OB 3.0 / VC 2.0 credential would be checked against, by its type."""
    types = credential.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    contexts = credential.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    if "https://www.w3.org/ns/credentials/v2" not in contexts:
        return None
    if "EndorsementCredential" in types:
        return _BASE + "json/ob_v3p0_endorsementcredential_schema.json"
    if "OpenBadgeCredential" in types or "AchievementCredential" in types:
        return _BASE + "json/ob_v3p0_achievementcredential_schema.json"
    return None


def check_schema(credential: dict[str, Any], *, schema_dir: Path | str | None = None, infer: bool = False) -> Check:
    """Validate ``credential`` against the 1EdTech schemas its ``credentialSchema`` names.

    No credentialSchema -> SKIP (or, with ``infer=True``, a check against the schema its
    type implies, reported as WARN rather than FAIL because the issuer claimed nothing).
    An unknown schema id -> WARN (never fetched). Non-conformance to a named schema -> FAIL.
    """
    directory = Path(schema_dir) if schema_dir is not None else DEFAULT_SCHEMA_DIR
    if not isinstance(credential, dict):
        return Check(CHECK_NAME, CheckStatus.SKIP, "not a JSON credential")
    declared = credential.get("credentialSchema")
    if declared is None:
        schema_id = inferred_schema_id(credential) if infer else None
        if schema_id is None:
            return Check(CHECK_NAME, CheckStatus.SKIP, "the credential names no JSON Schema")
        status, detail = _validate(credential, schema_id, KNOWN_SCHEMAS[schema_id], directory)
        if status is CheckStatus.NOT_CONFIGURED:
            return Check(CHECK_NAME, status, detail)
        if status is CheckStatus.FAIL:
            status = CheckStatus.WARN
        return Check(CHECK_NAME, status, f"no schema declared; against the OB 3.0 schema its type implies it {detail}")
    entries = declared if isinstance(declared, list) else [declared]
    results: list[tuple[CheckStatus, str]] = []
    for entry in entries:
        schema_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(schema_id, str):
            results.append((CheckStatus.WARN, "a credentialSchema entry has no id"))
        elif schema_id not in KNOWN_SCHEMAS:
            results.append((CheckStatus.WARN, f"unknown schema {schema_id[:200]} was not fetched or checked"))
        else:
            results.append(_validate(credential, schema_id, KNOWN_SCHEMAS[schema_id], directory))
    for worst in (CheckStatus.FAIL, CheckStatus.WARN, CheckStatus.NOT_CONFIGURED):
        if any(status is worst for status, _ in results):
            return Check(CHECK_NAME, worst, "; ".join(d for s, d in results if s is worst))
    return Check(CHECK_NAME, CheckStatus.PASS, "; ".join(d for _, d in results))
