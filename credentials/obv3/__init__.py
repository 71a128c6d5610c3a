"""1EdTech Open Badges 3.0 API (Host): discovery, getCredentials, upsertCredential, getProfile, putProfile (issue 14)."""
