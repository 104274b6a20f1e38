"""Parse, check and render each note from one token stream, in worker processes.

A site needs every note twice: parsed into a `Note` (a page links to other notes, lists
the notes linking to it, and the tag pages list all of them) and rendered into its page.
Parsing the text again for the page would double the cost of markdown-it, the largest
part of a build. So each worker parses its share of the notes, keeps their token
streams, and later renders the same share from the tokens it kept.

In between, every process needs to know the whole vault, but no page needs all of
another note: a link needs where the note's page is and its headings, a "Linked from"
list its title, the tag and index pages its title, tags and date. Where a link leads
depends on the vault's file names alone, so a worker resolves each note's links as soon
as it has parsed it, then sends the `NoteSummary` of each of its notes (with its
videos' stored metadata and its notes' stored check results) to the main process, which
passes the pickle on, unopened, to the other workers. Summaries are about a tenth of
the notes' bytes. Each worker then reports its own notes' problems (link problems need
every note's headings, video checks the stored metadata) and renders its pages; a page
that transcludes a note of another share parses that note itself (`at_hand.NotesAtHand`).
The main process makes the listing pages from the summaries meanwhile.

`build --execute` runs the notes' code in the main process, where the fork server
runs every note at once (`BuildPlan.results_at_once`): then the workers also send
their whole notes, and the main process sends the results with the render request.

Workers are forked once the vault's files are listed, and each reads its own notes;
a note of another share is read when a page transcludes it. Shares are interleaved
(note i goes to worker i mod N) so that the costly folders of a vault spread over all
workers. With one job, few notes or no `fork`, the same steps run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from markdown_it.token import Token

from notebook_runner.config import Config
from notebook_runner.execute.results import NoteResult
from notebook_runner.model import Diagnostic, Note, NoteSummary, VaultMap
from notebook_runner.parse import parse_tokens
from notebook_runner.pipeline import video_checks
from notebook_runner.publish.at_hand import NotesAtHand, NoteSources
from notebook_runner.publish.emit import EmitError, Staging
from notebook_runner.publish.site import stored_videos
from notebook_runner.render.highlight import fence_language, lex_ahead
from notebook_runner.render.job import new_job
from notebook_runner.render.pages import RenderedNote, SiteSettings
from notebook_runner.resolve import link_resolver, vault_map
from notebook_runner.resolve.resolver import Resolver
from notebook_runner.vault import VaultListing
from notebook_runner.video import VideoInfo, VideoStore, video_diagnostics, with_link_timestamps

PARALLEL_THRESHOLD = 200
"""Below this many notes, starting workers costs more than it saves."""

T = TypeVar("T")

ResultsHook = Callable[[Config, Path, Sequence[Note]], Mapping[str, NoteResult]]
"""Check results for (config, vault root, notes)."""


@dataclass(frozen=True)
class BuildPlan:
    """What every worker is given when it is forked: the vault's files (each worker
    reads its own notes), its config, and how check results are had. `results` is asked
    about each share's notes in its worker, unless `results_at_once`: then the main
    process asks once for every note (running code, the fork server takes every note at
    once)."""

    listing: VaultListing
    config: Config
    results: ResultsHook
    results_at_once: bool = False


@dataclass(frozen=True)
class ShareIndex:
    """What one share tells the other processes once it is parsed: its notes' summaries,
    in share order, the stored metadata of their videos and their stored check results
    (a page transcluding a note shows that note's videos and results too)."""

    summaries: list[NoteSummary]
    videos: dict[str, VideoInfo]
    results: dict[str, NoteResult]


@dataclass(frozen=True)
class RenderRequest:
    """What pages need beyond the shares' indexes, sent to every worker once: the check
    results when the main process had them (`BuildPlan.results_at_once`), the site
    settings and, with a `staging` folder, where workers write their pages (sending back
    only the rest)."""

    results: Mapping[str, NoteResult] | None
    settings: SiteSettings
    staging: Staging | None = None


@dataclass(frozen=True)
class ShareReport:
    """A share's pages, None for a note that is not published (in share order, which
    `_interleaved` needs), and what was found wrong in its notes (parsing, links,
    videos)."""

    pages: list[RenderedNote | None]
    diagnostics: list[Diagnostic]


class _Share:
    """One worker's notes, which it reads and parses itself; every other note can be
    read when a page transcludes it."""

    def __init__(self, paths: Sequence[str], plan: BuildPlan, resolver: Resolver) -> None:
        """`resolver`: made once for every share (each worker has its own copy of it)."""
        self.paths = paths
        self.plan = plan
        self.sources = NoteSources(plan.listing)
        self.notes: dict[str, Note] = {}
        self.tokens: dict[str, list[Token]] = {}
        self.problems: list[Diagnostic] = []
        self.resolver = resolver
        self.store = VideoStore(plan.listing.root)  # read for the pages, then the checks

    def parse(self) -> ShareIndex:
        """Each note's links are resolved as soon as it is parsed: where a link leads
        depends on the vault's file names alone, known before any note is parsed."""
        for path in self.paths:
            source, read_problems = self.sources.read(path)
            note, problems, tokens = parse_tokens(source)
            self.tokens[path] = tokens
            self.notes[path] = self.resolver.resolve_note(with_link_timestamps(note), [])
            self.problems += read_problems
            self.problems += problems
        notes = list(self.notes.values())
        plan = self.plan
        root = plan.listing.root
        results = {} if plan.results_at_once else dict(plan.results(plan.config, root, notes))
        summaries = [NoteSummary.of(note) for note in notes]
        return ShareIndex(summaries, stored_videos(self.store, notes), results)

    def lex_code(self) -> None:
        """Highlighting's lexing needs nothing resolved, so it can run before the pages."""
        for tokens in self.tokens.values():
            for token in tokens:
                if token.type == "fence":
                    lex_ahead(token.content, fence_language(token.info))

    def check(self, vault: VaultMap) -> None:
        """The problems of this share's notes that need the whole vault: links (against
        every note's headings and block ids) and timestamps (against stored videos)."""
        summaries = {summary.path: summary for summary in vault.notes}
        for note in self.notes.values():
            self.resolver.report(note, summaries, self.problems)
        checks = video_checks(self.plan.config.videos)
        self.problems += video_diagnostics(self.notes.values(), self.store, checks)

    def render(
        self, vault: VaultMap, indexes: Sequence[ShareIndex], request: RenderRequest
    ) -> ShareReport:
        """Each note's tokens are kept after its page is rendered: freeing a note's
        thousands of tokens one by one cost about 3 % of rendering, and a worker ends
        with `os._exit` (multiprocessing's), which frees them all at once."""
        results = request.results
        if results is None:
            results = {path: found for index in indexes for path, found in index.results.items()}
        videos = dict(
            sorted((key, info) for index in indexes for key, info in index.videos.items())
        )
        notes = NotesAtHand(self.notes, self.sources, self.resolver)
        job = new_job(vault, notes, self.sources, results, request.settings, videos)
        pages: list[RenderedNote | None] = []
        for path in self.paths:
            if path not in job.renderer.index.pages:  # not published
                pages.append(None)
                continue
            page = job.render_note(self.notes[path], self.tokens[path])
            if request.staging is not None:
                for name, data in page.files().items():
                    request.staging.write(name, data)
                page = page.without_files()
            pages.append(page)
        return ShareReport(pages, self.problems)


def _serve(index: int, shares: Sequence[_Share], channel: Connection) -> None:
    """A worker's whole life: parse its share, learn every share's index, check its
    notes, then render what the main process asks for.

    The worker holds only acyclic parse data; the cyclic garbage collector would
    re-scan it over and over for nothing, so it stays off. Ctrl-C is the main
    process's to handle (it kills the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    share = shares[index]
    own = share.parse()
    channel.send_bytes(_pickled(own))
    share.lex_code()  # while the other shares are parsed and passed on
    indexes = [own if k == index else _unpickled(channel.recv_bytes()) for k in range(len(shares))]
    if share.plan.results_at_once:  # only now: the main process reads them after the indexes
        channel.send_bytes(_pickled(list(share.notes.values())))
    vault = _vault_of(indexes, share.plan.listing)
    share.check(vault)
    request = channel.recv()
    if request is not None:
        try:
            report: ShareReport | EmitError = share.render(vault, indexes, request)
        except EmitError as error:  # the disk, not a note: the main process reports it
            report = error
        channel.send(report)
    channel.close()


def _vault_of(indexes: Sequence[ShareIndex], listing: VaultListing) -> VaultMap:
    return vault_map((s for index in indexes for s in index.summaries), listing.attachments)


class NoteWorkers:
    """`with NoteWorkers(plan, jobs) as workers:` then `parse()`, (`notes()`),
    `start_render(...)` and `rendered()`."""

    def __init__(self, plan: BuildPlan, jobs: int | None) -> None:
        self.plan = plan
        self.paths = plan.listing.notes
        count = _worker_count(jobs, len(self.paths))
        resolver = link_resolver(self.paths, plan.listing.attachments)
        self._shares = [_Share(self.paths[k::count], plan, resolver) for k in range(count)]
        self._channels: list[Connection] = []
        self._processes: list[BaseProcess] = []
        self._request: RenderRequest | None = None
        self._indexes: list[ShareIndex] = []
        self._vault: VaultMap | None = None
        if count > 1:
            self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        for index in range(len(self._shares)):
            mine, theirs = context.Pipe()
            arguments = (index, self._shares, theirs)
            process = context.Process(target=_serve, args=arguments, daemon=True)
            process.start()
            theirs.close()
            self._channels.append(mine)
            self._processes.append(process)

    def parse(self) -> VaultMap:
        """The whole vault as pages see it, once every share is parsed."""
        if self._processes:
            payloads = [_receive_bytes(channel) for channel in self._channels]
            for index, channel in enumerate(self._channels):  # each worker, the others'
                for other, payload in enumerate(payloads):
                    if other != index:
                        channel.send_bytes(payload)
            self._indexes = [_unpickled(payload) for payload in payloads]
        else:
            self._indexes = [share.parse() for share in self._shares]
        self._vault = _vault_of(self._indexes, self.plan.listing)
        return self._vault

    def notes(self) -> list[Note]:
        """Every whole note, in path order: only with `results_at_once`."""
        assert self.plan.results_at_once, "workers send whole notes only for results_at_once"
        if self._processes:
            shares = [_receive(channel) for channel in self._channels]
        else:
            shares = [list(share.notes.values()) for share in self._shares]
        return _interleaved(shares, len(self.paths))

    def start_render(self, request: RenderRequest) -> None:
        """Hand the workers what pages need beyond the shares' indexes; `rendered`
        collects the pages. In between this process is free for other work, such as
        the listing pages."""
        self._request = request
        for channel in self._channels:
            channel.send(request)

    def rendered(self) -> tuple[list[RenderedNote], list[Diagnostic]]:
        """Every published note's page, in path order, and what was found wrong in the
        notes."""
        if not self._processes:
            assert self._request is not None and self._vault is not None, "parse, start_render"
            for share in self._shares:
                share.check(self._vault)
            reports = [
                share.render(self._vault, self._indexes, self._request) for share in self._shares
            ]
        else:
            received = [_receive(channel) for channel in self._channels]
            self._channels = []
            for report in received:
                if isinstance(report, EmitError):
                    raise report
            reports = received
        pages = _interleaved([report.pages for report in reports], len(self.paths))
        shown = [page for page in pages if page is not None]
        return shown, [problem for report in reports for problem in report.diagnostics]

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


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickled(payload: bytes) -> Any:
    return pickle.loads(payload)


def _receive(channel: Connection) -> Any:
    return _unpickled(_receive_bytes(channel))


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
    """Undo `paths[k::n]`: item i of the whole came from share i mod n."""
    count = len(shares)
    return [shares[index % count][index // count] for index in range(total)]
