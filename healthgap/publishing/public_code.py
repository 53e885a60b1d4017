"""Which code is public (serves anonymous visitors and the API), and a check that it reads
publishable models only through ``public_objects``: ``tests/publishing/test_public_reads.py``
runs it over the whole tree and fails with the file and line of any other read."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

# Folders of public code, from the repository's root, and the signed-in pages kept inside them.
PUBLIC_CODE = ("healthgap/web", "healthgap/api")
WORKSPACE_CODE = (
    "healthgap/web/workspace.py",
    "healthgap/web/workspace",
    # The delivery plan's signed-in pages and board reports (login and role checked per view).
    "healthgap/web/delivery_plan_views.py",
    "healthgap/web/delivery_plan_urls.py",
    "healthgap/web/delivery_report.py",
    # A programme's before-and-after page (signed in, knowledge hub's view permission).
    "healthgap/web/before_after.py",
    # Places and routes: the analysts' signed-in pages (the public page is place_views.py).
    "healthgap/web/place_workspace.py",
)
# Managers that see drafts and withdrawn items, and shortcuts that read through the default one.
PRIVATE_MANAGERS = ("objects", "private_objects", "_default_manager", "_base_manager")
DEFAULT_MANAGER_SHORTCUTS = ("get_object_or_404", "get_list_or_404")


@dataclass(frozen=True)
class PrivateRead:
    path: str
    line: int
    code: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.code}"


def publishable_models() -> list[type]:
    from healthgap.publishing.models import Publishable

    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def related_managers(publishable: list[type]) -> set[str]:
    """Names of managers on other models that yield publishable items: reverse accessors of
    the publishable models' relations (``user.led_programmes``) and many-to-many fields that
    point at them."""
    names = set()
    for model in publishable:
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and not field.remote_field.hidden:
                names.add(field.remote_field.get_accessor_name())
    for model in apps.get_models():
        for field in model._meta.many_to_many:
            if field.related_model in publishable:
                names.add(field.name)
    return names


def public_files(root: Path) -> list[Path]:
    files = []
    for folder in PUBLIC_CODE:
        files.extend(sorted((root / folder).rglob("*.py")))
    private = [root / path for path in WORKSPACE_CODE]
    return [path for path in files if not any(path.is_relative_to(p) for p in private)]


def _aliases(tree: ast.AST, model_names: set[str]) -> set[str]:
    """The names a module uses for the models: their own, and ``import ... as`` aliases."""
    names = set(model_names)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname for a in node.names if a.asname and a.name in model_names}
    return names


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _is_shortcut_on(node: ast.AST, names: set[str]) -> bool:
    """``get_object_or_404(Model, ...)``: reads through the model's default manager."""
    return (
        isinstance(node, ast.Call)
        and _name_of(node.func) in DEFAULT_MANAGER_SHORTCUTS
        and bool(node.args)
        and _name_of(node.args[0]) in names
    )


def private_reads(source: str, path: str, model_names: set[str], managers: set[str]):
    """Reads in ``source`` that could return an unpublished item of the named models."""
    tree = ast.parse(source, filename=path)
    names = _aliases(tree, model_names)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            on_model = node.attr in PRIVATE_MANAGERS and _name_of(node.value) in names
            if on_model or node.attr in managers:
                found.append(PrivateRead(path, node.lineno, ast.unparse(node)))
        elif _is_shortcut_on(node, names):
            found.append(PrivateRead(path, node.lineno, ast.unparse(node.func)))
    return sorted(found, key=lambda read: read.line)


def private_reads_in_public_code(root: Path) -> list[PrivateRead]:
    publishable = publishable_models()
    model_names = {model.__name__ for model in publishable}
    managers = related_managers(publishable)
    found = []
    for path in public_files(root):
        relative = str(path.relative_to(root))
        found.extend(
            private_reads(path.read_text(encoding="utf-8"), relative, model_names, managers)
        )
    return found
