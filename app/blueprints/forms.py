"""Field helpers shared by feature forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(target: str | None, default_endpoint: str = "main.dashboard") -> str:
    """Only same-site relative paths are followed after sign-in (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for(default_endpoint)


def next_param() -> str | None:
    return request.values.get("next")
