"""Pages of notes written as real vaults write them (issue 14): what Obsidian shows, the
site shows, with no warning Obsidian would not give."""

from __future__ import annotations

from pathlib import Path

from page_support import build_in_memory, parse_html


def _page(tmp_path: Path, name: str, text: str) -> tuple[list[str], str]:
    """The page of one note and the codes of every problem the build found."""
    (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    workspace, site = build_in_memory(tmp_path, {})
    page = site.files[f"{name.lower()}.html"].decode("utf-8")
    codes = [d.code for d in (*workspace.diagnostics, *site.diagnostics)]
    return codes, page


def test_display_math_right_under_a_line_of_text(tmp_path: Path) -> None:
    codes, page = _page(tmp_path, "Loss", "The loss is:\n$$\nL = \\sum_i x_i^2\n$$\nso it grows.\n")
    body = parse_html(page).one("div", "note-body")
    assert [p.text() for p in body.all("p")] == ["The loss is:", "so it grows."]
    assert body.one("math").attrs["display"] == "block"
    assert "$" not in body.text()
    assert codes == []
