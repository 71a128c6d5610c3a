"""All page handlers, collected from ``frontend.pages``."""

from __future__ import annotations

from frontend.pages import (
    admin,
    assessment,
    auth,
    badges,
    clr,
    credentials,
    dss,
    employer,
    employer_contact,
    employer_postings,
    employer_presentations,
    endorsements,
    home,
    jobs,
    landing,
    legal,
    ob_consumer,
    oauth_consent,
    onboarding,
    org_verification,
    pathways,
    progress,
    provider,
    provider_batches,
    provider_credentials,
    provider_keys,
    provider_offers,
    provider_webhooks,
    public,
    records,
    shared,
    shares,
    trends,
    wallet,
    wallet_contact,
    wallet_offers,
    wallet_presentations,
)

PAGE_MODULES = (home, auth, oauth_consent, onboarding, landing, legal, dss, public, badges, trends, shared,
                wallet, wallet_offers, wallet_presentations, wallet_contact, ob_consumer, assessment, progress, jobs,
                credentials, records, shares,
                provider, provider_credentials, provider_batches, provider_offers, provider_keys, provider_webhooks,
                pathways, endorsements, clr,
                employer, employer_postings, employer_presentations, employer_contact, org_verification, admin)

handlers = [handler for module in PAGE_MODULES for handler in module.handlers]
