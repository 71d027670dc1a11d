"""The address people reach the app at, against PUBLIC_BASE_URL (which every emailed and
credential link is built from)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request


def warn_if_links_point_elsewhere(app: Flask) -> None:
    """Once per process: say so when the app is reached at another address than
    PUBLIC_BASE_URL, because every link in emails and credentials would then point elsewhere."""
    if app.extensions.get("credwork_base_url_checked"):
        return
    app.extensions["credwork_base_url_checked"] = True
    configured = urlsplit(str(app.config.get("PUBLIC_BASE_URL", "")))
    served = urlsplit(request.host_url)
    if (configured.scheme, configured.netloc) != (served.scheme, served.netloc):
        app.logger.warning(
            "This app is being reached at %s but PUBLIC_BASE_URL is %s: links in emails and "
            "credentials will point at %s. Set PUBLIC_BASE_URL to the address people use.",
            request.host_url.rstrip("/"),
            app.config.get("PUBLIC_BASE_URL"),
            app.config.get("PUBLIC_BASE_URL"),
        )


def init_app(app: Flask) -> None:
    app.before_request(lambda: warn_if_links_point_elsewhere(app))
