"""Which way imports run (architecture.md): layers and domains, checked on the source."""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "tenantvoice"

#: Domains, lowest first: a domain imports only those before it in this list.
DOMAINS = [
    "accounts",
    "orgs",
    "notifications",
    "meetings",
    "assembly",
    "minutes",
    "ballots",
    "consultations",
    "recommendations",
    "polls",
    "needs",
    "organizing",
    "logbook",
    "privacy",
    "home",
    "admin",
]

#: Layers, lowest first (architecture.md "Layers inside the package").
KIT, WEB, MODELS, POLICY, SERVICES, VIEWS, FACTORY = range(7)

#: Modules of a domain that are views (they pick templates, read the request).
VIEW_MODULES = {"views", "panels", "cli"}

#: Package modules outside any domain, by layer.
TOP_LEVEL = {
    "config": KIT,
    "clock": KIT,
    "crypto": KIT,
    "search": KIT,
    "models": KIT,
    "extensions": KIT,
    "audit": KIT,
    "submissions": KIT,
    "outbox": KIT,
    "web": WEB,
    "policy": POLICY,
    "retention": SERVICES,
    "backup": SERVICES,
    "all_models": FACTORY,
    "seed": FACTORY,
    "province": FACTORY,
    "cli": FACTORY,
    "__init__": FACTORY,
}


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def place(module: str) -> tuple[int, str | None]:
    """The layer and the domain (None outside the domains) of a first-party module."""
    parts = module.split(".")[1:] or ["__init__"]
    head = parts[0]
    if head in DOMAINS:
        leaf = parts[1] if len(parts) > 1 else "__init__"
        if leaf == "models":
            return MODELS, head
        if leaf in VIEW_MODULES:
            return VIEWS, head
        if leaf == "__init__":
            return KIT, head  # a docstring only
        return SERVICES, head
    assert head in TOP_LEVEL, f"new module tenantvoice.{head}: give it a layer in TOP_LEVEL"
    return TOP_LEVEL[head], None


def imports() -> list[tuple[str, int, str, bool]]:
    """(importer, line, imported, inside a function) for every first-party import."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        importer = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        late = {
            id(node)
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(fn)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                # `from tenantvoice.x import y` may import the module x.y or a name of x.
                names = []
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    as_file = PACKAGE.parent / (candidate.replace(".", "/") + ".py")
                    as_dir = PACKAGE.parent / candidate.replace(".", "/")
                    names.append(candidate if as_file.exists() or as_dir.is_dir() else node.module)
            else:
                continue
            for name in names:
                if name == "tenantvoice" or name.startswith("tenantvoice."):
                    found.append((importer, node.lineno, name, id(node) in late))
    return found


def wrong_way(importer: str, imported: str) -> str | None:
    """Why this import runs the wrong way, or None."""
    layer, domain = place(importer)
    their_layer, their_domain = place(imported)
    if their_layer > layer:
        return "a lower layer imports a higher one"
    if layer == MODELS and their_layer == MODELS and domain and their_domain:
        pass
    if domain and their_domain and DOMAINS.index(their_domain) > DOMAINS.index(domain):
        return "a lower domain imports a higher one"
    return None


def test_imports_run_down_the_layers_and_the_domains():
    bad = [
        f"{importer}:{line} imports {imported}: {why}"
        for importer, line, imported, _late in imports()
        if (why := wrong_way(importer, imported))
    ]
    assert not bad, "\n".join(bad)


def test_only_the_factory_imports_inside_functions():
    late = [
        f"{importer}:{line} imports {imported} inside a function"
        for importer, line, imported, is_late in imports()
        if is_late and place(importer)[0] != FACTORY
    ]
    assert not late, "\n".join(late)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("tenantvoice.accounts.services", "tenantvoice.orgs.invitations"),
        ("tenantvoice.meetings.models", "tenantvoice.assembly.models"),
        ("tenantvoice.policy.core", "tenantvoice.meetings.queries"),
        ("tenantvoice.minutes.models", "tenantvoice.minutes.search"),
        ("tenantvoice.web.htmx", "tenantvoice.meetings.models"),
        ("tenantvoice.orgs.views", "tenantvoice"),
    ],
)
def test_the_rules_catch_a_wrong_way_import(importer, imported):
    assert wrong_way(importer, imported)
