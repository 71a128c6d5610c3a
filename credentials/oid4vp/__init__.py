"""OpenID4VP 1.0 verifier: employers ask a wallet for proof (DCQL query by ``request_uri``, answers by
``direct_post``); only what the holder disclosed is kept, with the verdict."""
