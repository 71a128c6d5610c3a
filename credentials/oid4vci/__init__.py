"""OpenID4VCI issuance and OpenID4VP presentation for standard wallets (issue 13)."""
