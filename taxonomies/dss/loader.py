"""Read the DSS data files (``taxonomies/dss/data``) into a :class:`TaxonomyData`.

Parsing only: every malformed entry raises :class:`TaxonomyError` naming the file and entry.
Cross-file consistency is checked afterwards by :mod:`taxonomies.dss.integrity`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from taxonomies.dss.errors import TaxonomyError
from taxonomies.dss.models import (
    Category,
    CrosswalkLink,
    Exam,
    ExamLink,
    LiteracyCategory,
    LiteracyItem,
    OccupationLink,
    PersonType,
    Role,
    SkillItem,
    Subcategory,
)
from taxonomies.dss.taxonomy import Source, TaxonomyData

PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"
VERSION_FILES = {"1.2": "dss_p_v1_2.yaml", "2.0": "dss_p_v2_0.yaml"}
LITERACY_FILE = "dss_l.yaml"
LITERACY_VERSION = "1.2"
CROSSWALK_FILE = "crosswalk_v1_v2.yaml"
PROFILES_FILE = "estimated_role_profiles.yaml"
EXAMS_FILE = "crosswalk_exams.yaml"
OCCUPATIONS_FILE = "crosswalk_occupations.yaml"
SOURCES_FILE = "sources.yaml"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one data file; a missing or unparsable file is a :class:`TaxonomyError`."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe loader)
    except FileNotFoundError as exc:
        raise TaxonomyError(path.name, "(file)", "missing") from exc
    except yaml.YAMLError as exc:
        raise TaxonomyError(path.name, "(file)", f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise TaxonomyError(path.name, "(file)", "top level must be a mapping")
    return data


class Reader:
    """Field access that reports the file and entry of whatever is wrong."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: str, problem: str) -> TaxonomyError:
        return TaxonomyError(self.file, entry, problem)

    def text(self, obj: dict[str, Any], key: str, entry: str, *, optional: bool = False) -> Any:
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, f"field {key!r} must be a non-empty string")
        return value

    def seq(self, obj: dict[str, Any], key: str, entry: str, *, optional: bool = False) -> list[Any]:
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None and optional:
            return []
        if not isinstance(value, list):
            raise self.fail(entry, f"field {key!r} must be a list")
        return value

    def texts(self, obj: dict[str, Any], key: str, entry: str) -> list[str]:
        values = self.seq(obj, key, entry, optional=True)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.fail(entry, f"field {key!r} must hold non-empty strings")
        return list(values)

    def entry_id(self, obj: Any, where: str) -> str:
        if not isinstance(obj, dict):
            raise self.fail(where, "entry must be a mapping")
        return self.text(obj, "id", where)

    def common(self, obj: dict[str, Any], entry: str) -> dict[str, Any]:
        """Labels and provenance every concept has."""
        return {
            "name_ja": self.text(obj, "name_ja", entry),
            "name_en": self.text(obj, "name_en", entry),
            "provenance": self.text(obj, "provenance", entry),
            "sources": tuple(self.texts(obj, "sources", entry)),
            "note": self.text(obj, "note", entry, optional=True),
        }


def uri_path(version: str, kind: str, concept_id: str) -> str:
    return f"/dss/{version}/{kind}/{concept_id}"


def load_version(data: TaxonomyData, data_dir: Path, version: str) -> None:
    """Categories, subcategories, skill items (and for 1.2 person types and roles) of one version."""
    file = VERSION_FILES[version]
    doc = read_yaml(data_dir / file)
    r = Reader(file)
    if str(doc.get("version")) != version:
        raise r.fail("version", f"expected {version!r}, found {doc.get('version')!r}")
    data.metadata[version] = {k: v for k, v in doc.items() if k not in ("categories", "person_types")}
    defaults = {"provenance": doc.get("provenance", "secondary"), "sources": doc.get("sources", [])}
    for cat in r.seq(doc, "categories", "categories"):
        cid = r.entry_id(cat, "categories[?]")
        data.categories.append(Category(
            id=cid, version=version, code=str(cat.get("code", "")),
            uri_path=uri_path(version, "categories", cid),
            **r.common({**defaults, **cat}, cid)))
        for sub in r.seq(cat, "subcategories", cid):
            sid = r.entry_id(sub, f"{cid}.subcategories[?]")
            data.subcategories.append(Subcategory(
                id=sid, version=version, code=str(sub.get("code", "")),
                uri_path=uri_path(version, "subcategories", sid), category_id=cid,
                **r.common({**defaults, **sub}, sid)))
            for skill in r.seq(sub, "skills", sid):
                data.skills.append(read_skill(r, skill, version, cid, sid, defaults))
    for pt in r.seq(doc, "person_types", "person_types", optional=True):
        read_person_type(data, r, pt, version)


def read_skill(r: Reader, skill: Any, version: str, category_id: str, subcategory_id: str,
               defaults: dict[str, Any]) -> SkillItem:
    kid = r.entry_id(skill, f"{subcategory_id}.skills[?]")
    return SkillItem(
        id=kid, version=version, code=str(skill.get("code", "")), uri_path=uri_path(version, "skills", kid),
        category_id=category_id, subcategory_id=subcategory_id,
        description_ja=r.text(skill, "description_ja", kid, optional=True),
        description_en=r.text(skill, "description_en", kid, optional=True),
        learning_items_ja=r.texts(skill, "learning_items_ja", kid),
        learning_items_en=r.texts(skill, "learning_items_en", kid),
        **r.common({**defaults, **skill}, kid))


def read_person_type(data: TaxonomyData, r: Reader, pt: Any, version: str) -> None:
    pid = r.entry_id(pt, "person_types[?]")
    roles = r.seq(pt, "roles", pid)
    role_ids = tuple(r.entry_id(role, f"{pid}.roles[?]") for role in roles)
    data.person_types.append(PersonType(
        id=pid, version=version, uri_path=uri_path(version, "person-types", pid), role_ids=role_ids,
        definition_en=r.text(pt, "definition_en", pid, optional=True), **r.common(pt, pid)))
    for role, rid in zip(roles, role_ids):
        data.roles.append(Role(id=rid, version=version, uri_path=uri_path(version, "roles", rid),
                               person_type_id=pid, **r.common(role, rid)))


def load_literacy(data: TaxonomyData, data_dir: Path) -> None:
    """The DX Literacy Standard: its four parts, the groups inside What/How, and their items."""
    doc = read_yaml(data_dir / LITERACY_FILE)
    r = Reader(LITERACY_FILE)
    v = LITERACY_VERSION
    data.metadata.setdefault("literacy", {k: val for k, val in doc.items() if k != "categories"})
    for cat in r.seq(doc, "categories", "categories"):
        cid = r.entry_id(cat, "categories[?]")
        data.literacy_categories.append(LiteracyCategory(
            id=cid, version=v, uri_path=uri_path(v, "literacy-categories", cid),
            label_ja=r.text(cat, "label_ja", cid, optional=True),
            summary_ja=r.text(cat, "summary_ja", cid, optional=True), **r.common(cat, cid)))
        read_literacy_items(data, r, cat, cid, None)
        for group in r.seq(cat, "groups", cid, optional=True):
            gid = r.entry_id(group, f"{cid}.groups[?]")
            data.literacy_categories.append(LiteracyCategory(
                id=gid, version=v, uri_path=uri_path(v, "literacy-categories", gid), parent_id=cid,
                **r.common(group, gid)))
            read_literacy_items(data, r, group, cid, gid)


def read_literacy_items(data: TaxonomyData, r: Reader, parent: dict[str, Any], category_id: str,
                        group_id: str | None) -> None:
    for item in r.seq(parent, "items", group_id or category_id, optional=True):
        iid = r.entry_id(item, f"{group_id or category_id}.items[?]")
        data.literacy_items.append(LiteracyItem(
            id=iid, version=LITERACY_VERSION, uri_path=uri_path(LITERACY_VERSION, "literacy", iid),
            category_id=category_id, group_id=group_id, **r.common(item, iid)))


def load_crosswalk(data: TaxonomyData, data_dir: Path) -> None:
    """v1.2 -> v2.0 links: one entry per v1.2 item with one or more targets."""
    doc = read_yaml(data_dir / CROSSWALK_FILE)
    r = Reader(CROSSWALK_FILE)
    for entry in r.seq(doc, "links", "links"):
        source = r.text(entry, "v1", "links[?]") if isinstance(entry, dict) else None
        if source is None:
            raise r.fail("links[?]", "entry must be a mapping with 'v1'")
        for target in r.seq(entry, "v2", source):
            if not isinstance(target, dict):
                raise r.fail(source, "each v2 target must be a mapping")
            data.crosswalk.append(CrosswalkLink(
                source_id=source, target_id=r.text(target, "id", source),
                match=r.text(target, "match", source),
                basis=r.text(target, "basis", source), note=r.text(target, "note", source, optional=True)))


def load_exams(data: TaxonomyData, data_dir: Path) -> None:
    doc = read_yaml(data_dir / EXAMS_FILE)
    r = Reader(EXAMS_FILE)
    for exam in r.seq(doc, "exams", "exams"):
        eid = r.entry_id(exam, "exams[?]")
        links = []
        for link in r.seq(exam, "skills", eid):
            if not isinstance(link, dict):
                raise r.fail(eid, "each skill link must be a mapping")
            links.append(ExamLink(skill_id=r.text(link, "id", eid), level=r.text(link, "level", eid),
                                  confidence=r.text(link, "confidence", eid),
                                  note=r.text(link, "note", eid, optional=True)))
        data.exams.append(Exam(
            id=eid, code=r.text(exam, "code", eid), name_ja=r.text(exam, "name_ja", eid),
            name_en=r.text(exam, "name_en", eid), url=r.text(exam, "url", eid, optional=True),
            links=tuple(links), provenance=doc.get("provenance", "estimated"),
            note=r.text(exam, "note", eid, optional=True)))


def load_occupations(data: TaxonomyData, data_dir: Path) -> None:
    doc = read_yaml(data_dir / OCCUPATIONS_FILE)
    r = Reader(OCCUPATIONS_FILE)
    for entry in r.seq(doc, "roles", "roles"):
        role_id = r.text(entry, "role", "roles[?]") if isinstance(entry, dict) else None
        if role_id is None:
            raise r.fail("roles[?]", "entry must be a mapping with 'role'")
        for scheme in ("jobtag", "esco"):
            for occ in r.seq(entry, scheme, role_id, optional=True):
                if not isinstance(occ, dict):
                    raise r.fail(role_id, f"each {scheme} entry must be a mapping")
                data.occupations.append(OccupationLink(
                    role_id=role_id, scheme=scheme, label=r.text(occ, "label", role_id),
                    code=r.text(occ, "code", role_id, optional=True),
                    uri=r.text(occ, "uri", role_id, optional=True),
                    confidence=r.text(occ, "confidence", role_id),
                    provenance=doc.get("provenance", "estimated"),
                    note=r.text(occ, "note", role_id, optional=True)))


def load_sources(data: TaxonomyData, data_dir: Path) -> None:
    doc = read_yaml(data_dir / SOURCES_FILE)
    r = Reader(SOURCES_FILE)
    for src in r.seq(doc, "sources", "sources"):
        sid = r.entry_id(src, "sources[?]")
        data.sources[sid] = Source(id=sid, title=r.text(src, "title", sid),
                                   address=r.text(src, "address", sid, optional=True),
                                   licence=r.text(src, "licence", sid, optional=True))
