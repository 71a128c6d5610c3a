"""taxonomies/dss package."""
