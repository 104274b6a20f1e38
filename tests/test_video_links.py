"""Markdown links to a video at a time count as timestamps of that video."""

from __future__ import annotations

from pathlib import Path

from notebook_runner.model import Diagnostic, SourceFile, Timestamp
from notebook_runner.parse import parse_note
from notebook_runner.pipeline import open_vault
from notebook_runner.video import with_link_timestamps

NOTE = """# Lecture 4
```timestamp-url
https://www.youtube.com/watch?v=hBBOjCiFcuo
```

```timestamp
01:00
```
## Convolutions
See [12:34](https://youtu.be/hBBOjCiFcuo?t=754) and [2:00](https://vimeo.com/76979871).
A bookmark, not a timestamp: [Lecture 4 - YouTube](https://youtu.be/hBBOjCiFcuo?t=90).
"""


def test_time_links_join_the_timestamps_in_line_order() -> None:
    note, _ = parse_note(SourceFile("Lecture 4.md", NOTE))
    enriched = with_link_timestamps(note)
    assert enriched.timestamps[0] == note.timestamps[0]
    assert enriched.timestamps[1:] == (
        Timestamp(
            text="12:34",
            seconds=754,
            line=10,
            video="https://youtu.be/hBBOjCiFcuo?t=754",
            section="Convolutions",
            label="Convolutions",
            end_line=10,
        ),
        Timestamp(
            text="2:00",
            seconds=120,
            line=10,
            video="https://vimeo.com/76979871",
            section="Convolutions",
            label="Convolutions",
            end_line=10,
        ),
    )


def test_a_note_without_time_links_is_returned_as_is() -> None:
    note, _ = parse_note(SourceFile("plain.md", "# Plain\n[docs](https://example.org)\n"))
    assert with_link_timestamps(note) is note


def test_open_vault_reports_video_checks_as_configured(tmp_path: Path) -> None:
    repeated = "```timestamp-url\nhttps://youtu.be/hBBOjCiFcuo\n```\n" + "".join(
        f"```timestamp\n{time}\n```\nintro\n" for time in ("05:00", "06:00", "05:00")
    )
    (tmp_path / "n.md").write_text(repeated, encoding="utf-8")
    codes = [(d.line, d.code, d.severity) for d in open_vault(tmp_path, jobs=1).diagnostics]
    assert codes == [(13, "duplicate-timestamp", "warning")]
    (tmp_path / "notebook-runner.toml").write_text('[videos]\nduplicates = "off"\n')
    left = [(d.line, d.code) for d in open_vault(tmp_path, jobs=1).diagnostics]
    assert left == [(13, "timestamp-out-of-order")]  # the repeat no more, the step back
    (tmp_path / "notebook-runner.toml").write_text('[videos]\nduplicates = "off"\norder = "off"\n')
    assert open_vault(tmp_path, jobs=1).diagnostics == ()


def test_unknown_video_check_severity_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "notebook-runner.toml").write_text('[videos]\norder = "loud"\n')
    assert open_vault(tmp_path, jobs=1).config_errors == (
        Diagnostic(
            "notebook-runner.toml",
            2,
            "error",
            "bad-config",
            "videos.order must be one of error, warning, info, off",
        ),
    )
