"""URL recognition with yt-dlp's extractors (offline), times in URLs, links to a second."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notebook_runner.video import link_at, recognise, timestamp_from_link, url_start, urls

VIDEO_ID = "hBBOjCiFcuo"

# url, kind, site, id, start, link to 754 s
URL_TABLE = [
    (
        f"https://www.youtube.com/watch?v={VIDEO_ID}",
        "youtube", "Youtube", VIDEO_ID, None,
        f"https://www.youtube.com/watch?v={VIDEO_ID}&t=754s",
    ),
    (
        f"https://youtu.be/{VIDEO_ID}",
        "youtube", "Youtube", VIDEO_ID, None,
        f"https://youtu.be/{VIDEO_ID}?t=754",
    ),
    (
        f"https://youtu.be/{VIDEO_ID}?si=Ab12&t=42",
        "youtube", "Youtube", VIDEO_ID, 42,
        f"https://youtu.be/{VIDEO_ID}?si=Ab12&t=754",
    ),
    (
        f"https://youtu.be/{VIDEO_ID}&t=762",  # `&` without `?`, as real vaults have it
        "youtube", "Youtube", VIDEO_ID, 762,
        f"https://youtu.be/{VIDEO_ID}?t=754",
    ),
    (
        f"https://www.youtube.com/shorts/{VIDEO_ID}",
        "youtube", "Youtube", VIDEO_ID, None,
        f"https://www.youtube.com/watch?v={VIDEO_ID}&t=754s",
    ),
    (
        f"https://www.youtube.com/embed/{VIDEO_ID}?start=30",
        "youtube", "Youtube", VIDEO_ID, 30,
        f"https://www.youtube.com/watch?v={VIDEO_ID}&t=754s",
    ),
    (
        f"https://www.youtube.com/live/{VIDEO_ID}?si=x",
        "youtube", "Youtube", VIDEO_ID, None,
        f"https://www.youtube.com/watch?v={VIDEO_ID}&t=754s",
    ),
    (
        f"https://m.youtube.com/watch?v={VIDEO_ID}&t=1m30s",
        "youtube", "Youtube", VIDEO_ID, 90,
        f"https://m.youtube.com/watch?v={VIDEO_ID}&t=754s",
    ),
    (
        f"https://music.youtube.com/watch?v={VIDEO_ID}",
        "youtube", "Youtube", VIDEO_ID, None,
        f"https://music.youtube.com/watch?v={VIDEO_ID}&t=754s",
    ),
    (
        f"https://www.youtube.com/watch?v={VIDEO_ID}&list=PLfYUBJiXbdtSvpQjSnJJ_PmDQB_VyT5iU&index=3",
        "youtube", "Youtube", VIDEO_ID, None,
        f"https://www.youtube.com/watch?v={VIDEO_ID}"
        "&list=PLfYUBJiXbdtSvpQjSnJJ_PmDQB_VyT5iU&index=3&t=754s",
    ),
    (
        f"youtu.be/{VIDEO_ID}",  # no scheme: yt-dlp's YouTube pattern still knows it
        "youtube", "Youtube", VIDEO_ID, None,
        f"https://www.youtube.com/watch?v={VIDEO_ID}&t=754s",
    ),
    (
        "https://www.youtube.com/playlist?list=PLfYUBJiXbdtSvpQjSnJJ_PmDQB_VyT5iU",
        "youtube", "YoutubeTab", "PLfYUBJiXbdtSvpQjSnJJ_PmDQB_VyT5iU", None,
        "https://www.youtube.com/playlist?list=PLfYUBJiXbdtSvpQjSnJJ_PmDQB_VyT5iU&t=754s",
    ),
    (
        "https://vimeo.com/76979871#t=90s",
        "vimeo", "Vimeo", "76979871", 90,
        "https://vimeo.com/76979871#t=754s",
    ),
    (
        "https://player.vimeo.com/video/76979871",
        "vimeo", "Vimeo", "76979871", None,
        "https://player.vimeo.com/video/76979871#t=754s",
    ),
    (
        "https://www.dailymotion.com/video/x7tgad0",
        "site", "Dailymotion", "x7tgad0", None,
        "https://www.dailymotion.com/video/x7tgad0#t=754",
    ),
    (
        "https://example.org/lectures/lesson3.mp4#t=npt:90,120",
        "generic", "Generic", None, 90,
        "https://example.org/lectures/lesson3.mp4#t=754",
    ),
    (
        "https://example.org/course/lesson-3",
        "generic", "Generic", None, None,
        "https://example.org/course/lesson-3#t=754",
    ),
    ("file:///home/me/lesson3.mp4", "local", "local", None, None, "file:///home/me/lesson3.mp4#t=754"),
    ("lectures/lesson 3.mkv", "local", "local", None, None, "lectures/lesson 3.mkv#t=754"),
    ("![[lesson3.mp4]]", "local", "local", None, None, "lesson3.mp4#t=754"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "kind", "site", "video_id", "start", "link"), URL_TABLE)
def test_url_forms_are_recognised_with_their_site_id_time_and_link(
    url: str, kind: str, site: str, video_id: str | None, start: int | None, link: str
) -> None:
    source = recognise(url)
    assert (source.kind, source.site, source.id, source.start) == (kind, site, video_id, start)
    assert link_at(url, 754) == link


@pytest.mark.parametrize(
    "text", ["", "   ", "see the lecture", "mailto:me@example.org", "www.example.org/lesson"]
)
def test_text_that_names_no_video_is_unknown(text: str) -> None:
    source = recognise(text)
    assert (source.kind, source.site, source.id) == ("unknown", "", None)


def test_every_form_of_one_video_shares_one_key() -> None:
    forms = [url for url, _, site, *_ in URL_TABLE if site == "Youtube"]
    assert {recognise(url).key for url in forms} == {f"Youtube-{VIDEO_ID}"}


def test_urls_without_an_id_get_a_stable_key_that_ignores_the_time() -> None:
    first = recognise("https://example.org/lesson3.mp4?t=10").key
    assert first == recognise("https://example.org/lesson3.mp4?t=99").key
    assert first != recognise("https://example.org/lesson4.mp4").key
    assert first.startswith("Generic-")


@pytest.mark.parametrize(
    ("url", "seconds"),
    [
        (f"https://www.youtube.com/watch?v={VIDEO_ID}&t=754", 754),
        (f"https://www.youtube.com/watch?v={VIDEO_ID}&t=1h2m3s", 3723),
        (f"https://www.youtube.com/watch?v={VIDEO_ID}&time_continue=12", 12),
        ("https://example.org/a.mp4#t=00:01:30", 90),
        ("https://example.org/a.mp4#t=90.7", 90),
        ("https://example.org/a.mp4#t=soon", None),
        ("https://example.org/a.mp4", None),
    ],
)
def test_times_already_in_urls_are_read(url: str, seconds: int | None) -> None:
    assert url_start(url) == seconds


@pytest.mark.parametrize(
    ("url", "text", "seconds"),
    [
        ("https://youtu.be/bRMGoPqsn20&t=762", "12:42", 762),
        (f"https://youtu.be/{VIDEO_ID}?t=754", "12:00", 754),
        (f"https://youtu.be/{VIDEO_ID}?t=571", "AI news - YouTube", None),
        (f"https://youtu.be/{VIDEO_ID}", "12:34", 754),
        ("https://vimeo.com/76979871#t=1m", "1:00", 60),
        ("https://example.org/lesson3.mp4#t=30", "0:30", 30),
        (f"https://youtu.be/{VIDEO_ID}", "chapter two", None),
        ("https://example.org/blog/post#t=30", "0:30", None),
        ("https://arxiv.org/abs/1901.10002", "12:34", None),
    ],
)
def test_markdown_links_to_a_video_titled_with_a_time_are_timestamps(
    url: str, text: str, seconds: int | None
) -> None:
    assert timestamp_from_link(url, text) == seconds


def test_negative_seconds_link_to_the_start() -> None:
    assert link_at("https://vimeo.com/76979871", -5) == "https://vimeo.com/76979871#t=0s"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_recognise_and_link_never_raise(text: str) -> None:
    source = recognise(text)
    assert source.kind in ("youtube", "vimeo", "site", "generic", "local", "unknown")
    assert isinstance(link_at(text, 5), str)
    seconds = timestamp_from_link(text, text)
    assert seconds is None or seconds >= 0


@pytest.mark.parametrize("url", [row[0] for row in URL_TABLE])
@pytest.mark.parametrize("seconds", [0, 7, 754, 987654321, 9876543210])
def test_a_link_taken_apart_once_is_the_link_built_for_that_time(url: str, seconds: int) -> None:
    """`link_at` splits each URL once around a probe time and reuses it (a page links
    every timestamp twice): for any time that must be the link built directly."""
    assert link_at(url, seconds) == urls._link_at(url, seconds)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60), st.integers(min_value=0, max_value=10**12))
def test_any_text_links_as_built_directly(text: str, seconds: int) -> None:
    assert link_at(text, seconds) == urls._link_at(text, seconds)
