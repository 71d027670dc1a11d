"""An organisation's people, one page at a time: searched, filtered and sorted in SQL, so the
page costs the same few queries at ten people or ten thousand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import Membership, MembershipStatus, Organisation, RoleGrant, User

PAGE_SIZE = 50
SORTS = {
    "name": (User.name, User.id),
    "email": (User.email, User.id),
    "department": (func.coalesce(Membership.department, ""), User.name, User.id),
}


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    role: str = ""
    department: str = ""
    sort: str = "name"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> PeopleFilters:
        sort = args.get("sort", "name")
        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        return cls(
            q=(args.get("q") or "").strip()[:200],
            role=(args.get("role") or "").strip()[:40],
            department=(args.get("department") or "").strip()[:120],
            sort=sort if sort in SORTS else "name",
            page=page,
        )

    def query_args(self, **changes: Any) -> dict[str, Any]:
        """The filters as URL arguments (defaults left out), without the page unless changed."""
        values = {"q": self.q, "role": self.role, "department": self.department, "sort": self.sort, **changes}
        return {k: v for k, v in values.items() if v and not (k == "sort" and v == "name")}


@dataclass
class PeoplePage:
    members: list[Membership]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def search(org: Organisation, f: PeopleFilters) -> PeoplePage:
    """Active members matching ``f``: one COUNT, one page of rows, one query for their roles."""
    stmt = (
        select(Membership)
        .join(User, Membership.user_id == User.id)
        .where(Membership.organisation_id == org.id, Membership.status == MembershipStatus.ACTIVE)
    )
    if f.q:
        like = f"%{f.q.lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(like), func.lower(User.email).like(like)))
    if f.department:
        stmt = stmt.where(Membership.department == f.department)
    if f.role:
        stmt = stmt.where(Membership.id.in_(select(RoleGrant.membership_id).where(RoleGrant.role == f.role)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = min(f.page, max(1, -(-total // PAGE_SIZE)))
    rows = db.session.scalars(
        stmt.options(contains_eager(Membership.user))
        .order_by(*SORTS[f.sort])
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return PeoplePage(list(rows), page, total)


def departments(org: Organisation) -> list[str]:
    return list(
        db.session.scalars(
            select(Membership.department)
            .where(
                Membership.organisation_id == org.id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.department.is_not(None),
            )
            .distinct()
            .order_by(Membership.department)
        )
    )
