"""Read a YAML list of records into pydantic models, reporting errors with file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from idpilot.knowledge.errors import KnowledgeFileError

ModelT = TypeVar("ModelT", bound=BaseModel)
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it: the same nodes, marks and values,
parsed about ten times faster than in Python (a cold sign-in question reads the catalogue)."""


def _line_of(node: yaml.Node) -> int:
    """The 1-based line where a YAML node starts."""
    return node.start_mark.line + 1


def _child(node: yaml.Node, step: int | str) -> yaml.Node | None:
    """The child of a mapping (by key) or sequence (by index), or None when absent."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]
    return None


def deepest_line(node: yaml.Node, loc: tuple[int | str, ...]) -> int:
    """Line of the deepest node along a validation error's location."""
    for step in loc:
        child = _child(node, step)
        if child is None:
            break
        node = child
    return _line_of(node)


def yaml_document(text: str) -> tuple[Any, yaml.Node | None]:
    """A YAML document's data and its root node, whose marks give each value's line
    (yaml.MarkedYAMLError, with the line, when it is not YAML)."""
    loader = SAFE_LOADER(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    finally:
        loader.dispose()


def load_records(path: Path, key: str, model: type[ModelT]) -> list[tuple[ModelT, int]]:
    """Load `key:` (a list of mappings) from a YAML file as models, each with its start line."""
    text = path.read_text(encoding="utf-8")
    try:
        data, root = yaml_document(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise KnowledgeFileError(path, line, f"not valid YAML: {exc.problem}") from exc
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        line = _line_of(root) if root is not None else 1
        raise KnowledgeFileError(path, line, f"expected a mapping with a list under '{key}'")
    list_node = _child(root, key)
    assert isinstance(list_node, yaml.SequenceNode)
    records: list[tuple[ModelT, int]] = []
    for index, (raw, item_node) in enumerate(zip(data[key], list_node.value, strict=True)):
        if not isinstance(raw, dict):
            raise KnowledgeFileError(path, _line_of(item_node), "each entry must be a mapping")
        try:
            records.append((model.model_validate(raw), _line_of(item_node)))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = tuple(first["loc"])
            field = ".".join(str(part) for part in loc) or None
            line = deepest_line(item_node, loc)
            raise KnowledgeFileError(
                path, line, f"entry {index + 1}: {first['msg']}", field
            ) from exc
    return records
