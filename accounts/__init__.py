"""People, organizations (employers, training providers), memberships, sign-in and provider API keys."""
