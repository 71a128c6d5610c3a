"""Matching: DSS roles and job postings for people, learning paths, job text analysis, candidate search
and skill trends (docs/matching.md).

Pure interfaces, importable without a database::

    from matching import Held, Target, recommend_roles, role_targets, plan_path, PathFilters
    recommend_roles({"v2-backend": Held("b", "verified")})[0].target.id      # 'se-backend'
    from matching.job_text import analyze_job            # job text -> roles + skills (fits the mapper once)
    from matching.index import CandidateIndex        # the in-memory candidate index
    from matching.query import CandidateQuery, SkillFilter, search

HTTP handlers: ``matching.api.handlers``; CLI group: ``matching.cli.match_group``; demo data:
``matching.demo.load(session, people, orgs)``.
"""

from matching.paths import CatalogCourse, LearningPath, PathFilters, plan_path
from matching.roles import Held, Target, TargetMatch, recommend_roles, role_targets, score_target

__all__ = ["CatalogCourse", "Held", "LearningPath", "PathFilters", "Target", "TargetMatch", "plan_path",
           "recommend_roles", "role_targets", "score_target"]
