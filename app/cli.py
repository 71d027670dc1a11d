"""`flask` commands. Each capability registers its own group here."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

seed = AppGroup("seed", help="Load demo or reference data.")


@seed.command("demo")
def seed_demo():
    """Load the demo organisations, people and data (safe to run again)."""
    from seeds import DEMO_PASSWORD, SEEDS_DIR, load_demo

    load_demo(log=click.echo)
    db.session.commit()
    people = json.loads((SEEDS_DIR / "demo" / "organisations.json").read_text())["people"]
    click.echo("\nDemo sign-ins (password for all: %s):" % DEMO_PASSWORD)
    for person in people:
        roles = "; ".join(f"{m['org']}: {', '.join(m['roles'])}" for m in person["memberships"])
        click.echo(f"  {person['email']:<45} {roles}")
    click.echo(f"\nOpen {current_app.config['PUBLIC_BASE_URL']}/login")


def init_app(app) -> None:
    app.cli.add_command(seed)
