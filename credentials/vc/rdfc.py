"""RDFC-1.0 (URDNA2015) canonicalization of quads given as N-Quads term strings.

Same algorithm as pyld's URDNA2015 / rdf-canonize, working on plain strings, with a bound on the
N-degree hashing work so that crafted "poison" graphs fail fast instead of hanging.
"""

from __future__ import annotations

import hashlib
from itertools import permutations

from credentials.vc.errors import JsonLdError

Quad = tuple[str, str, str, str]
MAX_NDEGREE_CALLS = 2000
MAX_PERMUTATION_SIZE = 6


def serialize(quad: Quad) -> str:
    """One N-Quads line."""
    s, p, o, g = quad
    return f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Issuer:
    __slots__ = ("prefix", "issued", "count")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.issued: dict[str, str] = {}
        self.count = 0

    def issue(self, old: str) -> str:
        new = self.issued.get(old)
        if new is None:
            new = self.issued[old] = f"{self.prefix}{self.count}"
            self.count += 1
        return new

    def copy(self) -> "_Issuer":
        other = _Issuer(self.prefix)
        other.issued = dict(self.issued)
        other.count = self.count
        return other


class _Canonicalizer:
    def __init__(self, quads: list[Quad]) -> None:
        self.quads = quads
        self.bnode_quads: dict[str, list[Quad]] = {}
        for quad in quads:
            for term in (quad[0], quad[2], quad[3]):
                if term.startswith("_:"):
                    lst = self.bnode_quads.setdefault(term, [])
                    if not lst or lst[-1] is not quad:
                        lst.append(quad)
        self.canonical = _Issuer("_:c14n")
        self.first_degree: dict[str, str] = {}
        self.calls = 0

    def hash_first_degree(self, node: str) -> str:
        cached = self.first_degree.get(node)
        if cached is not None:
            return cached
        lines = []
        for s, p, o, g in self.bnode_quads[node]:
            s = ("_:a" if s == node else "_:z") if s.startswith("_:") else s
            o = ("_:a" if o == node else "_:z") if o.startswith("_:") else o
            g = ("_:a" if g == node else "_:z") if g.startswith("_:") else g
            lines.append(serialize((s, p, o, g)))
        lines.sort()
        result = self.first_degree[node] = _sha("".join(lines))
        return result

    def hash_related(self, related: str, quad: Quad, issuer: _Issuer, position: str) -> str:
        ident = self.canonical.issued.get(related) or issuer.issued.get(related) or self.hash_first_degree(related)
        text = position + (quad[1] if position != "g" else "") + ident
        return _sha(text)

    def hash_n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self.calls += 1
        if self.calls > MAX_NDEGREE_CALLS:
            raise JsonLdError("RDF canonicalization exceeded its work limit (blank-node structure too symmetric)",
                              code="canonicalization_limit")
        related_by_hash: dict[str, list[str]] = {}
        for quad in self.bnode_quads[node]:
            for term, position in ((quad[0], "s"), (quad[2], "o"), (quad[3], "g")):
                if term.startswith("_:") and term != node:
                    h = self.hash_related(term, quad, issuer, position)
                    related_by_hash.setdefault(h, []).append(term)
        data = []
        for h in sorted(related_by_hash):
            data.append(h)
            chosen_path = ""
            chosen_issuer = None
            group = related_by_hash[h]
            if len(group) > MAX_PERMUTATION_SIZE:
                raise JsonLdError("RDF canonicalization exceeded its work limit (too many equivalent blank nodes)",
                                  code="canonicalization_limit")
            for perm in permutations(group):
                issuer_copy = issuer.copy()
                path = ""
                recursion = []
                skip = False
                for related in perm:
                    if related in self.canonical.issued:
                        path += self.canonical.issued[related]
                    else:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        path += issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, issuer_copy)
                    path += issuer_copy.issue(related) + "<" + result_hash + ">"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data.append(chosen_path)
            issuer = chosen_issuer
        return _sha("".join(data)), issuer

    def run(self) -> dict[str, str]:
        by_hash: dict[str, list[str]] = {}
        for node in self.bnode_quads:
            by_hash.setdefault(self.hash_first_degree(node), []).append(node)
        shared = []
        for h in sorted(by_hash):
            nodes = by_hash[h]
            if len(nodes) == 1:
                self.canonical.issue(nodes[0])
            else:
                shared.append(nodes)
        for nodes in shared:
            results = []
            for node in nodes:
                if node in self.canonical.issued:
                    continue
                temp = _Issuer("_:b")
                temp.issue(node)
                results.append(self.hash_n_degree(node, temp))
            for _, issuer in sorted(results, key=lambda r: r[0]):
                for old in issuer.issued:
                    self.canonical.issue(old)
        return self.canonical.issued


def canonical_lines(quads: list[Quad]) -> list[str]:
    """Return the sorted canonical N-Quads lines of a dataset."""
    mapping = _Canonicalizer(quads).run() if any(
        q[0].startswith("_:") or q[2].startswith("_:") or q[3].startswith("_:") for q in quads) else {}
    lines = set()
    for s, p, o, g in quads:
        if mapping:
            s = mapping.get(s, s)
            o = mapping.get(o, o)
            g = mapping.get(g, g)
        lines.add(serialize((s, p, o, g)))
    return sorted(lines)


def canonicalize_quads(quads: list[Quad]) -> str:
    """RDFC-1.0 canonical N-Quads document."""
    return "".join(canonical_lines(quads))
