"""Evaluation of the matching engine: role recommendation and job-text analysis against baselines.

Run ``python -m matching.eval`` (``--json`` for machine-readable output). The data sets and how their
labels were made are described in ``data/*.yaml`` and docs/matching.md. ``python -m matching.eval.real_text``
scores the mapper and the job-text reader on real public text (``realtext/``, see its README).
"""
