"""Tables of OpenID4VCI / OpenID4VP: credential offers, pre-authorized codes, nonces, presentation requests."""

from __future__ import annotations
