"""The Digital Credentials Consortium "legacy" issuer registry format (an unsigned JSON file):
``{"meta": {"created", "updated"}, "registry": {DID: {"name", "location", "url"}}}``.

As DCC's issuer-registry-client reads it, a DID listed there is known with that name and URL;
``location`` only disambiguates names.  Pure: parsing only, no fetching.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from credentials.trust.errors import RegistryFormatError
from credentials.trust.evaluate import TrustEntry

MAX_BYTES = 5_000_000


def _japanese(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA")) for c in text)


def _load(data: bytes | str | dict) -> Any:
    if isinstance(data, dict):
        return data
    if len(data) > MAX_BYTES:
        raise RegistryFormatError(f"The registry file is larger than {MAX_BYTES} bytes.", field="file")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise RegistryFormatError(f"The registry file is not JSON: {exc}", field="file") from None


def _entry(did: Any, value: Any, registry: str) -> TrustEntry:
    where = f"registry[{did!r}]"
    if not isinstance(did, str) or not did.startswith("did:") or len(did) > 500:
        raise RegistryFormatError(f"{where}: the key must be a DID (did:…).", field=where)
    if not isinstance(value, dict):
        raise RegistryFormatError(f"{where}: must be an object with name, location, url.", field=where)
    name = value.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 500:
        raise RegistryFormatError(f"{where}.name: must be a non-empty text.", field=f"{where}.name")
    url = value.get("url")
    if url is not None and (not isinstance(url, str) or len(url) > 1000):
        raise RegistryFormatError(f"{where}.url: must be a text.", field=f"{where}.url")
    name = name.strip()
    ja, en = (name, "") if _japanese(name) else ("", name)
    return TrustEntry(did=did, name_ja=ja, name_en=en, registry=registry, state="listed", url=url or None)


def parse_dcc(data: bytes | str | dict, registry: str) -> list[TrustEntry]:
    """Every issuer of a DCC legacy registry file, as trusted entries of ``registry``."""
    document = _load(data)
    if not isinstance(document, dict) or not isinstance(document.get("registry"), dict):
        raise RegistryFormatError("The file must be an object with a \"registry\" object (DCC legacy format).",
                                  field="registry")
    meta = document.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise RegistryFormatError("meta: must be an object with created / updated.", field="meta")
    return [_entry(did, value, registry) for did, value in document["registry"].items()]


__all__ = ["parse_dcc"]
