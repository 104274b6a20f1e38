"""Timestamp Notes blocks: `timestamp` as "▶ 12:34" links, `timestamp-url` as a player.

Every time link is a real link to that moment of the video, so it works with
JavaScript off; the page script upgrades it to seek the note's player. Which player a
time belongs to is decided once per page (`page_players`, `PageState.player_for`).

A video with stored metadata (`videos fetch`) gets a card in the note header: title,
length, its player (a placeholder: the thumbnail is a remote image, so it is only
fetched once the reader clicks play), and the video's own chapters as time links.
HTML5 videos carry the note's timestamps as a `<track kind="chapters">`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from notebook_runner.model import Note, Timestamp
from notebook_runner.parse.addresses import local_embed_target, split_markdown_link
from notebook_runner.render.attributes import safe_url, url_attribute
from notebook_runner.render.i18n import Messages
from notebook_runner.render.links import external_link
from notebook_runner.render.state import PageState, RuleBase
from notebook_runner.render.videos import (
    FILES_PREFIX,
    VIDEO_SUFFIXES,
    Player,
    make_player,
    time_link,
)
from notebook_runner.safe_urls import is_web_address
from notebook_runner.timecode import format_timecode
from notebook_runner.video import VideoInfo, recognise, write_vtt

CHAPTERS_FOLDER = "_files/_chapters/"
_SITES = {"youtube": "YouTube", "vimeo": "Vimeo"}


def _watch_on(ui: Messages, site: str | None) -> str:
    return ui.format("watch_on_site", site=site) if site else ui["watch_elsewhere"]


class TimestampRules(RuleBase):
    def timestamp(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        page: PageState = env["page"]
        meta = tokens[idx].meta
        note = self._current_note(page)
        stamp = next((s for s in note.timestamps if s.line == meta["line"]), None)
        if stamp is None:
            text = escape(str(meta["text"]))
            return f'<p class="timestamp timestamp-invalid">▶ {text}</p>\n'
        if page.embed_stack:
            time = escape(format_timecode(stamp.seconds))
            return f'<p class="timestamp"><span class="timestamp-time">▶ {time}</span></p>\n'
        return timestamp_paragraph(note, stamp, page)

    def timestamp_url(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """The block's video as the parser read it (`[title](url)` as the plugin pastes
        it, `![[lecture.mp4]]`): its player, once on the page (the video's URL is not
        repeated where its card or an earlier block shows it)."""
        page: PageState = env["page"]
        written, title = split_markdown_link(str(tokens[idx].meta["text"]))
        url = local_embed_target(written)
        player = page.players.get(url) if not page.embed_stack else None
        if player is None:
            return f'<p class="video-link">{external_link(url, title or url)}</p>\n'
        if player.url in page.placed_players:  # its card or an earlier block shows it
            return ""
        page.placed_players.add(player.url)
        return player_html(player, page)


def page_players(note: Note, attachments: frozenset[str]) -> dict[str, Player]:
    """One player per distinct video of the note, in note order: `timestamp-url` values
    (keyed by the URL as written) and embedded video files (keyed by their vault path)."""
    players: dict[str, Player] = {}
    for ref in note.videos:
        if ref.url not in players:
            element_id = f"video-{len(players) + 1}"
            players[ref.url] = make_player(element_id, ref.url, attachments, ref.title)
    for link in note.links:
        path = link.resolved or ""
        is_video = link.embed and path in attachments and path.lower().endswith(VIDEO_SUFFIXES)
        if is_video and path not in players:
            players[path] = make_player(f"video-{len(players) + 1}", path, attachments)
    return players


def timestamp_paragraph(note: Note, stamp: Timestamp, page: PageState) -> str:
    """`▶ 12:34` as a link that works without JavaScript and seeks with it."""
    number = note.timestamps.index(stamp) + 1
    label = f"▶ {format_timecode(stamp.seconds)}"
    player = page.player_for(stamp.video)
    attrs = f'class="timestamp" id="{page.id_prefix}ts-{number}" data-section="ts-{number}"'
    href = safe_url(time_link(player, stamp.seconds, page.url)) if player else None
    if player is None or href is None:
        return f'<p {attrs}><span class="timestamp-time">{escape(label)}</span></p>\n'
    link = (
        f'<a class="timestamp-link" href="{escape(href)}" data-player="{player.element_id}"'
        f' data-seconds="{stamp.seconds}">{escape(label)}</a>'
    )
    return f"<p {attrs}>{link}</p>\n"


def player_html(player: Player, page: PageState, info: VideoInfo | None = None) -> str:
    """A player slot: a `<video>` for files; for YouTube and Vimeo a poster (title,
    length when stored, and the play button the script adds) that the script turns into
    the player on a click, nothing loaded before; for any other page, its link.
    `info`: the stored metadata, when the player sits in its video card."""
    if player.kind == "file":
        if player.local:
            page.files_used.add(player.src.removeprefix(FILES_PREFIX))
        src = url_attribute("src", page.url(player.src) if player.local else player.src)
        preload = "metadata" if player.local else "none"  # a remote file: only on play
        return (
            f'<figure class="player" data-kind="file"><video id="{player.element_id}"'
            f'{src} controls preload="{preload}">{chapters_track(player, page, info)}'
            "</video></figure>\n"
        )
    url = player.url.strip()
    attrs = f'class="player" id="{player.element_id}" data-kind="{player.kind}"'
    if not player.video_id:  # a web page, not a player we can load: its link
        link = external_link(url, player.title or url)
        return f'<figure {attrs}><p class="player-link">{link}</p></figure>\n'
    attrs += f' data-video-id="{escape(player.video_id)}"{url_attribute("data-href", url)}'
    thumbnail = (info.thumbnail or "") if info is not None else ""
    if is_web_address(thumbnail):  # shown once play is clicked
        attrs += f' data-thumbnail="{escape(thumbnail)}"'
    site = _SITES.get(player.kind)
    ui = page.ui
    untitled = ui.format("site_video", site=site) if site else ui["a_video"]
    title = (info.title if info is not None else None) or player.title or untitled
    length = format_timecode(round(info.duration)) if info and info.duration else ""
    poster = f'<p class="player-title">{escape(title)}</p>'
    if length:
        poster += f'<p class="player-length">{length}</p>'
    # A card names and links the video above its player; a lone player links it here.
    link = (
        ""
        if info is not None
        else f'<p class="player-link">{external_link(url, _watch_on(ui, site))}</p>'
    )
    return f'<figure {attrs}><div class="player-poster">{poster}</div>{link}</figure>\n'


def chapters_track(player: Player, page: PageState, info: VideoInfo | None) -> str:
    """The `<track>` of the note's timestamps for an HTML5 video; "" when it has none.

    The timestamps are those this page plays in `player`; `write_vtt` picks them by the
    video they name (None: the note's only video), like `PageState.player_for` does."""
    stamps = [stamp for stamp in page.note.timestamps if page.player_for(stamp.video) is player]
    if not stamps or page.embed_stack:
        return ""
    vtt = write_vtt(page.note, info, stamps[0].video)
    if "-->" not in vtt:
        return ""
    name = f"{CHAPTERS_FOLDER}{page.page.removesuffix('.html')}-{player.element_id}.vtt"
    page.generated[name] = vtt.encode("utf-8")
    src = escape(page.url(name))
    label, language = escape(page.ui["chapters"]), escape(page.lang)
    return f'<track kind="chapters" label="{label}" srclang="{language}" src="{src}" default>'


def video_cards(page: PageState, videos: Mapping[str, VideoInfo]) -> list[dict[str, Any]]:
    """Header cards for the page's videos with stored metadata, in player order; their
    players are placed here, so the body's `timestamp-url` blocks become plain links."""
    cards = []
    for player in page.players.values():
        info = videos.get(recognise(player.url).key)
        if info is None:
            continue
        page.placed_players.add(player.url)
        chapters = [
            {
                "time": format_timecode(int(chapter.start)),
                "seconds": int(chapter.start),
                "title": chapter.title,
                "href": safe_url(time_link(player, int(chapter.start), page.url)),
            }
            for chapter in info.chapters
        ]
        duration = format_timecode(round(info.duration)) if info.duration else ""
        cards.append(
            {
                "id": player.element_id,
                "title": _video_title(info, player),
                "url": safe_url(player.url.strip() if not player.local else page.url(player.src)),
                "duration": duration,
                "uploader": info.uploader or "",
                "player": Markup(player_html(player, page, info)),
                "chapters": chapters,
            }
        )
    return cards


def _video_title(info: VideoInfo, player: Player) -> str:
    return info.title or player.url.strip()
