"""Fast JSON-LD -> RDF quads for credentials, in JSON-LD "safe mode".

A compact implementation of the JSON-LD 1.1 context processing + expansion + toRdf steps for the
features the bundled VC / Open Badges contexts use (term definitions, @vocab, compact IRIs, type
coercion incl. @id/@vocab/@json, @set/@list/@graph containers, protected terms, property- and
type-scoped contexts with non-propagation).  Processed contexts are cached on the (immutable)
active-context objects, so a credential shape seen once costs only the walk over its values.

Safe mode (as in the Digital Bazaar verifier): anything JSON-LD would silently drop or leave
relative (undefined terms, relative @type / @id) raises JsonLdError instead of being ignored.
Features outside the subset raise UnsupportedJsonLd; `canon.to_quads` then falls back to pyld.
Quads are 4-tuples of N-Quads-serialised terms (graph "" for the default graph).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from credentials.vc.errors import ContextRefused, JsonLdError, UnsupportedJsonLd
from credentials.vc.loader import get_context

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = f"<{RDF}type>"
RDF_FIRST = f"<{RDF}first>"
RDF_REST = f"<{RDF}rest>"
RDF_NIL = f"<{RDF}nil>"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
RDF_JSON = RDF + "JSON"

_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$").match
_KEYWORD_LIKE = re.compile(r"^@[a-zA-Z]+$").match
_GEN_DELIMS = frozenset(":/?#[]@")
KEYWORDS = frozenset(
    "@base @container @context @direction @graph @id @import @included @index @json @language @list "
    "@nest @none @prefix @propagate @protected @reverse @set @type @value @version @vocab".split()
)
_CONTEXT_KEYS = frozenset(["@base", "@direction", "@import", "@language", "@propagate", "@protected", "@version", "@vocab"])
_ALLOWED_CONTAINERS = (frozenset(), frozenset(["@set"]), frozenset(["@list"]), frozenset(["@graph"]),
                       frozenset(["@graph", "@set"]))
_MAX_CHILD_CACHE = 256
_MAX_REMOTE_DEPTH = 16

_LIT_ESCAPES = {i: f"\\u{i:04X}" for i in list(range(0x20)) + [0x7F]}
_LIT_ESCAPES.update({8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
_LIT_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]').search


def escape_literal(text: str) -> str:
    """N-Quads literal escaping as RDFC-1.0 / rdf-canonize does it (ECHAR, else UCHAR for controls)."""
    return text.translate(_LIT_ESCAPES) if _LIT_NEEDS_ESCAPE(text) else text


class TermDef:
    """One term definition of an active context."""

    __slots__ = ("iri", "type", "container", "context", "context_key", "protected", "prefix", "language", "reverse")

    def __init__(self) -> None:
        self.iri: str | None = None
        self.type: str | None = None
        self.container: frozenset[str] = frozenset()
        self.context: Any = None
        self.context_key: str | None = None
        self.protected = False
        self.prefix = False
        self.language: Any = _UNSET
        self.reverse = False

    def same_as(self, other: "TermDef") -> bool:
        """Equal apart from the protected flag (protected terms may be redefined identically)."""
        return (self.iri, self.type, self.container, self.context_key, self.prefix, self.language,
                self.reverse) == (other.iri, other.type, other.container, other.context_key, other.prefix,
                                  other.language, other.reverse)


_UNSET: Any = object()


class Ctx:
    """An immutable active context with caches for derived contexts and IRI expansions."""

    __slots__ = ("terms", "vocab", "language", "previous", "children", "vocab_iris", "has_protected")

    def __init__(self, terms: dict[str, TermDef] | None = None, vocab: str | None = None,
                 language: str | None = None, previous: "Ctx | None" = None) -> None:
        self.terms: dict[str, TermDef] = terms if terms is not None else {}
        self.vocab = vocab
        self.language = language
        self.previous = previous
        self.children: dict[tuple, Ctx] = {}
        self.vocab_iris: dict[str, str | None] = {}
        self.has_protected = any(t.protected for t in self.terms.values())

    def copy(self) -> "Ctx":
        return Ctx(dict(self.terms), self.vocab, self.language, self.previous)

    def expand_vocab(self, value: str) -> str | None:
        """IRI-expand a key or vocab-relative value (cached per context)."""
        try:
            return self.vocab_iris[value]
        except KeyError:
            iri = expand_iri(self, value, vocab=True)
            if len(self.vocab_iris) < 4096:
                self.vocab_iris[value] = iri
            return iri


INITIAL = Ctx()


def context_key(local: Any) -> str:
    """A stable cache key for a local context value."""
    if isinstance(local, str):
        return local
    return json.dumps(local, sort_keys=True, separators=(",", ":"))


def process_context(active: Ctx, local: Any, *, override_protected: bool = False, propagate: bool = True,
                    key: str | None = None) -> Ctx:
    """Context Processing (cached on the active context)."""
    cache_key = (key if key is not None else context_key(local), override_protected, propagate)
    hit = active.children.get(cache_key)
    if hit is not None:
        return hit
    result = _process(active, local, override_protected, propagate, ())
    if len(active.children) >= _MAX_CHILD_CACHE:
        active.children.clear()
    active.children[cache_key] = result
    return result


def _process(active: Ctx, local: Any, override_protected: bool, propagate: bool, remotes: tuple) -> Ctx:
    ctxs = local if isinstance(local, list) else [local]
    if not ctxs:
        return active
    if isinstance(ctxs[0], dict) and isinstance(ctxs[0].get("@propagate"), bool):
        propagate = ctxs[0]["@propagate"]
    result = active.copy()
    if not propagate and result.previous is None:
        result.previous = active
    for ctx in ctxs:
        if ctx is None:
            if not override_protected and any(t.protected for t in result.terms.values()):
                raise JsonLdError("invalid context nullification: protected terms cannot be cleared")
            previous = result.previous
            result = Ctx(previous=previous if not propagate else None)
            continue
        if isinstance(ctx, str):
            if ctx in remotes or len(remotes) >= _MAX_REMOTE_DEPTH:
                raise JsonLdError(f"recursive context inclusion of {ctx!r}")
            document = get_context(ctx)
            if not isinstance(document, dict) or "@context" not in document:
                raise JsonLdError(f"context document {ctx!r} has no @context")
            result = _process(result, document["@context"], override_protected, True, remotes + (ctx,))
            if not propagate and result.previous is None:
                result.previous = active
            continue
        if not isinstance(ctx, dict):
            raise JsonLdError("invalid local context: @context must be an object, string, array or null")
        _apply_local(result, ctx, override_protected)
    result.has_protected = any(t.protected for t in result.terms.values())
    return result


def _apply_local(result: Ctx, ctx: dict, override_protected: bool) -> None:
    if "@version" in ctx and ctx["@version"] != 1.1:
        raise JsonLdError("invalid @version value")
    if "@import" in ctx:
        imported = get_context(ctx["@import"]) if isinstance(ctx["@import"], str) else None
        inner = imported.get("@context") if isinstance(imported, dict) else None
        if not isinstance(inner, dict) or "@import" in inner:
            raise JsonLdError("invalid @import value")
        ctx = {**inner, **ctx}
    if ctx.get("@base") is not None or "@direction" in ctx:
        raise UnsupportedJsonLd("@base / @direction in a context")
    if "@vocab" in ctx:
        vocab = ctx["@vocab"]
        if vocab is None:
            result.vocab = None
        elif isinstance(vocab, str):
            expanded = expand_iri(result, vocab, vocab=True)
            if not expanded or not (_ABSOLUTE_IRI(expanded) or expanded.startswith("_:")):
                raise JsonLdError(f"relative @vocab reference {vocab!r}")
            result.vocab = expanded
        else:
            raise JsonLdError("invalid @vocab value")
    if "@language" in ctx:
        language = ctx["@language"]
        if language is not None and not isinstance(language, str):
            raise JsonLdError("invalid default language")
        result.language = language.lower() if isinstance(language, str) else None
    protected = ctx.get("@protected", False)
    defined: dict[str, bool] = {}
    for term in ctx:
        if term not in _CONTEXT_KEYS:
            _create_term(result, ctx, term, defined, protected, override_protected)


def _create_term(active: Ctx, local: dict, term: str, defined: dict[str, bool], protected_default: bool,
                 override_protected: bool) -> None:
    if term in defined:
        if defined[term]:
            return
        raise JsonLdError(f"cyclic IRI mapping for term {term!r}")
    if term == "":
        raise JsonLdError("invalid term definition: empty term")
    defined[term] = False
    value = local[term]
    if term in KEYWORDS:
        if term == "@type" and isinstance(value, dict) and set(value) <= {"@container", "@protected"} \
                and value.get("@container", "@set") == "@set":
            defined[term] = True
            return
        raise JsonLdError(f"keyword redefinition of {term!r}")
    if _KEYWORD_LIKE(term):
        defined[term] = True
        return
    previous = active.terms.pop(term, None)
    simple = isinstance(value, str)
    if value is None:
        value = {"@id": None}
    elif simple:
        value = {"@id": value}
    elif not isinstance(value, dict):
        raise JsonLdError(f"invalid term definition for {term!r}")
    unknown = set(value) - {"@id", "@type", "@container", "@context", "@protected", "@language", "@prefix", "@reverse"}
    if unknown:
        raise UnsupportedJsonLd(f"term definition keys {sorted(unknown)} for {term!r}")
    td = TermDef()
    td.protected = bool(value.get("@protected", protected_default))
    if "@type" in value:
        type_ = value["@type"]
        if not isinstance(type_, str):
            raise JsonLdError(f"invalid type mapping for {term!r}")
        type_ = expand_iri(active, type_, vocab=True, local=local, defined=defined)
        if type_ not in ("@id", "@vocab", "@json", "@none") and not (type_ and _ABSOLUTE_IRI(type_)):
            raise JsonLdError(f"invalid type mapping for {term!r}")
        td.type = None if type_ == "@none" else type_
    if "@reverse" in value:
        if "@id" in value or not isinstance(value["@reverse"], str):
            raise JsonLdError(f"invalid reverse property {term!r}")
        td.iri = expand_iri(active, value["@reverse"], vocab=True, local=local, defined=defined)
        if not td.iri or not _ABSOLUTE_IRI(td.iri):
            raise JsonLdError(f"invalid IRI mapping for reverse property {term!r}")
        td.reverse = True
    elif "@id" in value and value["@id"] != term:
        iri = value["@id"]
        if iri is None:
            td.iri = None
        elif not isinstance(iri, str):
            raise JsonLdError(f"invalid IRI mapping for {term!r}")
        elif iri not in KEYWORDS and _KEYWORD_LIKE(iri):
            defined[term] = True
            if previous is not None:
                active.terms[term] = previous
            return
        else:
            td.iri = expand_iri(active, iri, vocab=True, local=local, defined=defined)
            if td.iri is None or not (td.iri in KEYWORDS or _ABSOLUTE_IRI(td.iri)):
                raise JsonLdError(f"invalid IRI mapping for {term!r}")
            if td.iri == "@context":
                raise JsonLdError("invalid keyword alias @context")
            if ":" not in term and "/" not in term and simple and (td.iri[-1] in _GEN_DELIMS or td.iri.startswith("_:")):
                td.prefix = True
    elif ":" in term[1:]:
        prefix, suffix = term.split(":", 1)
        if prefix in local:
            _create_term(active, local, prefix, defined, protected_default, override_protected)
        pdef = active.terms.get(prefix)
        td.iri = pdef.iri + suffix if pdef is not None and pdef.iri else term
    elif "/" in term:
        raise UnsupportedJsonLd(f"relative IRI term {term!r}")
    elif active.vocab is not None:
        td.iri = active.vocab + term
    else:
        raise JsonLdError(f"invalid IRI mapping: {term!r} has no @id and there is no @vocab")
    if "@container" in value:
        container = value["@container"]
        container = frozenset(container if isinstance(container, list) else [container])
        if container not in _ALLOWED_CONTAINERS:
            raise UnsupportedJsonLd(f"@container {sorted(container)} for {term!r}")
        td.container = container
    if "@context" in value:
        td.context = value["@context"]
        td.context_key = context_key(td.context)
    if "@language" in value:
        language = value["@language"]
        if language is not None and not isinstance(language, str):
            raise JsonLdError(f"invalid @language for {term!r}")
        td.language = language.lower() if isinstance(language, str) else None
    if "@prefix" in value:
        if not isinstance(value["@prefix"], bool) or ":" in term or "/" in term:
            raise JsonLdError(f"invalid @prefix for {term!r}")
        td.prefix = value["@prefix"]
    if previous is not None and previous.protected and not override_protected:
        if not previous.same_as(td):
            raise JsonLdError(f"protected term redefinition: {term!r}")
        td = previous
    active.terms[term] = td
    defined[term] = True


def expand_iri(active: Ctx, value: str, *, vocab: bool = False, local: dict | None = None,
               defined: dict | None = None) -> str | None:
    """IRI Expansion; relative IRIs stay relative (the caller decides: safe mode rejects them)."""
    if value in KEYWORDS:
        return value
    if _KEYWORD_LIKE(value):
        return None
    if local is not None and value in local and not defined.get(value):
        _create_term(active, local, value, defined, local.get("@protected", False), False)
    if vocab and value in active.terms:
        return active.terms[value].iri
    colon = value.find(":", 1)
    if colon > 0:
        prefix, suffix = value[:colon], value[colon + 1:]
        if prefix == "_" or suffix.startswith("//"):
            return value
        if local is not None and prefix in local and not defined.get(prefix):
            _create_term(active, local, prefix, defined, local.get("@protected", False), False)
        pdef = active.terms.get(prefix)
        if pdef is not None and pdef.iri and pdef.prefix:
            return pdef.iri + suffix
        if _ABSOLUTE_IRI(value):
            return value
    if vocab and active.vocab is not None:
        return active.vocab + value
    return value


class _Builder:
    """Collects quads while walking one document."""

    __slots__ = ("quads", "counter", "labels")

    def __init__(self) -> None:
        self.quads: dict[tuple[str, str, str, str], None] = {}
        self.counter = 0
        self.labels: dict[str, str] = {}

    def bnode(self) -> str:
        self.counter += 1
        return f"_:b{self.counter}"

    def named_bnode(self, label: str) -> str:
        node = self.labels.get(label)
        if node is None:
            node = self.labels[label] = f"_:n{len(self.labels)}"
        return node


def to_quads(document: Any, base_context: Ctx = INITIAL) -> list[tuple[str, str, str, str]]:
    """Convert a JSON-LD document to a list of unique quads (safe mode)."""
    builder = _Builder()
    items = document if isinstance(document, list) else [document]
    for item in items:
        if not isinstance(item, dict):
            continue
        keys = [k for k in item if k != "@context"]
        if len(keys) == 1:
            ctx = process_context(base_context, item["@context"]) if "@context" in item else base_context
            if ctx.expand_vocab(keys[0]) == "@graph":
                for node in _arrayify(item[keys[0]]):
                    if isinstance(node, dict):
                        _node(builder, node, ctx, None, "")
                continue
        _node(builder, item, base_context, None, "")
    return list(builder.quads)


def _arrayify(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _iri_term(builder: _Builder, iri: str | None, what: str, original: Any) -> str:
    if iri is None:
        raise JsonLdError(f"{what} {original!r} expands to null")
    if iri.startswith("_:"):
        return builder.named_bnode(iri)
    if iri in KEYWORDS or not _ABSOLUTE_IRI(iri):
        raise JsonLdError(f"relative {what} reference found ({original!r})")
    return f"<{iri}>"


def _node(builder: _Builder, obj: dict, ctx: Ctx, prop_td: TermDef | None, graph: str) -> str:
    """Emit the quads of a node object; return its subject term."""
    if ctx.previous is not None:
        only_id = len(obj) == 1 and ctx.expand_vocab(next(iter(obj))) == "@id"
        if not only_id:
            ctx = ctx.previous
    if prop_td is not None and prop_td.context is not None:
        ctx = process_context(ctx, prop_td.context, override_protected=True, key=prop_td.context_key)
    if "@context" in obj:
        ctx = process_context(ctx, obj["@context"])
    type_keys = [k for k in obj if k != "@context" and ctx.expand_vocab(k) == "@type"]
    type_ctx = ctx
    for key in sorted(type_keys):
        for type_ in sorted(t for t in _arrayify(obj[key]) if isinstance(t, str)):
            td = type_ctx.terms.get(type_)
            if td is not None and td.context is not None:
                ctx = process_context(ctx, td.context, propagate=False, key=td.context_key)
    keymap: dict[str, str] = {}
    for key in obj:
        if key == "@context":
            continue
        ekey = ctx.expand_vocab(key)
        if ekey is None or not (ekey in KEYWORDS or _ABSOLUTE_IRI(ekey)):
            raise JsonLdError(f"invalid property: term {key!r} is not defined by the context (would be dropped)")
        keymap[key] = ekey
    ekeys = list(keymap.values())
    if len(set(ekeys)) != len(ekeys) and any(k in KEYWORDS for k in ekeys if ekeys.count(k) > 1):
        raise UnsupportedJsonLd("colliding keywords")
    if "@value" in ekeys or "@list" in ekeys or "@set" in ekeys:
        raise JsonLdError("value, list or set object where a node object was expected")
    subject = None
    for key, ekey in keymap.items():
        if ekey == "@id":
            value = obj[key]
            if not isinstance(value, str):
                raise JsonLdError("invalid @id value: must be a string")
            subject = _iri_term(builder, expand_iri(ctx, value), "@id", value)
    if subject is None:
        subject = builder.bnode()
    quads = builder.quads
    for key, ekey in keymap.items():
        value = obj[key]
        if ekey == "@id":
            continue
        if ekey == "@type":
            for type_ in _arrayify(value):
                if not isinstance(type_, str):
                    raise JsonLdError("invalid @type value: must be a string")
                quads[(subject, RDF_TYPE, _iri_term(builder, type_ctx.expand_vocab(type_), "@type", type_), graph)] = None
            continue
        if ekey == "@graph":
            for item in _arrayify(value):
                if isinstance(item, dict):
                    _node(builder, item, ctx, None, subject)
            continue
        if ekey == "@index":
            continue
        if ekey in KEYWORDS:
            raise UnsupportedJsonLd(f"keyword {ekey} in a node object")
        if ekey.startswith("_:"):
            raise UnsupportedJsonLd("blank node property")
        td = ctx.terms.get(key)
        if td is not None and td.reverse:
            _reverse(builder, subject, f"<{ekey}>", value, ctx, td, graph)
            continue
        _property(builder, subject, f"<{ekey}>", value, ctx, td, graph)
    return subject


def _reverse(builder: _Builder, subject: str, predicate: str, value: Any, ctx: Ctx, td: TermDef,
             graph: str) -> None:
    for item in _flatten(value):
        obj = _value(builder, item, ctx, td, graph)
        if obj is None:
            continue
        if obj.startswith('"'):
            raise JsonLdError("invalid reverse property value: a literal")
        builder.quads[(obj, predicate, subject, graph)] = None


def _property(builder: _Builder, subject: str, predicate: str, value: Any, ctx: Ctx, td: TermDef | None,
              graph: str) -> None:
    quads = builder.quads
    if value is None:
        return
    if td is not None and td.type == "@json":
        quads[(subject, predicate, _json_literal(value), graph)] = None
        return
    container = td.container if td is not None else frozenset()
    if "@list" in container:
        quads[(subject, predicate, _list(builder, _arrayify(value), ctx, td, graph), graph)] = None
        return
    for item in _flatten(value):
        if "@graph" in container:
            if not isinstance(item, dict):
                raise UnsupportedJsonLd("non-object value in a @graph container")
            name = builder.bnode()
            _node(builder, item, ctx, td, name)
            quads[(subject, predicate, name, graph)] = None
            continue
        if isinstance(item, dict):
            kind = _object_kind(item, ctx, td)
            if kind == "@list":
                lkey = next(k for k in item if _expanded_key(item, k, ctx, td) == "@list")
                quads[(subject, predicate, _list(builder, _arrayify(item[lkey]), ctx, td, graph), graph)] = None
                continue
            if kind == "@set":
                skey = next(k for k in item if _expanded_key(item, k, ctx, td) == "@set")
                _property(builder, subject, predicate, item[skey], ctx, td, graph)
                continue
        obj = _value(builder, item, ctx, td, graph)
        if obj is not None:
            quads[(subject, predicate, obj, graph)] = None


def _flatten(value: Any):
    if isinstance(value, list):
        for item in value:
            if isinstance(item, list):
                raise UnsupportedJsonLd("nested arrays")
            if item is not None:
                yield item
    elif value is not None:
        yield value


def _expanded_key(item: dict, key: str, ctx: Ctx, td: TermDef | None) -> str | None:
    return ctx.expand_vocab(key)


def _object_kind(item: dict, ctx: Ctx, td: TermDef | None) -> str:
    for key in item:
        ekey = ctx.expand_vocab(key)
        if ekey in ("@value", "@list", "@set"):
            return ekey
    return "node"


def _list(builder: _Builder, items: list, ctx: Ctx, td: TermDef | None, graph: str) -> str:
    objects = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, list) or (isinstance(item, dict) and _object_kind(item, ctx, td) in ("@list", "@set")):
            raise UnsupportedJsonLd("nested list / set in a list")
        obj = _value(builder, item, ctx, td, graph)
        if obj is not None:
            objects.append(obj)
    if not objects:
        return RDF_NIL
    head = node = builder.bnode()
    for i, obj in enumerate(objects):
        builder.quads[(node, RDF_FIRST, obj, graph)] = None
        nxt = builder.bnode() if i + 1 < len(objects) else RDF_NIL
        builder.quads[(node, RDF_REST, nxt, graph)] = None
        node = nxt
    return head


def _number(value: int | float, datatype: str | None) -> str:
    """Numbers as jsonld.js writes them: integral values as integers, others as canonical doubles."""
    if isinstance(value, float) and not math.isfinite(value):
        raise JsonLdError("invalid number: not finite")
    integral = isinstance(value, int) or value.is_integer()
    if integral and abs(value) < 1e21 and datatype != XSD_DOUBLE:
        return f'"{int(value)}"^^<{datatype or XSD_INTEGER}>'
    mantissa, exponent = f"{float(value):.15e}".split("e")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    return f'"{mantissa}E{int(exponent)}"^^<{datatype or XSD_DOUBLE}>'


def _json_literal(value: Any) -> str:
    from c14n import canonicalize

    return f'"{escape_literal(canonicalize(value).decode("utf-8"))}"^^<{RDF_JSON}>'


def _typed(text: str, datatype: str | None) -> str:
    if datatype is None or datatype == XSD_STRING:
        return f'"{escape_literal(text)}"'
    return f'"{escape_literal(text)}"^^<{datatype}>'


def _value(builder: _Builder, item: Any, ctx: Ctx, td: TermDef | None, graph: str) -> str | None:
    """Convert one (non-array) property value to an RDF term, emitting nested quads as needed."""
    type_ = td.type if td is not None else None
    if isinstance(item, str):
        if type_ in ("@id", "@vocab") and td.context is not None:
            ctx = process_context(ctx, td.context, override_protected=True, key=td.context_key)
        if type_ == "@id":
            return _iri_term(builder, expand_iri(ctx, item), "@id", item)
        if type_ == "@vocab":
            return _iri_term(builder, ctx.expand_vocab(item), "@id", item)
        if type_ is not None:
            return _typed(item, type_)
        language = td.language if td is not None and td.language is not _UNSET else ctx.language
        if language:
            return f'"{escape_literal(item)}"@{language}'
        return f'"{escape_literal(item)}"'
    if isinstance(item, bool):
        dt = type_ if type_ not in (None, "@id", "@vocab") else XSD_BOOLEAN
        return f'"{"true" if item else "false"}"^^<{dt}>'
    if isinstance(item, (int, float)):
        return _number(item, type_ if type_ not in ("@id", "@vocab") else None)
    if isinstance(item, dict):
        if _object_kind(item, ctx, td) == "@value":
            return _value_object(item, ctx, td)
        return _node(builder, item, ctx, td, graph)
    raise JsonLdError(f"invalid JSON-LD value of type {type(item).__name__}")


def _value_object(item: dict, ctx: Ctx, td: TermDef | None) -> str | None:
    if td is not None and td.context is not None:
        ctx = process_context(ctx, td.context, override_protected=True, key=td.context_key)
    value = datatype = language = None
    for key, val in item.items():
        ekey = ctx.expand_vocab(key)
        if ekey == "@value":
            value = val
        elif ekey == "@type":
            if not isinstance(val, str):
                raise JsonLdError("invalid typed value")
            datatype = ctx.expand_vocab(val)
            if datatype != "@json" and not (datatype and _ABSOLUTE_IRI(datatype)) or (datatype or "").startswith("_:"):
                raise JsonLdError(f"invalid typed value: relative datatype {val!r}")
        elif ekey == "@language":
            if not isinstance(val, str):
                raise JsonLdError("invalid language-tagged string")
            language = val.lower()
        elif ekey == "@index":
            continue
        else:
            raise UnsupportedJsonLd(f"value object key {key!r}")
    if datatype == "@json":
        return _json_literal(value)
    if value is None:
        return None
    if datatype is not None and language is not None:
        raise JsonLdError("invalid value object: both @type and @language")
    if isinstance(value, str):
        return f'"{escape_literal(value)}"@{language}' if language else _typed(value, datatype)
    if language is not None:
        raise JsonLdError("invalid language-tagged value")
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{datatype or XSD_BOOLEAN}>'
    if isinstance(value, (int, float)):
        return _number(value, datatype)
    raise JsonLdError("invalid value object value")


__all__ = ["to_quads", "process_context", "expand_iri", "escape_literal", "Ctx", "INITIAL", "ContextRefused"]
