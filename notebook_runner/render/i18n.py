"""The site's interface text in its language (`[site] language`), all in one place.

One catalogue per language, `render/locales/<code>.toml` (English, German, Korean):
`[text]` for the pages, `[plural]` for text with a number, `months` and `text.date` for
dates, `[script]` for what the site's JavaScript shows. Templates read `ui["key"]`,
`ui.count(...)` and `ui.date(...)`; the render rules read `page.ui`; the script reads the
`[script]` strings from `<body data-ui="...">` (`Messages.script_json`), a few hundred
bytes a page, not the whole catalogue.

The site's language is `[site] language`, else the one detected from the notes' text
(`render.language`). A language tag is matched by its primary subtag (`de-AT` ->
German); a language without a catalogue gets English text (`build` says so when the
language was configured), though its pages still say they are in that language. The
note's own text is not translated, and a note's `lang:` sets its page's `lang`
attribute (what the text is in, `render.language.note_language`), not the interface
language.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files as package_files
from typing import Any

from notebook_runner.render.language import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Messages:
    """One language's interface text."""

    language: str
    """The catalogue's language code (`en`, `de`, `ko`)."""
    text: Mapping[str, str]
    plural: Mapping[str, Mapping[str, str]]
    months: tuple[str, ...]
    script: Mapping[str, str]
    script_json: str
    """`script` as JSON, for the `data-ui` attribute the site's script reads."""

    def __getitem__(self, key: str) -> str:
        return self.text[key]

    def format(self, key: str, **values: object) -> str:
        return self.text[key].format(**values)

    def count(self, key: str, number: int) -> str:
        """`[plural.key]` for `number`: English and German say "1 note", "2 notes";
        Korean has one form."""
        forms = self.plural[key]
        form = "one" if number == 1 and "one" in forms else "other"
        return forms[form].format(count=number)

    def date(self, written: str) -> str:
        """An ISO 8601 date (`2024-03-05`, or with a time, which is not shown) as the
        language writes dates; anything else as written."""
        day = iso_date(written)
        if day is None:
            return written
        month = self.months[day.month - 1]
        return self.format("date", year=day.year, month_name=month, day=day.day)


def iso_date(written: str) -> date | None:
    """The day an ISO 8601 date or date and time names; None for anything else."""
    try:
        return datetime.fromisoformat(written.strip()).date()
    except ValueError:
        return None


@cache
def available() -> tuple[str, ...]:
    """The languages with a catalogue, by code."""
    folder = package_files("notebook_runner.render") / "locales"
    names = (entry.name for entry in folder.iterdir())
    return tuple(sorted(name.removesuffix(".toml") for name in names if name.endswith(".toml")))


def catalogue_language(tag: str) -> str | None:
    """The catalogue for a language tag: its primary subtag's; None without one."""
    primary = tag.split("-")[0].lower()
    return primary if primary in available() else None


@cache
def messages(tag: str = DEFAULT_LANGUAGE) -> Messages:
    """The interface text for language `tag`, English when there is no catalogue.
    Read once per process."""
    code = catalogue_language(tag) or DEFAULT_LANGUAGE
    data = load_catalogue(code)
    script = dict(data["script"])
    return Messages(
        language=code,
        text=dict(data["text"]),
        plural={key: dict(forms) for key, forms in data["plural"].items()},
        months=tuple(data["months"]),
        script=script,
        script_json=json.dumps(script, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    )


def load_catalogue(code: str) -> dict[str, Any]:
    path = package_files("notebook_runner.render") / "locales" / f"{code}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))
