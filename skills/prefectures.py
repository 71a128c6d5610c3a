"""Japan's 47 prefectures by ISO 3166-2:JP code (JP-01 .. JP-47), with Japanese and English names."""

from __future__ import annotations

import unicodedata

_NAMES = (
    ("北海道", "Hokkaido"), ("青森県", "Aomori"), ("岩手県", "Iwate"), ("宮城県", "Miyagi"), ("秋田県", "Akita"),
    ("山形県", "Yamagata"), ("福島県", "Fukushima"), ("茨城県", "Ibaraki"), ("栃木県", "Tochigi"),
    ("群馬県", "Gunma"), ("埼玉県", "Saitama"), ("千葉県", "Chiba"), ("東京都", "Tokyo"), ("神奈川県", "Kanagawa"),
    ("新潟県", "Niigata"), ("富山県", "Toyama"), ("石川県", "Ishikawa"), ("福井県", "Fukui"), ("山梨県", "Yamanashi"),
    ("長野県", "Nagano"), ("岐阜県", "Gifu"), ("静岡県", "Shizuoka"), ("愛知県", "Aichi"), ("三重県", "Mie"),
    ("滋賀県", "Shiga"), ("京都府", "Kyoto"), ("大阪府", "Osaka"), ("兵庫県", "Hyogo"), ("奈良県", "Nara"),
    ("和歌山県", "Wakayama"), ("鳥取県", "Tottori"), ("島根県", "Shimane"), ("岡山県", "Okayama"),
    ("広島県", "Hiroshima"), ("山口県", "Yamaguchi"), ("徳島県", "Tokushima"), ("香川県", "Kagawa"),
    ("愛媛県", "Ehime"), ("高知県", "Kochi"), ("福岡県", "Fukuoka"), ("佐賀県", "Saga"), ("長崎県", "Nagasaki"),
    ("熊本県", "Kumamoto"), ("大分県", "Oita"), ("宮崎県", "Miyazaki"), ("鹿児島県", "Kagoshima"),
    ("沖縄県", "Okinawa"),
)
PREFECTURES: dict[str, tuple[str, str]] = {f"JP-{i:02d}": names for i, names in enumerate(_NAMES, start=1)}

_LOOKUP = {code.casefold(): code for code in PREFECTURES}
for _code, (_ja, _en) in PREFECTURES.items():
    _short = _ja[:-1] if _ja[-1] in "都府県" else _ja
    _LOOKUP.update({_ja: _code, _short: _code, _en.casefold(): _code, _code[3:]: _code})


def prefecture_code(value: str) -> str | None:
    """The ISO code for a code (JP-13, 13), a Japanese name (東京都, 東京) or an English one (Tokyo)."""
    text = unicodedata.normalize("NFKC", value).strip()
    return _LOOKUP.get(text.casefold()) or _LOOKUP.get(text)
