"""The yt-dlp-free fast path for YouTube and Vimeo URLs gives exactly what yt-dlp gives.

yt-dlp is the authority: every URL here is recognised twice, once as `recognise` does it
(fast path first) and once with the fast path switched off, and the two `VideoSource`s
must be equal. The URLs are those of the shared corpus vaults, a hand-written list of
tricky cases, and generated YouTube- and Vimeo-like URLs.
"""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notebook_runner.video import urls
from notebook_runner.video.hosts import known_video
from notebook_runner.video.urls import VideoSource

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
VIDEO_ID = "hBBOjCiFcuo"
LIST_ID = "PLfYUBJiXbdtSvpQjSnJJ_PmDQB_VyT5iU"
VIMEO_ID = "76979871"
HASH = "0f4c3a2b1d"


def fast(url: str) -> VideoSource:
    """What `recognise` answers, without its per-process cache."""
    return urls.recognise.__wrapped__(url)


def by_ytdlp(url: str) -> VideoSource:
    """What `recognise` answers when every decision is left to yt-dlp."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(urls, "known_video", lambda url: None)
        patch.setattr(urls, "_plain_seconds", lambda value: None)
        return urls.recognise.__wrapped__(url)


def disagreements(candidates: list[str]) -> list[tuple[str, VideoSource, VideoSource]]:
    both = ((url, fast(url), by_ytdlp(url)) for url in candidates)
    return [(url, mine, theirs) for url, mine, theirs in both if mine != theirs]


# url, (site, id) the fast path must give without yt-dlp
COMMON = [
    (f"https://www.youtube.com/watch?v={VIDEO_ID}", ("Youtube", VIDEO_ID)),
    (f"https://youtube.com/watch?v={VIDEO_ID}&t=1m30s", ("Youtube", VIDEO_ID)),
    (f"http://m.youtube.com/watch?v={VIDEO_ID}#t=90", ("Youtube", VIDEO_ID)),
    (f"https://music.youtube.com/watch?v={VIDEO_ID}&list=RDAMVM{VIDEO_ID}", ("Youtube", VIDEO_ID)),
    (f"https://www.youtube.com/watch?v={VIDEO_ID}&list={LIST_ID}&index=4", ("Youtube", VIDEO_ID)),
    (f"https://www.youtube.com/watch?feature=share&v={VIDEO_ID}", ("Youtube", VIDEO_ID)),
    (
        f"https://www.youtube.com/watch?v={VIDEO_ID}&ab_channel=ScienceX%3APhys.org%20News",
        ("Youtube", VIDEO_ID),
    ),
    (f"https://youtu.be/{VIDEO_ID}", ("Youtube", VIDEO_ID)),
    (f"https://youtu.be/{VIDEO_ID}?si=Ab12&t=42", ("Youtube", VIDEO_ID)),
    (f"https://youtu.be/{VIDEO_ID}&t=762", ("Youtube", VIDEO_ID)),
    (f"https://youtu.be/{VIDEO_ID}?t=31m31s", ("Youtube", VIDEO_ID)),
    (f"https://www.youtube.com/shorts/{VIDEO_ID}?feature=share", ("Youtube", VIDEO_ID)),
    (f"https://www.youtube.com/embed/{VIDEO_ID}?start=30", ("Youtube", VIDEO_ID)),
    (f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}", ("Youtube", VIDEO_ID)),
    (f"https://www.youtube.com/live/{VIDEO_ID}?si=x", ("Youtube", VIDEO_ID)),
    (f"https://www.youtube.com/playlist?list={LIST_ID}", ("YoutubeTab", LIST_ID)),
    (f"https://vimeo.com/{VIMEO_ID}", ("Vimeo", VIMEO_ID)),
    (f"https://vimeo.com/{VIMEO_ID}#t=90s", ("Vimeo", VIMEO_ID)),
    (f"https://vimeo.com/{VIMEO_ID}/{HASH}", ("Vimeo", VIMEO_ID)),
    (f"https://www.vimeo.com/{VIMEO_ID}?share=copy", ("Vimeo", VIMEO_ID)),
    (f"https://player.vimeo.com/video/{VIMEO_ID}?h={HASH}", ("Vimeo", VIMEO_ID)),
    (f"https://vimeo.com/channels/staffpicks/{VIMEO_ID}", ("Vimeo", VIMEO_ID)),
    (f"https://vimeo.com/groups/fastai/videos/{VIMEO_ID}", ("Vimeo", VIMEO_ID)),
]

TRICKY = [
    f"youtu.be/{VIDEO_ID}",
    f"www.youtube.com/watch?v={VIDEO_ID}",
    f"vimeo.com/{VIMEO_ID}",
    f"//www.youtube.com/watch?v={VIDEO_ID}",
    f"HTTPS://www.youtube.com/watch?v={VIDEO_ID}",
    f"https://WWW.YouTube.com/watch?v={VIDEO_ID}",
    f"https://Vimeo.com/{VIMEO_ID}",
    f"https://www.youtube.com:443/watch?v={VIDEO_ID}",
    f"https://me@www.youtube.com/watch?v={VIDEO_ID}",
    f"https://www.youtube.com/watch?v={VIDEO_ID}x",
    f"https://www.youtube.com/watch?v={VIDEO_ID[:10]}",
    f"https://www.youtube.com/watch?v=short&v={VIDEO_ID}",
    f"https://www.youtube.com/watch?x=1;v={VIDEO_ID}",
    f"https://www.youtube.com/watch?a=b;v={VIDEO_ID}&v=aaaaaaaaaaa",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&amp;t=5",
    f"https://www.youtube.com/watch?v={VIDEO_ID}#/watch?v=aaaaaaaaaaa",
    f"https://www.youtube.com/watch?v={VIDEO_ID}#!v=aaaaaaaaaaa",
    f"https://www.youtube.com/watch?list={LIST_ID}&v={VIDEO_ID}",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&%6Cist={LIST_ID}",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&list=",
    f"https://www.youtube-nocookie.com/watch?v={VIDEO_ID}&list={LIST_ID}",
    f"https://www.youtube.com/watch/{VIDEO_ID}",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&t=1h30",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&t=1M30S",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&t=99999999999",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&t=123456789012345678901",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&t=00:01:30",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&t=90.5",
    f"https://www.youtube.com/watch?v={VIDEO_ID}#t=npt:90,100",
    f"https://youtu.be/{VIDEO_ID}?list={LIST_ID}",
    f"https://youtu.be/{VIDEO_ID}?t=5&list={LIST_ID}",
    f"https://youtu.be/{VIDEO_ID}&list={LIST_ID}",
    f"https://youtu.be/{VIDEO_ID}/",
    f"https://youtu.be/{VIDEO_ID}.",
    f"https://youtu.be/{VIDEO_ID})",
    f"https://youtu.be/{VIDEO_ID}>",
    f'https://youtu.be/{VIDEO_ID}"',
    f"https://youtu.be/{VIDEO_ID} trailing words",
    f"https://www.youtube.com/embed/{VIDEO_ID}?list={LIST_ID}",
    f"https://www.youtube.com/embed/{VIDEO_ID}?list=PL",
    f"https://www.youtube.com/shorts/{VIDEO_ID}?list=PLx",
    f"https://youtu.be/{VIDEO_ID}/extra",
    "https://www.youtube.com/embed/videoseries?list=" + LIST_ID,
    "https://www.youtube.com/live/live_stream",
    "https://www.youtube.com/embed/live_stream?channel=UCabcdefghijklmnopqrstuv",
    f"https://www.youtube.com/v/{VIDEO_ID}",
    f"https://www.youtube.com/e/{VIDEO_ID}",
    f"https://www.youtube.com/clip/{VIDEO_ID}",
    f"https://img.youtube.com/vi/{VIDEO_ID}/maxresdefault.jpg",
    f"https://consent.youtube.com/watch?v={VIDEO_ID}",
    f"https://youtubekids.com/watch?v={VIDEO_ID}",
    f"https://www.youtube.com/playlist?list={LIST_ID}&index=2&si=abc",
    f"https://www.youtube.com/playlist?list={LIST_ID}&v={VIDEO_ID}",
    f"https://www.youtube.com/playlist?index=2&list={LIST_ID}",
    f"https://m.youtube.com/playlist?list={LIST_ID}",
    f"https://www.youtube-nocookie.com/playlist?list={LIST_ID}",
    f"https://www.youtube.com/playlist?list={LIST_ID}&app=desktop",
    "https://www.youtube.com/@handle",
    "https://www.youtube.com/@handle/videos",
    "https://www.youtube.com/c/SomeName",
    "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
    "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/join",
    "https://www.youtube.com/user/someone",
    "https://www.youtube.com/results?search_query=attention",
    f"https://vimeo.com/{VIMEO_ID}/",
    f"https://vimeo.com/{VIMEO_ID}/{HASH}?share=copy#t=30",
    f"https://vimeo.com/{VIMEO_ID}/{HASH.upper()}",
    f"https://vimeo.com/{VIMEO_ID}/abc",
    f"https://player.vimeo.com/video/{VIMEO_ID}#t=1m",
    f"https://player.vimeo.com/{VIMEO_ID}",
    "https://vimeo.com/channels/staffpicks",
    f"https://vimeo.com/channels/123/{VIMEO_ID}",
    f"https://vimeo.com/channels/123/{HASH}",
    "https://vimeo.com/channels/123/1234567890",
    "https://vimeo.com/groups/fastai",
    "https://vimeo.com/album/1234",
    f"https://vimeo.com/album/1234/video/{VIMEO_ID}",
    "https://vimeo.com/showcase/1234",
    f"https://vimeo.com/showcase/1234/video/{VIMEO_ID}",
    f"https://vimeo.com/user/{VIMEO_ID}",
    "https://vimeo.com/someone",
    f"https://vimeo.com/someone/review/{VIMEO_ID}/{HASH}",
    "https://vimeo.com/ondemand/course",
    f"https://vimeo.com/event/{VIMEO_ID}",
    f"https://vimeopro.com/school/course/video/{VIMEO_ID}",
]


@pytest.mark.parametrize(("url", "expected"), COMMON)
def test_common_shapes_are_known_without_yt_dlp_and_as_yt_dlp_knows_them(
    url: str, expected: tuple[str, str]
) -> None:
    assert known_video(url) == expected
    assert fast(url) == by_ytdlp(url)


@pytest.mark.parametrize("url", TRICKY)
def test_tricky_urls_get_the_answer_yt_dlp_gives(url: str) -> None:
    assert fast(url) == by_ytdlp(url)


_CORPUS_URL = re.compile(r"[^\s<>()\[\]\"'`|]*(?:youtu\.?be|vimeo)[^\s<>()\[\]\"'`|]*", re.I)


def corpus_urls() -> list[str]:
    found = {
        url
        for note in sorted(CORPUS.rglob("*.md"))
        for url in _CORPUS_URL.findall(note.read_text(encoding="utf-8", errors="replace"))
    }
    return sorted(found)


def test_every_youtube_and_vimeo_url_of_the_corpus_gets_the_answer_yt_dlp_gives() -> None:
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared corpus is missing at {CORPUS}", pytrace=False)
        pytest.skip(f"no shared corpus at {CORPUS}")
    candidates = corpus_urls()
    assert disagreements(candidates) == []
    # and the fast path is what answers for the videos the corpus names
    videos = [url for url in candidates if by_ytdlp(url).site in ("Youtube", "Vimeo")]
    answered = [url for url in videos if known_video(url) is not None]
    assert len(answered) >= 0.9 * len(videos)


_ID_ALPHABET = string.ascii_letters + string.digits + "-_"
YOUTUBE_IDS = st.one_of(
    st.just(VIDEO_ID),
    st.just(VIDEO_ID),
    st.text(_ID_ALPHABET, min_size=11, max_size=11),
    st.text(_ID_ALPHABET + ".~%", min_size=9, max_size=13),
    st.sampled_from(["videoseries", "live_stream"]),
)
VIMEO_IDS = st.one_of(st.just(VIMEO_ID), st.from_regex(r"[0-9]{1,11}", fullmatch=True))
HASHES = st.one_of(st.from_regex(r"[0-9a-f]{10}", fullmatch=True), st.sampled_from(["ABC", "xyz"]))
TIMES = st.one_of(
    st.integers(0, 10**6).map(str),
    st.sampled_from(["1m30s", "1h2m3s", "953s", "31m31s", "1h", "1m", "1:30", "90.5", "1M30S"]),
    st.sampled_from(["soon", "", "-5", "1h30", "99999999999", "1 m", "npt:90,100"]),
    st.sampled_from(["123456789012345678901", "1000000h", "1h1000000m"]),
)
# Mostly what the fast path takes, so that its edges are explored; some of everything else.
SCHEMES = st.sampled_from(["https://"] * 6 + ["http://", "", "//", "HTTPS://", "https:/", "ftp://"])
ENDINGS = st.sampled_from([""] * 12 + [")", ".", "/", ">", "]]", " x", "%20", "\t"])


@st.composite
def query_params(draw: st.DrawFn, ids: st.SearchStrategy[str]) -> str:
    """A query as people paste them: times, share tags, playlists, and some mistakes."""
    choices = st.one_of(
        ids.map(lambda video: f"v={video}"),
        ids.map(lambda video: f"v={video}"),
        TIMES.map(lambda time: f"t={time}"),
        TIMES.map(lambda time: f"start={time}"),
        st.sampled_from([f"list={LIST_ID}", "list=", "list=PLx", f"list=RDMM{VIDEO_ID}"]),
        st.just(f"%6Cist={LIST_ID}"),
        st.sampled_from(["si=Ab12", "index=3", "feature=share", "pp=ygU", "app=desktop"]),
        st.sampled_from(["ab_channel=Name%20X", "amp;t=5", f"h={HASH}", "share=copy", "x"]),
    )
    params = draw(st.lists(choices, max_size=3))
    return "&".join(params)


@st.composite
def youtube_urls(draw: st.DrawFn) -> str:
    video = draw(YOUTUBE_IDS)
    host = draw(
        st.sampled_from(
            [
                *["www.youtube.com", "youtu.be"] * 4,
                "youtube.com",
                "m.youtube.com",
                "music.youtube.com",
                "www.youtube-nocookie.com",
                "WWW.YouTube.com",
                "youtubekids.com",
                "img.youtube.com",
                "consent.youtube.com",
                "www.youtube.com:443",
            ]
        )
    )
    path = draw(
        st.sampled_from(
            [
                *["/watch", f"/{video}"] * 3,
                f"/shorts/{video}",
                f"/embed/{video}",
                f"/live/{video}",
                f"/v/{video}",
                f"/e/{video}",
                f"/clip/{video}",
                f"/watch/{video}",
                "/playlist",
                "/@handle",
                "/c/Name",
                "/channel/UCabcdefghijklmnopqrstuv",
            ]
        )
    )
    return _assemble(draw, host, path, query_params(YOUTUBE_IDS))


@st.composite
def vimeo_urls(draw: st.DrawFn) -> str:
    video, unlisted = draw(VIMEO_IDS), draw(HASHES)
    name = draw(st.sampled_from(["staffpicks", "123", "fastai", "a-b_c", "videos"]))
    host = draw(
        st.sampled_from(["vimeo.com"] * 3 + ["www.vimeo.com", "player.vimeo.com", "Vimeo.com"])
    )
    path = draw(
        st.sampled_from(
            [
                *[f"/{video}", f"/video/{video}"] * 3,
                f"/{video}/{unlisted}",
                f"/{video}/",
                f"/video/{video}",
                f"/channels/{name}/{video}",
                f"/channels/{name}/{video}/{unlisted}",
                f"/channels/{name}",
                f"/groups/{name}/videos/{video}",
                f"/groups/{name}",
                f"/album/{video}/video/{video}",
                f"/showcase/{video}",
                f"/{name}/review/{video}/{unlisted}",
                f"/event/{video}",
                f"/user/{video}",
            ]
        )
    )
    return _assemble(draw, host, path, query_params(VIMEO_IDS))


def _assemble(draw: st.DrawFn, host: str, path: str, queries: st.SearchStrategy[str]) -> str:
    query = draw(queries)
    glue = draw(st.sampled_from(["?"] * 4 + ["&", "/?"])) if query else ""
    fragments = [""] * 6 + ["#t=90", "#t=1m30s", "#/watch?v=aaaaaaaaaaa", "#!v=x", "#c"]
    fragment = draw(st.sampled_from(fragments))
    return f"{draw(SCHEMES)}{host}{path}{glue}{query}{fragment}{draw(ENDINGS)}"


@settings(max_examples=400, deadline=None)
@given(st.one_of(youtube_urls(), vimeo_urls()))
def test_generated_youtube_and_vimeo_urls_get_the_answer_yt_dlp_gives(url: str) -> None:
    assert fast(url) == by_ytdlp(url)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TIMES, st.text("0123456789hmsHMS:. ", max_size=10)))
def test_plain_times_are_read_as_yt_dlp_reads_them(value: str) -> None:
    plain = urls._plain_seconds(value)
    assert plain is None or plain == urls._parsed_seconds(value)


def test_every_extension_yt_dlp_knows_has_the_shape_the_shortcut_assumes() -> None:
    from yt_dlp.utils import KNOWN_EXTENSIONS  # type: ignore[import-untyped, unused-ignore]

    assert [ext for ext in KNOWN_EXTENSIONS if not urls._EXTENSION_SHAPE.fullmatch(ext)] == []


_FRESH_PROCESS = """
import sys
from notebook_runner.video import link_at, recognise, timestamp_from_link
for url in sys.argv[1:]:
    recognise(url), link_at(url, 754), timestamp_from_link(url, "12:34")
print("yt_dlp" in sys.modules)
"""


def yt_dlp_imported_after(candidates: list[str]) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, *candidates],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip() == "True"


def test_a_vault_of_youtube_and_vimeo_videos_never_imports_yt_dlp() -> None:
    candidates = [url for url, _ in COMMON] + [f"youtu.be/{VIDEO_ID}", f"vimeo.com/{VIMEO_ID}"]
    assert not yt_dlp_imported_after(candidates)
    assert yt_dlp_imported_after([*candidates, "https://example.org/lesson3.mp4"])
