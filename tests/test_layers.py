"""The import rule, checked over the real import graph: every module's AST, imports made inside
functions included, and modules named by string to ``importlib.import_module``.

Imports point one way: core <- accounts <- taxonomies <- credentials <- skills <- matching <- frontend
<- the composition root (``skillpass``, ``migrations``). ``core`` imports no domain (and renders no
template), ``credentials/vc`` is a library that imports nothing of the platform, and page modules
(``frontend/pages/*``) do not import each other: shared page helpers live in their own frontend modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("core", "accounts", "taxonomies", "credentials", "skills", "matching", "frontend", "skillpass")
RANK = {name: rank for rank, name in enumerate(LAYERS)} | {"migrations": len(LAYERS)}
PACKAGES = tuple(RANK)
STRING_IMPORTERS = {"import_module", "optional_import"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, module: str, is_package: bool) -> set[str]:
    """Every module ``source`` imports, anywhere in the file, as absolute dotted names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in STRING_IMPORTERS and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
    return names


def our_modules() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
            if not (package == "migrations" and "versions" in path.parts)}


def resolve(names: set[str], known: set[str]) -> set[str]:
    """Our modules among ``names``, each cut to its longest known module (``from a.b import name``)."""
    resolved: set[str] = set()
    for name in names:
        if name.split(".")[0] not in RANK:
            continue
        parts = name.split(".")
        while len(parts) > 1 and ".".join(parts) not in known:
            parts.pop()
        resolved.add(".".join(parts))
    return resolved


def import_graph() -> dict[str, set[str]]:
    """Our modules and the modules of ours each one imports."""
    modules = our_modules()
    return {name: resolve(imported_names(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"),
                          set(modules))
            for name, path in modules.items()}


def is_page_module(name: str) -> bool:
    return name.startswith("frontend.pages.") and name.count(".") == 2


def violations(graph: dict[str, set[str]]) -> list[str]:
    """One line per import against the rule."""
    found: list[str] = []
    for module, imports in sorted(graph.items()):
        top = module.split(".")[0]
        for target in sorted(imports):
            target_top = target.split(".")[0]
            if target_top != top and RANK[target_top] > RANK[top]:
                found.append(f"{module} imports {target} (a higher layer)")
            if module.startswith("credentials.vc") and not target.startswith("credentials.vc"):
                found.append(f"{module} imports {target} (credentials/vc imports nothing of the platform)")
            if is_page_module(module) and target != module and any(
                    target == page or target.startswith(page + ".") for page in graph if is_page_module(page)):
                found.append(f"{module} imports {target} (page modules do not import each other)")
    return found


def test_no_import_runs_against_the_layering() -> None:
    assert violations(import_graph()) == []


def test_core_renders_no_template() -> None:
    for path in (ROOT / "core").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".html" not in source and "Template(" not in source, f"{path.name} names a template"


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("core.db", "def f():\n    from skills.models import X\n", "core.db imports skills.models (a higher layer)"),
    ("credentials.issuance", "import matching.index\n", "credentials.issuance imports matching.index (a higher layer)"),
    ("credentials.vc.did", "from core.settings import Settings\n",
     "credentials.vc.did imports core.settings (credentials/vc imports nothing of the platform)"),
    ("core.db", "import importlib\nimportlib.import_module('accounts.models')\n",
     "core.db imports accounts.models (a higher layer)"),
    ("frontend.pages.shared", "from frontend.pages.wallet import me\n",
     "frontend.pages.shared imports frontend.pages.wallet (page modules do not import each other)"),
    ("credentials.vc.did", "from . import multibase\n", None),
    ("skills.profile", "from credentials.wallet import WalletService\n", None),
])
def test_the_rule_catches_what_it_should(module: str, source: str, expected: str | None) -> None:
    graph = import_graph()
    graph[module] = resolve(imported_names(source, module, False), set(graph))
    lines = [line for line in violations(graph) if line.startswith(module + " ")]
    assert lines == ([expected] if expected else [])
