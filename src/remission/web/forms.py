"""An HTML form from a pydantic input model's JSON Schema, and its answers back as the model's
JSON: so each instrument's calculator page is generated from the catalogue, not written by hand.

Scalars (numbers, integers, yes/no, a choice from an enum) become one control each; anything
else (a list of descriptors, a nested object) becomes a JSON box for that field alone, which
the instrument validates as the API does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

FieldKind = Literal["number", "integer", "boolean", "choice", "json"]


@dataclass(frozen=True)
class FormField:
    name: str
    title: str
    kind: FieldKind
    required: bool
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    description: str | None = None


class FormError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _resolve(node: dict[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return {**defs.get(node["$ref"].rsplit("/", 1)[-1], {}), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def fields_of(schema: Mapping[str, Any]) -> list[FormField]:
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    out: list[FormField] = []
    for name, raw in schema.get("properties", {}).items():
        node = _resolve(raw, defs)
        options = [_resolve(o, defs) for o in node.get("anyOf", [node])]
        options = [o for o in options if o.get("type") != "null"]
        one = options[0] if len(options) == 1 else {}
        kind: FieldKind = "json"
        if "enum" in one:
            kind = "choice"
        elif one.get("type") in ("number", "integer", "boolean"):
            kind = one["type"]
        low = one.get("minimum", one.get("exclusiveMinimum"))
        out.append(
            FormField(
                name,
                node.get("title") or raw.get("title") or name.replace("_", " "),
                kind,
                name in required,
                tuple(str(v) for v in one.get("enum", ())),
                low,
                one.get("maximum"),
                raw.get("default"),
                node.get("description") or raw.get("description"),
            )
        )
    return out


def values_from(fields: list[FormField], form: Mapping[str, str]) -> dict[str, Any]:
    """The model's JSON from the submitted form; a blank optional field is left out."""
    out: dict[str, Any] = {}
    for f in fields:
        raw = (form.get(f.name) or "").strip()
        if f.kind == "boolean":
            out[f.name] = raw == "yes"
            continue
        if not raw:
            continue
        if f.kind in ("number", "integer"):
            try:
                value = float(raw.replace(",", "."))
            except ValueError:
                raise FormError(f.name, "a number is needed") from None
            if not math.isfinite(value):
                raise FormError(f.name, "a number is needed")
            if f.kind == "integer":
                if value != int(value):
                    raise FormError(f.name, "a whole number is needed")
                out[f.name] = int(value)
            else:
                out[f.name] = value
        elif f.kind == "choice":
            if raw not in f.choices:
                raise FormError(f.name, "choose one of the options")
            out[f.name] = raw
        else:
            try:
                out[f.name] = json.loads(raw)
            except (json.JSONDecodeError, RecursionError):
                raise FormError(f.name, "not valid JSON") from None
    return out
