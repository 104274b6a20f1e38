"""The language pages declare: a note's `lang:`, `[site] language`, else the vault's."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_support import build_in_memory, make_vault, parse_html

from notebook_runner.config import CONFIG_NAME, load_config
from notebook_runner.model import Diagnostic
from notebook_runner.render.language import detect_language, sample

KOREAN = "# 강화학습\n\n정책 경사 방법은 보상의 기대값을 직접 최적화한다.\n"
CODE = "```python\nimport torch\nmodel = torch.nn.Linear(4, 2)\noptimizer.step()\n```\n"


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([KOREAN + CODE + "PPO와 TRPO를 비교한다. Actor-critic loss 함수."], "ko"),
        (["# 機械学習\n\nニューラルネットワークの学習率を調整する。"], "ja"),
        (["# 机器学习\n\n神经网络的学习率需要调整。"], "zh"),
        (["# Машинное обучение\n\nСкорость обучения нейронной сети."], "ru"),  # noqa: RUF001
        (["# Lecture 3\n\nGradient descent, one Korean word 학습 and 学."], "en"),
        (["", "```\n1 + 2\n```"], "en"),
        ([], "en"),
    ],
)
def test_detect_language_counts_scripts(texts: list[str], expected: str) -> None:
    assert detect_language(texts) == expected


def test_a_note_mostly_code_in_a_korean_vault_stays_korean() -> None:
    """Real Korean study notes are half English terms and code (the corpus vault:
    45 % Hangul among its letters)."""
    text = KOREAN + CODE * 3 + "train loop의 반복 횟수와 batch size를 정한다.\n"
    assert detect_language([text] * 3 + ["# English only note\n\nplain text"]) == "ko"


def test_sample_spreads_over_the_whole_list() -> None:
    assert sample(list(range(10)), 4) == [0, 2, 5, 7]
    assert sample([1, 2], 4) == [1, 2]


def _vault(root: Path, config: str = "") -> Path:
    notes = {
        "강의/정책 경사.md": KOREAN + "#강화학습\n",
        "강의/가치 함수.md": KOREAN,
        "French.md": "---\nlang: fr\n---\n# Bonjour\n",
        "Odd.md": "---\ntitle: x\nlang: Korean please\n---\n# 오류\n",
    }
    return make_vault(root, {**notes, CONFIG_NAME: config} if config else notes)


def _languages(root: Path) -> tuple[dict[str, str | None], list[Diagnostic]]:
    workspace, site = build_in_memory(root, {})
    pages = {
        page: parse_html(html).one("html").attrs["lang"]
        for page, html in site.files.items()
        if page.endswith(".html")
    }
    return pages, list(workspace.diagnostics)


def test_pages_take_the_vaults_language_and_a_notes_own(tmp_path: Path) -> None:
    pages, problems = _languages(_vault(tmp_path))
    assert pages == {
        "404.html": "ko",
        "_tags/강화학습.html": "ko",
        "french.html": "fr",
        "index.html": "ko",
        "odd.html": "ko",
        "강의/가치-함수.html": "ko",
        "강의/정책-경사.html": "ko",
    }
    assert problems == [
        Diagnostic(
            "Odd.md",
            3,
            "warning",
            "bad-language",
            "lang 'Korean please' is not a language tag; the site's language is used",
            "write a tag such as en, ko or pt-BR",
        )
    ]


def test_site_language_overrides_detection(tmp_path: Path) -> None:
    pages, _ = _languages(_vault(tmp_path, '[site]\nlanguage = "ko-KR"\n'))
    assert {page: lang for page, lang in pages.items() if lang != "ko-KR"} == {"french.html": "fr"}


def test_site_language_must_be_a_language_tag(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text('[site]\ntitle = "x"\nlanguage = "Korean"\n')
    _, problems = load_config(tmp_path)
    assert problems == [
        Diagnostic(
            CONFIG_NAME,
            3,
            "error",
            "bad-config",
            "site.language must be a language tag such as en, ko or pt-BR",
        )
    ]
