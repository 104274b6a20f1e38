"""Normalising yt-dlp info dicts (duration, chapters) and the committed metadata store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from notebook_runner.video import Chapter, StoreError, VideoInfo, VideoStore, info_from_ytdlp
from notebook_runner.video.urls import recognise

FIXTURES = Path(__file__).parent / "fixtures" / "video"
FETCHED_AT = "2026-11-25T12:00:00+00:00"
YOUTUBE_URL = "https://youtu.be/hBBOjCiFcuo"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def test_youtube_info_keeps_title_length_and_sorted_bounded_chapters() -> None:
    info = info_from_ytdlp(recognise(YOUTUBE_URL), fixture("youtube-info.json"), FETCHED_AT)
    assert info == VideoInfo(
        site="Youtube",
        id="hBBOjCiFcuo",
        url=YOUTUBE_URL,
        title="Lesson 3: Practical Deep Learning for Coders 2022",
        uploader="Jeremy Howard",
        duration=5110.0,
        chapters=(
            Chapter(0.0, 754.0, "Introduction"),
            Chapter(754.0, 1240.0, "Make a better pet detector"),
            Chapter(1240.0, 5110.0, "What is in the model"),
        ),
        thumbnail="https://i.ytimg.com/vi/hBBOjCiFcuo/maxresdefault.jpg",
        fetched_at=FETCHED_AT,
    )


def test_a_bare_file_has_no_length_and_takes_its_id_from_yt_dlp() -> None:
    url = "https://example.org/lectures/lesson3.mp4"
    info = info_from_ytdlp(recognise(url), fixture("generic-info.json"), FETCHED_AT)
    assert (info.site, info.id, info.title, info.duration) == (
        "Generic",
        "lesson3",
        "lesson3",
        None,
    )
    assert (info.uploader, info.chapters, info.thumbnail) == (None, (), None)


def test_chapters_without_ends_run_to_the_next_and_nonsense_is_dropped() -> None:
    raw = {
        "duration": float("nan"),
        "chapters": [
            {"start_time": 60, "title": "  "},
            {"start_time": 0, "end_time": 0, "title": "Start"},
            {"start_time": -3, "title": "Negative"},
        ],
        "thumbnails": [{"url": "https://example.org/small.jpg"}, {"url": None}],
    }
    info = info_from_ytdlp(recognise(YOUTUBE_URL), raw, FETCHED_AT)
    assert info.duration is None
    assert info.chapters == (Chapter(0.0, 60.0, "Start"), Chapter(60.0, None, "Chapter 1"))
    assert info.thumbnail == "https://example.org/small.jpg"


def test_the_store_writes_one_json_per_video_and_reads_it_back(tmp_path: Path) -> None:
    source = recognise(YOUTUBE_URL)
    info = info_from_ytdlp(source, fixture("youtube-info.json"), FETCHED_AT)
    store = VideoStore(tmp_path)
    path = store.save(source, info)
    assert path == tmp_path / ".notebook-runner" / "videos" / "Youtube-hBBOjCiFcuo.json"
    assert sorted(json.loads(path.read_text(encoding="utf-8"))) == [
        "chapters", "duration", "fetched_at", "id", "site", "thumbnail", "title", "uploader", "url",
    ]  # fmt: skip
    assert [p.name for p in path.parent.iterdir()] == ["Youtube-hBBOjCiFcuo.json"]
    assert (
        VideoStore(tmp_path).load(recognise("https://www.youtube.com/watch?v=hBBOjCiFcuo")) == info
    )


def test_a_video_never_fetched_has_no_entry(tmp_path: Path) -> None:
    assert VideoStore(tmp_path).load(recognise(YOUTUBE_URL)) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "invalid JSON: Expecting property name enclosed in double quotes"),
        ("[]", "not a JSON object"),
        ('{"site": "Youtube", "url": "u"}', '"fetched_at" must be a string'),
        (
            '{"site": "Youtube", "url": "u", "fetched_at": "t", "duration": "long"}',
            '"duration" must be a number of seconds or null',
        ),
        (
            '{"site": "Youtube", "url": "u", "fetched_at": "t", "chapters": [{"start": 1}]}',
            'each chapter needs "start", "end" and "title"',
        ),
    ],
)
def test_a_broken_store_entry_is_refused_with_the_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    store = VideoStore(tmp_path)
    source = recognise(YOUTUBE_URL)
    store.path_for(source).parent.mkdir(parents=True)
    store.path_for(source).write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as raised:
        store.load(source)
    assert str(raised.value).startswith(message)
