"""1EdTech CASE 1.0 package of one DSS version, and Open Badges 3.0 alignments that point into it.

Every category, subcategory and skill item is a CFItem whose ``uri`` is the concept URI
(``base_url + /dss/<version>/<kind>/<id>``) and whose ``humanCodingScheme`` is the concept id.
An OB 3.0 ``Alignment`` made by :func:`ob3_alignment` therefore resolves both ways: ``targetUrl``
is the CFItem uri (served by the API) and ``targetCode`` its humanCodingScheme. Identifiers are
UUIDv5 of the concept path, so they do not change with the deployment's base URL.
"""

from __future__ import annotations

import uuid
from typing import Any

from taxonomies.dss.models import SkillItem
from taxonomies.dss.taxonomy import Taxonomy

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/skillpass/dss")
CASE_PATH = "/ims/case/v1p0"
ITEM_TYPES = {"categories": ("Category", "カテゴリ", "1"), "subcategories": ("Subcategory", "サブカテゴリ", "2"),
              "skills": ("Skill item", "スキル項目", "3")}
ASSOCIATION_TYPES = {"exact": "exactMatchOf", "close": "isRelatedTo", "partial": "isRelatedTo"}
LICENCE_V2 = {"title": "CC BY-SA 4.0", "uri": "https://creativecommons.org/licenses/by-sa/4.0/",
              "text": "DX推進スキル標準 ver.2.0 skill list as transcribed in "
                      "github.com/jimyoshida/dx-devops-landscape "
                      "(commit a5b9caf), licensed CC BY-SA 4.0; adapted by skillpass under the same licence. "
                      "The DSS itself is published by IPA (情報処理推進機構) and METI."}
OFFICIAL_SOURCE = "https://www.ipa.go.jp/jinzai/skill-standard/dss/about.html"


def identifier(key: str) -> str:
    """Stable UUID for a concept path or other key."""
    return str(uuid.uuid5(NAMESPACE, key))


def document_identifier(version: str) -> str:
    return identifier(f"/dss/{version}")


def framework_name(version: str) -> str:
    return f"DX推進スキル標準 ver.{version} (Digital Skill Standards, DSS-P)"


def _timestamp(tx: Taxonomy, version: str) -> str:
    published = str(tx.metadata(version).get("published", "2024-07"))
    date = published if len(published) == 10 else f"{published[:7]}-01"
    return f"{date}T00:00:00+00:00"


def flat(text: str) -> str:
    """CASE 1.0 NormalizedString: line breaks and tabs become spaces."""
    return " ".join(text.split())


def _link(title: str, ident: str, uri: str) -> dict[str, str]:
    return {"title": flat(title), "identifier": ident, "uri": uri}


def case_package(tx: Taxonomy, version: str, base_url: str) -> dict[str, Any]:
    """The CFPackage (CFDocument, CFItems, CFAssociations, CFDefinitions) for ``version``."""
    changed = _timestamp(tx, version)
    doc_id = document_identifier(version)
    doc_uri = f"{base_url}/dss/{version}"
    doc_link = _link(framework_name(version), doc_id, doc_uri)
    types = {kind: _item_type(kind, base_url, changed) for kind in ITEM_TYPES}
    concepts = [("categories", c) for c in tx.categories(version)] + \
               [("subcategories", s) for s in tx.subcategories(version)] + \
               [("skills", k) for k in tx.skill_items(version)]
    items = [_item(kind, c, base_url, changed, types[kind], position)
             for kind, c, position in _with_positions(concepts)]
    associations = [_child_of(tx, kind, c, base_url, changed, doc_link, position)
                    for kind, c, position in _with_positions(concepts)]
    definitions: dict[str, Any] = {"CFItemTypes": list(types.values())}
    if version == "1.2":
        grouping = _grouping(base_url, changed)
        definitions["CFAssociationGroupings"] = [grouping]
        associations += _crosswalk_associations(tx, base_url, changed, grouping)
    document = _document(tx, version, doc_id, doc_uri, changed)
    if version == "2.0":
        licence = {"identifier": identifier("licence/cc-by-sa-4.0"), "uri": LICENCE_V2["uri"],
                   "title": LICENCE_V2["title"], "licenseText": LICENCE_V2["text"],
                   "lastChangeDateTime": changed}
        definitions["CFLicenses"] = [licence]
        document["licenseURI"] = _link(licence["title"], licence["identifier"], licence["uri"])
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations,
            "CFDefinitions": definitions}


def _with_positions(concepts: list[tuple[str, Any]]) -> list[tuple[str, Any, int]]:
    counters: dict[str, int] = {}
    out = []
    for kind, concept in concepts:
        parent = getattr(concept, "subcategory_id", None) or getattr(concept, "category_id", None) or "root"
        counters[parent] = counters.get(parent, 0) + 1
        out.append((kind, concept, counters[parent]))
    return out


def _document(tx: Taxonomy, version: str, doc_id: str, doc_uri: str, changed: str) -> dict[str, Any]:
    meta = tx.metadata(version)
    return {
        "identifier": doc_id, "uri": doc_uri,
        "creator": "IPA (独立行政法人情報処理推進機構) / METI (経済産業省)",
        "title": framework_name(version), "lastChangeDateTime": changed,
        "officialSourceURL": OFFICIAL_SOURCE, "publisher": "skillpass",
        "description": f"{meta.get('standard', '')} ver.{version}: common skill list. "
                       "Republished by skillpass "
                       f"from public secondary sources (provenance '{meta.get('provenance', 'secondary')}'); "
                       "not an official IPA distribution.",
        "subject": ["Digital skills", "DX"], "language": "ja", "version": version,
        "adoptionStatus": "Adopted" if version == tx.current_version else "Deprecated",
        "notes": "Japanese labels as published (see provenance per item in notes); "
                 "English labels are translations. "
                 "Role importance is not part of this package; see the skillpass JSON export.",
    }


def _item_type(kind: str, base_url: str, changed: str) -> dict[str, Any]:
    title_en, title_ja, code = ITEM_TYPES[kind]
    ident = identifier(f"item-type/{kind}")
    return {"identifier": ident, "uri": f"{base_url}{CASE_PATH}/CFItemTypes/{ident}", "title": title_en,
            "description": f"{title_ja} ({title_en}) of the DSS common skill list", "hierarchyCode": code,
            "typeCode": kind, "lastChangeDateTime": changed}


def _item(kind: str, concept: Any, base_url: str, changed: str, item_type: dict[str, Any],
          position: int) -> dict[str, Any]:
    description = getattr(concept, "description_ja", None)
    notes = [f"en: {concept.name_en}", f"provenance: {concept.provenance}"]
    if getattr(concept, "description_en", None):
        notes.append(f"description (en): {concept.description_en}")
    if getattr(concept, "learning_items_ja", None):
        notes.append("学習項目例: " + "、".join(concept.learning_items_ja))
    if getattr(concept, "code", None):
        notes.append(f"code: {concept.code}")
    item = {
        "identifier": identifier(concept.uri_path), "fullStatement": flat(description or concept.name_ja),
        "alternativeLabel": flat(concept.name_en), "CFItemType": item_type["title"],
        "uri": base_url + concept.uri_path,
        "humanCodingScheme": concept.id, "listEnumeration": str(position),
        "abbreviatedStatement": flat(concept.name_ja), "notes": "\n".join(notes), "language": "ja",
        "CFItemTypeURI": _link(item_type["title"], item_type["identifier"], item_type["uri"]),
        "lastChangeDateTime": changed,
    }
    return item


def _child_of(tx: Taxonomy, kind: str, concept: Any, base_url: str, changed: str, doc_link: dict[str, str],
              position: int) -> dict[str, Any]:
    if kind == "categories":
        parent = doc_link
    else:
        parent_concept = (tx.subcategory(concept.subcategory_id) if kind == "skills"
                          else tx.category(concept.category_id))
        parent = _link(parent_concept.name_ja, identifier(parent_concept.uri_path),
                       base_url + parent_concept.uri_path)
    origin = _link(concept.name_ja, identifier(concept.uri_path), base_url + concept.uri_path)
    return _association("isChildOf", origin, parent, base_url, changed, position)


def _association(kind: str, origin: dict[str, str], destination: dict[str, str], base_url: str, changed: str,
                 sequence: int | None = None, grouping: dict[str, Any] | None = None) -> dict[str, Any]:
    ident = identifier(f"association/{origin['identifier']}/{kind}/{destination['identifier']}")
    assoc: dict[str, Any] = {"identifier": ident, "associationType": kind,
                             "uri": f"{base_url}{CASE_PATH}/CFAssociations/{ident}",
                             "originNodeURI": origin, "destinationNodeURI": destination,
                             "lastChangeDateTime": changed}
    if sequence is not None:
        assoc["sequenceNumber"] = sequence
    if grouping is not None:
        assoc["CFAssociationGroupingURI"] = _link(grouping["title"], grouping["identifier"], grouping["uri"])
    return assoc


def _grouping(base_url: str, changed: str) -> dict[str, Any]:
    ident = identifier("grouping/crosswalk-v1.2-v2.0")
    return {"identifier": ident, "uri": f"{base_url}{CASE_PATH}/CFAssociationGroupings/{ident}",
            "title": "DSS-P ver.1.2 -> ver.2.0 crosswalk (skillpass)",
            "description": "exactMatchOf for exact correspondences, isRelatedTo for close and partial ones; "
                           "reviewed by skillpass, not published by IPA.",
            "lastChangeDateTime": changed}


def _crosswalk_associations(tx: Taxonomy, base_url: str, changed: str,
                            grouping: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for link in tx.crosswalk_v1_v2():
        src, dst = tx.skill_item(link.source_id), tx.skill_item(link.target_id)
        out.append(_association(
            ASSOCIATION_TYPES[link.match],
            _link(src.name_ja, identifier(src.uri_path), base_url + src.uri_path),
            _link(dst.name_ja, identifier(dst.uri_path), base_url + dst.uri_path),
            base_url, changed, grouping=grouping))
    return out


def ob3_alignment(skill: SkillItem, base_url: str) -> dict[str, Any]:
    """An Open Badges 3.0 ``Alignment`` to a skill item (resolvable through the API and the CASE package)."""
    alignment: dict[str, Any] = {
        "type": ["Alignment"], "targetName": skill.name_ja,
        "targetUrl": base_url.rstrip("/") + skill.uri_path,
        "targetFramework": framework_name(skill.version), "targetCode": skill.id, "targetType": "CFItem",
    }
    if skill.description_ja:
        alignment["targetDescription"] = skill.description_ja
    return alignment
