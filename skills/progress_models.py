"""Tables for a learner's goals, milestones and streak settings (issue 16; filled by the feature)."""

from __future__ import annotations
