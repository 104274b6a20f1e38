"""The diagnostics of links that lead nowhere, worded so that the fix is one edit away:
each quotes the link as the note wrote it and suggests links that would work."""

from __future__ import annotations

from collections.abc import Sequence

from notebook_runner.model import Diagnostic, WikiLink
from notebook_runner.resolve.names import Match
from notebook_runner.resolve.outline import Outline, heading_parts


def missing_message(link: WikiLink, code: str) -> str:
    """`code` is `unresolved-link` or `missing-attachment`."""
    return f"{code.replace('-', ' ')} {_as_written(link)}"


def names_hint(names: Sequence[str], embed: bool) -> str | None:
    """ "Did you mean" the files of these `names`?"""
    return _did_you_mean([_wiki(name, embed) for name in names])


def ambiguous_target(path: str, link: WikiLink, match: Match) -> Diagnostic:
    choices = [_wiki(choice, link.embed) for choice in match.choices]
    return Diagnostic(
        path,
        link.line,
        "warning",
        "ambiguous-link",
        f"ambiguous link {_as_written(link)} matches {', '.join(match.tied)}",
        f"resolved to {match.path}; write {_or_list(choices)} to choose",
    )


def missing_heading(path: str, link: WikiLink, outline: Outline) -> Diagnostic:
    """`link.heading` is set and not found in `outline`."""
    written = heading_parts(link.heading or "")[-1]
    hints = [
        _wiki(link.target, link.embed, f"#{text}") for text in outline.closest_headings(written)
    ]
    return _subpath_problem(path, link, "unresolved-heading", hints)


def missing_block(path: str, link: WikiLink, outline: Outline) -> Diagnostic:
    """`link.block` is set and not found in `outline`."""
    hints = [
        _wiki(link.target, link.embed, f"#^{block}")
        for block in outline.closest_blocks(link.block or "")
    ]
    return _subpath_problem(path, link, "unresolved-block", hints)


def _subpath_problem(path: str, link: WikiLink, code: str, hints: Sequence[str]) -> Diagnostic:
    heading = f"#{link.heading}" if link.heading else ""
    block = f"#^{link.block}" if link.block else ""
    message = f"{code.replace('-', ' ')} {_as_written(link, heading + block)}"
    return Diagnostic(path, link.line, "warning", code, message, _did_you_mean(hints))


def _wiki(target: str, embed: bool, subpath: str = "") -> str:
    """A link as the user would write it, for messages and hints."""
    return f"{'!' if embed else ''}[[{target}{subpath}]]"


def _as_written(link: WikiLink, subpath: str = "") -> str:
    """The link in the syntax the note used: a wiki-link or a Markdown link."""
    if link.markdown:
        return f"{'!' if link.embed else ''}[{link.alias or ''}]({link.target}{subpath})"
    return _wiki(link.target, link.embed, subpath)


def _or_list(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} or {items[-1]}"


def _did_you_mean(links: Sequence[str]) -> str | None:
    return f"did you mean {_or_list(links)}?" if links else None
