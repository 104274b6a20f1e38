"""Page tests' helpers: a vault written from texts, a tiny DOM over html.parser, and a
site built in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from notebook_runner.execute.results import NoteResult
from notebook_runner.pipeline import Workspace, open_vault
from notebook_runner.publish.site import SiteBuild, build_site


def make_vault(root: Path, files: dict[str, str]) -> Path:
    """Write each `vault path: text` under `root` (folders made as needed)."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr mspace".split()  # noqa: SIM905
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()

    def all(
        self, tag: str | None = None, cls: str | None = None, **attrs: str | None
    ) -> list[Element]:
        return [
            el
            for el in self.walk()
            if (tag is None or el.tag == tag)
            and (cls is None or cls in el.classes)
            and all(el.attrs.get(key.replace("_", "-")) == value for key, value in attrs.items())
        ]

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str | None) -> Element:
        found = self.all(tag, cls, **attrs)
        assert len(found) == 1, f"expected one {tag}.{cls} {attrs}, found {len(found)}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        raise AssertionError(f"stray </{tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: bytes | str) -> Element:
    builder = _Builder()
    builder.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def build_in_memory(root: Path, results: dict[str, NoteResult]) -> tuple[Workspace, SiteBuild]:
    workspace = open_vault(root, use_cache=False)
    sources = {source.path: source.text for source in workspace.loaded.sources}
    return workspace, build_site(root, workspace.vault, sources, results, workspace.config.site)
