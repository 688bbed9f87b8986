"""The code's imports flow one way: no module of the portal imports, directly or through others, a module that
imports it back, and the access policy's core imports no feature (issue "Quick to change": one access policy
without an import circle).

Read from the source with ast, so an import inside a function counts as much as one at the top of a module. Only
the app factory (portal/__init__.py) and the command-line tools (portal/cli.py) import inside functions: they bring
in every feature when they build the app or run a command, and nothing imports them."""

from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[1] / "portal"

# Importing these inside a function is how they build the app or run a command (see the module docstring).
BUILDERS = {"portal", "portal.cli"}

# What the access core (portal/access.py) may import of the portal: the platform, and the two facts its checks
# read, a person's place in a case (the Participant row) and whether a staff member still owes an MFA code.
ACCESS_CORE_MAY_IMPORT = {"portal.db", "portal.roles", "portal.request_memo", "portal.audit",
                          "portal.cases.models", "portal.auth.mfa", "portal.auth.models"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def portal_modules() -> dict[str, Path]:
    return {module_name(path): path for path in PORTAL.rglob("*.py")}


def _is_module_level(node: ast.AST, tree: ast.Module) -> bool:
    for statement in tree.body:
        if statement is node:
            return True
        if isinstance(statement, (ast.If, ast.Try)) and any(child is node for child in ast.walk(statement)):
            return True
    return False


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, bool]]:
    """(imported portal module, at module level?) for every import in the file. Importing a.b.c also runs a and
    a.b, so those count too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            if not target.startswith("portal"):
                continue
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                imported = ".".join(parts[:end])
                if imported in modules and imported != name:
                    found.append((imported, _is_module_level(node, tree)))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = portal_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {imported for imported, at_top in imports_of(name, path, modules)
                       if at_top or name not in BUILDERS}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for other in graph.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def test_no_module_imports_one_that_imports_it_back():
    assert cycles(import_graph()) == []


def test_imports_inside_functions_are_only_the_app_factorys_and_the_commands():
    modules = portal_modules()
    inside = sorted(f"{name} imports {imported}" for name, path in modules.items() if name not in BUILDERS
                    for imported, at_top in imports_of(name, path, modules) if not at_top)
    assert inside == []


def test_the_access_core_imports_no_feature():
    graph = import_graph()
    direct = graph["portal.access"]
    assert direct <= ACCESS_CORE_MAY_IMPORT | {"portal", "portal.cases", "portal.auth"}, direct
    # Nor through what it imports: no service, route or access helper of any feature.
    assert not {name for name in reachable(graph, "portal.access")
                if name.rpartition(".")[2] in {"services", "routes", "access", "conferences", "family_views"}}


def test_each_feature_owns_its_objects_access_helpers():
    """get_*_for helpers live beside the services of the feature whose object they return."""
    import portal.cases.access
    import portal.plans.access
    import portal.reports.access
    import portal.support.access
    import portal.wishes.access

    owners = {
        portal.cases.access: {"get_case_for", "get_child_for"},
        portal.reports.access: {"get_report_for", "get_views_draft_for", "get_thread_for", "readable_reports",
                                "reports_for_conference"},
        portal.support.access: {"get_support_request_for"},
        portal.wishes.access: {"get_wishes_for", "get_child_and_wishes_for"},
        portal.plans.access: {"get_plan_for", "get_plan_action_for"},
    }
    for module, names in owners.items():
        assert names <= set(vars(module)), (module.__name__, names - set(vars(module)))
    import portal.access

    assert not [name for name in vars(portal.access) if name.startswith("get_") and name.endswith("_for")]


def test_the_graph_sees_a_circle_when_there_is_one():
    """The cycle finder itself: a circle of three and a lone edge."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
