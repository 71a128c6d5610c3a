"""skillpass as an Open Badges 3.0 *Service Consumer*: a learner connects another OB 3.0 Host (discovery,
RFC 7591 registration, authorization code with PKCE through authlib's client), pushes chosen badges to it
(upsertCredential), lists what it holds (getCredentials) and disconnects (RFC 7009 revocation). Off unless
``SKILLPASS_OB_CONSUMER_ENABLED``; every call goes through ``guard`` (https, public addresses, size caps)."""
