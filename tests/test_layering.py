"""The layers: readers, the store and the command line's help start without the analysis;
no import runs up a layer, and no module imports itself through others."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_layering_readers_and_store_import_no_spacy_nor_pipeline():
    loaded = _modules_after("import onrecord.ingest.readers, onrecord.store, onrecord.store.writer, onrecord.lexicon")
    assert "spacy" not in loaded
    assert not any(m.startswith("onrecord.analysis") for m in loaded)


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["ingest", "--help"]])
def test_layering_help_imports_no_spacy(args):
    code = f"from onrecord.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass"
    loaded = _modules_after(code)
    assert "spacy" not in loaded and "onrecord.analysis.pipeline" not in loaded


# -- the import graph: layers and cycles ---------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "onrecord"
#: Ground modules: every layer may use them; they use only each other.
GROUND = {"model", "dates", "lexicon", "names", "neardup", "safe_output", "output", "layout", "sentences", "data"}
#: What each layer may import besides the ground (and itself).
ALLOWED = {
    "ingest": set(),
    "analysis": set(),
    "store": set(),
    "record": {"store"},
    "export": {"store"},
    "corpus": {"ingest", "analysis", "store", "record"},
    "batch": {"ingest", "analysis", "store", "record", "corpus"},
    "watch": {"ingest", "analysis", "store", "record", "corpus"},
    "web": {"ingest", "analysis", "store", "record", "corpus", "export"},
    "cli": {"ingest", "analysis", "store", "record", "corpus", "export", "batch", "web", "watch"},
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(rel.parts).removesuffix(".__init__")


def _imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The onrecord modules one file imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target, *(f"{target}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            continue
        found.update(c for c in candidates if c in known and c != name and not name.startswith(c + "."))
    return found


def _import_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    return {name: _imported(name, path, set(files)) for name, path in files.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_layering_no_import_runs_up_a_layer():
    wrong = []
    for module, targets in _import_graph().items():
        layer = _layer(module)
        if not layer:
            continue  # the package's own front (onrecord.analyze ...)
        allowed = GROUND | ({layer} | ALLOWED[layer] if layer in ALLOWED else set())
        wrong += [f"{module} -> {t}" for t in targets if _layer(t) not in allowed]
    assert wrong == []


def test_layering_every_layer_is_known():
    assert {_layer(m) for m in _import_graph()} - {""} <= GROUND | set(ALLOWED)


def test_layering_no_import_cycle():
    graph = _import_graph()
    cycles = []
    for start in graph:
        # a path back to ``start`` through modules that import each other
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join(path + [start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    assert cycles == []


# -- SQL is spoken in store/ only ----------------------------------------------------------

#: What builds or runs SQL: a module outside store/ that imports one of these (or calls
#: ``.execute``) holds SQL of its own. Types (``Connection``, ``Engine``) may travel.
SQL_NAMES = {"select", "insert", "update", "delete", "text", "func", "and_", "or_", "literal_column", "table",
             "column", "bindparam", "union", "union_all", "exists", "case"}


def _speaks_sql(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [f"imports {a.name}" for a in node.names if a.name in SQL_NAMES]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "execute":
            found.append(f"calls .execute (line {node.lineno})")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("schema") and node.level:
            found.append("imports the schema's tables")
    return found


def test_layering_only_store_speaks_sql():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "store" in path.relative_to(PACKAGE).parts:
            continue
        found = _speaks_sql(path)
        if found:
            offenders[str(path.relative_to(PACKAGE))] = found
    assert offenders == {}


def test_layering_sql_check_sees_sql(tmp_path):
    """The check above is not blind: a module with a query of its own is caught."""
    module = tmp_path / "rogue.py"
    module.write_text("from sqlalchemy import select\nfrom ..store.schema import articles\n"
                      "def ids(conn):\n    return conn.execute(select(articles.c.id)).all()\n")
    assert len(_speaks_sql(module)) == 3


# -- the pages and the API ask the library door --------------------------------------------

#: The store's query modules: web/ asks ``Corpus`` (corpus/door.py) instead, the one door to a
#: stored corpus, so that every surface gets one concept's rows from one place.
QUERY_MODULES = {f"onrecord.store.{name}"
                 for name in ("queries", "index_queries", "record_queries", "search_queries", "link_queries")}


def _queries_imported(name: str, path: Path) -> set[str]:
    """The store's query modules that the file ``path``, as the module ``name``, imports
    (relative imports resolved, at module level or inside functions)."""
    return _imported(name, path, QUERY_MODULES)


@pytest.mark.parametrize("interface", ["web", "cli"])
def test_layering_web_asks_the_corpus_not_the_store_queries(interface):
    offenders = {}
    for path in sorted((PACKAGE / interface).rglob("*.py")):
        found = _queries_imported(_module_name(path), path)
        if found:
            offenders[str(path.relative_to(PACKAGE))] = sorted(found)
    assert offenders == {}


def test_layering_door_check_sees_query_imports(tmp_path):
    """The check above is not blind: a page module that imports query modules, relatively or
    not, is caught; one that asks the door is not."""
    module = tmp_path / "rogue.py"
    module.write_text("from ..store import queries, index_queries\nfrom ..store.record_queries import DisputeFilter\n"
                      "import onrecord.store.search_queries\n\ndef later():\n"
                      "    from onrecord.store import link_queries\n")
    assert _queries_imported("onrecord.web.rogue", module) == QUERY_MODULES
    module.write_text("from ..corpus import Corpus, StatementFilter\nfrom ..store.db import deadline\n")
    assert _queries_imported("onrecord.web.rogue", module) == set()
