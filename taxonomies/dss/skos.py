"""SKOS export: one DSS version as a ``skos:ConceptScheme`` in JSON-LD with an inline ``@context``.

No remote context is referenced, so the document parses offline (e.g. with rdflib). Categories are
top concepts; subcategories and skill items hang below them with ``skos:broader``/``narrower``.
The ver.1.2 scheme carries the v1->v2 crosswalk as SKOS mapping properties.
"""

from __future__ import annotations

from typing import Any

from taxonomies.dss.taxonomy import Taxonomy

CONTEXT: dict[str, Any] = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": "@id",
    "type": "@type",
    "ConceptScheme": "skos:ConceptScheme",
    "Concept": "skos:Concept",
    "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
    "definition": {"@id": "skos:definition", "@container": "@language"},
    "scopeNote": {"@id": "skos:scopeNote", "@container": "@language"},
    "editorialNote": {"@id": "skos:editorialNote"},
    "notation": {"@id": "skos:notation"},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
    "hasTopConcept": {"@id": "skos:hasTopConcept", "@type": "@id"},
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "narrower": {"@id": "skos:narrower", "@type": "@id"},
    "exactMatch": {"@id": "skos:exactMatch", "@type": "@id"},
    "closeMatch": {"@id": "skos:closeMatch", "@type": "@id"},
    "relatedMatch": {"@id": "skos:relatedMatch", "@type": "@id"},
    "title": {"@id": "dct:title", "@container": "@language"},
    "description": {"@id": "dct:description", "@container": "@language"},
    "issued": {"@id": "dct:issued"},
    "publisher": {"@id": "dct:publisher"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "source": {"@id": "dct:source"},
    "provenance": {"@id": "dct:provenance"},
    "hasVersion": {"@id": "dct:hasVersion"},
}
LICENCES = {"2.0": "https://creativecommons.org/licenses/by-sa/4.0/"}
MAPPING = {"exact": "exactMatch", "close": "closeMatch", "partial": "relatedMatch"}


def _labels(concept: Any) -> dict[str, str]:
    return {"ja": concept.name_ja, "en": concept.name_en}


def _concept(concept: Any, base_url: str, scheme: str) -> dict[str, Any]:
    node: dict[str, Any] = {"id": base_url + concept.uri_path, "type": "Concept", "inScheme": scheme,
                            "prefLabel": _labels(concept), "provenance": concept.provenance}
    if getattr(concept, "code", None):
        node["notation"] = concept.code
    if concept.sources:
        node["source"] = list(concept.sources)
    if concept.note:
        node["editorialNote"] = concept.note
    return node


def skos_document(tx: Taxonomy, version: str, base_url: str) -> dict[str, Any]:
    """The JSON-LD document for ``version``."""
    meta = tx.metadata(version)
    scheme = f"{base_url}/dss/{version}"
    graph: list[dict[str, Any]] = []
    cats, subs, skills = tx.categories(version), tx.subcategories(version), tx.skill_items(version)
    head: dict[str, Any] = {
        "id": scheme, "type": "ConceptScheme", "hasVersion": version,
        "title": {"ja": f"{meta.get('standard', 'DX推進スキル標準')} ver.{version}",
                  "en": f"{meta.get('standard_en', 'DX Promotion Skill Standard')} ver.{version}"},
        "publisher": "skillpass (DSS by IPA/METI)", "issued": str(meta.get("published", "")),
        "provenance": meta.get("provenance", "secondary"),
        "hasTopConcept": [base_url + c.uri_path for c in cats],
    }
    if version in LICENCES:
        head["license"] = LICENCES[version]
    graph.append(head)
    for cat in cats:
        graph.append({**_concept(cat, base_url, scheme), "topConceptOf": scheme,
                      "narrower": [base_url + s.uri_path for s in subs if s.category_id == cat.id]})
    for sub in subs:
        graph.append({**_concept(sub, base_url, scheme),
                      "broader": base_url + tx.category(sub.category_id).uri_path,
                      "narrower": [base_url + k.uri_path for k in skills if k.subcategory_id == sub.id]})
    for skill in skills:
        graph.append(skill_node(tx, skill, base_url, scheme))
    return {"@context": CONTEXT, "@graph": graph}


def skill_node(tx: Taxonomy, skill: Any, base_url: str, scheme: str) -> dict[str, Any]:
    node = {**_concept(skill, base_url, scheme),
            "broader": base_url + tx.subcategory(skill.subcategory_id).uri_path}
    texts = (("ja", skill.description_ja), ("en", skill.description_en))
    definition = {lang: text for lang, text in texts if text}
    if definition:
        node["definition"] = definition
    notes = {lang: items for lang, items in (("ja", skill.learning_items_ja), ("en", skill.learning_items_en))
             if items}
    if notes:
        node["scopeNote"] = notes
    for link in tx.v2_items_for(skill.id):
        node.setdefault(MAPPING[link.match], []).append(base_url + tx.skill_item(link.target_id).uri_path)
    return node
