"""Credwork's Open Badges / Verifiable Credentials engine.

A self-contained library: no Flask imports. The web layer hands it a fetcher
(see :mod:`app.openbadges.fetching`) and keys; it hands back plain results.
"""
