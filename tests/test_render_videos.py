"""Which player a video gets, and where its time links point."""

from __future__ import annotations

import pytest

from notebook_runner.render.slugs import relative_url
from notebook_runner.render.videos import Player, classify, make_player, time_link


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=hBBOjCiFcuo", ("youtube", "hBBOjCiFcuo")),
        ("https://youtu.be/hBBOjCiFcuo?t=10", ("youtube", "hBBOjCiFcuo")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://example.org/talk.mp4", ("file", None)),
        ("https://example.org/blog/post", ("link", None)),
        ("not a url", ("link", None)),
    ],
)
def test_classify(url: str, expected: tuple[str, str | None]) -> None:
    assert classify(url) == expected


def test_vault_file_becomes_a_local_player() -> None:
    player = make_player("video-1", "lecture.mp4", ["media/lecture.mp4", "lecture.txt"])
    assert player == Player(
        "video-1", "lecture.mp4", "file", None, "_files/media/lecture.mp4", True
    )


@pytest.mark.parametrize(
    ("url", "seconds", "href"),
    [
        (
            "https://www.youtube.com/watch?v=hBBOjCiFcuo",
            754,
            "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=754s",
        ),
        ("https://youtu.be/hBBOjCiFcuo", 754, "https://youtu.be/hBBOjCiFcuo?t=754"),
        ("https://vimeo.com/76979871", 754, "https://vimeo.com/76979871#t=754s"),
        ("https://example.org/talk.mp4", 754, "https://example.org/talk.mp4#t=754"),
    ],
)
def test_time_links_for_remote_videos(url: str, seconds: int, href: str) -> None:
    player = make_player("video-1", url, [])
    assert time_link(player, seconds, lambda path: path) == href


def test_time_link_for_a_vault_file_is_relative_to_the_page() -> None:
    player = make_player("video-1", "media/lecture.mp4", ["media/lecture.mp4"])
    href = time_link(player, 90, lambda path: relative_url("notes/deep/page.html", path))
    assert href == "../../_files/media/lecture.mp4#t=90"
