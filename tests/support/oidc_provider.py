"""A small, real OpenID Connect provider for tests: Authlib's authorization server in a thread.

It publishes a discovery document and a JWKS (RS256 key generated at start), runs the
authorization code grant with OpenID Connect ID tokens and PKCE, and approves whoever
`set_user` names without showing a page. Knobs let a test make it misbehave (sign with a key
it does not publish, claim another issuer or audience, publish odd discovery fields).

    provider = start_provider(users=[{"email": "ann@acme.example"}])
    provider.issuer, provider.client_id, provider.client_secret
    provider.set_user("bob@acme.example", verified=False, name="Bob")
    provider.stop()

As a separate process (for browser tests): `python -m tests.support.oidc_provider --port 9100`
prints one JSON line {issuer, client_id, client_secret}; POST JSON {"email", "verified", "name"}
to <issuer>/_control/user to change who is approved.
"""

from __future__ import annotations

import argparse
import json
import secrets
import threading
import time
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

SIGNING_KID = "test-signing-key"


@dataclass
class IdpUser:
    email: str
    verified: bool = True
    name: str = "Test Person"

    @property
    def sub(self) -> str:
        return "sub-" + self.email


@dataclass
class _Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str] | None

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in {"openid", "email", "profile"})

    def check_redirect_uri(self, redirect_uri):
        return self.redirect_uris is None or redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post") if endpoint == "token" else True

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class _Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: IdpUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class OidcProvider:
    """The running provider; see the module docstring for the API."""

    def __init__(
        self,
        port: int = 0,
        users=None,
        client_id: str = "credwork-test",
        client_secret: str | None = None,
        redirect_uris: list[str] | None = None,
    ):
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.key = RSAKey.generate_key(2048, parameters={"kid": SIGNING_KID, "use": "sig"})
        self.unpublished_key = RSAKey.generate_key(2048, parameters={"kid": SIGNING_KID, "use": "sig"})
        self.sign_with_unpublished_key = False
        self.id_token_overrides: dict = {}  # claims replaced in the next ID tokens (iss, aud, ...)
        self.metadata_overrides: dict = {}  # fields replaced in the discovery document
        self.users = [IdpUser(**u) if isinstance(u, dict) else u for u in (users or [])]
        self.user: IdpUser | None = self.users[0] if self.users else None
        self.authorization_requests: list[dict] = []  # query strings seen at /authorize
        self._codes: dict[str, _Code] = {}
        self._used_nonces: set[str] = set()
        self._client = _Client(self.client_id, self.client_secret, redirect_uris)
        self.app = self._build_app()
        self._server = make_server("127.0.0.1", port, self.app, threaded=True)
        self.port = self._server.server_port
        self.issuer = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- the API tests use ---------------------------------------------------------------------

    def start(self) -> OidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def set_user(self, email: str, verified: bool = True, name: str = "Test Person") -> IdpUser:
        """Approve this person at the next authorization request."""
        self.user = IdpUser(email=email, verified=verified, name=name)
        return self.user

    @property
    def last_authorization(self) -> dict:
        return self.authorization_requests[-1] if self.authorization_requests else {}

    # --- the server --------------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask("oidc_provider")
        app.config["OAUTH2_SCOPES_SUPPORTED"] = ["openid", "email", "profile"]
        server = AuthorizationServer(app, query_client=self._query_client, save_token=lambda token, req: None)
        server.register_grant(self._grant_class(), [CodeChallenge(required=True), self._openid_extension()])
        provider = self

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                {
                    "issuer": provider.issuer,
                    "authorization_endpoint": f"{provider.issuer}/authorize",
                    "token_endpoint": f"{provider.issuer}/token",
                    "jwks_uri": f"{provider.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "scopes_supported": ["openid", "email", "profile"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                    "code_challenge_methods_supported": ["S256"],
                    "claims_supported": ["sub", "email", "email_verified", "name"],
                    **provider.metadata_overrides,
                }
            )

        @app.get("/jwks")
        def jwks():
            return jsonify({"keys": [provider.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize():
            provider.authorization_requests.append(request.args.to_dict())
            if request.args.get("code_challenge_method") != "S256":
                return jsonify({"error": "invalid_request", "error_description": "PKCE S256 required"}), 400
            try:
                grant = server.get_consent_grant(end_user=provider.user)
            except OAuth2Error as error:
                return jsonify(dict(error.get_body())), 400
            # No consent page: approve whoever set_user named (None means the person declined).
            return server.create_authorization_response(grant=grant, grant_user=provider.user)

        @app.post("/token")
        def token():
            return server.create_token_response()

        @app.post("/_control/user")
        def control_user():
            data = request.get_json(force=True)
            user = provider.set_user(data["email"], bool(data.get("verified", True)), data.get("name", "Test Person"))
            return jsonify({"email": user.email, "verified": user.verified})

        return app

    def _query_client(self, client_id):
        return self._client if client_id == self.client_id else None

    def _grant_class(self):
        provider = self

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, req):
                data = req.payload.data
                if data.get("nonce"):
                    provider._used_nonces.add(data["nonce"])
                provider._codes[code] = _Code(
                    code=code,
                    client_id=req.client.client_id,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.scope,
                    user=req.user,
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code, client):
                item = provider._codes.get(code)
                return item if item and item.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider._codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        return CodeGrant

    def _openid_extension(self):
        provider = self

        class Extension(OpenIDCode):
            def exists_nonce(self, nonce, req):
                return nonce in provider._used_nonces

            def resolve_client_private_key(self, client):
                return provider.unpublished_key if provider.sign_with_unpublished_key else provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": SIGNING_KID}

            def get_authorization_code_claims(self, authorization_code):
                # Applied last, so a test can also tamper with the nonce.
                claims = super().get_authorization_code_claims(authorization_code)
                claims.update({k: v for k, v in provider.id_token_overrides.items() if k == "nonce"})
                return claims

            def get_client_claims(self, client):
                now = int(time.time())
                claims = {"iss": provider.issuer, "aud": [client.get_client_id()], "iat": now, "exp": now + 300}
                claims.update(provider.id_token_overrides)
                return claims

            def generate_user_info(self, user, scope):
                return UserInfo(sub=user.sub, email=user.email, email_verified=user.verified, name=user.name)

        return Extension(require_nonce=True)


def start_provider(users=None, **options) -> OidcProvider:
    """Start a provider on 127.0.0.1 (a random port unless port= is given) in a daemon thread."""
    return OidcProvider(users=users, **options).start()


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the test OpenID Connect provider.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--client-id", default="credwork-test")
    parser.add_argument("--client-secret", default=None)
    parser.add_argument("--email", default=None, help="the person approved at first")
    args = parser.parse_args()
    provider = OidcProvider(
        port=args.port,
        client_id=args.client_id,
        client_secret=args.client_secret,
        users=[{"email": args.email}] if args.email else None,
    )
    print(
        json.dumps(
            {"issuer": provider.issuer, "client_id": provider.client_id, "client_secret": provider.client_secret}
        ),
        flush=True,
    )
    try:
        provider._server.serve_forever()
    except KeyboardInterrupt:
        provider.stop()


if __name__ == "__main__":
    main()
