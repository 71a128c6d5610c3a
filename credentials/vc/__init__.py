"""W3C Verifiable Credentials / Open Badges 3.0: offline JSON-LD, keys, proofs, status and verification."""
