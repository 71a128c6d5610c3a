"""OAuth 2.0 authorization server (authlib) for the standard APIs: clients (RFC 7591), grants, tokens (issue 14)."""
