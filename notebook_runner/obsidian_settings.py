"""The few Obsidian settings (`.obsidian/` in the vault) that change how notes read.

- `app.json` `strictLineBreaks`: false by default, as in Obsidian, where a single line
  break inside a paragraph shows as a line break; true joins the lines, as strict
  Markdown does.
- `app.json` `attachmentFolderPath`: where Obsidian puts new attachments, as written
  (`./` and `./assets` are relative to the note).
- The templates folders: the core Templates plugin's (`templates.json` `folder`) and
  Templater's (`plugins/templater-obsidian/data.json` `templates_folder`). Notes there
  are templates, full of `{{title}}` and `<% tp.file.title %>` placeholders, not notes
  to publish or check; `vault.list_vault` leaves them out unless `[vault] ignore` says
  otherwise.

Every file is optional. One that cannot be read, is not JSON, is larger than any real
settings file or holds a value of the wrong type counts as absent, as a fresh vault's
defaults: Obsidian rewrites these files itself, and a note must never fail over them.
A templates folder is a vault path (`Templates/` and `/Templates` are `Templates`);
one that is empty, the vault root, holds a character Obsidian refuses in names or leads
out of the vault with `..` is ignored: leaving out the whole vault, or a folder outside
it, is never what was meant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTINGS_FOLDER = ".obsidian"
_LARGEST = 1 << 20
"""Bytes: Obsidian's settings files are a few kilobytes; a bigger one is not read."""
_NOT_IN_NAMES = frozenset(':*?"<>|')
"""Characters Obsidian refuses in file names: a folder setting holding one is not a
folder it made (and `*`, `?` would read as wildcards in an ignore glob)."""
_TEMPLATES = (
    ("templates.json", "folder"),
    ("plugins/templater-obsidian/data.json", "templates_folder"),
)


@dataclass(frozen=True)
class ObsidianSettings:
    strict_line_breaks: bool = False
    attachment_folder: str | None = None
    template_folders: tuple[str, ...] = ()


def read_obsidian_settings(root: Path) -> ObsidianSettings:
    """The settings of the vault at `root`; defaults for whatever is missing or odd."""
    folder = root / SETTINGS_FOLDER
    app = _json_object(folder / "app.json")
    strict = app.get("strictLineBreaks")
    attachments = app.get("attachmentFolderPath")
    templates = [_vault_folder(_json_object(folder / name).get(key)) for name, key in _TEMPLATES]
    return ObsidianSettings(
        strict_line_breaks=strict if isinstance(strict, bool) else False,
        attachment_folder=attachments if isinstance(attachments, str) and attachments else None,
        template_folders=tuple(dict.fromkeys(found for found in templates if found)),
    )


def _json_object(path: Path) -> dict[str, Any]:
    try:
        if not path.is_file():  # a folder or a pipe by that name is not a settings file
            return {}
        with open(path, "rb") as handle:
            data = handle.read(_LARGEST + 1)
        loaded = json.loads(data) if len(data) <= _LARGEST else None
    except (OSError, ValueError, RecursionError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _vault_folder(value: object) -> str | None:
    """A folder setting as a vault path (`Templates/`, `/Templates` -> `Templates`)."""
    if not isinstance(value, str) or any(char in value for char in _NOT_IN_NAMES):
        return None
    parts = [part for part in value.replace("\\", "/").split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)
