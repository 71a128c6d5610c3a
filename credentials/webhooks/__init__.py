"""Provider webhooks: signed events (Standard Webhooks) from a durable outbox with retries (issue 17)."""
