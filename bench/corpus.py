"""Parse folders of real vaults and summarise what was found, to prove robustness.

`python -m bench.corpus DIR... [--verbose]`: every subfolder of each DIR is one vault
(a DIR that itself holds notes at its top level counts as one vault too). For each vault
it prints notes, timestamps, videos, links, code blocks and diagnostics by code, then
the diagnostics of all vaults by kind, most frequent first (what a new user meets
first), and with `--verbose` every diagnostic, so that a person can judge whether each
one is fair. The diagnostics are those `parse` prints: the vault's config, time links,
the video checks against stored metadata, `[vault] empty_notes` (`pipeline.open_vault`).

A crash on one note must not hide the others: each note is parsed on its own and an
exception is recorded (with its note) rather than raised; the exit status is 1 when
anything raised, so CI can run this on a corpus as a smoke test.
"""

from __future__ import annotations

import argparse
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from notebook_runner.config import as_configured, load_config
from notebook_runner.diagnostics import format_text, sort_key
from notebook_runner.model import Diagnostic, Note
from notebook_runner.parse import parse_note
from notebook_runner.pipeline import video_checks
from notebook_runner.resolve import resolve_vault
from notebook_runner.vault import load_vault
from notebook_runner.video import VideoStore, video_diagnostics, with_link_timestamps


@dataclass(frozen=True)
class Crash:
    """An exception escaped a stage: always a bug in notebook-runner, never in the note."""

    path: str
    stage: str
    error: str


@dataclass(frozen=True)
class CorpusStats:
    vault: str
    notes: int = 0
    timestamps: int = 0
    videos: int = 0
    links: int = 0
    unresolved_links: int = 0
    code_blocks: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()
    crashes: tuple[Crash, ...] = field(default=())

    @property
    def by_code(self) -> Counter[str]:
        return Counter(diagnostic.code for diagnostic in self.diagnostics)


def corpus_stats(vault_dir: Path) -> CorpusStats:
    """What `parse` finds in one vault (`pipeline.open_vault`'s stages), counting instead
    of raising: each note is parsed on its own, so one crash hides no other note."""
    crashes: list[Crash] = []
    try:
        config, _ = load_config(vault_dir)
        loaded, diagnostics = load_vault(vault_dir, config.vault.ignore)
    except Exception:
        return CorpusStats(vault_dir.name, crashes=(_crash("<vault>", "load"),))
    notes: list[Note] = []
    for source in loaded.sources:
        try:
            note, problems = parse_note(source)
            notes.append(with_link_timestamps(note))
        except Exception:
            crashes.append(_crash(source.path, "parse"))
            continue
        diagnostics.extend(problems)
    try:
        vault, link_problems = resolve_vault(notes, loaded.attachments)
        checks = video_checks(config.videos)
        video_problems = video_diagnostics(vault.notes, VideoStore(vault_dir), checks)
    except Exception:
        crashes.append(_crash("<vault>", "resolve"))
    else:
        notes = list(vault.notes)
        diagnostics.extend([*link_problems, *video_problems])
    return _count(vault_dir.name, notes, as_configured(diagnostics, config), crashes)


def _crash(path: str, stage: str) -> Crash:
    return Crash(path, stage, traceback.format_exc(limit=-3).strip())


def _count(
    name: str, notes: Sequence[Note], diagnostics: list[Diagnostic], crashes: list[Crash]
) -> CorpusStats:
    links = [link for note in notes for link in note.links]
    return CorpusStats(
        vault=name,
        notes=len(notes) + sum(crash.stage == "parse" for crash in crashes),
        timestamps=sum(len(note.timestamps) for note in notes),
        videos=sum(len(note.videos) for note in notes),
        links=len(links),
        unresolved_links=sum(link.resolved is None for link in links),
        code_blocks=sum(len(note.code_blocks) for note in notes),
        diagnostics=tuple(sorted(diagnostics, key=sort_key)),
        crashes=tuple(crashes),
    )


def vault_dirs(folder: Path) -> list[Path]:
    """The vaults in `folder`: itself when it looks like a vault (an `.obsidian/` folder
    or notes at its top), else each of its subfolders."""
    entries = list(folder.iterdir())
    if (folder / ".obsidian").is_dir() or any(p.suffix == ".md" for p in entries):
        return [folder]
    return sorted(p for p in entries if p.is_dir() and not p.name.startswith("."))


COLUMNS = ("notes", "timestamps", "videos", "links", "unresolved", "code", "diags", "crashes")


def format_table(all_stats: Sequence[CorpusStats]) -> list[str]:
    """One row per vault with a total row, then diagnostics by code per vault."""
    width = max([len("vault"), len("total"), *(len(s.vault) for s in all_stats)])
    rows = [_row("vault", width, COLUMNS)]
    for stats in [*all_stats, _total(all_stats)]:
        rows.append(_row(stats.vault, width, _numbers(stats)))
    for stats in all_stats:
        if stats.diagnostics:
            codes = ", ".join(f"{code} {n}" for code, n in sorted(stats.by_code.items()))
            rows.append(f"{stats.vault}: {codes}")
    rows.append("diagnostics by kind, most frequent first:")
    by_kind = _total(all_stats).by_code
    rows.extend(f"{count:>6}  {code}" for code, count in sorted(by_kind.items(), key=_commonest))
    return rows


def _commonest(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def _numbers(stats: CorpusStats) -> tuple[str, ...]:
    values = (
        stats.notes,
        stats.timestamps,
        stats.videos,
        stats.links,
        stats.unresolved_links,
        stats.code_blocks,
        len(stats.diagnostics),
        len(stats.crashes),
    )
    return tuple(str(value) for value in values)


def _row(name: str, width: int, cells: Sequence[str]) -> str:
    return f"{name:<{width}}  " + "  ".join(f"{cell:>10}" for cell in cells)


def _total(all_stats: Sequence[CorpusStats]) -> CorpusStats:
    return CorpusStats(
        vault="total",
        notes=sum(s.notes for s in all_stats),
        timestamps=sum(s.timestamps for s in all_stats),
        videos=sum(s.videos for s in all_stats),
        links=sum(s.links for s in all_stats),
        unresolved_links=sum(s.unresolved_links for s in all_stats),
        code_blocks=sum(s.code_blocks for s in all_stats),
        diagnostics=tuple(d for s in all_stats for d in s.diagnostics),
        crashes=tuple(c for s in all_stats for c in s.crashes),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("folders", nargs="+", type=Path, help="folders of vaults")
    parser.add_argument("--verbose", action="store_true", help="print every diagnostic")
    args = parser.parse_args(argv)
    all_stats = [corpus_stats(vault) for folder in args.folders for vault in vault_dirs(folder)]
    print("\n".join(format_table(all_stats)))
    for stats in all_stats:
        for crash in stats.crashes:
            print(f"CRASH {stats.vault}/{crash.path} ({crash.stage}):\n{crash.error}")
        if args.verbose:
            print("\n".join(f"{stats.vault}/{format_text(d)}" for d in stats.diagnostics))
    return 1 if any(stats.crashes for stats in all_stats) else 0


if __name__ == "__main__":
    raise SystemExit(main())
