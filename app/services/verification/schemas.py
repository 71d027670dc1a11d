"""Where the verifier finds 1EdTech's Open Badges 3.0 JSON Schemas, and fetching them.

The schemas are published files, not bundled (see app/openbadges/schemas/SOURCES.md). An
operator either keeps a copy in a folder (``OB_SCHEMA_DIR``, filled once by
``flask verify fetch-schemas DIR``), or names where to fetch them from (``OB_SCHEMA_URL``, such
as 1EdTech's own address): the first verification then fetches them into the instance folder,
through the SSRF-safe fetcher, and later ones read that copy. With neither, the schema check is
reported as "not configured", which never changes a verdict.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from flask import current_app
from jsonschema import Draft201909Validator
from jsonschema.exceptions import SchemaError

from app.domain import DomainError
from app.openbadges.fetching import Fetcher, FetchError
from app.openbadges.schema import SCHEMA_FILES
from app.security.fetcher import SafeFetcher

logger = logging.getLogger(__name__)
_fetching = threading.Lock()
_tried: set[str] = set()  # base URLs already fetched (or failed) by this process


class SchemaFetchError(DomainError):
    """The schemas could not be fetched; the message says which and why."""


def schema_dir() -> Path | None:
    """The folder the schema check reads (None: the engine's default, which holds none)."""
    config = current_app.config
    if config.get("OB_SCHEMA_DIR"):
        return Path(config["OB_SCHEMA_DIR"])
    base_url = config.get("OB_SCHEMA_URL")
    if not base_url:
        return None
    folder = Path(current_app.instance_path) / "ob-schemas"
    if not all((folder / name).is_file() for name in SCHEMA_FILES):
        with _fetching:
            if base_url not in _tried:
                _tried.add(base_url)  # one attempt per process: a failing source is not hammered
                try:
                    fetch_schemas(base_url, folder, outbound_fetcher())
                except SchemaFetchError as exc:
                    logger.warning("OB_SCHEMA_URL is set but the schemas could not be fetched: %s", exc)
    return folder


def outbound_fetcher() -> SafeFetcher:
    return SafeFetcher(allow_private_networks=bool(current_app.config.get("VERIFIER_ALLOW_PRIVATE_NETWORKS")))


def fetch_schemas(base_url: str, folder: Path, fetcher: Fetcher) -> list[Path]:
    """Fetch every schema file from ``base_url`` into ``folder``; each must be a usable JSON
    Schema (Draft 2019-09) before it replaces what was there. Returns the files written."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    fetched: dict[str, bytes] = {}
    for name in SCHEMA_FILES:
        try:
            response = fetcher.get(base + name, accept="application/schema+json, application/json")
        except FetchError as exc:
            raise SchemaFetchError(f"{base + name} could not be fetched: {exc}") from None
        if response.status != 200:
            raise SchemaFetchError(f"{base + name} answered HTTP {response.status}")
        try:
            Draft201909Validator.check_schema(json.loads(response.content))
        except (ValueError, SchemaError):
            raise SchemaFetchError(f"{base + name} is not a JSON Schema") from None
        fetched[name] = response.content
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in fetched.items():  # only once every file is good
        partial = folder / f".{name}.partial"
        partial.write_bytes(content)
        partial.replace(folder / name)
        written.append(folder / name)
    return written
