"""`flask recruitment purge`: delete the personal data of candidates whose vacancy's retention
period has ended (6 months after closing by default), keeping anonymous counts. Run it daily
from cron, e.g. `15 2 * * * cd /srv/credwork && .venv/bin/flask recruitment purge`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.domain.calendar import london_today
from app.extensions import db
from app.services import recruitment

recruitment_group = AppGroup("recruitment", help="Vacancies and candidates.")


@recruitment_group.command("purge")
def purge():
    """Delete candidates' data whose retention period has ended."""
    vacancies, people = recruitment.retention.purge_due(london_today())
    db.session.commit()
    click.echo(
        f"Deleted the data of {people} candidate{'s' if people != 1 else ''} "
        f"from {vacancies} vacanc{'ies' if vacancies != 1 else 'y'}."
    )
