"""Which URLs may reach a browser: the policy of `safe_urls`, read as a browser reads a URL."""

from __future__ import annotations

import pytest

from notebook_runner.safe_urls import LINK_SCHEMES, VIDEO_SCHEMES, is_web_address, refusal

JAVASCRIPT = "uses the javascript: scheme"
NO_SCHEME = "starts with // (no scheme)"
OTHER_COMPUTER = "is a file:// URL on another computer (evil.example)"

REFUSED = [
    ("javascript:alert(document.domain)//.mp4", JAVASCRIPT),
    ("JaVaScRiPt:alert(1)", JAVASCRIPT),
    (" \x01\x00javascript:alert(1)", JAVASCRIPT),
    ("javascript:alert(1)\x1f ", JAVASCRIPT),
    ("java\tscr\nip\rt:alert(1)", JAVASCRIPT),
    ("\tjavascript:alert(1)", JAVASCRIPT),
    ("&#106;avascript:alert(1)", JAVASCRIPT),
    ("&#x6A;ava&Tab;script:alert(1)", JAVASCRIPT),
    ("data:text/html,<script>alert(1)</script>", "uses the data: scheme"),
    ("data:image/png;base64,iVBORw0KGgo=", "uses the data: scheme"),
    ("vbscript:msgbox(1)", "uses the vbscript: scheme"),
    ("VBScript:msgbox(1)", "uses the vbscript: scheme"),
    ("blob:https://example.org/uuid", "uses the blob: scheme"),
    ("//evil.example/x.mp4", NO_SCHEME),
    ("\\\\evil.example\\x.mp4", NO_SCHEME),
    ("/\\evil.example/x.mp4", NO_SCHEME),
    ("\\/evil.example/x.mp4", NO_SCHEME),
    (" //evil.example/x.mp4", NO_SCHEME),
    ("C:\\videos\\lesson3.webm", "is a Windows drive path"),
    ("file://evil.example/share/x.mp4", OTHER_COMPUTER),
    ("FILE:\\\\Evil.Example\\share\\x.mp4", OTHER_COMPUTER),
]
ALLOWED = [
    "https://www.youtube.com/watch?v=hBBOjCiFcuo&t=10s",
    "HTTP://example.org/talk.mp4",
    "https://youtube.com/watch?v=x&amp;t=5",
    "file:///home/me/lesson3.mp4",
    "file://localhost/home/me/lesson3.mp4",
    "file:///C:/videos/lesson3.webm",
    "lecture.mp4",
    "media/lecture 3.mp4",
    "../_files/media/lecture.mp4#t=90",
    "/media/lecture.mp4",
    "#ts-1",
    "?t=5",
    "",
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_hostile_and_ambiguous_addresses_are_refused_with_their_reason(
    url: str, reason: str
) -> None:
    assert refusal(url) == reason
    assert refusal(url, VIDEO_SCHEMES) == reason


@pytest.mark.parametrize("url", ALLOWED)
def test_web_file_and_relative_addresses_are_allowed(url: str) -> None:
    assert refusal(url, LINK_SCHEMES) is None
    assert refusal(url, VIDEO_SCHEMES) is None


def test_mailto_is_a_link_but_never_a_video() -> None:
    assert refusal("mailto:me@example.org") is None
    assert refusal("mailto:me@example.org", VIDEO_SCHEMES) == "uses the mailto: scheme"


@pytest.mark.parametrize(
    ("url", "web"),
    [
        ("https://example.org/a.jpg", True),
        ("\x01 HTTPS://example.org/a.jpg", True),
        ("//example.org/a.jpg", False),
        ("a.jpg", False),
        ("javascript:alert(1)", False),
        ("file:///a.jpg", False),
    ],
)
def test_web_addresses_are_absolute_http_or_https(url: str, web: bool) -> None:
    assert is_web_address(url) is web
