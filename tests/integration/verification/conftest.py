"""Fixtures shared by the verification tests."""

from tests.factories.verification import private_networks  # noqa: F401  (a fixture: loopback allowed for one test)
