"""HTTP caching for public documents that many fetch and few change: issued credentials,
status lists, DID documents, hub records and their Open Badges documents.

Each gets a strong ETag from its body and a Cache-Control; a client that sends the ETag back
(If-None-Match) gets 304 Not Modified with no body. Anything that can change a verdict
(credentials, status lists) is "no-cache": a cache may keep a copy but must revalidate it, so a
revocation is seen on the next check.
"""

from __future__ import annotations

import hashlib
import time

from flask import Response, g, request, session

# Every HTML page carries the person's CSRF token, signed with the time it was signed, so the
# body changes every second. The ETag leaves the signed token out and names instead the session's
# raw token and this window: a 304 never hands back a page whose token is more than one window
# older than a fresh one would be (tokens last WTF_CSRF_TIME_LIMIT, an hour).
CSRF_WINDOW_SECONDS = 600


def conditional(response: Response, *, max_age: int = 0, private: bool = False) -> Response:
    """Add an ETag and Cache-Control to ``response``; 304 when the client's copy is current.

    ``max_age`` seconds of freshness (0: revalidate every time); ``private`` for a page that
    may differ per person (a signed-in header), which shared caches must not keep."""
    response.set_etag(_etag(response))
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


def _etag(response: Response) -> str:
    body = response.get_data()
    signed = g.get("csrf_token")
    if signed and response.mimetype == "text/html":
        body = body.replace(signed.encode(), b"")
        body += f"|{session.get('csrf_token', '')}|{int(time.time() // CSRF_WINDOW_SECONDS)}".encode()
    return hashlib.sha256(body).hexdigest()
