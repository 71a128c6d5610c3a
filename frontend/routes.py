"""All page handlers, collected from ``frontend.pages``."""

from __future__ import annotations

from frontend.pages import (
    admin,
    auth,
    credentials,
    dss,
    employer,
    employer_postings,
    employer_presentations,
    home,
    landing,
    org_verification,
    provider,
    provider_batches,
    provider_credentials,
    public,
    records,
    shared,
    shares,
    trends,
    wallet,
    wallet_offers,
    wallet_presentations,
)

PAGE_MODULES = (home, auth, landing, dss, public, trends, shared, wallet, wallet_offers, wallet_presentations,
                credentials, records, shares,
                provider, provider_credentials, provider_batches, employer, employer_postings,
                employer_presentations, org_verification, admin)

handlers = [handler for module in PAGE_MODULES for handler in module.handlers]
