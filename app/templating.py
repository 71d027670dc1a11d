"""What templates can see: the policy helper, the current organisation, dates in Europe/London."""

from __future__ import annotations

from flask import Flask, url_for
from flask_login import current_user

from app.domain.calendar import london, london_date
from app.domain.money import format_pounds
from app.models import ROLE_LABELS, Role
from app.security import policy
from app.security.permissions import Permission

# Public pages linked from every page.
PUBLIC_LINKS = [
    ("hub.search", "Micro-credential hub"),
    ("glossary.index", "Glossary"),
    ("verification.public", "Verify a badge"),
]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["london"] = london
    app.jinja_env.filters["london_date"] = london_date
    app.jinja_env.filters["pounds"] = format_pounds
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.template_global()
    def public_nav_links() -> list[dict]:
        links = []
        for endpoint, title in PUBLIC_LINKS:
            # A recruiter's checks belong in their organisation's history, not the anonymous verifier.
            if (
                endpoint == "verification.public"
                and getattr(current_user, "is_authenticated", False)
                and policy.can(Permission.VERIFICATIONS_RUN)
            ):
                endpoint = "verification.index"
            links.append({"url": url_for(endpoint), "title": title})
        return links

    @app.template_global()
    def role_label(value: str) -> str:
        try:
            return ROLE_LABELS[Role(value)]
        except ValueError:
            return value

    @app.context_processor
    def inject():
        authed = getattr(current_user, "is_authenticated", False)
        membership = policy.current_membership() if authed else None
        return {
            "can": policy.can,
            "current_membership": membership,
            "current_org": membership.organisation if membership else None,
            "my_memberships": policy.active_memberships(current_user) if authed else [],
        }
