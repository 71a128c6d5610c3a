"""Exports: JSON, CSV, SKOS (parsed offline by rdflib) and a CASE 1.0 package (validated by schema)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from taxonomies.dss import Taxonomy
from taxonomies.dss.case import ob3_alignment
from taxonomies.dss.exports import export

from .conftest import BASE_URL

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

SCHEMA = Path(__file__).resolve().parents[2] / "taxonomies/dss/schemas/case-1.0-cfpackage.schema.json"


def case_validator() -> jsonschema.Draft7Validator:
    checker = jsonschema.FormatChecker()

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        parsed = urlparse(str(value))
        return bool(parsed.scheme and (parsed.netloc or parsed.path))

    @checker.checks("date-time")
    def is_date_time(value: object) -> bool:
        datetime.fromisoformat(str(value))
        return "T" in str(value)

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=checker)


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_json_export_lists_items_and_roles_with_provenance(tx: Taxonomy, version: str) -> None:
    doc = json.loads(export(version, "json", BASE_URL, tx=tx))
    items = doc["skill_items"]
    assert len(items) == {"2.0": 67, "1.2": 49}[version]
    for item in items:
        assert {"id", "uri", "name_ja", "name_en", "category", "subcategory", "provenance"} <= set(item)
        assert item["uri"] == f"{BASE_URL}/dss/{version}/skills/{item['id']}"
    assert len(doc["roles"]) == 17
    for role in doc["roles"]:
        assert [r["skill"] for r in role["requirements"]] == [i["id"] for i in items]
        assert all(r["level"] in "abcd" and r["provenance"] == "estimated" for r in role["requirements"])
        assert all(r["provenance_label_en"] == "estimated by skillpass" for r in role["requirements"])


def test_csv_export_has_one_row_per_item_and_level_columns(tx: Taxonomy) -> None:
    rows = list(csv.DictReader(io.StringIO(export("2.0", "csv", BASE_URL, tx=tx))))
    assert len(rows) == 67
    assert rows[0]["id"] == "v2-business-environment-strategy"
    assert rows[0]["role:ba-new-business"] in "abcd"
    assert rows[0]["role:ba-new-business:provenance"] == "estimated"


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_skos_export_parses_offline_with_rdflib(tx: Taxonomy, version: str) -> None:
    text = export(version, "skos", BASE_URL, tx=tx)
    assert '"@context": {' in text  # inline context, nothing to fetch
    graph = Graph().parse(data=text, format="json-ld")
    scheme = URIRef(f"{BASE_URL}/dss/{version}")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    expected = len(tx.categories(version)) + len(tx.subcategories(version)) + len(tx.skill_items(version))
    assert len(concepts) == expected
    skill = URIRef(f"{BASE_URL}/dss/{version}/skills/{tx.skill_items(version)[0].id}")
    labels = {(str(o), o.language) for o in graph.objects(skill, SKOS.prefLabel)}
    assert {lang for _, lang in labels} == {"ja", "en"}
    assert (skill, SKOS.broader, None) in graph
    if version == "1.2":
        target = URIRef(f"{BASE_URL}/dss/2.0/skills/v2-backend")
        assert (URIRef(f"{BASE_URL}/dss/1.2/skills/v1-backend"), SKOS.exactMatch, target) in graph


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_case_export_validates_against_the_case_schema(tx: Taxonomy, version: str) -> None:
    package = json.loads(export(version, "case", BASE_URL, tx=tx))
    case_validator().validate(package)
    items = {i["uri"]: i for i in package["CFItems"]}
    n = len(tx.categories(version)) + len(tx.subcategories(version)) + len(tx.skill_items(version))
    assert len(items) == n
    child_of = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(child_of) == n
    assert all(a["originNodeURI"]["uri"] in items for a in child_of)


def test_case_schema_rejects_a_broken_package(tx: Taxonomy) -> None:
    package = json.loads(export("2.0", "case", BASE_URL, tx=tx))
    del package["CFItems"][0]["fullStatement"]
    package["CFAssociations"][0]["associationType"] = "isCousinOf"
    errors = list(case_validator().iter_errors(package))
    assert {e.validator for e in errors} >= {"required", "enum"}


def test_ob3_alignment_points_at_the_case_item(tx: Taxonomy) -> None:
    skill = tx.skill_item("v2-backend")
    alignment = ob3_alignment(skill, BASE_URL)
    package = json.loads(export("2.0", "case", BASE_URL, tx=tx))
    item = next(i for i in package["CFItems"] if i["uri"] == alignment["targetUrl"])
    assert item["humanCodingScheme"] == alignment["targetCode"] == "v2-backend"
    assert alignment["targetFramework"] == package["CFDocument"]["title"]
    assert alignment["targetType"] == "CFItem"


def test_exports_are_deterministic(tx: Taxonomy) -> None:
    for fmt in ("json", "csv", "skos", "case"):
        assert export("2.0", fmt, BASE_URL, tx=tx) == export("2.0", fmt, BASE_URL, tx=tx)
    with pytest.raises(ValueError):
        export("2.0", "xml", BASE_URL, tx=tx)
    with pytest.raises(KeyError):
        export("3.0", "json", BASE_URL, tx=tx)
