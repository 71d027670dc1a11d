"""`flask` commands. Each capability registers its own group here."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from app.blueprints.apprenticeships.cli import apprenticeships_group
from app.blueprints.credentials.cli import credentials
from app.blueprints.recruitment.cli import recruitment_group
from app.blueprints.verification.cli import verifications_group, verify_command
from app.blueprints.wallet.cli import wallet_group
from app.extensions import db
from app.services.catalogue.search_index import rebuild_search_index
from app.services.skills.framework import FrameworkFileError, import_file
from seeds import DEMO_PASSWORD, SEEDS_DIR, load_demo

seed = AppGroup("seed", help="Load demo or reference data.")


@seed.command("demo")
def seed_demo():
    """Load the demo organisations, people and data (safe to run again)."""

    load_demo(log=click.echo)
    db.session.commit()
    people = json.loads((SEEDS_DIR / "demo" / "organisations.json").read_text())["people"]
    click.echo(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for person in people:
        roles = "; ".join(f"{m['org']}: {', '.join(m['roles'])}" for m in person["memberships"])
        click.echo(f"  {person['email']:<45} {roles}")
    # Seeding does not start a server: say how to reach the app once it runs (make run starts it).
    click.echo(f"\nOnce the app is running (make run), sign in at {current_app.config['PUBLIC_BASE_URL']}/login")


@seed.command("scale")
@click.option("--staff", default=10_000, show_default=True, help="People at the large employer.")
@click.option("--apprentices", default=1_000, show_default=True, help="Apprentices in one cohort.")
@click.option("--credentials", default=100_000, show_default=True, help="Micro-credentials the staff hold.")
@click.option("--hub-records", default=10_000, show_default=True, help="Published micro-credentials on the hub.")
@click.option("--cpd-requests", type=int, default=None, help="CPD requests over three years [default: one per person].")
@click.option("--issued", default=10_000, show_default=True, help="Open Badges the college issued to the staff.")
@click.option("--verifications", default=10_000, show_default=True, help="Verifications in the recruiter's history.")
def seed_scale(
    staff: int,
    apprentices: int,
    credentials: int,
    hub_records: int,
    cpd_requests: int | None,
    issued: int,
    verifications: int,
):
    """Add a large employer (Strathmore Health Board) beside the demo (safe to run again)."""
    from seeds.scale import ADMIN_EMAIL, HR_EMAIL, RECRUITER_EMAIL, load_scale

    load_scale(
        staff=staff,
        apprentices=apprentices,
        credentials=credentials,
        hub_records=hub_records,
        cpd_requests=cpd_requests,
        issued=issued,
        verifications=verifications,
        log=click.echo,
    )
    db.session.commit()
    click.echo(
        f"\nSign in as its HR manager, {HR_EMAIL}, its org admin, {ADMIN_EMAIL}, or its recruiter, "
        f"{RECRUITER_EMAIL} (password {DEMO_PASSWORD})."
    )


def init_app(app) -> None:
    app.cli.add_command(seed)
    app.cli.add_command(skills)

    app.cli.add_command(verify_command)
    app.cli.add_command(verifications_group)

    app.cli.add_command(credentials)
    app.cli.add_command(wallet_group)
    app.cli.add_command(recruitment_group)
    app.cli.add_command(apprenticeships_group)


skills = AppGroup("skills", help="The skills framework (ESCO).")


@skills.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def skills_import(files):
    """Load ESCO CSV files (skills, occupations, occupationSkillRelations); safe to run again."""

    for path in files:
        try:
            click.echo(f"{path}: {import_file(path)}")
        except FrameworkFileError as exc:
            db.session.rollback()
            raise click.ClickException(f"{path}: {exc}") from exc
    db.session.commit()


@skills.command("reindex-hub")
def skills_reindex_hub():
    """Rebuild the hub's full-text index and its "Did you mean" vocabulary from the published micro-credentials."""

    count = rebuild_search_index()
    db.session.commit()
    click.echo(f"Search index holds {count} published micro-credential(s)")
