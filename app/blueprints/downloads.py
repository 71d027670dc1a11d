"""Files sent for download (PDFs, CSVs): one place sets the headers."""

from __future__ import annotations

import re

from flask import Response


def attachment(body: bytes | str, filename: str, mimetype: str) -> Response:
    """`body` as a download named `filename` (reduced to letters, digits, dots and hyphens so
    nothing a person typed can reach the header), never cached."""
    safe = re.sub(r"[^a-z0-9.-]+", "-", filename.lower()).strip("-") or "download"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "no-store"
    return response
