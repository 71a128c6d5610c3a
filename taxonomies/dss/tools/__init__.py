"""Developer tools for the DSS data (never imported at run time)."""
