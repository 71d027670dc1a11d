"""`flask verify PATH_OR_URL [--recipient EMAIL] [--json]`: verify one badge from a terminal.

Nothing is stored. With --json exactly one JSON object is printed; the exit status is 0
only when the verdict is valid (1 otherwise, 2 when the input could not be read at all).

`flask verify fetch-schemas DIR [--from URL]` fetches 1EdTech's OB 3.0 JSON Schemas into DIR,
for OB_SCHEMA_DIR.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.extensions import db
from app.openbadges.schema import PUBLISHED_AT
from app.services import verification

STATUS_MARKS = {
    "pass": "PASS",
    "fail": "FAIL",
    "warn": "WARN",
    "skip": "SKIP",
    "not_applicable": "N/A",
    "not_configured": "NOT CONFIGURED",
}


def _read(target: str) -> bytes | str:
    if target.startswith(("https://", "http://")):
        return target
    path = Path(target)
    if target == "-":
        data = sys.stdin.buffer.read(verification.max_upload_bytes() + 1)
    elif not path.is_file():
        raise click.UsageError(f"{target} is neither a file nor an http(s) URL")
    else:
        if path.stat().st_size > verification.max_upload_bytes():
            raise click.UsageError(f"{target} is larger than {verification.max_upload_bytes()} bytes")
        data = path.read_bytes()
    if len(data) > verification.max_upload_bytes():
        raise click.UsageError(f"the input is larger than {verification.max_upload_bytes()} bytes")
    return data


class _VerifyGroup(click.Group):
    """`flask verify X` verifies X, unless X names a subcommand (`fetch-schemas`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["badge", *args]
        return super().parse_args(ctx, args)


verify_command = _VerifyGroup("verify", help="Verify a badge (flask verify PATH_OR_URL), or fetch-schemas.")


@verify_command.command("badge")
@click.argument("target", metavar="PATH_OR_URL")
@click.option("--recipient", "recipient", metavar="EMAIL", help="Check the badge was awarded to this email.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a summary.")
def verify_badge(target: str, recipient: str | None, as_json: bool):
    """Verify a badge file (JSON, JWT, baked PNG or SVG), '-' for standard input, or a URL."""
    try:
        data = _read(target)
    except click.UsageError as exc:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "verdict": "unverifiable",
                        "format": "unknown",
                        "issuer": {"id": None, "name": None},
                        "achievement": {"name": None},
                        "recipient_match": None,
                        "checks": [{"name": "input", "status": "fail", "detail": exc.message}],
                    }
                )
            )
        else:
            click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)
    result = verification.verify_data(data, recipient)
    payload = result.to_json()
    if as_json:
        click.echo(json.dumps(payload, sort_keys=True))
    else:
        click.echo(_summary(payload))
    sys.exit(0 if payload["verdict"] == "valid" else 1)


def _summary(payload: dict) -> str:
    issuer = payload.get("issuer") or {}
    achievement = payload.get("achievement") or {}
    match = {True: "matches", False: "DOES NOT MATCH", None: "not checked"}[payload.get("recipient_match")]
    lines = [
        f"Verdict:     {payload['verdict'].upper()}",
        f"Achievement: {achievement.get('name') or '(not given)'}",
        f"Issuer:      {issuer.get('name') or '(no name)'} <{issuer.get('id') or 'unknown'}>",
        f"Format:      {payload.get('format')}",
        f"Recipient:   {match}",
        "",
        "Checks:",
    ]
    for check in payload.get("checks", []):
        lines.append(f"  [{STATUS_MARKS.get(check['status'], check['status'])}] {check['name']}: {check['detail']}")
    return "\n".join(lines)


@verify_command.command("fetch-schemas")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from",
    "base_url",
    default=PUBLISHED_AT,
    show_default=True,
    help="Where the schema files are published.",
)
def fetch_schemas_command(directory: Path, base_url: str):
    """Fetch 1EdTech's Open Badges 3.0 JSON Schemas into DIRECTORY; then set OB_SCHEMA_DIR to it."""
    try:
        written = verification.schemas.fetch_schemas(base_url, directory, verification.schemas.outbound_fetcher())
    except verification.schemas.SchemaFetchError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"Saved {path}")
    click.echo(f"Set OB_SCHEMA_DIR={directory.resolve()} to check credentials against them.")


verifications_group = click.Group("verifications", help="Stored verification results.")


@verifications_group.command("purge-anonymous")
@click.option(
    "--days",
    default=30,
    show_default=True,
    type=click.IntRange(min=0),
    help="Keep public-page results younger than this many days.",
)
def purge_anonymous_command(days: int):
    """Delete results of the public verifier older than --days (run it daily from cron)."""
    count = verification.purge_anonymous(days)
    db.session.commit()
    click.echo(f"Deleted {count} anonymous verification result(s) older than {days} day(s)")
