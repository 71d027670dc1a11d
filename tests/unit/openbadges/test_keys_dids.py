"""Issuer keys (generation, encryption at rest) and DID resolution / documents."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from app.openbadges import dids, keys
from app.openbadges.dids import KeyResolutionError
from app.openbadges.documents import (
    ContextNotBundled,
    bundled_urls,
    load_context,
    manifest,
)
from tests.support.openbadges import DCC, EDDSA, TableFetcher, load, needs_conformance


def test_encrypted_private_key_round_trips_and_refuses_the_wrong_secret():
    pair = keys.generate_key_pair()
    token = keys.encrypt_private_key(pair.private_key, "configured-secret", context="issuer-1#key-1")
    assert pair.public_multibase not in token
    restored = keys.decrypt_private_key(token, "configured-secret", context="issuer-1#key-1")
    assert keys.KeyPair(restored).public_multibase == pair.public_multibase
    with pytest.raises(keys.KeyDecryptionError):
        keys.decrypt_private_key(token, "another-secret", context="issuer-1#key-1")
    with pytest.raises(keys.KeyDecryptionError):
        keys.decrypt_private_key(token, "configured-secret", context="issuer-2#key-1")
    with pytest.raises(keys.KeyDecryptionError):
        keys.decrypt_private_key(token[:-4] + "AAAA", "configured-secret", context="issuer-1#key-1")


@needs_conformance
def test_multikey_secret_from_the_w3c_vectors_gives_the_published_public_key():
    pair = load(EDDSA / "keyPair.json")
    assert (
        keys.key_pair_from_private_multibase(pair["privateKeyMultibase"]).public_multibase == pair["publicKeyMultibase"]
    )


def test_did_key_resolves_to_its_own_key():
    pair = keys.generate_key_pair()
    did = dids.did_key_for(pair.public_key)
    method = dids.resolve_verification_method(f"{did}#{pair.public_multibase}", fetcher=None)
    assert method.controller == did and "assertionMethod" in method.purposes
    assert keys.ed25519_public_multibase(method.public_key) == pair.public_multibase


def test_did_key_with_a_foreign_fragment_is_not_found():
    pair = keys.generate_key_pair()
    with pytest.raises(KeyResolutionError):
        dids.resolve_verification_method(f"{dids.did_key_for(pair.public_key)}#other", fetcher=None)


@pytest.mark.parametrize(
    "did,url",
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:example.com:issuers:42", "https://example.com/issuers/42/did.json"),
        ("did:web:localhost%3A8443:a", "https://localhost:8443/a/did.json"),
    ],
)
def test_did_web_urls(did, url):
    assert dids.did_web_url(did) == url


def test_did_web_for_round_trips_with_the_url():
    assert (
        dids.did_web_url(dids.did_web_for("badges.example.ac.uk", "/issuers/7"))
        == "https://badges.example.ac.uk/issuers/7/did.json"
    )


def test_rotated_keys_stay_listed_and_resolvable():
    old, new = keys.generate_key_pair(), keys.generate_key_pair()
    did = "did:web:badges.example.ac.uk:issuers:7"
    doc = dids.build_did_document(did, [("key-2", new.public_key), ("key-1", old.public_key)])
    fetcher = TableFetcher({dids.did_web_url(did): json.dumps(doc).encode()})
    for fragment, pair in (("key-1", old), ("key-2", new)):
        method = dids.resolve_verification_method(f"{did}#{fragment}", fetcher=fetcher)
        assert keys.ed25519_public_multibase(method.public_key) == pair.public_multibase
        assert "assertionMethod" in method.purposes


def test_did_web_document_with_another_id_is_refused():
    pair = keys.generate_key_pair()
    doc = dids.build_did_document("did:web:evil.example", [("k", pair.public_key)])
    fetcher = TableFetcher({"https://good.example/.well-known/did.json": json.dumps(doc).encode()})
    with pytest.raises(KeyResolutionError, match="does not match"):
        dids.resolve_verification_method("did:web:good.example#k", fetcher=fetcher)


def test_https_verification_method_uses_its_controller_document():
    pair = keys.generate_key_pair()
    profile = {
        "id": "https://uni.example/issuer",
        "type": "Profile",
        "verificationMethod": [
            {
                "id": "https://uni.example/issuer#key",
                "type": "Multikey",
                "controller": "https://uni.example/issuer",
                "publicKeyMultibase": pair.public_multibase,
            }
        ],
        "assertionMethod": ["#key"],
    }
    fetcher = TableFetcher({"https://uni.example/issuer": json.dumps(profile).encode()})
    method = dids.resolve_verification_method("https://uni.example/issuer#key", fetcher=fetcher)
    assert method.controller == "https://uni.example/issuer" and method.purposes == {"assertionMethod"}


def test_did_jwk_resolves_p256():
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    method = dids.resolve_verification_method(dids.did_jwk_for(public) + "#0", fetcher=None)
    assert method.public_key.public_numbers() == public.public_numbers()


@needs_conformance
def test_dcc_did_web_documents_resolve_through_the_fetcher():
    vm = (
        "did:web:digitalcredentials.github.io:vc-test-fixtures:dids:legacy"
        "#z6MkjXe1vZvPRqFuc9nRBtZ3e1Y9XKDFSbjFAfzLfW2bD6cZ"
    )
    method = dids.resolve_verification_method(vm, fetcher=TableFetcher())
    assert method.type == "Ed25519VerificationKey2020" and "assertionMethod" in method.purposes


@needs_conformance
def test_bad_did_web_is_an_error():
    assert (DCC / "verifiableCredentials/v2/ed25519/didWeb/badDidWeb.json").is_file()
    with pytest.raises(KeyResolutionError):
        dids.resolve_verification_method(
            "did:web:digitalcredentials.github.io:dcc-did-web-bad#x", fetcher=TableFetcher()
        )


def test_every_bundled_context_matches_its_manifest_hash():
    for url in bundled_urls():
        assert "@context" in load_context(url)
        assert manifest()[url]["licence"] and manifest()[url]["source"]


def test_unknown_context_is_refused_without_fetching():
    with pytest.raises(ContextNotBundled, match="is not bundled; cannot verify offline"):
        load_context("https://example.org/my-context.jsonld")


def test_key_published_on_its_own_page_is_checked_against_its_controller():
    pair = keys.generate_key_pair()
    key_doc = {
        "id": "https://uni.example/keys/1",
        "type": "Multikey",
        "controller": "https://uni.example/issuer",
        "publicKeyMultibase": pair.public_multibase,
    }
    profile = {"id": "https://uni.example/issuer", "assertionMethod": ["https://uni.example/keys/1"]}
    fetcher = TableFetcher(
        {
            "https://uni.example/keys/1": json.dumps(key_doc).encode(),
            "https://uni.example/issuer": json.dumps(profile).encode(),
        }
    )
    method = dids.resolve_verification_method("https://uni.example/keys/1", fetcher=fetcher)
    assert method.controller == "https://uni.example/issuer" and method.purposes == {"assertionMethod"}
    del fetcher.table["https://uni.example/issuer"]
    with pytest.raises(KeyResolutionError):
        dids.resolve_verification_method("https://uni.example/keys/1", fetcher=fetcher)
