"""Errors of the trust registries: a bad registry file names the entry and field at fault."""

from __future__ import annotations

from core.errors import InvalidInput


class RegistryFormatError(InvalidInput):
    """A registry file (DCC or signed trust list) that cannot be used; ``field`` names where."""


class TrustListError(RegistryFormatError):
    """A signed trust list refused: bad signature, wrong signer, expired or not yet valid, bad shape."""
