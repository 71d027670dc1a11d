"""Feature blueprints. Each package exposes `bp`; this list is the one place they are registered."""
from __future__ import annotations

from importlib import import_module

BLUEPRINTS = [
    "app.blueprints.main",
    "app.blueprints.auth",
    "app.blueprints.organisation",
    "app.blueprints.api",
    "app.blueprints.hub",
    "app.blueprints.glossary",
    "app.blueprints.catalogue",
    "app.blueprints.platform",
    "app.blueprints.sso",
    "app.blueprints.roles",
    "app.blueprints.cpd",
    "app.blueprints.verify",
    "app.blueprints.api_keys",
    "app.blueprints.credentials",
    "app.blueprints.issuing",
]


def register_all(app) -> None:
    for dotted in BLUEPRINTS:
        module = import_module(f"{dotted}.routes")
        app.register_blueprint(module.bp)
