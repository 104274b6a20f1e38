"""The language each page declares (`<html lang>`): screen readers pick their voice by
it, browsers their fonts (Han characters are drawn differently for ko, ja and zh),
hyphenation and translation offers.

A note's page takes its `lang:` frontmatter, else `[site] language`, else the language
of the vault's text, else `en`; the index, tag and 404 pages take the site's.

The vault's language is told by counting scripts, not by a language model: cheap,
deterministic and needing no data. Up to `SAMPLE_NOTES` notes, spread evenly over the
sorted list, give their first `SAMPLE_CHARACTERS` characters; among the letters there,
at least 15 % Hangul is `ko`, else at least 5 % Kana (which only Japanese writes) is
`ja`, else at least 15 % Han is `zh`, else at least 15 % Cyrillic is `ru`, else `en`.
The shares are low because notes mix in English terms and code: the Korean vault of
the corpus is 45 % Hangul.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from notebook_runner.config import is_language_tag
from notebook_runner.model import Note

DEFAULT_LANGUAGE = "en"
SAMPLE_NOTES = 64
SAMPLE_CHARACTERS = 4000

_LETTER = re.compile(r"[^\W\d_]")
_SCRIPTS = (
    ("ko", re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]"), 0.15),
    ("ja", re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"), 0.05),
    ("zh", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"), 0.15),
    ("ru", re.compile(r"[\u0400-\u04ff]"), 0.15),
)

T = TypeVar("T")


def sample(items: Sequence[T], count: int = SAMPLE_NOTES) -> list[T]:
    """`count` items spread evenly over `items` (all of them when there are fewer)."""
    if len(items) <= count:
        return list(items)
    return [items[index * len(items) // count] for index in range(count)]


def detect_language(texts: Iterable[str]) -> str:
    """The language of `texts` (the sampled notes) by the rule in the module docstring."""
    text = "\n".join(part[:SAMPLE_CHARACTERS] for part in texts)
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return DEFAULT_LANGUAGE
    for language, script, share in _SCRIPTS:
        if len(script.findall(text)) >= share * letters:
            return language
    return DEFAULT_LANGUAGE


def note_language(note: Note, site_language: str) -> str:
    """A note's own `lang:` when it is a language tag (else the parser warned)."""
    own = note.frontmatter.get("lang")
    return str(own) if is_language_tag(own) else site_language
