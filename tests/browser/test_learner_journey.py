"""One new learner's whole journey in Chromium, in ja and en, on a 375 px phone and a 1280 px screen:
sign up (terms accepted) -> confirm by the mailed link -> onboarding (goal: back-end engineer) ->
self-assess -> an IPA exam -> import records -> "what changed" -> correct a mapped skill -> goal progress
-> a provider's pathway completed -> its badge in the wallet and as a PDF certificate -> jobs for you ->
apply with a new share link, which the employer then sees.

The provider (pathway through its console form, badge and step credentials through its API) and the
employer (a published posting through its API) set the scene; every learner step is clicked through the
pages. Each step asserts what the learner sees, that the page is no wider than the screen and that it shows
no text of the other language; every page is saved under test-output/screenshots/journey-*.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from frontend.i18n import localized, messages, translate
from frontend.rendering import dss_skill
from matching.demo import DEMO_POSTINGS
from taxonomies.dss import get_taxonomy
from tests.browser.conftest import DESKTOP, LIVE, PHONE, SCREENSHOTS, Visit
from tests.browser.test_signup_journey import _mail_to
from tests.skills.factories import COURSES, courses_csv

pytestmark = pytest.mark.browser

PROVIDER, EMPLOYER, GOAL = "provider@demo.skillpass.jp", "hr@demo.skillpass.jp", "se-backend"
PASSWORD = "browser-journey-pw-1"
# the pathway's steps: two of the provider's demo achievements (credentials.demo), by their names
STEPS = {"Web Application Development Foundations": "Webアプリケーション開発基礎",
         "Cloud Infrastructure in Practice": "クラウドインフラ実践"}
BADGE = {"name_ja": "Web・クラウド基礎（パス修了）", "name_en": "Web and Cloud Foundations (pathway)",
         "description_ja": "Web 開発とクラウド基盤のパスを修了。",
         "description_en": "Completed the web and cloud pathway.",
         "criteria_ja": "パスの全ステップを修了", "criteria_en": "Every step of the pathway",
         "alignments": [{"skill_id": "v2-technology-trends", "level": "c"}]}
PATHWAY = {"ja": "Web とクラウドの基礎パス", "en": "Web and cloud foundations pathway"}
POSTING = {"title": "Cloud Platform Engineer (trainee)", "lang": "en", "prefecture": "JP-13",
           "status": "published",
           "description": "Run our platform on the cloud and keep up with new technology.",
           "requirements": [{"skill_id": "v2-cloud-infrastructure", "level": "c"},  # met by a pathway step
                            {"skill_id": "v2-technology-trends", "level": "d"},     # met by the pathway badge
                            {"skill_id": "v2-business-strategy", "level": "d"},     # met by self-assessment
                            {"skill_id": "v2-data-ai-governance", "level": "b"}]}   # nothing backs it
MET = ["v2-cloud-infrastructure", "v2-technology-trends", "v2-business-strategy"]
MISSING = ["v2-data-ai-governance"]
RECORDS = {"ja": [COURSES[17], COURSES[2]], "en": [COURSES[5], COURSES[16]]}  # the learner's own records
# Text that is not the interface's: employers' posting texts, the records' own words (shown as entered).
FOREIGN_CONTENT = [p["title"] for p in DEMO_POSTINGS] + [POSTING["title"], POSTING["description"]]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]+")
ENGLISH_WORD = re.compile(r"(?<![\w@./-])[a-z][a-z_-]{3,}(?![\w@./-])")
# a catalogue key shown as itself (translate() shows an unknown key so that it is noticed), not a file name
RAW_KEY = re.compile(r"(?<![\w@/.-])[a-z][a-z0-9_]+(?:\.[a-z0-9_]{2,})+(?![\w@/-])")
FILE_NAME = re.compile(r"\.(csv|jsonl?|pdf|png)$")
ALLOWED_JA_IN_EN = {"日本語"}  # the language switch names each language in itself
# the product's name, the records file's column names
ALLOWED_EN_IN_JA = {"skillpass", "title", "description", "provider", "hours", "completion_date", "score",
                    "lang", "course_level", "https"}


def t(key: str, lang: str, **values) -> str:
    return translate(key, lang, **values)


def skill_name(skill_id: str, lang: str) -> str:
    return localized(dss_skill(skill_id), "name", lang)


def api(tab: Visit, method: str, path: str, **body):
    """A same-origin API call from a signed-in tab (cookie session, CSRF header from its cookie)."""
    token = next(c["value"] for c in tab.page.context.cookies() if c["name"] == "skillpass_csrf")
    answer = tab.page.request.fetch(tab.base + path, method=method, data=body or None,
                                    headers={"x-csrftoken": token, "Idempotency-Key": str(uuid.uuid4())})
    assert answer.ok, answer.text()
    return answer.json()


def english_phrases() -> set[str]:
    """English catalogue text long enough to be unmistakable (placeholders split it into fragments)."""
    phrases = set()
    for entry in messages().values():
        if entry.get("en") and entry.get("en") != entry.get("ja"):
            for part in re.split(r"\{[^}]*\}", entry["en"]):
                part = part.strip(" .,:;()“”\"'")
                if len(part) >= 12 and len(part.split()) >= 2 and re.search(r"[a-z]{3}", part):
                    phrases.add(part)
    return phrases


ENGLISH = english_phrases()


@dataclass
class Scene:
    provider: Visit
    employer: Visit
    org: str
    steps: list[str]
    employer_org: str
    posting: str


def _define_pathway(provider: Visit, org: str) -> list[str]:
    """The provider's console form: two of its achievements, its new badge, aligned to the goal role."""
    achievements = {a["name_en"]: a["id"] for a in api(provider, "GET", f"/api/v1/orgs/{org}/achievements")}
    badge = (achievements.get(BADGE["name_en"])
             or api(provider, "POST", f"/api/v1/orgs/{org}/achievements", **BADGE)["id"])
    provider.goto(f"/provider/{org}/pathways", "pathway-console")
    page = provider.page
    page.locator("#f-name_ja").fill(PATHWAY["ja"])
    page.locator("#f-name_en").fill(PATHWAY["en"])
    for name_ja in STEPS.values():
        page.get_by_label(name_ja).check()
    page.locator("#f-badge").select_option(badge)
    page.locator("#f-role").select_option(GOAL)
    page.get_by_role("button", name=t("pathways.create", "ja")).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text(PATHWAY["ja"])).to_be_visible()
    provider.snap("pathway-created")
    return [achievements[name_en] for name_en in STEPS]


@pytest.fixture(scope="module")
def scene(browser, live_server: str):
    """The provider's pathway and the employer's published posting, made once for the four walks."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    contexts = []

    def signed_in(name: str, email: str) -> Visit:
        context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
        context.add_cookies([{"name": "lang", "value": "ja", "url": live_server}])
        contexts.append(context)
        tab = Visit(context.new_page(), live_server, f"journey-{name}")
        tab.sign_in(email)
        return tab

    provider = signed_in("provider", PROVIDER)
    org = re.search(r"/provider/([0-9a-f-]{36})", provider.page.url).group(1)
    steps = _define_pathway(provider, org)
    employer = signed_in("employer", EMPLOYER)
    employer_org = re.search(r"/employer/([0-9a-f-]{36})", employer.page.url + employer.page.content())[1]
    posting = api(employer, "POST", f"/api/v1/orgs/{employer_org}/postings", **POSTING)["id"]
    yield Scene(provider, employer, org, steps, employer_org, posting)
    for context in contexts:
        context.close()


class Walk:
    """The learner's tab with the checks every step makes: the page fits the screen, no other language."""

    def __init__(self, tab: Visit, lang: str, width: int, own_words: set[str]) -> None:
        self.tab, self.page, self.lang, self.width, self.own = tab, tab.page, lang, width, own_words

    def check(self, label: str, known: tuple[str, ...] = ()) -> None:
        """Save the page; it is no wider than the screen and shows no text of the other language but
        ``known`` leaks (each one reported)."""
        self.tab.snap(label)
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        assert wide <= self.width, f"{self.page.url} is {wide} px wide on a {self.width} px screen"
        text = re.sub(r"\S+@\S+|https?://\S+", " ", self.page.locator("body").inner_text())
        keys = [k for k in RAW_KEY.findall(text) if not FILE_NAME.search(k)]
        assert not keys, f"{self.page.url} shows catalogue keys: {keys}"
        for content in [*FOREIGN_CONTENT, *known]:
            text = text.replace(content, " ")
        if self.lang == "en":
            leaks = set(JAPANESE.findall(text)) - ALLOWED_JA_IN_EN
        else:
            leaks = {p for p in ENGLISH if p in text}
            leaks |= set(ENGLISH_WORD.findall(text)) - ALLOWED_EN_IN_JA - self.own
        assert not leaks, f"{self.page.url} ({self.lang}) shows text of the other language: {sorted(leaks)}"

    def goto(self, path: str, label: str, known: tuple[str, ...] = ()) -> None:
        self.page.goto(self.tab.base + path)  # waits for "load"; the assertions wait for what they read
        self.check(label, known)

    def click(self, locator, label: str) -> None:
        """Click a link or a form's button and wait for the page it leads to."""
        with self.page.expect_navigation():
            locator.click()
        self.check(label)


def _sign_up_and_confirm(walk: Walk, address: str) -> None:
    page, outbox = walk.page, LIVE["data_dir"] / "outbox"
    seen = set(outbox.glob("*.eml")) if outbox.exists() else set()
    for doc in ("terms", "privacy"):  # what the sign-up form asks the learner to accept
        walk.goto(f"/{doc}", doc)
        expect(page.locator("main h1")).to_have_text(t(f"legal.{doc}.title", walk.lang))
    walk.goto("/signup", "signup")
    page.fill("#f-display_name", "Journey Person")
    page.fill("#f-email", address)
    page.fill("#f-password", PASSWORD)
    page.locator("#f-accept_terms").check()
    page.locator("#signup_form button[type=submit]").click()
    page.wait_for_selector("#signup_form >> text=" + address)
    walk.check("check-your-mail")
    page.goto(re.search(r"http://\S+/account/confirm\?token=\S+", _mail_to(address, seen)).group(0))
    page.fill("input[name=password]", PASSWORD)
    walk.click(page.locator("main form button[type=submit]"), "confirmed")


def _onboard_self_assess_and_add_an_exam(walk: Walk) -> None:
    page, lang = walk.page, walk.lang
    walk.click(page.locator('a[href="/welcome"]'), "onboarding-goal")
    page.select_option("#f-goal", GOAL)
    walk.click(page.get_by_role("button", name=t("onboarding.next", lang)), "onboarding-add")
    walk.click(page.locator('main a[href="/wallet/assess"]'), "assess-index")
    walk.click(page.locator('a[href="/wallet/assess/v2-cat-business"]'), "assess-business")
    page.select_option("#a-v2-business-strategy", "c")
    walk.click(page.get_by_role("button", name=t("assessment.save", lang)), "self-assessed")
    changes = page.locator("section.changes")
    expect(changes.get_by_role("heading")).to_have_text(t("changes.title", lang))
    expect(changes.locator("li")).to_have_count(1)
    expect(changes.locator("li")).to_contain_text(t("changes.kind.gained", lang))
    expect(changes.locator("li")).to_contain_text(skill_name("v2-business-strategy", lang))

    walk.goto("/wallet/exams", "exams")
    expect(page.locator("main")).to_contain_text(t("assessment.exams.empty", lang))
    # the project manager exam: none of its items is one the walk counts on later
    exam = page.locator("#f-exam option[value=pm]").inner_text()
    page.select_option("#f-exam", "pm")
    page.fill("#f-date", "2025-04-20")
    page.locator("input[name=passed][value=yes]").check()
    walk.click(page.get_by_role("button", name=t("assessment.exams.add", lang)), "exam-added")
    expect(page.locator("section.changes")).to_contain_text(t("changes.kind.gained", lang))
    expect(page.locator("main ul.plain").last).to_contain_text(exam)


def _import_and_correct(walk: Walk, records_file) -> None:
    """Upload the records; "what changed" names each new skill, the profile shows it; reject the first
    skill read from a record, which then shows as the learner's rejection."""
    page, lang = walk.page, walk.lang
    walk.goto("/wallet/records", "records")
    page.set_input_files("#f-records", str(records_file))
    page.locator("#records_panel form button[type=submit]").click()
    changes = page.locator("section.changes")
    changes.wait_for()
    walk.check("what-changed")
    expect(changes.get_by_role("heading")).to_have_text(t("changes.title", lang))
    new_skills = changes.locator("li", has_text=t("changes.kind.gained", lang)).locator("a")
    gained = [a.inner_text() for a in new_skills.all()]
    assert gained, changes.inner_text()
    walk.click(changes.get_by_role("link", name=t("changes.see_profile", lang)), "profile")
    profile = page.locator("main").inner_text()
    assert all(name in profile for name in gained), (gained, profile)
    assert skill_name("v2-business-strategy", lang) in profile

    walk.goto("/wallet/records", "record-list")
    details = page.locator("details.record-skills").first
    details.locator("summary").click()
    first = details.locator("li").first
    rejected = first.locator("a").inner_text()
    first.locator("select").select_option("reject")
    walk.click(first.get_by_role("button", name=t("assessment.correct.submit", lang)), "corrected")
    details = page.locator("details.record-skills").first
    details.locator("summary").click()
    expect(details.locator("li", has_text=rejected)).to_contain_text(t("assessment.correct.rejected", lang))
    walk.check("corrected-open")
    walk.goto("/wallet/profile", "profile-corrected")  # nothing else backs that skill yet: it is gone
    expect(page.locator("main")).not_to_contain_text(rejected)
    expect(page.locator("main")).to_contain_text(skill_name("v2-business-strategy", lang))


def _progress(walk: Walk) -> tuple[int, int]:
    """The goal's figure (percent) and its met count, as the page states them."""
    page, lang = walk.page, walk.lang
    walk.goto("/wallet/progress", "progress")
    role = next(r for r in get_taxonomy().roles() if r.id == GOAL)
    expect(page.locator("#goal-heading")).to_have_text(
        t("progress.goal", lang, role=localized(role, "name", lang)))
    bar = page.locator("#goal-heading ~ progress")
    met, required = int(bar.get_attribute("value")), int(bar.get_attribute("max"))
    assert required == len([s for s in role.requirements if s.startswith("v2-")])
    percent = int(page.locator("[data-progress-percent]").get_attribute("data-progress-percent"))
    assert percent == met * 100 // required
    expect(page.locator("[data-progress-percent]")).to_have_text(t("progress.figure", lang, percent=percent))
    expect(page.locator("#goal-heading ~ p").nth(1)).to_contain_text(
        t("progress.figure.detail", lang, met=met, required=required))
    return percent, met


def _pathway_card(walk: Walk, label: str):
    walk.goto("/wallet/pathways", label)
    return walk.page.locator("section[data-pathway]", has_text=PATHWAY[walk.lang])


def _complete_pathway(walk: Walk, scene: Scene, address: str) -> None:
    """The pathway shows for the goal role at 0 of 2; each credential the provider issues moves it on; the
    last one completes it and its badge arrives by itself."""
    lang = walk.lang
    card = _pathway_card(walk, "pathways-before")
    expect(card.locator("p strong")).to_have_text(t("pathways.learner.progress", lang, done=0, units=2))
    for done, achievement in enumerate(scene.steps, start=1):
        api(scene.provider, "POST", f"/api/v1/orgs/{scene.org}/credentials", achievement_id=achievement,
            recipient_email=address, recipient_name="Journey Person", lang=lang)
        card = _pathway_card(walk, f"pathways-{done}-of-2")
        expect(card.locator("p strong")).to_have_text(
            t("pathways.learner.progress", lang, done=done, units=2))
        expect(card.locator("ol.steps li .badge.ok")).to_have_count(done)
    expect(card.locator("[data-award=active]")).to_contain_text(t("pathways.learner.awarded", lang))
    walk.click(card.get_by_role("link", name=t("pathways.learner.see_badge", lang)), "wallet-credentials")
    expect(walk.page.locator("main").get_by_text(BADGE[f"name_{lang}"]).first).to_be_visible()
    walk.goto("/wallet/certificates", "certificates")
    certificate = walk.page.locator("li[data-held]", has_text=BADGE[f"name_{lang}"])
    with walk.page.expect_download() as download:
        certificate.get_by_role("button", name=t("progress.cert.download", lang)).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")


def _jobs_and_apply(walk: Walk, scene: Scene) -> None:
    page, lang = walk.page, walk.lang
    walk.goto("/wallet/jobs", "jobs")
    jobs = page.locator("li[data-job]")
    fits = [int(job.get_attribute("data-fit")) for job in jobs.all()]
    assert len(fits) > len(DEMO_POSTINGS) and fits == sorted(fits, reverse=True), fits  # best fit first
    mine = page.locator(f'li[data-job="{scene.posting}"]')
    expect(mine).to_contain_text(t("jobs.counts", lang, met=len(MET), missing=len(MISSING)))
    expect(mine).to_contain_text(skill_name(MISSING[0], lang))
    walk.click(mine.get_by_role("link", name=POSTING["title"]), "job")
    assert sorted(li.get_attribute("data-met") for li in page.locator("[data-met]").all()) == sorted(MET)
    assert [li.get_attribute("data-missing") for li in page.locator("[data-missing]").all()] == MISSING
    expect(page.locator("[data-met]").first).to_have_text(skill_name(MET[0], lang))
    expect(page.get_by_role("heading", name=t("jobs.path", lang))).to_be_visible()

    applications = f"/employer/{scene.employer_org}/postings/{scene.posting}/applications"
    scene.employer.goto(applications, "applications-before")
    before = {a.get_attribute("data-application")
              for a in scene.employer.page.locator("[data-application]").all()}
    expect(page.locator('input[name=link][value="new"]')).to_be_checked()
    walk.click(page.get_by_role("button", name=t("jobs.send", lang)), "applied")
    expect(page.locator("[data-applied]")).to_contain_text(t("jobs.applied", lang))
    walk.goto("/wallet/jobs", "jobs-after")
    expect(page.locator(f'li[data-job="{scene.posting}"]')).to_contain_text(t("jobs.applied", lang))
    # The link the application made is the learner's to revoke, labelled in their language.
    walk.goto("/wallet/share", "share-links")
    expect(page.locator("main")).to_contain_text(POSTING["title"])

    scene.employer.goto(applications, f"applications-{lang}-{walk.width}")
    sent = scene.employer.page.locator("[data-application]")
    expect(sent).to_have_count(len(before) + 1)
    [new] = [a for a in sent.all() if a.get_attribute("data-application") not in before]
    shared = {row.get_attribute("data-shared-skill") for row in new.locator("[data-shared-skill]").all()}
    assert {"v2-cloud-infrastructure", "v2-technology-trends"} <= shared, shared  # backed by credentials
    assert "v2-business-strategy" not in shared  # a share leaves self-declared skills out


@pytest.fixture
def walk(browser, live_server: str, lang: str, viewport: dict):
    """A fresh tab in the case's language and screen size, saving journey-<lang>-<width>-NN-<step>.png."""
    context = browser.new_context(viewport=viewport, locale="ja-JP" if lang == "ja" else "en-US")
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    own = {w.lower() for row in RECORDS[lang] for cell in row for w in re.findall(r"[A-Za-z]+", cell)}
    yield Walk(Visit(context.new_page(), live_server, f"journey-{lang}-{viewport['width']}"), lang,
               viewport["width"], own)
    context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_new_learner_walks_from_sign_up_to_a_job_application(walk, scene, lang, viewport, tmp_path) -> None:
    width = viewport["width"]
    address = f"journey-{lang}-{width}@example.jp"
    records = tmp_path / "records.csv"
    records.write_text(courses_csv(RECORDS[lang]), encoding="utf-8")

    _sign_up_and_confirm(walk, address)
    _onboard_self_assess_and_add_an_exam(walk)
    _import_and_correct(walk, records)
    percent, met = _progress(walk)
    assert met >= 1  # the self-assessed business strategy (c) meets the role's d

    _complete_pathway(walk, scene, address)
    after_percent, after_met = _progress(walk)
    # the steps bring cloud infrastructure (b) and front end (c), the badge technology trends (c)
    assert after_met == met + 3, (met, after_met)
    assert after_percent > percent
    expect(walk.page.locator('[data-milestone="first_verified"]')).to_contain_text(
        t("progress.milestone.first_verified", lang))

    _jobs_and_apply(walk, scene)
    walk.goto("/wallet", "wallet-home")
    expect(walk.page.locator("main").get_by_role("link", name=BADGE[f"name_{lang}"])).to_be_visible()
    if width == DESKTOP["width"]:
        assert walk.tab.axe_serious() == []
    assert not [e for e in walk.tab.errors if "favicon" not in e], walk.tab.errors
