"""HTTP caching for public documents that many fetch and few change: issued credentials,
status lists, DID documents, hub records and their Open Badges documents.

Each gets a strong ETag from its body and a Cache-Control; a client that sends the ETag back
(If-None-Match) gets 304 Not Modified with no body. Anything that can change a verdict
(credentials, status lists) is "no-cache": a cache may keep a copy but must revalidate it, so a
revocation is seen on the next check.
"""

from __future__ import annotations

from flask import Response, request


def conditional(response: Response, *, max_age: int = 0, private: bool = False) -> Response:
    """Add an ETag and Cache-Control to ``response``; 304 when the client's copy is current.

    ``max_age`` seconds of freshness (0: revalidate every time); ``private`` for a page that
    may differ per person (a signed-in header), which shared caches must not keep."""
    response.add_etag()
    if private:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    if max_age:
        response.cache_control.max_age = max_age
    else:
        response.cache_control.no_cache = True
    response.make_conditional(request)  # turns it into 304 in place when the ETag matches
    return response
