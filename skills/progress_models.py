"""Tables for a learner's goals, milestones and streak settings (issue 16).

The goal itself is the target role kept in ``skill_learner_settings``; progress and milestones are
derived from profile snapshots and dated evidence, so the only stored choice is whether to show the
motivating parts (streak and milestones) at all.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from core.db import created_at_field


class ProgressSettings(SQLModel, table=True):
    """The learner's opt-out: ``show_motivation`` false hides the streak and the milestones."""

    __tablename__ = "skill_progress_settings"

    person_id: uuid.UUID = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    show_motivation: bool = True
    updated_at: datetime = created_at_field()
