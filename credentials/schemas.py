"""Request and response bodies of the credentials API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from credentials.models import BatchState, CredentialState, OfferState, RowState, TrustStatus


class AlignmentIn(BaseModel):
    skill_id: str = Field(description="DSS ver.2.0 skill item id, e.g. v2-data-engineering")
    level: str = Field(description="Proficiency level the badge attests: a, b, c or d")


class RubricLevelIn(BaseModel):
    key: str = Field(max_length=40, description="lowercase letters, digits, '-'")
    name_ja: str = Field(max_length=200)
    name_en: str = Field(max_length=200)


class ResultDescriptionIn(BaseModel):
    key: str = Field(max_length=40, description="unique in the achievement; results name it")
    name_ja: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    result_type: str = Field(description="OB 3.0 ResultType: LetterGrade, Status, RubricCriterionLevel, Percent, ...")
    levels: list[RubricLevelIn] = Field(default_factory=list, max_length=10, description="RubricCriterionLevel only")
    required_level: str | None = Field(None, description="key of the level needed to pass")
    value_min: str | None = Field(None, max_length=40)
    value_max: str | None = Field(None, max_length=40)
    allowed_values: list[str] = Field(default_factory=list, max_length=20,
                                      description="OB 3.0 allowedValue, low to high (not for rubric levels or Status)")


class MicroCredentialIn(BaseModel):
    """Micro-credential detail (credentials.achievements.check_micro): all optional."""

    credits_available: float | None = Field(None, description="OB 3.0 creditsAvailable; give credit_unit with it")
    credit_unit: Literal["tani", "ects", "hours"] | None = Field(None, description="単位, ECTS or hours")
    workload_hours: float | None = Field(None, description="notional learning hours")
    level_framework: Literal["eqf", "jqf"] | None = Field(None, description="EQF or 日本の資格枠組み")
    qualification_level: int | None = Field(None, description="1-8 in level_framework")
    field_of_study: str | None = Field(None, max_length=200)
    instruction_language: str | None = Field(None, max_length=20, description="BCP 47 tag, e.g. ja")
    result_descriptions: list[ResultDescriptionIn] = Field(default_factory=list, max_length=10)


class AchievementCreate(MicroCredentialIn):
    name_ja: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    description_ja: str = Field(min_length=1, max_length=5000)
    description_en: str = Field(min_length=1, max_length=5000)
    criteria_ja: str = Field(min_length=1, max_length=5000, description="How the badge is earned (narrative)")
    criteria_en: str = Field(min_length=1, max_length=5000)
    criteria_url: str | None = None
    image: str | None = Field(None, description="http(s) URL or data:image/...;base64 URI")
    achievement_type: str | None = Field(None, description="OB 3.0 achievementType (default Badge)")
    alignments: list[AlignmentIn] = Field(min_length=1, max_length=20)


class AchievementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    name_ja: str
    name_en: str
    description_ja: str
    description_en: str
    criteria_ja: str
    criteria_en: str
    criteria_url: str | None
    image: str | None
    achievement_type: str
    alignments: list[dict[str, str]]
    credits_available: float | None = None
    credit_unit: str | None = None
    workload_hours: float | None = None
    level_framework: str | None = None
    qualification_level: int | None = None
    field_of_study: str | None = None
    instruction_language: str | None = None
    result_descriptions: list[dict[str, Any]] | None = None
    created_at: datetime


class LearnerResultIn(BaseModel):
    key: str = Field(description="key of one of the achievement's result_descriptions")
    value: str | None = Field(None, max_length=40, description="grade or score")
    level: str | None = Field(None, description="rubric level key (RubricCriterionLevel)")
    status: str | None = Field(None, description="Completed, Failed, ... (Status)")


class EvidenceIn(BaseModel):
    url: str | None = None
    name: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=5000)
    narrative: str | None = Field(None, max_length=5000)
    genre: str | None = Field(None, max_length=200)
    audience: str | None = Field(None, max_length=200)


class IssueIn(BaseModel):
    achievement_id: uuid.UUID
    recipient_email: str = Field(max_length=320)
    recipient_name: str | None = Field(None, max_length=200)
    valid_from: datetime | None = Field(None, description="default: now")
    valid_until: datetime | None = None
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=20)
    results: list[LearnerResultIn] = Field(default_factory=list, max_length=10,
                                           description="the learner's results (grade, pass/fail, rubric level)")
    format: Literal["ldp", "jwt"] = Field("ldp", description="ldp: Data Integrity eddsa-rdfc-2022; jwt: VC-JWT")
    suspendable: bool = Field(False, description="add a suspension status entry (beyond the OB 3.0 schema)")
    lang: Literal["ja", "en"] = "ja"
    delivery: Literal["credential", "offer"] = Field(
        "credential", description="credential: issue (the recipient's account, if any, receives it); offer: "
        "also deliver by OpenID4VCI credential offer, answered once in `offer`: send the recipient `claim_url` "
        "(a page with the QR code and link, single use, 72 hours) and, apart, `tx_code`. A retry with the same "
        "Idempotency-Key returns the same credential and a fresh offer (the first code was only in the lost answer)")


class DeliveredOffer(BaseModel):
    offer_uri: str = Field(description="openid-credential-offer://?credential_offer_uri=... (the QR content)")
    credential_offer_uri: str
    claim_url: str = Field(description="the recipient's claim page (QR code and link)")
    tx_code: str | None = Field(description="the 6-digit code the wallet asks for: send it by another channel")
    expires_at: datetime


class CredentialRead(BaseModel):
    id: uuid.UUID
    achievement_id: uuid.UUID
    recipient_email: str
    recipient_name: str | None
    format: str
    state: CredentialState
    state_reason: str | None
    valid_from: datetime
    valid_until: datetime | None
    batch_id: uuid.UUID | None
    batch_line: int | None
    created_at: datetime
    credential: dict[str, Any] | str = Field(description="the signed credential, or the VC-JWT")
    offer: DeliveredOffer | None = Field(None, description='only in the answer to an issue with delivery "offer"')


class CredentialPage(BaseModel):
    items: list[CredentialRead]
    total: int
    limit: int
    offset: int


class StateChange(BaseModel):
    reason: str | None = Field(None, description="optional; at most 500 characters (credentials.revocation)")


class BatchIn(BaseModel):
    achievement_id: uuid.UUID | None = Field(None, description="default achievement of rows that name none")
    format: Literal["ldp", "jwt"] = "ldp"
    suspendable: bool = False
    lang: Literal["ja", "en"] = "ja"
    recipients: list[Any] = Field(description="objects: recipient_email, recipient_name, achievement_id, "
                                  "valid_from, valid_until, evidence (at most 10,000)")


class BatchRowRead(BaseModel):
    line: int
    state: RowState
    recipient_email: str | None
    errors: list[dict[str, str]] | None
    credential_id: uuid.UUID | None


class BatchRead(BaseModel):
    id: uuid.UUID
    state: BatchState
    format: str
    total: int
    pending: int
    issued: int
    failed: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    rows: list[BatchRowRead] = Field(default_factory=list)


class IssuerRead(BaseModel):
    id: uuid.UUID
    slug: str
    did: str
    did_method: str
    did_document_url: str
    active_verification_method: str
    keys: list[dict[str, Any]]


class IssuerUpdate(BaseModel):
    did_method: Literal["key", "web"]


class HeldRead(BaseModel):
    id: uuid.UUID
    source: str
    format: str
    title: str
    issuer_name: str
    verified: bool
    verified_at: datetime | None
    created_at: datetime
    credential_id: uuid.UUID | None
    skills: list[dict[str, Any]] = Field(default_factory=list, description="DSS skill items and levels")
    trust_status: TrustStatus = Field(TrustStatus.untrusted, description="trusted | untrusted | impersonation (see docs/trust.md)")
    trust: dict[str, Any] | None = Field(None, description="who stands behind the issuer, and why")
    subject: str = Field("unknown", description="self | other | unknown: whether the credential names me")
    offer_state: OfferState = Field(OfferState.accepted, description="accepted | pending | declined (offers of untrusted issuers)")
    counts: bool = Field(False, description="whether it backs my skill profile")


class HeldDetail(HeldRead):
    document: dict[str, Any]
    jwt: str | None
    verification: dict[str, Any] | None


class ImportIn(BaseModel):
    credential: dict[str, Any] | str = Field(description="a credential (JSON-LD object) or a VC-JWT")


class EndorseIn(BaseModel):
    achievement_id: uuid.UUID | None = Field(None, description="the achievement endorsed, or")
    issuer_org_id: uuid.UUID | None = Field(None, description="the provider organization whose issuer profile is endorsed")
    comment: str = Field("", max_length=2000, description="the comment in ``lang`` (or give comment_ja / comment_en)")
    comment_ja: str = Field("", max_length=2000, description="the comment in Japanese (as the console form)")
    comment_en: str = Field("", max_length=2000, description="the comment in English (as the console form)")
    lang: Literal["ja", "en"] = "ja"

    def comments(self) -> dict[str, str]:
        """ja / en texts as the form gives them; ``comment`` fills its ``lang`` when that one is empty."""
        texts = {"ja": self.comment_ja, "en": self.comment_en}
        if self.comment.strip() and not texts[self.lang].strip():
            texts[self.lang] = self.comment
        return texts
