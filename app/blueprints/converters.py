"""URL converters every blueprint shares."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Ids are 32-bit integers in the database (PostgreSQL's `integer`): a larger number in a URL can
# name nothing, so it does not match a route (404) instead of failing in the database (500).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a whole number from 0 to MAX_ID."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
