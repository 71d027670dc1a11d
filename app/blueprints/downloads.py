"""Files sent for download (PDFs, CSVs): one place sets the headers; a large report made in the
background sends the person to its job's page, which offers the file once it is ready."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, url_for
from werkzeug.wrappers.response import Response as Redirect


def attachment(body: bytes | str, filename: str, mimetype: str) -> Response:
    """`body` as a download named `filename` (reduced to letters, digits, dots and hyphens so
    nothing a person typed can reach the header), never cached."""
    safe = re.sub(r"[^a-z0-9.-]+", "-", filename.lower()).strip("-") or "download"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def report_started(job) -> Redirect:
    """The answer to asking for a report that is made in the background (see jobs.reports)."""
    flash("This report is large, so it is being made in the background. It will be ready to download here.")
    return redirect(url_for("jobs.show", job_id=job.id), code=303)
