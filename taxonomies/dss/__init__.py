"""The Digital Skill Standard (DSS, IPA/METI) as a versioned, bilingual taxonomy.

Public interface (see ``taxonomies/dss/README.md``)::

    from taxonomies.dss import get_taxonomy, LEVELS, level_rank
    tx = get_taxonomy()                  # cached; get_taxonomy(data_dir=...) for the overlay dir
    tx.skill_items("2.0"); tx.role("se-backend").requirements["v2-backend"].level
"""

from taxonomies.dss.case import ob3_alignment
from taxonomies.dss.errors import ImportanceImportError, TaxonomyError
from taxonomies.dss.exports import FORMATS, export
from taxonomies.dss.levels import DEFINITIONS, LEVELS, level_rank, meets
from taxonomies.dss.models import (
    PROVENANCES,
    Category,
    CrosswalkLink,
    Exam,
    ExamLink,
    LiteracyCategory,
    LiteracyItem,
    OccupationLink,
    PersonType,
    Requirement,
    Role,
    SearchHit,
    SkillItem,
    Subcategory,
)
from taxonomies.dss.profiles import ESTIMATE_LABEL_EN, ESTIMATE_LABEL_JA
from taxonomies.dss.service import (
    data_dir_of,
    get_taxonomy,
    import_importance,
    load_taxonomy,
    revert_importance,
)
from taxonomies.dss.taxonomy import CURRENT_VERSION, KINDS, Taxonomy

__all__ = [
    "CURRENT_VERSION", "DEFINITIONS", "ESTIMATE_LABEL_EN", "ESTIMATE_LABEL_JA", "FORMATS", "KINDS", "LEVELS",
    "PROVENANCES",
    "Category", "CrosswalkLink", "Exam", "ExamLink", "ImportanceImportError", "LiteracyCategory",
    "LiteracyItem", "OccupationLink", "PersonType", "Requirement", "Role", "SearchHit", "SkillItem",
    "Subcategory", "Taxonomy",
    "TaxonomyError",
    "data_dir_of", "export", "get_taxonomy", "import_importance", "level_rank", "load_taxonomy", "meets",
    "ob3_alignment", "revert_importance",
]
