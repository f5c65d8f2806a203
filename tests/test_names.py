"""One name, one thing (../shared/DESIGN.md): no two public classes, functions or module-level
names share a name across the packages of ``remission``, and the dose-finding modules say what
they export (``__all__``)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "remission"


def public_names(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [n for n in names if not n.startswith("_") and n != "__all__"]


def test_no_public_name_in_two_packages() -> None:
    where: dict[str, set[str]] = defaultdict(set)
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        if "migrations" in parts:
            continue  # Alembic's upgrade/downgrade in every revision, by its convention
        for name in public_names(ast.parse(path.read_text(encoding="utf-8"))):
            where[name].add(".".join(parts))
    clashes = {n: sorted(m) for n, m in where.items() if len({m.split(".")[0] for m in m}) > 1}
    assert not clashes, clashes


def test_dose_finding_modules_declare_their_exports() -> None:
    missing = [str(p.relative_to(SRC)) for p in (SRC / "dosefinding").rglob("*.py")
               if "__all__" not in p.read_text(encoding="utf-8")]  # fmt: skip
    assert not missing, missing
