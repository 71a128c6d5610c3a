"""Pathways: a provider's set of achievements toward a goal, progress, and the pathway's own badge (issue 16)."""
