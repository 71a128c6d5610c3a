"""Japanese wording of check results, by machine code (English messages are built where checks run)."""

from __future__ import annotations

JA = {
    "ok": "確認できました",
    "proof_ok": "署名は有効で、鍵は発行者の文書で認可されています",
    "issuer_ok": "発行者と署名鍵の管理者が一致しています",
    "dates_ok": "有効期間内です",
    "status_ok": "失効・一時停止されていません",
    "no_status": "ステータス情報はありません（失効確認の対象外）",
    "schema_ok": "Open Badges 3.0 のスキーマに適合しています",
    "schema_not_applicable": "Open Badges 3.0 スキーマの対象外です",
    "challenge_ok": "チャレンジ／ドメインが一致しています",
    "holder_ok": "提示者と署名鍵の管理者が一致しています",
    "malformed_input": "入力を解釈できません（JSON・VC-JWT として不正です）",
    "too_large": "入力が大きすぎます",
    "too_deep": "入力の入れ子が深すぎます",
    "not_a_credential": "検証可能なクレデンシャルまたはプレゼンテーションではありません",
    "missing_proof": "署名（proof）がありません",
    "malformed_proof": "署名（proof）の形式が不正です",
    "malformed_jwt": "JWT の形式が不正です",
    "unknown_suite": "未対応の署名方式です",
    "wrong_purpose": "署名の目的（proofPurpose）が想定と異なります",
    "wrong_key_type": "署名方式と鍵の種類が一致しません",
    "suite_context_missing": "署名方式に必要な @context がクレデンシャルにありません",
    "invalid_signature": "署名が無効です（内容が改ざんされたか、別の鍵で署名されています）",
    "resolution_failed": "署名鍵（DID・検証メソッド）を解決できません",
    "bad_key": "鍵の形式が不正です",
    "context_refused": "未登録の JSON-LD コンテキストは読み込みません",
    "jsonld_error": "JSON-LD として処理できません（未定義の語や相対 IRI を含みます）",
    "jsonld_unsupported": "未対応の JSON-LD 機能を含みます",
    "canonicalization_limit": "正規化の処理量が上限を超えました",
    "challenge_mismatch": "チャレンジが一致しません",
    "domain_mismatch": "ドメインが一致しません",
    "issuer_mismatch": "発行者と署名鍵の管理者が一致しません",
    "issuer_not_checked": "署名を確認できないため、発行者を確認できません",
    "holder_mismatch": "提示者と署名鍵の管理者が一致しません",
    "expired": "有効期限が切れています",
    "not_yet_valid": "まだ有効期間が始まっていません",
    "invalid_date": "日付の形式が不正です",
    "missing_date": "必須の日付（issuanceDate）がありません",
    "revoked": "失効しています",
    "suspended": "一時停止されています",
    "status_entry_invalid": "ステータス情報の形式が不正です",
    "status_type_unknown": "未対応のステータス方式です",
    "status_list_unavailable": "ステータスリストを取得できません",
    "status_list_invalid": "ステータスリストの形式が不正です",
    "status_list_unverified": "ステータスリストの署名または有効期間を確認できません",
    "status_purpose_mismatch": "ステータスリストの用途が一致しません",
    "status_index": "ステータス番号がリストの範囲外です",
    "schema_invalid": "Open Badges 3.0 のスキーマに適合しません",
    "invalid_sd_jwt": "SD-JWT の署名または開示（disclosure）を確認できません",
    "disclosure_not_referenced": "署名された本体が参照しない開示（disclosure）があります（偽造または改変）",
    "wrong_typ": "SD-JWT VC の typ が dc+sd-jwt ではありません",
    "invalid_key_binding": "鍵の結び付け（KB-JWT）を確認できません",
    "internal_error": "検証中に予期しないエラーが発生しました",
}


def ja(code: str, ok: bool, check: str) -> str:
    """Japanese message for a check outcome."""
    if ok and code == "ok":
        return JA.get(f"{check}_ok", JA["ok"])
    return JA.get(code, "検証に失敗しました" if not ok else JA["ok"])
