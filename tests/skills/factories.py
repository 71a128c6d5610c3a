"""Test data for the skills domain: Open Badges 2.0 assertions and baked images built from plain bytes,
learning-record CSV files, and wallet credentials."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from typing import Any

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def baked_png(text: str, *, compressed: bool = False) -> bytes:
    """A 1x1 grey PNG with an iTXt chunk "openbadges" holding ``text`` (as OB 2.0 baking does)."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x80")
    payload = zlib.compress(text.encode("utf-8")) if compressed else text.encode("utf-8")
    itxt = b"openbadges\x00" + bytes([1 if compressed else 0, 0]) + b"\x00\x00" + payload
    return (PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + png_chunk(b"iTXt", itxt) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def baked_svg(text: str) -> bytes:
    """An SVG with an ``<openbadges:assertion>`` element holding ``text``."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
            f'width="10" height="10">'
            f'<openbadges:assertion verify="https://badges.example.org/assertions/svg-1">'
            f'<![CDATA[{text}]]></openbadges:assertion><rect width="10" height="10"/></svg>').encode()


def hashed_identity(email: str, salt: str = "deadsea") -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode("utf-8")).hexdigest()


def badge_class(name: str, description: str = "", alignment: list[dict] | None = None,
                badge_id: str = "https://badges.example.org/classes/1") -> dict[str, Any]:
    return {"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": badge_id, "name": name,
            "description": description, "image": "https://badges.example.org/img.png",
            "criteria": {"narrative": "Pass the final test."}, "alignment": alignment or [],
            "issuer": {"type": "Profile", "id": "https://badges.example.org/issuer", "name": "Example Academy",
                       "url": "https://badges.example.org"}}


def assertion(email: str, badge: dict | str, *, assertion_id: str = "https://badges.example.org/assertions/1",
              expires: str | None = None, hashed: bool = True) -> dict[str, Any]:
    recipient = ({"type": "email", "hashed": True, "salt": "deadsea", "identity": hashed_identity(email)}
                 if hashed else {"type": "email", "hashed": False, "identity": email})
    data = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": assertion_id,
            "recipient": recipient, "badge": badge, "verification": {"type": "hosted"},
            "issuedOn": "2025-04-01T09:00:00+09:00"}
    if expires:
        data["expires"] = expires
    return data


def as_text(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)


COURSES = [
    # title, description, provider, hours, completion_date, score, lang, course_level
    ("Pythonによる機械学習入門", "scikit-learnを使った回帰・分類の基礎", "社内研修", "12", "2025-03-31", "85", "ja", "beginner"),
    ("AWS Cloud Practitioner Essentials", "Core AWS services and pricing", "AWS Skill Builder", "6", "2025-05-20",
     "pass", "en", "beginner"),
    ("情報セキュリティ入門", "情報セキュリティの基本と社内規程", "社内研修", "3", "2025-01-15", "", "ja", ""),
    ("SQL基礎", "SELECT文、結合、集計", "Udemy", "8", "2025-02-10", "90", "ja", "beginner"),
    ("アジャイル開発 スクラム実践", "スクラムのイベントと役割", "社内研修", "16", "2025-06-01", "", "ja", "intermediate"),
    ("Docker and Kubernetes basics", "Containers, images, pods and deployments", "Coursera", "20", "2025-04-11",
     "88", "en", "intermediate"),
    ("データ分析のための統計学", "記述統計、検定、回帰分析", "gacco", "24", "2024-11-30", "75", "ja", "intermediate"),
    ("UXデザイン入門", "ユーザーインタビューとペルソナ", "社内研修", "6", "2025-02-20", "", "ja", "beginner"),
    ("Webアプリケーション開発基礎", "HTML、CSS、JavaScriptとHTTP", "Progate", "15", "2024-10-01", "", "ja", "beginner"),
    ("React frontend development", "Components, hooks and state management", "Udemy", "30", "2025-07-15", "92",
     "en", "advanced"),
    ("プロジェクトマネジメント基礎", "WBS、スケジュール、リスク管理", "PMI日本支部", "10", "2025-03-01", "", "ja", "beginner"),
    ("デジタルマーケティング入門", "SEO、広告運用、アクセス解析", "社内研修", "5", "2025-05-05", "", "ja", "beginner"),
    ("個人情報保護法の基礎", "個人情報の取扱いと漏えい時の対応", "社内研修", "2", "2025-01-20", "pass", "ja", ""),
    ("Deep Learning Specialization", "Neural networks, CNNs and sequence models", "Coursera", "60", "2025-08-30",
     "95", "en", "advanced"),
    ("クラウドインフラ設計", "AWSでの可用性とスケーラビリティ設計", "AWS Skill Builder", "18", "2025-09-10", "", "ja",
     "intermediate"),
    ("ビジネスモデルキャンバス演習", "新規事業の仮説検証", "グロービス", "8", "2024-12-12", "", "ja", "beginner"),
    ("Linux command line", "Shell, files, processes and permissions", "edX", "10", "2024-09-09", "", "en", "beginner"),
    ("データベース設計と正規化", "ER図と正規化、インデックス", "Udemy", "12", "2025-06-20", "80", "ja", "intermediate"),
    ("生成AI活用研修", "プロンプトエンジニアリングと業務活用", "社内研修", "4", "2025-10-01", "", "ja", "beginner"),
    ("Git and GitHub for teams", "Branches, pull requests and code review", "Udemy", "5", "2025-02-28", "", "en",
     "beginner"),
]
CSV_HEADER = "title,description,provider,hours,completion_date,score,lang,course_level"


def csv_line(row: tuple[str, ...]) -> str:
    return ",".join(f'"{cell}"' if "," in cell else cell for cell in row)


def courses_csv(rows: list[tuple[str, ...]] = COURSES, *, extra_lines: list[str] = ()) -> str:
    return "\n".join([CSV_HEADER, *(csv_line(r) for r in rows), *extra_lines]) + "\n"


def ob3_credential(name: str, alignments: list[tuple[str, str]], *, issuer: str = "Tokyo Digital Academy",
                   valid_from: str = "2025-06-01T00:00:00Z") -> dict[str, Any]:
    """An OB 3.0 AchievementCredential aligned to DSS items with levels, shaped as skillpass issues them."""
    descriptions = [{
        "id": f"urn:rd:{skill}", "type": "ResultDescription", "name": skill, "resultType": "RubricCriterionLevel",
        "alignment": [{"type": ["Alignment"], "targetCode": skill, "targetName": skill,
                       "targetUrl": f"https://skillpass.example/dss/2.0/skills/{skill}"}],
        "rubricCriterionLevel": [{"id": f"urn:rd:{skill}:{level}", "type": "RubricCriterionLevel", "level": level,
                                  "name": level}],
        "requiredLevel": f"urn:rd:{skill}:{level}",
    } for skill, level in alignments]
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "id": f"urn:uuid:{_slug(name)}",
        "issuer": {"id": "did:key:z6Mk-test", "type": ["Profile"], "name": issuer}, "validFrom": valid_from,
        "name": name,
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": f"urn:achievement:{_slug(name)}", "type": ["Achievement"], "name": name,
            "description": f"{name} description", "criteria": {"narrative": "Pass."},
            "alignment": [d["alignment"][0] for d in descriptions], "resultDescription": descriptions}},
    }


def _slug(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
