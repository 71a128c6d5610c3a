"""taxonomies package."""
