"""How note paths and tags become URLs: stable, URL-safe and collision-free.

The rule (documented for users, who link to these pages from elsewhere):

1. Each folder and the note's name (without `.md`) is normalised (Unicode NFKC), lower-cased
   (casefold), and every run of characters that is not a letter or digit becomes one `-`;
   leading and trailing `-` are dropped. Letters of any script are kept (`강의 1` stays
   `강의-1`; links percent-encode them). A part left empty becomes `untitled`.
2. A note's page is `<folder-slugs>/<name-slug>.html`, e.g. `ML/Lesson 3.md` ->
   `ml/lesson-3.html`. Tags live under `_tags/` and site files under `_static/` and
   `_files/`: no slug starts with `_`, so no note can take those names. The root names
   `index` and `404` are reserved for the site's own pages.
3. Two notes whose names differ only in case or punctuation (`Note A.md`, `note-a.md`)
   would share a slug: in such a group the path that sorts first keeps the plain slug and
   every other gets `-` plus the first 6 hex digits of the SHA-1 of its vault path. The
   suffix depends only on the path, so adding a note never renames another note's page
   except the one that newly collides.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote

from notebook_runner.model import fold

_NOT_WORD = re.compile(r"[^\w]+|_+")
_RESERVED_ROOT = frozenset({"index", "404"})
_SUFFIX_DIGITS = 6


def slugify(text: str) -> str:
    """One path part in URL form; never empty and never starting with `_`."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    slug = _NOT_WORD.sub("-", folded).strip("-")
    return slug or "untitled"


NOTE_SUFFIXES = (".md", ".ipynb", ".py")


def _note_slug(path: str) -> str:
    """A note's page is named after its file without the note suffix, whether the note
    is Markdown or a notebook (`Lesson.ipynb` -> `lesson.html`)."""
    suffix = next((end for end in NOTE_SUFFIXES if path.casefold().endswith(end)), "")
    stem = path[: len(path) - len(suffix)]
    return "/".join(slugify(part) for part in stem.split("/"))


def _disambiguate(wanted: dict[str, str], reserved: frozenset[str]) -> dict[str, str]:
    """`wanted` maps key -> slug; keys sharing a slug (or taking a reserved one) get suffixes."""
    groups: dict[str, list[str]] = {}
    for key in sorted(wanted):
        groups.setdefault(wanted[key], []).append(key)
    result: dict[str, str] = {}
    for slug, keys in groups.items():
        for position, key in enumerate(keys):
            plain = position == 0 and slug not in reserved
            result[key] = slug if plain else f"{slug}-{_path_hash(key)}"
    return result


def _path_hash(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:_SUFFIX_DIGITS]


def note_pages(paths: Iterable[str]) -> dict[str, str]:
    """Vault path of each note -> its page path relative to the site root."""
    return dict(_note_pages(tuple(paths)))


@lru_cache(maxsize=4)
def _note_pages(paths: tuple[str, ...]) -> dict[str, str]:
    """Cached: `serve` asks again after every edit, and the pages of 10,000 notes take a
    tenth of a second to name, while only adding or renaming a note changes them."""
    slugs = _disambiguate({path: _note_slug(path) for path in paths}, _RESERVED_ROOT)
    return {path: f"{slug}.html" for path, slug in slugs.items()}


def tag_pages(tags: Iterable[str]) -> dict[str, str]:
    """Tag name (nested with `/`) -> its page path; nested tags nest as folders."""
    wanted = {tag: "/".join(slugify(part) for part in tag.split("/") if part) for tag in tags}
    return {tag: f"_tags/{slug}.html" for tag, slug in _disambiguate(wanted, frozenset()).items()}


tag_key = fold
"""Tags compare as Obsidian compares names: the tag index groups them by the same key."""


def relative_url(from_page: str, to_path: str) -> str:
    """A percent-encoded link from one site file to another, so the site works from disk."""
    return "../" * from_page.count("/") + _quoted(to_path)


def absolute_url(base_url: str, path: str) -> str:
    """The address of site file `path` (`""`: the site's root) under `base_url`; ""
    without one."""
    return base_url.rstrip("/") + "/" + _quoted(path) if base_url else ""


@lru_cache(maxsize=16384)
def _quoted(path: str) -> str:
    """Pages link to the same few thousand paths over and over; `quote` is slow."""
    return quote(path, safe="/#-._~")
