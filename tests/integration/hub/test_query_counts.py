"""The hub's pages run a fixed number of SQL queries whatever the size of the catalogue."""

from __future__ import annotations

from app.services.catalogue import lifecycle
from tests.factories.accounts import OrganisationFactory
from tests.factories.catalogue import micro_credential, skill, values


def build(records_per_provider: int, versions: int):
    skills = [skill(f"skill {n}") for n in range(6)]
    for p in range(2):
        provider = OrganisationFactory(provider=True, slug=f"qc-{records_per_provider}-{p}")
        for n in range(records_per_provider):
            micro_credential(
                provider,
                code=f"QC-{p}-{n}",
                title=f"Welding course {n}",
                skills=skills[n % 3 : n % 3 + 3],
                funding=["fwdf"],
                mode="online",
            )
    record = micro_credential(provider, code="QC-MANY", title="Many versions", skills=skills)
    for _ in range(versions):
        draft = lifecycle.new_version(None, record)
        lifecycle.update_draft(None, draft, values(title="Many versions"), skills)
        lifecycle.publish(None, draft)
        record = draft
    return provider.slug


def queries_for(client, count_queries, urls) -> list[int]:
    counts = []
    for url in urls:
        with count_queries() as counter:
            assert client.get(url).status_code == 200, url
        counts.append(counter.count)
    return counts


PAGES = [
    "/hub",
    "/hub?q=welding",
    "/hub?q=welding&credit=yes&mode=online&funding=fwdf&sort=price&page=2",
    "/hub?skill=1&level_min=3",
]


def test_search_and_record_pages_run_the_same_queries_for_small_and_large_catalogues(client, count_queries):
    small_slug = build(records_per_provider=12, versions=1)  # enough for a page 2
    small = queries_for(
        client, count_queries, PAGES + [f"/hub/{small_slug}/QC-MANY", f"/hub/{small_slug}/QC-MANY/achievement.json"]
    )
    large_slug = build(records_per_provider=60, versions=6)
    large = queries_for(
        client, count_queries, PAGES + [f"/hub/{large_slug}/QC-MANY", f"/hub/{large_slug}/QC-MANY/achievement.json"]
    )
    assert small == large
    assert max(large) <= 8, large
