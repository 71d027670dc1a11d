"""`flask credentials list [--json]` and `flask credentials export ID --format json|jwt`.

``list --json`` prints one JSON array (each object has ``id``, the credential's public uuid);
``export`` prints exactly the document a verifier would fetch, so its output can be piped
into any other verifier.
"""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.badges import IssuedCredential
from app.services import issuing

credentials = AppGroup("credentials", help="Badges issued on this site.")


def summary(issued: IssuedCredential) -> dict:
    """The listing of one issued credential (what `list --json` prints per item)."""
    return {
        "id": issued.public_id,
        "url": issuing.credential_url(issued.public_id),
        "recipient": {"name": issued.recipient_name, "email": issued.recipient_email},
        "achievement": {
            "name": issued.achieved.title,
            "code": issued.achieved.code,
            "version": issued.achieved.version,
        },
        "issuer": {"id": issued.issuer.did, "name": issued.issuer.name},
        "issued": issued.issued_at.isoformat(),
        "valid_until": issued.valid_until.isoformat() if issued.valid_until else None,
        "status": issued.state,
        "revocation_reason": issued.revocation_reason,
    }


@credentials.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
def list_command(as_json: bool):
    """List every issued credential, newest first."""
    rows = db.session.scalars(
        select(IssuedCredential)
        .options(selectinload(IssuedCredential.micro_credential), selectinload(IssuedCredential.issuer))
        .order_by(IssuedCredential.issued_at.desc(), IssuedCredential.id.desc())
    ).all()
    items = [summary(r) for r in rows]
    if as_json:
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    for item in items:
        click.echo(
            f"{item['id']}  {item['status']:<8} {item['issued'][:10]}  "
            f"{item['achievement']['name']} -> {item['recipient']['name']}"
        )
    click.echo(f"{len(items)} credential(s)")


@credentials.command("export")
@click.argument("credential_id")
@click.option("--format", "fmt", type=click.Choice(["json", "jwt"]), default="json", show_default=True)
def export_command(credential_id: str, fmt: str):
    """Print one credential (by its uuid or its URL) as signed JSON-LD or as a VC-JWT."""
    public_id = credential_id.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json").removesuffix(".jwt")
    issued = issuing.by_public_id(public_id)
    if issued is None:
        raise click.ClickException(f"No issued credential {credential_id}")
    click.echo(issued.credential_jwt if fmt == "jwt" else issued.credential_text)
