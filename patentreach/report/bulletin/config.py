"""The bulletin's section configuration: which sections, in which order, with which options.

A YAML file the office edits (``--config bulletin.yaml``); without one, every section in
``SECTION_ORDER`` with its defaults::

    sections:
      - headlines
      - offices: {published: cnipa-yearbook-2022-t6-2}
      - enterprises: {top: 10}
      - methods

A bad file is a ``ConfigError`` naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SECTION_ORDER = ("headlines", "offices", "fields", "enterprises", "routes", "transfers", "survey", "gaps", "methods")
"""Every section the bulletin knows, in the default print order."""


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class SectionConfig:
    name: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BulletinConfig:
    sections: tuple[SectionConfig, ...] = tuple(SectionConfig(name) for name in SECTION_ORDER)

    def options(self, name: str) -> dict[str, Any]:
        for section in self.sections:
            if section.name == name:
                return section.options
        return {}


def _where(path: Path, node: Any) -> str:
    mark = getattr(node, "start_mark", None)
    return f"{path}, line {mark.line + 1}" if mark is not None else str(path)


def load_config(path: Path | None) -> BulletinConfig:
    """The configuration in ``path``, or the default one."""
    if path is None:
        return BulletinConfig()
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the bulletin configuration ({exc.strerror})") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if root is None:
        return BulletinConfig()
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{_where(path, root)}: the configuration must be a mapping with a 'sections' list")
    data = yaml.safe_load(text)
    nodes = {key.value: value for key, value in root.value}
    for key_node, _value in root.value:  # in the file's order, so the first wrong key is named
        if key_node.value != "sections":
            raise ConfigError(f"{_where(path, key_node)}: unknown key {key_node.value!r}; the configuration "
                              "has 'sections'")
    sections_node = nodes.get("sections")
    if not isinstance(sections_node, yaml.SequenceNode):
        raise ConfigError(f"{_where(path, sections_node or root)}: 'sections' must be a list of section names")
    sections: list[SectionConfig] = []
    for item_node, item in zip(sections_node.value, data["sections"], strict=True):
        if isinstance(item, str):
            name, options = item, {}
        elif isinstance(item, dict) and len(item) == 1:
            name, options = next(iter(item.items()))
            options = options or {}
        else:
            raise ConfigError(f"{_where(path, item_node)}: a section is a name or 'name: {{options}}'")
        if name not in SECTION_ORDER:
            raise ConfigError(f"{_where(path, item_node)}: unknown section {name!r}; choose from "
                              f"{', '.join(SECTION_ORDER)}")
        if not isinstance(options, dict):
            raise ConfigError(f"{_where(path, item_node)}: the options of section {name!r} must be a mapping")
        if any(s.name == name for s in sections):
            raise ConfigError(f"{_where(path, item_node)}: section {name!r} is listed twice")
        sections.append(SectionConfig(name, dict(options)))
    return BulletinConfig(tuple(sections))
