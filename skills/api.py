"""JSON API of the skills domain: the learner's own evidence, profile, gap, settings, share links and
deletion of the skills data (``/api/v1/me/...``; the whole-account export and deletion are
``accounts.me_api``), and consented sharing (``/api/v1/shared/{token}``, public)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.errors import InvalidInput
from core.settings import Settings
from core.openapi import problem_responses
from skills import consent, export, sharing
from skills.mapping import TEMPLATE_CSV
from skills.present import gap_view, profile_view, summaries_view
from skills.schemas import (
    AccessRead,
    BadgeDetail,
    BadgeJson,
    BadgeRead,
    ExamCreate,
    ExamRead,
    RecordRead,
    SelfAssessmentRead,
    SelfLevel,
    SettingsRead,
    SettingsUpdate,
    ShareLinkCreate,
    ShareLinkCreated,
    ShareLinkDetail,
    ShareLinkRead,
    SkillCorrectionBody,
    SnapshotRead,
)
from skills.service import ProfileService
from skills.sources import badges, exams, records, self_assessment
from skills.uploads import json_field, read_upload

JSON_TYPES = ("application/json", "application/ld+json")
TEMPLATE_NAME = "learning-records-template.csv"
Profiles = NamedDependency[ProfileService]
DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
ItemId = FromPath[uuid.UUID]


async def provide_profiles(db_session: DbSession, settings: AppSettings) -> ProfileService:
    return ProfileService(db_session, settings)


def me(request: Request) -> uuid.UUID:
    return access.principal_of(request).person_id


def viewer_of(request: Request) -> sharing.Viewer:
    """Who is opening a share link: the signed-in person if any, the client address and browser."""
    principal = access.principal_of(request)
    return sharing.Viewer(person_id=principal.person_id, name=principal.display_name or "",
                          client=request.client.host if request.client else "",
                          user_agent=request.headers.get("user-agent", ""))


async def badge_input(request: Request) -> dict[str, Any]:
    """Keyword arguments of ``import_badge`` from a JSON body, a multipart form or a raw image body."""
    if request.content_type[0] in JSON_TYPES:
        try:
            body = BadgeJson.model_validate_json(await request.body())
        except ValidationError as exc:
            raise InvalidInput("send {\"assertion\": ..., \"badge_class\": ...}", field="assertion",
                               errors=[{"field": ".".join(map(str, e["loc"])), "message": e["msg"]}
                                       for e in exc.errors()]) from None
        raw = body.assertion
        text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
        return {"data": text.encode("utf-8"), "media_type": "application/json",
                "badge_class": body.badge_class}
    upload = await read_upload(request)
    return {"data": upload.data, "media_type": upload.media_type or request.content_type[0],
            "assertion": json_field(upload, "assertion"), "badge_class": json_field(upload, "badge_class")}


class ProfileController(Controller):
    path = "/api/v1/me"
    tags = ["skills"]
    dependencies = {"profiles": Provide(provide_profiles)}

    @get("/profile", **access.signed_in())
    async def get_profile(self, request: Request, profiles: Profiles) -> dict[str, Any]:
        """The current DSS skill profile with the evidence behind each item."""
        profile, updated_at = await profiles.profile(me(request))
        return profile_view(profile, updated_at)

    @get("/profile/history", **access.signed_in())
    async def get_history(self, request: Request, profiles: Profiles) -> list[SnapshotRead]:
        """Every profile snapshot, oldest first: how the profile grew."""
        return [SnapshotRead.model_validate(s) for s in await profiles.history(me(request))]

    @get("/profile/summary", **access.signed_in())
    async def get_summary(self, request: Request, profiles: Profiles) -> dict[str, Any]:
        """Per-category and per-subcategory summaries for charts."""
        return summaries_view(await profiles.summaries(me(request)))

    @get("/gap", responses=problem_responses(404), **access.signed_in())
    async def get_gap(self, request: Request, profiles: Profiles,
                      role: FromQuery[str]) -> dict[str, Any]:
        """Needed vs held level on each skill item for a DSS role: met, partly met or missing."""
        return gap_view(await profiles.gap(me(request), role))


class RecordsController(Controller):
    path = "/api/v1/me/records"
    tags = ["skills"]
    dependencies = {"profiles": Provide(provide_profiles)}

    @get("/", **access.signed_in())
    async def list_records(self, request: Request, db_session: DbSession) -> list[RecordRead]:
        """The person's imported learning records."""
        return [RecordRead.model_validate(r) for r in await records.list_records(db_session, me(request))]

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(400, 409, 413, 422),
          **access.signed_in())
    async def upload_records(self, request: Request, profiles: Profiles) -> dict[str, Any]:
        """Import a CSV/JSONL file (multipart ``file`` or raw body): good rows in, a report per bad row."""
        upload = await read_upload(request)
        report = await profiles.import_records(me(request), upload.data, upload.filename)
        return report.as_dict()

    @get("/template.csv", media_type="text/csv", **access.public())
    async def template(self) -> Response[bytes]:
        """The template CSV (UTF-8 with BOM so spreadsheet programs read the Japanese text)."""
        return Response(b"\xef\xbb\xbf" + TEMPLATE_CSV.read_bytes(), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'})

    @get("/{record_id:uuid}", **access.signed_in())
    async def get_record(self, request: Request, record_id: ItemId, db_session: DbSession) -> RecordRead:
        """One imported learning record."""
        return RecordRead.model_validate(await records.get_record(db_session, me(request), record_id))

    @put("/{record_id:uuid}/skills/{skill_id:str}", responses=problem_responses(404, 422), **access.signed_in())
    async def correct_skill(self, request: Request, record_id: ItemId, skill_id: FromPath[str],
                            data: JSONBody[SkillCorrectionBody], profiles: Profiles) -> dict[str, Any]:
        """Correct a skill the mapper read in the record: a lower level, or null to reject it. Kept as the
        learner's correction; a later import of the same record keeps it."""
        correction = await profiles.correct_skill(me(request), record_id, skill_id, data.level)
        return {"skill_id": skill_id, "level": correction.level, "mapped_level": correction.mapped_level,
                "corrected": True}

    @delete("/{record_id:uuid}/skills/{skill_id:str}", status_code=HTTP_200_OK, responses=problem_responses(404),
            **access.signed_in())
    async def undo_correction(self, request: Request, record_id: ItemId, skill_id: FromPath[str],
                              profiles: Profiles) -> dict[str, Any]:
        """Drop the learner's correction: the record counts as the mapper read it."""
        await profiles.undo_correction(me(request), record_id, skill_id)
        return {"skill_id": skill_id, "corrected": False}

    @delete("/{record_id:uuid}", status_code=HTTP_200_OK, **access.signed_in())
    async def delete_record(self, request: Request, record_id: ItemId, profiles: Profiles) -> dict:
        """Remove a record and its evidence; the profile is recomputed."""
        await profiles.delete_record(me(request), record_id)
        return {"deleted": str(record_id)}


class ExamsController(Controller):
    path = "/api/v1/me/exams"
    tags = ["skills"]
    dependencies = {"profiles": Provide(provide_profiles)}

    @get("/", **access.signed_in())
    async def list_exams(self, request: Request, db_session: DbSession) -> list[ExamRead]:
        """The person's IPA examination results."""
        return [ExamRead.model_validate(r) for r in await exams.list_exam_results(db_session, me(request))]

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(409), **access.signed_in())
    async def add_exam(self, request: Request, data: JSONBody[ExamCreate], profiles: Profiles) -> ExamRead:
        """Record an exam result (exam, date, pass/fail, score); a pass becomes evidence."""
        result = await profiles.add_exam_result(me(request), data.exam, data.date, data.passed, data.score)
        return ExamRead.model_validate(result)

    @get("/{result_id:uuid}", **access.signed_in())
    async def get_exam(self, request: Request, result_id: ItemId, db_session: DbSession) -> ExamRead:
        """One exam result."""
        return ExamRead.model_validate(await exams.get_exam_result(db_session, me(request), result_id))

    @delete("/{result_id:uuid}", status_code=HTTP_200_OK, **access.signed_in())
    async def delete_exam(self, request: Request, result_id: ItemId, profiles: Profiles) -> dict:
        """Remove an exam result and its evidence."""
        await profiles.delete_exam_result(me(request), result_id)
        return {"deleted": str(result_id)}


class SelfAssessmentController(Controller):
    path = "/api/v1/me/self-assessment"
    tags = ["skills"]
    dependencies = {"profiles": Provide(provide_profiles)}

    @get("/", **access.signed_in())
    async def list_levels(self, request: Request, db_session: DbSession) -> list[SelfAssessmentRead]:
        """The levels the person gave themselves."""
        rows = await self_assessment.list_self_levels(db_session, me(request))
        return [SelfAssessmentRead.model_validate(r) for r in rows]

    @put("/", **access.signed_in())
    async def set_level(self, request: Request, data: JSONBody[SelfLevel],
                        profiles: Profiles) -> dict[str, Any]:
        """Set (or, with level null, clear) the person's own level on a skill item; always self-declared."""
        row = await profiles.set_self_level(me(request), data.skill_id, data.level)
        return {"skill_id": data.skill_id, "level": row.level if row else None, "status": "self_declared"}


class BadgesController(Controller):
    path = "/api/v1/me/badges/ob2"
    tags = ["skills"]
    dependencies = {"profiles": Provide(provide_profiles)}

    @get("/", **access.signed_in())
    async def list_badges(self, request: Request, db_session: DbSession) -> list[BadgeRead]:
        """Imported Open Badges 2.0 with how far each could be checked."""
        return [BadgeRead.model_validate(b) for b in await badges.list_badges(db_session, me(request))]

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(400, 409, 413, 422),
          **access.signed_in())
    async def import_badge(self, request: Request, profiles: Profiles) -> BadgeDetail:
        """Import an OB 2.0 assertion: JSON body, or a baked PNG/SVG (multipart ``file`` or raw body)."""
        row = await profiles.import_badge(me(request), **await badge_input(request))
        return BadgeDetail.model_validate(row)

    @get("/{badge_id:uuid}", **access.signed_in())
    async def get_badge(self, request: Request, badge_id: ItemId, db_session: DbSession) -> BadgeDetail:
        """One imported badge with its assertion and badge class."""
        return BadgeDetail.model_validate(await badges.get_badge(db_session, me(request), badge_id))

    @delete("/{badge_id:uuid}", status_code=HTTP_200_OK, **access.signed_in())
    async def delete_badge(self, request: Request, badge_id: ItemId, profiles: Profiles) -> dict:
        """Remove a badge and its evidence."""
        await profiles.delete_badge(me(request), badge_id)
        return {"deleted": str(badge_id)}


class SettingsController(Controller):
    path = "/api/v1/me"
    tags = ["skills"]

    @get("/settings", **access.signed_in())
    async def get_settings(self, request: Request, db_session: DbSession) -> SettingsRead:
        """Consent and preferences (discoverable by employers is off until the person turns it on)."""
        return SettingsRead.model_validate(await consent.learner_settings(db_session, me(request)))

    @patch("/settings", **access.signed_in())
    async def update_settings(self, request: Request, data: JSONBody[SettingsUpdate],
                              db_session: DbSession) -> SettingsRead:
        """Change the fields sent: discoverable, prefecture, target_role, employer_parts."""
        changes = data.model_dump(exclude_unset=True)
        settings = await consent.update_learner_settings(db_session, me(request), changes)
        return SettingsRead.model_validate(settings)

    @delete("/skills-data", status_code=HTTP_200_OK, **access.signed_in())
    async def delete_data(self, request: Request, db_session: DbSession) -> dict[str, Any]:
        """Delete all the person's skills data (records, exams, badges, profile, settings, links)."""
        return {"deleted": await export.delete_all(db_session, me(request))}


class ShareLinksController(Controller):
    path = "/api/v1/me/share-links"
    tags = ["skills"]

    @get("/", **access.signed_in())
    async def list_links(self, request: Request, db_session: DbSession) -> list[ShareLinkRead]:
        """The person's share links, newest first, with how often each was opened."""
        return [ShareLinkRead.model_validate(link).model_copy(update={"opened": n})
                for link, n in await sharing.list_links(db_session, me(request))]

    @post("/", status_code=HTTP_201_CREATED, **access.signed_in())
    async def create_link(self, request: Request, data: JSONBody[ShareLinkCreate], db_session: DbSession,
                          settings: AppSettings) -> ShareLinkCreated:
        """Create a link sharing chosen credentials and profile parts; the token is shown only here."""
        link, token = await sharing.create_link(
            db_session, settings, me(request), label=data.label, parts=data.parts,
            credential_ids=data.credential_ids, expires_at=data.expires_at, disclose=data.disclose)
        return ShareLinkCreated(**ShareLinkRead.model_validate(link).model_dump(), token=token,
                                path=sharing.SHARED_PATH.format(token=token))

    @get("/{link_id:uuid}", **access.signed_in())
    async def get_link(self, request: Request, link_id: ItemId, db_session: DbSession) -> ShareLinkDetail:
        """One link with its access log (who opened it, when)."""
        link, opened = await sharing.link_with_log(db_session, me(request), link_id)
        return ShareLinkDetail(**ShareLinkRead.model_validate(link).model_dump(exclude={"opened"}),
                               opened=len(opened), accesses=[AccessRead.model_validate(a) for a in opened])

    @delete("/{link_id:uuid}", status_code=HTTP_200_OK, **access.signed_in())
    async def revoke_link(self, request: Request, link_id: ItemId, db_session: DbSession) -> ShareLinkRead:
        """Revoke the link at once; it answers 404 from now on (its log stays)."""
        return ShareLinkRead.model_validate(await sharing.revoke_link(db_session, me(request), link_id))


class SharedController(Controller):
    path = "/api/v1/shared"
    tags = ["skills"]

    @get("/{token:str}", **access.public())
    async def open_link(self, request: Request, token: FromPath[str], db_session: DbSession,
                        settings: AppSettings) -> dict[str, Any]:
        """What a share link shares (only that); each opening is logged. Revoked: 404, expired: 410."""
        return await sharing.open_link(db_session, settings, token, viewer_of(request))


handlers = [ProfileController, RecordsController, ExamsController, SelfAssessmentController, BadgesController,
            SettingsController, ShareLinksController, SharedController]
