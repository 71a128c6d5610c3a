"""The job-title list (matching/data/role_titles.yaml) after its check against the DSS roles."""

from matching.job_text import title_hits


def test_words_that_are_not_titles_name_no_role():
    # "venture", "back-office": words, not titles; "business development": a sales title in English ads
    assert "ba-new-business" not in title_hits("Joint venture partner\nBusiness development representative")
    assert "ba-internal-operations" not in title_hits("Back-office clerk\nData entry and filing")


def test_kept_titles_still_name_their_role():
    assert title_hits("Product Manager\nOwn the roadmap")["ba-new-business"] == 1.0
    assert title_hits("新規事業開発 担当\n事業計画の策定")["ba-new-business"] == 1.0
    assert title_hits("Enterprise Architect\nProcess models")["ba-internal-operations"] == 1.0
