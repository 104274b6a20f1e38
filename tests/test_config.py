"""The vault config is validated up front and every error is reported at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notebook_runner.config import CONFIG_NAME, CheckConfig, Config, SiteConfig, load_config
from notebook_runner.model import Diagnostic


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    return tmp_path


def test_missing_config_gives_defaults_without_diagnostics(tmp_path: Path) -> None:
    assert load_config(tmp_path) == (Config(), [])


def test_valid_config_is_read_into_typed_sections(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        '[check]\ntimeout = 5\npreload = ["torch"]\nprelude = "import math"\n'
        '[site]\ntitle = "Lectures"\n',
    )
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.check == CheckConfig(timeout=5.0, preload=("torch",), prelude="import math")
    assert config.site == SiteConfig(title="Lectures")


def test_every_error_is_reported_at_once_with_lines_and_hints(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        '[check]\ntimeot = 5\nmemory_mb = -1\npreload = "torch"\n[sight]\ntitle = "x"\n',
    )
    config, problems = load_config(tmp_path)
    assert config == Config()
    assert problems == [
        Diagnostic(
            CONFIG_NAME,
            2,
            "error",
            "unknown-config-key",
            "unknown key in [check] 'timeot'",
            "did you mean 'timeout'?",
        ),
        Diagnostic(
            CONFIG_NAME, 3, "error", "bad-config", "check.memory_mb must be a positive whole number"
        ),
        Diagnostic(
            CONFIG_NAME, 4, "error", "bad-config", "check.preload must be a list of strings"
        ),
        Diagnostic(
            CONFIG_NAME,
            5,
            "error",
            "unknown-config-key",
            "unknown section 'sight'",
            "did you mean 'site'?",
        ),
    ]


def test_invalid_toml_is_reported_at_its_line(tmp_path: Path) -> None:
    write_config(tmp_path, "[check]\ntimeout = = 3\n")
    _, problems = load_config(tmp_path)
    assert [(p.line, p.code, p.severity) for p in problems] == [(2, "bad-config", "error")]
    assert problems[0].message.startswith("invalid TOML: ")


def test_booleans_are_not_numbers(tmp_path: Path) -> None:
    write_config(tmp_path, "[check]\ntimeout = true\n")
    _, problems = load_config(tmp_path)
    assert [p.message for p in problems] == ["check.timeout must be a positive number"]


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)//", " JaVaScRiPt:alert(1)//", "//evil.example/", "notes/"]
)
def test_the_site_address_must_be_a_web_address(tmp_path: Path, address: str) -> None:
    write_config(tmp_path, f"[site]\nbase_url = {json.dumps(address)}\n")
    config, problems = load_config(tmp_path)
    assert config.site.base_url == ""
    assert problems == [
        Diagnostic(
            CONFIG_NAME,
            2,
            "error",
            "bad-config",
            "site.base_url must be an http:// or https:// address",
        )
    ]


def test_a_web_site_address_is_kept(tmp_path: Path) -> None:
    write_config(tmp_path, '[site]\nbase_url = "https://me.github.io/notes/"\n')
    config, problems = load_config(tmp_path)
    assert (config.site.base_url, problems) == ("https://me.github.io/notes/", [])
