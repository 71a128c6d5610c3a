"""Tables of credentials.pathways: a provider's pathway, its steps (its own achievements) and the
one award per learner and pathway (the unique constraint is what makes awarding idempotent)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.db import created_at_field, id_field


class Pathway(SQLModel, table=True):
    """A set of a provider's achievements toward a goal; completing it earns ``badge_achievement_id``.
    ``ordered``: the steps are meant to be taken in their order (shown so); otherwise grouped."""

    __tablename__ = "pathway"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    name_ja: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    description_ja: str = Field(default="", sa_type=Text)
    description_en: str = Field(default="", sa_type=Text)
    ordered: bool = True
    role_id: str | None = Field(default=None, max_length=100)
    badge_achievement_id: uuid.UUID = Field(foreign_key="achievement.id", ondelete="CASCADE")
    created_at: datetime = created_at_field()


class PathwayStep(SQLModel, table=True):
    """One achievement of a pathway. Steps sharing a non-empty ``group_name`` are alternatives: any one
    of them completes the group; a step without a group is needed itself."""

    __tablename__ = "pathway_step"
    __table_args__ = (UniqueConstraint("pathway_id", "achievement_id", name="uq_pathway_step_achievement"),)

    id: uuid.UUID = id_field()
    pathway_id: uuid.UUID = Field(foreign_key="pathway.id", index=True, ondelete="CASCADE")
    achievement_id: uuid.UUID = Field(foreign_key="achievement.id", index=True, ondelete="CASCADE")
    position: int
    group_name: str = Field(default="", max_length=100)


class PathwayAward(SQLModel, table=True):
    """A learner completed a pathway and was issued its badge (``credential_id``); at most one per
    pathway and person, whatever number of completion events arrive."""

    __tablename__ = "pathway_award"
    __table_args__ = (UniqueConstraint("pathway_id", "person_id", name="uq_pathway_award_person"),)

    id: uuid.UUID = id_field()
    pathway_id: uuid.UUID = Field(foreign_key="pathway.id", index=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    credential_id: uuid.UUID | None = Field(default=None, foreign_key="issued_credential.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
