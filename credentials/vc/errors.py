"""Error types raised inside the credential library (the verifier turns them into check results)."""

from __future__ import annotations


class VcError(Exception):
    """Base class: every error carries a stable machine code."""

    code = "error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class ContextRefused(VcError):
    """A JSON-LD context URL outside the bundled set was requested; nothing is fetched."""

    code = "context_refused"


class JsonLdError(VcError):
    """The document is not processable JSON-LD (or breaks safe mode: undefined terms, relative IRIs)."""

    code = "jsonld_error"


class UnsupportedJsonLd(VcError):
    """The fast JSON-LD path does not handle a feature; callers fall back to pyld."""

    code = "jsonld_unsupported"


class KeyError_(VcError):
    """A key could not be decoded or does not fit the requested use."""

    code = "bad_key"


class ResolutionError(VcError):
    """A DID or verification method could not be resolved."""

    code = "resolution_failed"


class ProofError(VcError):
    """A proof is malformed, uses an unknown suite, or its signature does not verify."""

    code = "proof_invalid"


class StatusError(VcError):
    """A status entry or status list credential could not be checked."""

    code = "status_error"
