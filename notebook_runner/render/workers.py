"""Parse and render each note from one token stream, in worker processes.

A site needs every note twice: parsed into a `Note` (the resolver needs all of them
before any page can link anywhere) and rendered into its page. Parsing the text again
for the page would double the cost of markdown-it, the largest part of a build. So
each worker parses its share of the notes, keeps their token streams, sends back the
`Note`s, and, once the main process has resolved the vault and read the check results,
renders the same share from the tokens it kept.

Workers are forked after the vault is read, so they hold every note's text already
(transclusion needs other notes' text); what crosses the pipes is the notes going out
and the resolved vault coming in, once each. Shares are interleaved (note i goes to
worker i mod N) so that the costly folders of a vault spread over all workers. With one
job, few notes or no `fork`, the same steps run in this process.
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
from notebook_runner.render.highlight import fence_language, lex_ahead
from notebook_runner.render.pages import RenderedNote, SiteSettings
from notebook_runner.render.site import new_job
from notebook_runner.video import VideoInfo

PARALLEL_THRESHOLD = 200
"""Below this many notes, starting workers costs more than it saves."""

ParseResult = tuple[Note, list[Diagnostic]]
T = TypeVar("T")


@dataclass(frozen=True)
class RenderRequest:
    """What pages need beyond the notes' own text, sent to every worker once."""

    vault: Vault
    results: Mapping[str, NoteResult]
    settings: SiteSettings
    videos: Mapping[str, VideoInfo]


class _Share:
    """One worker's notes; `texts` holds every note's text, for transclusion."""

    def __init__(self, sources: Sequence[SourceFile], texts: Mapping[str, str]) -> None:
        self.sources = sources
        self.texts = texts
        self.tokens: dict[str, list[Token]] = {}

    def parse(self) -> list[ParseResult]:
        results = []
        for source in self.sources:
            note, problems, tokens = parse_tokens(source)
            self.tokens[source.path] = tokens
            results.append((note, problems))
        return results

    def lex_code(self) -> None:
        """Highlighting's lexing needs nothing resolved, so it can run before the pages."""
        for tokens in self.tokens.values():
            for token in tokens:
                if token.type == "fence":
                    lex_ahead(token.content, fence_language(token.info))

    def render(self, request: RenderRequest) -> list[RenderedNote]:
        job = new_job(request.vault, self.texts, request.results, request.settings, request.videos)
        notes = job.renderer.index.notes
        return [
            job.render_note(notes[source.path], self.tokens.pop(source.path))
            for source in self.sources
        ]


def _serve(share: _Share, channel: Connection) -> None:
    """A worker's whole life: parse, then render what the main process asks for.

    The worker holds only acyclic parse data; the cyclic garbage collector would
    re-scan it over and over for nothing, so it stays off. Ctrl-C is the main
    process's to handle (it kills the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    channel.send(share.parse())
    share.lex_code()  # while the main process resolves, which would leave this core idle
    request = channel.recv()
    if request is not None:
        channel.send(share.render(request))
    channel.close()


class NoteWorkers:
    """`with NoteWorkers(sources, jobs) as workers:` then `parse()`, `start_render(...)`
    and `rendered()`."""

    def __init__(self, sources: Sequence[SourceFile], jobs: int | None) -> None:
        self.sources = list(sources)
        texts = {source.path: source.text for source in self.sources}
        count = _worker_count(jobs, len(self.sources))
        self._shares = [_Share(self.sources[k::count], texts) for k in range(count)]
        self._channels: list[Connection] = []
        self._processes: list[BaseProcess] = []
        self._request: RenderRequest | None = None
        if count > 1:
            self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        for share in self._shares:
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(share, theirs), daemon=True)
            process.start()
            theirs.close()
            self._channels.append(mine)
            self._processes.append(process)

    def parse(self) -> tuple[list[Note], list[Diagnostic]]:
        """Every note, in the order of `sources`, and what parsing found wrong."""
        if self._processes:
            shares = [_receive(channel) for channel in self._channels]
        else:
            shares = [share.parse() for share in self._shares]
        results = _interleaved(shares, len(self.sources))
        notes = [note for note, _ in results]
        return notes, [problem for _, problems in results for problem in problems]

    def start_render(self, request: RenderRequest) -> None:
        """Hand the workers what pages need; `rendered` collects the pages. In between
        this process is free for work the pages do not need."""
        self._request = request
        if self._channels:
            payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
            for channel in self._channels:  # pickled once: for 10,000 notes that is 1 s
                channel.send_bytes(payload)

    def rendered(self) -> list[RenderedNote]:
        """Every note's page, in the order of `sources`."""
        if not self._processes:
            assert self._request is not None, "start_render comes first"
            shares = [share.render(self._request) for share in self._shares]
        else:
            shares = [_receive(channel) for channel in self._channels]
            self._channels = []
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
    try:
        return channel.recv()
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
