"""`flask apprenticeships refresh-progress`: assess every active apprenticeship again and keep
its status (time passing alone moves it: hours expected grow, reviews fall due). Run it daily
from cron, e.g. `30 1 * * * cd /srv/credwork && .venv/bin/flask apprenticeships refresh-progress`,
or let Celery beat run it; run it once after upgrading to fill the status in."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.domain.calendar import london_today
from app.extensions import db
from app.services.apprenticeships import progress

apprenticeships_group = AppGroup("apprenticeships", help="Apprenticeships and their progress.")


@apprenticeships_group.command("refresh-progress")
def refresh_progress():
    """Assess every active apprenticeship's progress again."""
    done = progress.refresh_running(london_today())
    db.session.commit()
    click.echo(f"Assessed the progress of {done} active apprenticeship{'s' if done != 1 else ''}.")
