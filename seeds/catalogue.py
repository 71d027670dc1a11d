"""Demo micro-credentials (seeds/demo/catalogue.json), published through the real lifecycle.

Idempotent: a (provider, code) that already has any version is left alone."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.models import Organisation
from app.services.catalogue import lifecycle as catalogue
from app.services.catalogue.import_export import is_published_in, values_from_json
from seeds import SEEDS_DIR


def load(log=print) -> None:
    data = json.loads((SEEDS_DIR / "demo" / "catalogue.json").read_text())
    providers = {
        o.slug: o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.slug.in_([p["slug"] for p in data["providers"]]))
        )
    }
    added = 0
    for item in data["micro_credentials"]:
        provider = providers.get(item["provider"])
        if provider is None:
            raise RuntimeError(f"Provider {item['provider']} is missing: load seeds.organisations first")
        if catalogue.current_version(provider.id, item["code"]) is not None:
            continue
        skills = catalogue.skills_by_uri(item.get("skills") or [])
        record = catalogue.create_draft(
            None,
            provider,
            item["code"],
            values_from_json(item),
            [skills[u] for u in item.get("skills") or [] if u in skills],
        )
        if is_published_in(item):
            catalogue.publish(None, record)
        added += 1
    db.session.flush()
    log(f"Micro-credentials: {added} added ({len(data['micro_credentials'])} in the demo catalogue)")
