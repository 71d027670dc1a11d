"""`flask wallet recheck [--limit N] [--older-than-hours H]`: the scheduled re-check of imported
badges (their status lists and issuers may have changed). Run it from cron, e.g. hourly."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.services import wallet

wallet_group = AppGroup("wallet", help="People's wallets of imported badges.")


@wallet_group.command("recheck")
@click.option("--limit", default=500, show_default=True, help="At most this many badges per run.")
@click.option("--older-than-hours", default=24, show_default=True, help="Only badges not checked for this long.")
def recheck(limit: int, older_than_hours: int):
    """Check again the imported badges checked longest ago."""
    checked = wallet.recheck_due(limit, older_than_hours=older_than_hours)
    db.session.commit()
    click.echo(f"Checked {checked} imported badge{'s' if checked != 1 else ''} again.")
