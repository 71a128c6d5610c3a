"""The generated, versioned mapper artefact: fitted once by a command, loaded at every start.

    python -m skills.mapping.build [--version 2.0 --version 1.2]   # refit and write (scikit-learn)
    python -m skills.mapping.build --check                          # exit 1 when missing or stale

Per DSS version, ``data/model-v<version>.npz`` holds the arrays (idf per vectorizer, the transposed
SVM weights, intercepts, and the weights of one semantic head per embedder: the configured one,
first, and the static one) and ``data/model-v<version>.json`` the rest: vocabularies (terms in
column order), item ids and names, the calibrators (lexical alone, and fused with each head), the
embedder each head was fitted on, the taxonomy
version, the generator version and the SHA-256 of the inputs (the taxonomy and training files the
corpus is built from, and the fitting settings). Loading compares that hash with the current inputs and refuses a missing or stale artefact
with the command that rebuilds it, so a model is never fitted at start-up and never silently outdated.
No pickle: loading runs no code from the files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from skills.mapping import embedding
from skills.mapping.runtime import Calibrator, LinearScorer, LoadedModel, SemanticHead, TfidfBlock

GENERATOR_VERSION = 3  # bump when the fitting code changes what it produces for the same inputs
DATA_DIR = Path(__file__).parent / "data"
TAXONOMY_DIR = Path(__file__).resolve().parents[2] / "taxonomies" / "dss" / "data"
REBUILD = "python -m skills.mapping.build"


class ArtefactError(RuntimeError):
    """The shipped model artefact is missing, unreadable or does not match its inputs."""


def artefact_paths(version: str, data_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    return data_dir / f"model-v{version}.npz", data_dir / f"model-v{version}.json"


def input_files(version: str) -> list[Path]:
    """The files the training corpus of ``version`` is built from."""
    from skills.mapping.corpus import EXAMPLES_PATH

    files = [TAXONOMY_DIR / "dss_p_v2_0.yaml", EXAMPLES_PATH]
    if version != "2.0":
        files += [TAXONOMY_DIR / "dss_p_v1_2.yaml", TAXONOMY_DIR / "crosswalk_v1_v2.yaml"]
    return files


def fitting_settings() -> dict:
    """Every constant that changes the fitted model (read from the modules that use them)."""
    from skills.mapping import corpus, params, text

    return {"seed": params.SEED, "svm_c": params.SVM_C, "calibration_folds": params.CALIBRATION_FOLDS,
            "calibration_top": params.CALIBRATION_TOP, "word_pattern": params.WORD_PATTERN,
            "char_ngrams": list(params.CHAR_NGRAMS), "word_ngrams": list(params.WORD_NGRAMS),
            "name_repeats": corpus.NAME_REPEATS, "max_description_chars": text.MAX_DESCRIPTION_CHARS,
            "head_c": params.HEAD_C, "fusion_weight": params.FUSION_WEIGHT, "embed_max_chars": embedding.MAX_CHARS,
            "static_head_c": params.STATIC_HEAD_C, "static_embedder": static_embedder_hash()}


def static_embedder_hash() -> str | None:
    """The input hash of the shipped static embedder (its head is fitted on its vectors)."""
    from skills.mapping import static

    try:
        return json.loads(static.META.read_text(encoding="utf-8")).get("input_hash")
    except (OSError, ValueError):
        return None


def head_specs() -> list[str]:
    """The embedders a build fits heads for: the configured one (the default head), then ``static``."""
    return [spec for spec in dict.fromkeys([embedding.configured(), embedding.STATIC]) if spec != "none"]


def input_hash(version: str) -> str:
    """SHA-256 over the input files' bytes, the fitting settings and the generator version."""
    digest = hashlib.sha256()
    for path in input_files(version):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    settings = json.dumps(fitting_settings(), sort_keys=True)
    digest.update(f"{settings}\0{GENERATOR_VERSION}\0{version}".encode())
    return digest.hexdigest()


def taxonomy_version(version: str) -> dict:
    from taxonomies.dss import get_taxonomy

    meta = get_taxonomy().metadata(version)
    return {"version": version, "published": str(meta.get("published", ""))}


def calibrator_json(calibrator: Calibrator) -> dict:
    return {"a": calibrator.a, "b": calibrator.b, "c": calibrator.c}


def build(version: str, data_dir: Path = DATA_DIR) -> dict:
    """Fit the model of ``version`` (needs scikit-learn; the semantic head with the configured
    embedder, none for ``SKILLPASS_MAPPING_EMBEDDER=none``) and write its artefact; returns the metadata."""
    import sklearn

    from skills.mapping.corpus import build_corpus
    from skills.mapping.model import fit_model
    from skills.mapping.params import FUSION_WEIGHT

    embedders = [embedding.load_embedder(spec) for spec in head_specs()]
    fitted = fit_model(build_corpus(version), embedders)
    heads = fitted.classifier.heads
    vectorizers = fitted.classifier.vectorizers
    blocks = []
    for v in vectorizers:
        terms = sorted(v.vocabulary_, key=v.vocabulary_.__getitem__)
        blocks.append({"analyzer": v.analyzer, "ngram_range": list(v.ngram_range),
                       "token_pattern": v.token_pattern if v.analyzer == "word" else None, "terms": terms})
    head_meta = [{"embedder": h.embedder.name, "dim": h.embedder.dim, "weight": FUSION_WEIGHT,
                  "key": "head" if i == 0 else f"head{i}", "calibrator": calibrator_json(cal)}
                 for i, (h, cal) in enumerate(zip(heads, fitted.head_calibrators))]
    meta = {"generator_version": GENERATOR_VERSION, "input_hash": input_hash(version),
            "taxonomy": taxonomy_version(version), "scikit_learn": sklearn.__version__,
            "ids": list(fitted.ids), "names_ja": list(fitted.names_ja), "names_en": list(fitted.names_en),
            "calibrator": calibrator_json(fitted.calibrator),
            "lexical_calibrator": calibrator_json(fitted.lexical_calibrator),
            "semantic": {k: head_meta[0][k] for k in ("embedder", "dim", "weight")} if heads else None,
            "heads": head_meta,
            "blocks": blocks}
    arrays = {f"idf_{i}": v.idf_.astype(np.float32) for i, v in enumerate(vectorizers)}
    arrays["coef_t"] = np.ascontiguousarray(fitted.classifier.coef.T, dtype=np.float32)
    arrays["intercept"] = fitted.classifier.intercept.astype(np.float32)
    for head, info in zip(heads, head_meta):
        arrays[f"{info['key']}_coef_t"] = np.ascontiguousarray(head.coef.T, dtype=np.float32)
        arrays[f"{info['key']}_intercept"] = head.intercept.astype(np.float32)
    npz, js = artefact_paths(version, data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(npz, **arrays)
    js.write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return meta


def read_meta(version: str, data_dir: Path = DATA_DIR) -> dict:
    npz, js = artefact_paths(version, data_dir)
    if not npz.exists() or not js.exists():
        raise ArtefactError(f"the mapping model for DSS {version} is missing ({npz.name}); run `{REBUILD}`")
    try:
        return json.loads(js.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArtefactError(f"{js}: unreadable ({exc}); run `{REBUILD}`") from None


def stale_reason(version: str, data_dir: Path = DATA_DIR) -> str | None:
    """Why the artefact of ``version`` cannot be used, or None when it is up to date."""
    try:
        meta = read_meta(version, data_dir)
    except ArtefactError as exc:
        return str(exc)
    if meta.get("generator_version") != GENERATOR_VERSION or meta.get("input_hash") != input_hash(version):
        return (f"the mapping model for DSS {version} is stale (its inputs or the generator changed since it "
                f"was built); run `{REBUILD}`")
    return None


def load(version: str, data_dir: Path = DATA_DIR, embedder_spec: str | None = None) -> LoadedModel:
    """The model of ``version`` from its artefact; ArtefactError when missing or stale.

    The semantic half is used when the configured embedder (``embedding.configured()``, or
    ``embedder_spec``) is one a head was fitted on (that head and its calibrator); otherwise the
    lexical half alone, with its own calibrator, and ``meta["semantic_status"]`` says why."""
    reason = stale_reason(version, data_dir)
    if reason:
        raise ArtefactError(reason)
    meta = read_meta(version, data_dir)
    with np.load(artefact_paths(version, data_dir)[0], allow_pickle=False) as arrays:
        blocks = tuple(TfidfBlock(b["analyzer"], tuple(b["ngram_range"]), b["token_pattern"],
                                  {t: i for i, t in enumerate(b["terms"])}, arrays[f"idf_{i}"])
                       for i, b in enumerate(meta["blocks"]))
        scorer = LinearScorer(blocks, arrays["coef_t"], arrays["intercept"])
        # an artefact of generator 2 had one head, described by "semantic"
        listed = meta.get("heads") or ([dict(meta["semantic"], key="head", calibrator=meta["calibrator"])]
                                       if meta.get("semantic") else [])
        heads = {h["embedder"]: (SemanticHead(h["embedder"], arrays[f"{h['key']}_coef_t"],
                                              arrays[f"{h['key']}_intercept"], float(h["weight"])),
                                 h["calibrator"])
                 for h in listed}
    head, fused, embedder, status = None, None, None, "no semantic head in the artefact"
    if heads:
        embedder = embedding.load_embedder(embedder_spec)
        if embedder is None:
            status = f"lexical only ({embedding.ENV}=none)"
        elif embedder.name not in heads:
            status = (f"lexical only: the heads were fitted on {', '.join(heads)}, the configured embedder "
                      f"is {embedder.name}; rebuild with `{REBUILD}`")
            embedder = None
        else:
            head, fused = heads[embedder.name]
            status = f"fused with {embedder.name}"
    lexical = meta.get("lexical_calibrator", meta["calibrator"])
    cal = fused if embedder is not None else lexical
    info = {k: meta[k] for k in ("generator_version", "input_hash", "taxonomy", "scikit_learn")}
    info["semantic_status"] = status
    return LoadedModel(version, tuple(meta["ids"]), tuple(meta["names_ja"]), tuple(meta["names_en"]), scorer,
                       Calibrator(cal["a"], cal["b"], cal["c"]), info, head, embedder,
                       Calibrator(lexical["a"], lexical["b"], lexical["c"]))
