"""Shared infrastructure every domain package may use: settings, database, errors, logging."""
