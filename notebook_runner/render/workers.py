"""Parse, resolve and render each note from one token stream, in worker processes.

A site needs every note twice: parsed into a `Note` (the resolver needs all of them
before any page can link anywhere) and rendered into its page. Parsing the text again
for the page would double the cost of markdown-it, the largest part of a build. So
each worker parses its share of the notes, keeps their token streams, and later renders
the same share from the tokens it kept.

In between, every process needs the whole resolved vault. Where a link leads depends on
the vault's file names alone, so a worker resolves each note's links as soon as it has
parsed it, and reads the stored metadata of its share's videos. It then sends its notes
to the main process as one pickle, which the main process passes on, unopened, to the
other workers, and every worker assembles the same vault (backlinks, tags) from all the
notes, instead of the main process resolving it and pickling it back to each worker (a
serial two seconds on 10,000 notes, with both cores idle). The main process then sends
only what the workers cannot know: the check results, the site settings and the staging
folder to write pages into, and resolves the vault once more itself, with its problems,
while the workers render.

Workers are forked after the vault is read, so they hold every note's text already
(transclusion needs other notes' text). Shares are interleaved (note i goes to worker
i mod N) so that the costly folders of a vault spread over all workers. With one job,
few notes or no `fork`, the same steps run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any, TypeVar

from markdown_it.token import Token

from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Diagnostic, Note, SourceFile, Vault
from notebook_runner.parse import parse_tokens
from notebook_runner.render.emit import EmitError, Staging
from notebook_runner.render.highlight import fence_language, lex_ahead
from notebook_runner.render.pages import RenderedNote, SiteSettings
from notebook_runner.render.site import new_job, stored_videos
from notebook_runner.resolve import assembled_vault, link_resolver
from notebook_runner.vault import LoadedVault
from notebook_runner.video import VideoInfo, with_link_timestamps

PARALLEL_THRESHOLD = 200
"""Below this many notes, starting workers costs more than it saves."""

T = TypeVar("T")


@dataclass(frozen=True)
class ParsedShare:
    """One share's notes, each with its links resolved and its parse problems; and the
    stored metadata of the share's videos."""

    notes: list[tuple[Note, list[Diagnostic]]]
    videos: dict[str, VideoInfo]

    @staticmethod
    def vault(shares: Sequence[ParsedShare], attachments: Sequence[str]) -> Vault:
        resolved = (note for share in shares for note, _ in share.notes)
        return assembled_vault(resolved, attachments)

    @staticmethod
    def all_videos(shares: Sequence[ParsedShare]) -> dict[str, VideoInfo]:
        return dict(sorted((key, info) for share in shares for key, info in share.videos.items()))


@dataclass(frozen=True)
class RenderRequest:
    """What pages need beyond the resolved vault, sent to every worker once; with a
    `staging` folder, workers write their pages there and send back only the rest."""

    results: Mapping[str, NoteResult]
    settings: SiteSettings
    staging: Staging | None = None


class _Share:
    """One worker's notes; `texts` holds every note's text, for transclusion."""

    def __init__(self, sources: Sequence[SourceFile], texts: Mapping[str, str]) -> None:
        self.sources = sources
        self.texts = texts
        self.tokens: dict[str, list[Token]] = {}

    def parse(self, loaded: LoadedVault) -> ParsedShare:
        """Each note's links are resolved as soon as it is parsed: where a link leads
        depends on the vault's file names alone, known before any note is parsed."""
        resolve = link_resolver((source.path for source in loaded.sources), loaded.attachments)
        results = []
        for source in self.sources:
            note, problems, tokens = parse_tokens(source)
            self.tokens[source.path] = tokens
            results.append((resolve(with_link_timestamps(note)), problems))
        videos = stored_videos(loaded.root, [note for note, _ in results])
        return ParsedShare(results, videos)

    def lex_code(self) -> None:
        """Highlighting's lexing needs nothing resolved, so it can run before the pages."""
        for tokens in self.tokens.values():
            for token in tokens:
                if token.type == "fence":
                    lex_ahead(token.content, fence_language(token.info))

    def render(
        self, vault: Vault, videos: Mapping[str, VideoInfo], request: RenderRequest
    ) -> list[RenderedNote]:
        """Each note's tokens are kept after its page is rendered: freeing a note's
        thousands of tokens one by one cost about 3 % of rendering, and a worker ends
        with `os._exit` (multiprocessing's), which frees them all at once."""
        job = new_job(vault, self.texts, request.results, request.settings, videos)
        notes = job.renderer.index.notes
        pages = []
        for source in self.sources:
            page = job.render_note(notes[source.path], self.tokens[source.path])
            if request.staging is not None:
                for name, data in page.files().items():
                    request.staging.write(name, data)
                page = page.without_files()
            pages.append(page)
        return pages


def _serve(index: int, shares: Sequence[_Share], loaded: LoadedVault, channel: Connection) -> None:
    """A worker's whole life: parse its share, make the vault of every share's notes,
    then render what the main process asks for.

    The worker holds only acyclic parse data; the cyclic garbage collector would
    re-scan it over and over for nothing, so it stays off. Ctrl-C is the main
    process's to handle (it kills the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    share = shares[index]
    own = share.parse(loaded)
    channel.send_bytes(pickle.dumps(own, protocol=pickle.HIGHEST_PROTOCOL))
    share.lex_code()  # while the other shares are parsed and passed on
    parsed = [own if k == index else pickle.loads(channel.recv_bytes()) for k in range(len(shares))]
    vault = ParsedShare.vault(parsed, loaded.attachments)
    request = channel.recv()
    if request is not None:
        try:
            pages: list[RenderedNote] | EmitError = share.render(
                vault, ParsedShare.all_videos(parsed), request
            )
        except EmitError as error:  # the disk, not a note: the main process reports it
            pages = error
        channel.send(pages)
    channel.close()


class NoteWorkers:
    """`with NoteWorkers(loaded, jobs) as workers:` then `parse()`, `start_render(...)`
    and `rendered(vault)`."""

    def __init__(self, loaded: LoadedVault, jobs: int | None) -> None:
        self.loaded = loaded
        self.sources = list(loaded.sources)
        self.texts = {source.path: source.text for source in self.sources}
        count = _worker_count(jobs, len(self.sources))
        self._shares = [_Share(self.sources[k::count], self.texts) for k in range(count)]
        self._channels: list[Connection] = []
        self._processes: list[BaseProcess] = []
        self._request: RenderRequest | None = None
        self._parsed: list[ParsedShare] = []
        if count > 1:
            self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        for index in range(len(self._shares)):
            mine, theirs = context.Pipe()
            arguments = (index, self._shares, self.loaded, theirs)
            process = context.Process(target=_serve, args=arguments, daemon=True)
            process.start()
            theirs.close()
            self._channels.append(mine)
            self._processes.append(process)

    def parse(self) -> tuple[list[Note], list[Diagnostic]]:
        """Every note, in the order of `sources`, and what parsing found wrong."""
        if self._processes:
            payloads = [_receive_bytes(channel) for channel in self._channels]
            for index, channel in enumerate(self._channels):  # each worker, the others' notes
                for other, payload in enumerate(payloads):
                    if other != index:
                        channel.send_bytes(payload)
            self._parsed = [pickle.loads(payload) for payload in payloads]
        else:
            self._parsed = [share.parse(self.loaded) for share in self._shares]
        results = _interleaved([share.notes for share in self._parsed], len(self.sources))
        notes = [note for note, _ in results]
        return notes, [problem for _, problems in results for problem in problems]

    def start_render(self, request: RenderRequest) -> None:
        """Hand the workers what pages need beyond the vault, which they assemble
        themselves; `rendered` collects the pages. In between this process is free for
        work the pages do not need, such as resolving the vault for itself."""
        self._request = request
        for channel in self._channels:
            channel.send(request)

    def rendered(self, vault: Vault) -> list[RenderedNote]:
        """Every note's page, in the order of `sources`. `vault`: the notes of `parse`,
        resolved, which workers have already; without them it is rendered from here."""
        if not self._processes:
            assert self._request is not None, "start_render comes first"
            videos = ParsedShare.all_videos(self._parsed)
            shares = [share.render(vault, videos, self._request) for share in self._shares]
        else:
            shares = [_receive(channel) for channel in self._channels]
            self._channels = []
            for share in shares:
                if isinstance(share, EmitError):
                    raise share
        return _interleaved(shares, len(self.sources))

    def __enter__(self) -> NoteWorkers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # After an error, or pages asked for and never collected, a worker may be stuck
        # sending what nobody reads: it is killed. Otherwise it is told to stop.
        abandoned = kind is not None or (self._request is not None and bool(self._channels))
        for channel in self._channels:
            if not abandoned:
                with contextlib.suppress(OSError):  # a worker that died already
                    channel.send(None)
            channel.close()
        for process in self._processes:
            if abandoned:
                process.kill()
            process.join()


def _receive(channel: Connection) -> Any:
    return pickle.loads(_receive_bytes(channel))


def _receive_bytes(channel: Connection) -> bytes:
    try:
        return channel.recv_bytes()
    except EOFError:
        raise RuntimeError("a site worker process stopped unexpectedly") from None


def _worker_count(jobs: int | None, notes: int) -> int:
    wanted = jobs if jobs is not None else (os.cpu_count() or 1)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    return wanted if wanted > 1 and notes >= PARALLEL_THRESHOLD and forkable else 1


def _interleaved(shares: Sequence[Sequence[T]], total: int) -> list[T]:
    """Undo `sources[k::n]`: item i of the whole came from share i mod n."""
    count = len(shares)
    return [shares[index % count][index // count] for index in range(total)]
