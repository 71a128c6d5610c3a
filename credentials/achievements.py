"""Achievements (badge definitions) of a provider and their Open Badges 3.0 form.

Each alignment names a DSS skill item and the proficiency level the badge attests. In the OB 3.0
``Achievement`` an alignment becomes an ``Alignment`` (targetUrl = the DSS concept URI, targetCode =
the item id) plus a ``ResultDescription`` whose ``RubricCriterionLevel`` carries the level; the
credential's ``result`` points at that level (see ``credentials.alignments.dss_alignments``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.models import Achievement
from taxonomies.dss import LEVELS, get_taxonomy

DSS_FRAMEWORK = "Digital Skill Standard (DSS) ver.2.0"
DSS_VERSION = "2.0"
MAX_IMAGE_CHARS = 350_000
MAX_ALIGNMENTS = 20
ACHIEVEMENT_TYPES = ("Achievement", "Assessment", "Award", "Badge", "Certificate", "CertificateOfCompletion",
                     "Certification", "Competency", "Course", "LearningProgram", "MicroCredential")
CREDIT_UNITS = ("tani", "ects", "hours")
LEVEL_FRAMEWORKS = ("eqf", "jqf")
RESULT_TYPES = ("GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore", "RawScore",
                "Result", "RubricCriterion", "RubricCriterionLevel", "RubricScore", "ScaledScore", "Status")
RESULT_STATUSES = ("Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew")
MAX_RESULT_DESCRIPTIONS = 10
MAX_RUBRIC_LEVELS = 10
MAX_ALLOWED_VALUES = 20
MICRO_FIELDS = ("credits_available", "credit_unit", "workload_hours", "level_framework", "qualification_level",
                "field_of_study",
                "instruction_language", "result_descriptions")
# Terms without an OB 3.0 property (credit unit, workload, qualifications-framework level, language of
# instruction) become Alignments with an ``ext:`` targetType: defined in the OB 3.0 context, so RDF
# canonicalization in safe mode keeps them, and valid against the 1EdTech schema (docs/micro-credentials.md).
CREDIT_UNIT_TARGETS = {  # (name ja, name en, framework); targetUrl is urn:skillpass:credit-unit:<unit>
    "tani": ("単位", "credits (単位, Japanese higher education)", "大学設置基準 / Japanese higher education credit"),
    "ects": ("ECTS単位", "ECTS credits", "European Credit Transfer and Accumulation System (ECTS)"),
    "hours": ("時間", "hours", "Clock hours"),
}
LEVEL_TARGETS = {
    "eqf": ("欧州資格枠組み (EQF)", "European Qualifications Framework (EQF)", "http://data.europa.eu/snb/eqf/"),
    "jqf": ("日本の資格枠組み", "Japanese qualifications framework (日本の資格枠組み)", "urn:skillpass:jqf:level:"),
}
_LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$")
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def base_url(settings: Settings) -> str:
    return settings.base_url.rstrip("/")


def achievement_url(settings: Settings, achievement_id: uuid.UUID) -> str:
    return f"{base_url(settings)}/achievements/{achievement_id}"


def check_image(image: str | None) -> str | None:
    """An http(s) URL or a base64 image data URI, or None."""
    if image is None or image == "":
        return None
    if len(image) > MAX_IMAGE_CHARS:
        raise InvalidInput("The image is too large (at most about 256 KB).", field="image")
    if not (_HTTP_URL.match(image) or _DATA_IMAGE.match(image)):
        raise InvalidInput("Use an http(s) URL or a data:image/...;base64 URI.", field="image")
    return image


def check_url(value: str | None, field: str) -> str | None:
    if value in (None, ""):
        return None
    if not _HTTP_URL.match(value) or len(value) > 500:
        raise InvalidInput("Use an http(s) URL.", field=field)
    return value


def check_type(value: str | None) -> str:
    if not value:
        return "Badge"
    if value not in ACHIEVEMENT_TYPES:
        raise InvalidInput(f"achievement_type must be one of {', '.join(ACHIEVEMENT_TYPES)}.", field="achievement_type")
    return value


def check_alignments(raw: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Known DSS ver.2.0 skill items with a level in ``LEVELS``; errors name the entry at fault."""
    if not raw:
        raise InvalidInput("Align the achievement to at least one DSS skill item.", field="alignments")
    if len(raw) > MAX_ALIGNMENTS:
        raise InvalidInput(f"At most {MAX_ALIGNMENTS} alignments.", field="alignments")
    tx = get_taxonomy()
    known = {item.id for item in tx.skill_items(DSS_VERSION)}
    errors, seen, clean = [], set(), []
    for i, entry in enumerate(raw):
        skill_id, level = str(entry.get("skill_id", "")), str(entry.get("level", "")).lower()
        if skill_id not in known:
            errors.append({"field": f"alignments[{i}].skill_id",
                           "message": f"Unknown DSS ver.{DSS_VERSION} skill item {skill_id!r}."})
        elif skill_id in seen:
            errors.append({"field": f"alignments[{i}].skill_id", "message": f"{skill_id} is listed twice."})
        if level not in LEVELS:
            errors.append({"field": f"alignments[{i}].level", "message": f"Level must be one of {', '.join(LEVELS)}."})
        seen.add(skill_id)
        clean.append({"skill_id": skill_id, "level": level})
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    return clean


def _number(value: Any, field: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput("Enter a number.", field=field) from None
    if not low <= number <= high or number != number:
        raise InvalidInput(f"Enter a number from {low:g} to {high:g}.", field=field)
    return number


def _text(value: Any, field: str, limit: int) -> str | None:
    text = str(value).strip() if value is not None else ""
    if len(text) > limit:
        raise InvalidInput(f"At most {limit} characters.", field=field)
    return text or None


def check_result_descriptions(raw: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Provider-defined OB 3.0 ResultDescriptions: a key, names ja/en, a resultType, rubric levels (for
    RubricCriterionLevel) or a value range; errors name the entry at fault."""
    if not raw:
        return None
    if len(raw) > MAX_RESULT_DESCRIPTIONS:
        raise InvalidInput(f"At most {MAX_RESULT_DESCRIPTIONS} result descriptions.", field="result_descriptions")
    clean, keys = [], set()
    for i, entry in enumerate(raw):
        at = f"result_descriptions[{i}]"
        key = str(entry.get("key") or "").strip()
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", key) or key in keys or key.startswith("dss-"):
            raise InvalidInput("A unique key of lowercase letters, digits and '-' (not starting with dss-).",
                               field=f"{at}.key")
        keys.add(key)
        name_ja, name_en = _text(entry.get("name_ja"), f"{at}.name_ja", 200), _text(entry.get("name_en"), f"{at}.name_en", 200)
        if not name_ja or not name_en:
            raise InvalidInput("Give the name in Japanese and English.", field=f"{at}.name_{'ja' if not name_ja else 'en'}")
        result_type = entry.get("result_type")
        if result_type not in RESULT_TYPES:
            raise InvalidInput(f"result_type must be one of {', '.join(RESULT_TYPES)}.", field=f"{at}.result_type")
        item: dict[str, Any] = {"key": key, "name_ja": name_ja, "name_en": name_en, "result_type": result_type}
        levels = entry.get("levels") or []
        if result_type == "RubricCriterionLevel":
            if not levels or len(levels) > MAX_RUBRIC_LEVELS:
                raise InvalidInput(f"Give 1 to {MAX_RUBRIC_LEVELS} rubric levels.", field=f"{at}.levels")
            seen, item["levels"] = set(), []
            for j, level in enumerate(levels):
                lkey = str(level.get("key") or "").strip()
                if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", lkey) or lkey in seen:
                    raise InvalidInput("A unique key of lowercase letters, digits and '-'.", field=f"{at}.levels[{j}].key")
                seen.add(lkey)
                lja, len_ = _text(level.get("name_ja"), f"{at}.levels[{j}].name_ja", 200), _text(
                    level.get("name_en"), f"{at}.levels[{j}].name_en", 200)
                if not lja or not len_:
                    raise InvalidInput("Give the name in Japanese and English.", field=f"{at}.levels[{j}].name_ja")
                item["levels"].append({"key": lkey, "name_ja": lja, "name_en": len_})
            required = entry.get("required_level")
            if required not in (None, "") and required not in seen:
                raise InvalidInput("required_level must be the key of one of the levels.", field=f"{at}.required_level")
            item["required_level"] = required or None
        elif levels:
            raise InvalidInput("Rubric levels only belong to a RubricCriterionLevel result.", field=f"{at}.levels")
        allowed = _allowed_values(entry.get("allowed_values"), result_type, f"{at}.allowed_values")
        if allowed:
            item["allowed_values"] = allowed
        for bound in ("value_min", "value_max"):
            if entry.get(bound) not in (None, ""):
                item[bound] = _text(entry[bound], f"{at}.{bound}", 40)
        clean.append(item)
    return clean


def _allowed_values(raw: Any, result_type: str, field: str) -> list[str] | None:
    """OB 3.0 ``allowedValue``: the values a result may take, low to high (a grade scale such as D, C, B, A, S);
    not for rubric levels or statuses, which name their own values."""
    values = [str(v).strip() for v in raw or [] if str(v).strip()] if isinstance(raw, list) else None
    if raw not in (None, "") and values is None:
        raise InvalidInput("Give the allowed values as a list.", field=field)
    if not values:
        return None
    if result_type in ("RubricCriterionLevel", "Status"):
        raise InvalidInput("Allowed values do not belong to a rubric level or status result.", field=field)
    if len(values) > MAX_ALLOWED_VALUES or len(set(values)) != len(values) or any(len(v) > 40 for v in values):
        raise InvalidInput(f"At most {MAX_ALLOWED_VALUES} different values of at most 40 characters.", field=field)
    return values


def check_micro(data: dict[str, Any]) -> dict[str, Any]:
    """The micro-credential detail of an achievement, checked (absent or empty values become None)."""
    credits = _number(data.get("credits_available"), "credits_available", 0, 1000)
    unit = data.get("credit_unit") or None
    if unit is not None and unit not in CREDIT_UNITS:
        raise InvalidInput(f"credit_unit must be one of {', '.join(CREDIT_UNITS)}.", field="credit_unit")
    if (credits is None) != (unit is None):
        raise InvalidInput("Give the credits together with their unit.",
                           field="credit_unit" if unit is None else "credits_available")
    framework = data.get("level_framework") or None
    level = data.get("qualification_level")
    level = None if level in (None, "") else level
    if framework is not None and framework not in LEVEL_FRAMEWORKS:
        raise InvalidInput(f"level_framework must be one of {', '.join(LEVEL_FRAMEWORKS)}.", field="level_framework")
    if level is not None:
        try:
            level = int(level)
        except (TypeError, ValueError):
            raise InvalidInput("The level is a whole number from 1 to 8.", field="qualification_level") from None
        if not 1 <= level <= 8:
            raise InvalidInput("The level is a whole number from 1 to 8.", field="qualification_level")
    if (framework is None) != (level is None):
        raise InvalidInput("Give the level together with its framework.",
                           field="level_framework" if framework is None else "qualification_level")
    language = _text(data.get("instruction_language"), "instruction_language", 20)
    if language is not None and not _LANG_TAG.match(language):
        raise InvalidInput("Use a language tag such as ja or en.", field="instruction_language")
    return {"credits_available": credits, "credit_unit": unit,
            "workload_hours": _number(data.get("workload_hours"), "workload_hours", 0, 10000),
            "level_framework": framework, "qualification_level": level,
            "field_of_study": _text(data.get("field_of_study"), "field_of_study", 200),
            "instruction_language": language,
            "result_descriptions": check_result_descriptions(data.get("result_descriptions"))}


class AchievementService:
    """A provider's achievements on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def create(self, org_id: uuid.UUID, data: dict[str, Any]) -> Achievement:
        achievement = Achievement(
            org_id=org_id, name_ja=data["name_ja"], name_en=data["name_en"],
            description_ja=data["description_ja"], description_en=data["description_en"],
            criteria_ja=data["criteria_ja"], criteria_en=data["criteria_en"],
            criteria_url=check_url(data.get("criteria_url"), "criteria_url"),
            image=check_image(data.get("image")), achievement_type=check_type(data.get("achievement_type")),
            alignments=check_alignments(data.get("alignments") or []), **check_micro(data),
        )
        self.session.add(achievement)
        await self.session.flush()
        return achievement

    async def update_micro(self, org_id: uuid.UUID, achievement_id: uuid.UUID, data: dict[str, Any]) -> Achievement:
        """Replace the micro-credential detail (credentials already issued keep the detail they were signed with)."""
        achievement = await self.get(org_id, achievement_id)
        for name, value in check_micro(data).items():
            setattr(achievement, name, value)
        await self.session.flush()
        return achievement

    async def list(self, org_id: uuid.UUID) -> list[Achievement]:
        rows = await self.session.execute(
            select(Achievement).where(Achievement.org_id == org_id).order_by(Achievement.created_at))
        return list(rows.scalars())

    async def get(self, org_id: uuid.UUID, achievement_id: uuid.UUID) -> Achievement:
        """One achievement of this organization (another organization's is 'not found')."""
        achievement = await self.session.get(Achievement, achievement_id)
        if achievement is None or achievement.org_id != org_id:
            raise NotFound("No such achievement in this organization.", field="achievement_id")
        return achievement

    async def get_public(self, achievement_id: uuid.UUID) -> Achievement:
        achievement = await self.session.get(Achievement, achievement_id)
        if achievement is None:
            raise NotFound("No such achievement.")
        return achievement


def _pick(achievement: Achievement, name: str, lang: str) -> str:
    return getattr(achievement, f"{name}_{lang}") or getattr(achievement, f"{name}_{'en' if lang == 'ja' else 'ja'}")


def alignment_json(skill_id: str, level: str, settings: Settings, lang: str) -> dict[str, Any]:
    """The OB 3.0 Alignment for one DSS skill item."""
    item = get_taxonomy().skill_item(skill_id)
    name = item.name_ja if lang == "ja" else item.name_en
    description = (f"DSS ver.2.0 {item.name_ja} 習熟度レベル {level}" if lang == "ja"
                   else f"DSS ver.2.0 {item.name_en}, proficiency level {level}")
    return {"type": ["Alignment"], "targetName": name, "targetUrl": base_url(settings) + item.uri_path,
            "targetDescription": description, "targetFramework": DSS_FRAMEWORK, "targetCode": item.id,
            "targetType": "ceasn:Competency"}


def result_description_id(achievement_id: str, skill_id: str) -> str:
    return f"{achievement_id}#dss-{skill_id}"


def achievement_json(achievement: Achievement, settings: Settings, lang: str = "ja") -> dict[str, Any]:
    """The OB 3.0 ``Achievement`` in ``lang`` (ja or en); the other language is a ``related`` edition."""
    other = "en" if lang == "ja" else "ja"
    ach_id = achievement_url(settings, achievement.id)
    alignments, descriptions = [], []
    for entry in achievement.alignments:
        alignment = alignment_json(entry["skill_id"], entry["level"], settings, lang)
        alignments.append(alignment)
        rd_id = result_description_id(ach_id, entry["skill_id"])
        descriptions.append({
            "id": rd_id, "type": ["ResultDescription"], "name": f"DSS: {alignment['targetName']}",
            "resultType": "RubricCriterionLevel", "alignment": [alignment], "requiredLevel": f"{rd_id}-{entry['level']}",
            "rubricCriterionLevel": [{"id": f"{rd_id}-{entry['level']}", "type": ["RubricCriterionLevel"],
                                      "name": f"Level {entry['level']}", "level": entry["level"]}],
        })
    criteria: dict[str, Any] = {"narrative": _pick(achievement, "criteria", lang)}
    if achievement.criteria_url:
        criteria["id"] = achievement.criteria_url
    document: dict[str, Any] = {
        "id": ach_id, "type": ["Achievement"], "achievementType": achievement.achievement_type,
        "name": _pick(achievement, "name", lang), "description": _pick(achievement, "description", lang),
        "criteria": criteria, "alignment": alignments, "resultDescription": descriptions, "inLanguage": lang,
        "related": [{"id": f"{ach_id}?lang={other}", "type": ["Related"], "inLanguage": other}],
    }
    if achievement.image:
        document["image"] = {"id": achievement.image, "type": "Image"}
    _add_micro(document, achievement, ach_id, lang)
    return document


def _ext_alignment(name: str, url: str, framework: str, code: str, target_type: str) -> dict[str, Any]:
    return {"type": ["Alignment"], "targetName": name, "targetUrl": url, "targetFramework": framework,
            "targetCode": code, "targetType": f"ext:{target_type}"}


def micro_alignments(achievement: Achievement, lang: str) -> list[dict[str, Any]]:
    """The ``ext:`` Alignments for the detail OB 3.0 has no property for."""
    out = []
    ja = lang == "ja"
    if achievement.credit_unit:
        name_ja, name_en, framework = CREDIT_UNIT_TARGETS[achievement.credit_unit]
        out.append(_ext_alignment(name_ja if ja else name_en, f"urn:skillpass:credit-unit:{achievement.credit_unit}",
                                  framework, achievement.credit_unit, "CreditUnit"))
    if achievement.workload_hours is not None:
        hours = f"{achievement.workload_hours:g}"
        out.append(_ext_alignment(f"学習時間 {hours} 時間" if ja else f"Workload {hours} hours",
                                  f"urn:skillpass:workload:PT{hours}H", "ISO 8601 duration", f"PT{hours}H", "Workload"))
    if achievement.level_framework and achievement.qualification_level is not None:
        level = achievement.qualification_level
        name_ja, name_en, prefix = LEVEL_TARGETS[achievement.level_framework]
        out.append(_ext_alignment(f"{name_ja} レベル {level}" if ja else f"{name_en} level {level}",
                                  f"{prefix}{level}", name_en, str(level),
                                  "QualificationsFrameworkLevel"))
    if achievement.instruction_language:
        code = achievement.instruction_language
        out.append(_ext_alignment(f"授業言語 {code}" if ja else f"Language of instruction {code}",
                                  f"urn:ietf:bcp:47:{code}", "BCP 47", code, "InstructionLanguage"))
    return out


def own_result_id(achievement_id: str, key: str) -> str:
    return f"{achievement_id}#result-{key}"


def _add_micro(document: dict[str, Any], achievement: Achievement, ach_id: str, lang: str) -> None:
    if achievement.credits_available is not None:
        document["creditsAvailable"] = achievement.credits_available
    if achievement.field_of_study:
        document["fieldOfStudy"] = achievement.field_of_study
    document["alignment"].extend(micro_alignments(achievement, lang))
    for entry in achievement.result_descriptions or []:
        rd_id = own_result_id(ach_id, entry["key"])
        description: dict[str, Any] = {"id": rd_id, "type": ["ResultDescription"], "name": entry[f"name_{lang}"],
                                       "resultType": entry["result_type"]}
        if entry.get("levels"):
            description["rubricCriterionLevel"] = [
                {"id": f"{rd_id}-{level['key']}", "type": ["RubricCriterionLevel"], "name": level[f"name_{lang}"]}
                for level in entry["levels"]]
        if entry.get("required_level"):
            description["requiredLevel"] = f"{rd_id}-{entry['required_level']}"
        for bound, term in (("value_min", "valueMin"), ("value_max", "valueMax")):
            if entry.get(bound):
                description[term] = entry[bound]
        if entry.get("allowed_values"):
            description["allowedValue"] = list(entry["allowed_values"])
        document["resultDescription"].append(description)


def check_learner_results(achievement: Achievement, raw: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """One learner's results against the achievement's own result descriptions: ``key`` plus ``value``
    (grade, score), ``level`` (a rubric level key) or ``status`` (pass/fail as Completed/Failed...)."""
    return check_results(achievement.result_descriptions, raw)


def check_results(descriptions: list[dict[str, Any]] | None, raw: Any) -> list[dict[str, Any]]:
    """``check_learner_results`` given only the achievement's ``result_descriptions`` (a batch loads no more)."""
    if raw is not None and not isinstance(raw, list):
        raise InvalidInput("Give the results as a list of objects with a key.", field="results")
    described = {e["key"]: e for e in descriptions or []}
    clean, seen = [], set()
    for i, entry in enumerate(raw or []):
        at = f"results[{i}]"
        if not isinstance(entry, dict):
            raise InvalidInput("Each result is an object with a key.", field=at)
        key = entry.get("key")
        if not isinstance(key, str) or key not in described or key in seen:
            raise InvalidInput("Name one of the achievement's result descriptions, once.", field=f"{at}.key")
        seen.add(key)
        item: dict[str, Any] = {"key": key}
        if described[key]["result_type"] == "RubricCriterionLevel":
            if not isinstance(entry.get("level"), str) or entry["level"] not in {
                    lv["key"] for lv in described[key]["levels"]}:
                raise InvalidInput("Give one of the rubric level keys.", field=f"{at}.level")
            item["level"] = entry["level"]
        elif described[key]["result_type"] == "Status":
            if entry.get("status") not in RESULT_STATUSES:
                raise InvalidInput(f"status must be one of {', '.join(RESULT_STATUSES)}.", field=f"{at}.status")
            item["status"] = entry["status"]
        else:
            value = _text(entry.get("value"), f"{at}.value", 40)
            if value is None:
                raise InvalidInput("Give the value (a grade or score).", field=f"{at}.value")
            allowed = described[key].get("allowed_values")
            if allowed and value not in allowed:
                raise InvalidInput(f"Give one of the allowed values: {', '.join(allowed)}.", field=f"{at}.value",
                                   extra={"code": "not_allowed"})
            item["value"] = value
        clean.append(item)
    return clean


def results_json(achievement: Achievement, settings: Settings,
                 learner: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The subject's ``result`` entries: the attested level of each aligned skill item, then the learner's
    own results (from ``check_learner_results``)."""
    ach_id = achievement_url(settings, achievement.id)
    results = [{"type": ["Result"], "resultDescription": result_description_id(ach_id, e["skill_id"]),
                "achievedLevel": f"{result_description_id(ach_id, e['skill_id'])}-{e['level']}"}
               for e in achievement.alignments]
    return results + learner_results_json(achievement, settings, learner)


def learner_results_json(achievement: Achievement, settings: Settings,
                         learner: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Only the learner's own ``result`` entries (``results_json`` without the DSS levels)."""
    ach_id = achievement_url(settings, achievement.id)
    results: list[dict[str, Any]] = []
    for entry in learner or []:
        rd_id = own_result_id(ach_id, entry["key"])
        result: dict[str, Any] = {"type": ["Result"], "resultDescription": rd_id}
        if "level" in entry:
            result["achievedLevel"] = f"{rd_id}-{entry['level']}"
        if "status" in entry:
            result["status"] = entry["status"]
        if "value" in entry:
            result["value"] = entry["value"]
        results.append(result)
    return results


def _one_text(value: Any) -> str:
    if isinstance(value, dict):  # a language map
        return str(next(iter(value.values()), ""))
    return "" if value is None else str(value)


def micro_detail(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a credential says of its micro-credential detail and the learner's results, read from the OB 3.0
    document (ours or another issuer's), for display; None when it says nothing of it."""
    subject = (document or {}).get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, dict) or not isinstance(subject.get("achievement"), dict):
        return None
    achievement = subject["achievement"]
    ext = {a.get("targetType"): a for a in achievement.get("alignment") or []
           if isinstance(a, dict) and str(a.get("targetType", "")).startswith("ext:")}
    workload = ext.get("ext:Workload", {}).get("targetCode", "")
    level = ext.get("ext:QualificationsFrameworkLevel")
    framework = next((k for k, v in LEVEL_TARGETS.items() if level and str(level.get("targetUrl", "")).startswith(v[2])),
                     None)
    descriptions = {d.get("id"): d for d in achievement.get("resultDescription") or [] if isinstance(d, dict)}
    results = []
    for result in subject.get("result") or []:
        described = descriptions.get(result.get("resultDescription")) if isinstance(result, dict) else None
        if not described or str(described.get("id", "")).rsplit("#", 1)[-1].startswith("dss-"):
            continue  # DSS levels are shown with the skills
        levels = {lv.get("id"): _one_text(lv.get("name")) for lv in described.get("rubricCriterionLevel") or []}
        shown = result.get("value") or levels.get(result.get("achievedLevel")) or result.get("status") or ""
        results.append({"name": _one_text(described.get("name")), "value": _one_text(shown),
                        "status": result.get("status")})
    detail = {
        "credits": achievement.get("creditsAvailable"),
        "credit_unit": ext.get("ext:CreditUnit", {}).get("targetCode"),
        "workload_hours": workload[2:-1] if workload.startswith("PT") and workload.endswith("H") else None,
        "level_framework": framework, "level": level.get("targetCode") if level else None,
        "field_of_study": _one_text(achievement.get("fieldOfStudy")) or None,
        "language": ext.get("ext:InstructionLanguage", {}).get("targetCode"),
        "results": results,
    }
    return detail if any(v for v in detail.values()) else None
