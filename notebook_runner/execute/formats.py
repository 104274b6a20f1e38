"""The four ways of showing a check's results: text, JSON, GitHub annotations, JUnit XML.

Apart from the results themselves (`results`), because the note process imports those
to report its blocks, and every module the fork server imports is copied into each
note process: the formats (and `xml.etree`) are the runner's and the CLI's business.

Lines in results are note lines; every format shows them through a `Locator` (see
`diagnostics`), so a block of a notebook is reported at its cell.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence

from notebook_runner.diagnostics import Locator, at_line, file_line, shown_inert
from notebook_runner.diagnostics import format_github as format_github_diagnostic
from notebook_runner.diagnostics import format_text as format_text_diagnostic
from notebook_runner.execute.results import (
    BlockError,
    BlockResult,
    CheckReport,
    NoteResult,
    failure_diagnostics,
    failures,
    headline,
    report_to_json,
    summarize,
    valid_text,
)

SKIP_HINT = (
    "hint: leave out a block not meant to run with ```python skip, a note with "
    "`execute: false` in its frontmatter, a folder with [check] exclude; or run only "
    'blocks marked ```python run with [check] run = "marked" (notebook-runner.toml)'
)
"""Said once per run with failures: most failures on real vaults are blocks never meant
to run, and the first failure of a note hides its later blocks."""


VAULT_FOLDER_KEY = "vault_folder"
"""The JSON report's record of where the vault is in its repository (see
`format_github`), so that `report merge --format github` annotates the right files."""


def format_json(report: CheckReport, locate: Locator = at_line, folder: str = "") -> str:
    """Every format returns valid text (`valid_text`), whatever the report holds: the
    results of a run are made valid as they arrive, and this covers the rest (a report
    built by other code, a diagnostic quoting a file name)."""
    data = report_to_json(report, locate)
    data[VAULT_FOLDER_KEY] = folder
    return valid_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


_SUMMARY = re.compile(
    r"[0-9]+ notes?, [0-9]+ blocks?: [0-9]+ passed(?: \([0-9]+ from the cache\))?, "
    r"[0-9]+ failed, .* in [0-9.]+s"
)
_JUNIT_ROOT = re.compile(r'<testsuites\b[^>]*\bname="notebook-runner"')
_GITHUB_COMMANDS = ("::error ", "::warning ", "::notice ")


def is_report(data: bytes) -> bool:
    """Whether `data` is a check report in one of the four formats, which `check -o` and
    `report merge -o` may replace (see `outputs`): a JSON object with notes and a
    summary, JUnit XML whose root is named notebook-runner, workflow commands only, or
    text ending with the summary line."""
    text = data.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return False
        return isinstance(parsed, dict) and {"notes", "summary"} <= parsed.keys()
    if text.startswith("<?xml"):
        return _JUNIT_ROOT.search(text[:4096]) is not None
    lines = text.splitlines()
    if all(line.startswith(_GITHUB_COMMANDS) for line in lines):
        return True
    return _SUMMARY.fullmatch(lines[-1]) is not None


# ---------------------------------------------------------------- text and GitHub


def hints(report: CheckReport) -> list[str]:
    """The ways out of this run's failures, each said once (see `SKIP_HINT`)."""
    needed = [error.missing_module for _, _, error in failures(report.notes)]
    return way_out(report.summary.failed, [module for module in needed if module])


def way_out(failed: int, missing: Sequence[str]) -> list[str]:
    """Hints for `failed` blocks that are bugs and the `missing` module of each block
    that needs one this Python lacks."""
    lines = [SKIP_HINT] if failed else []
    modules = sorted(set(missing))
    if modules:
        count = len(missing)
        them = "it" if len(modules) == 1 else "them"
        lines.append(
            f"hint: {count} {'block needs' if count == 1 else 'blocks need'} "
            f"{'a module' if len(modules) == 1 else 'modules'} this Python lacks "
            f"({', '.join(modules)}): install {them} where notebook-runner runs, or list "
            f"{them} in [check] optional_modules to skip such blocks while {them} "
            f"{'is' if len(modules) == 1 else 'are'} missing"
        )
    return lines


def summary_line(report: CheckReport) -> str:
    s = report.summary
    notes = "note" if s.notes == 1 else "notes"
    blocks = "block" if s.blocks == 1 else "blocks"
    errors = sum(problem.severity == "error" for problem in report.diagnostics)
    in_notes = f", {errors} {'error' if errors == 1 else 'errors'} in notes" if errors else ""
    cached = f" ({s.cached} from the cache)" if s.cached else ""
    missing = s.missing_modules
    modules = f", {missing} missing {'module' if missing == 1 else 'modules'}" if missing else ""
    return (
        f"{s.notes} {notes}, {s.blocks} {blocks}: {s.passed} passed{cached}, {s.failed} failed"
        f"{modules}, {s.not_run} not-run, {s.skipped} skipped{in_notes} "
        f"in {report.duration_s:.2f}s"
    )


def format_failure(path: str, error: BlockError, locate: Locator = at_line) -> str:
    """`location: error: Type: message`, the note's source line, then the traceback.

    The source line's gutter shows the line number only where it is a line of the file;
    traceback frames in a mapped note (a notebook) name their location instead."""
    lines = [f"{locate(path, error.line)}: error: {headline(error)}"]
    if error.source_line:
        number = file_line(path, error.line, locate)
        lines.append(f"{'' if number is None else number:>6} | {error.source_line}")
    if error.missing_module:  # the line says it all; the import machinery's frames do not
        return "\n".join(lines)
    traceback = error.traceback.rstrip("\n").splitlines()
    lines.extend("    " + _located_frame(line, path, locate) for line in traceback)
    return "\n".join(lines)


_FRAME = re.compile(r'(?P<indent>\s*)File "(?P<file>[^"]*)", line (?P<line>\d+)(?P<rest>.*)')


def _located_frame(text: str, path: str, locate: Locator) -> str:
    """`File "nb.ipynb", line 16, in f` -> `File "nb.ipynb:cell 4:line 2", in f`: the
    note frames' lines are generated Markdown when the note is a notebook."""
    frame = _FRAME.fullmatch(text)
    if frame is None or frame["file"] != path:
        return text
    line = int(frame["line"])
    if file_line(path, line, locate) is not None:
        return text
    return f'{frame["indent"]}File "{locate(path, line)}"{frame["rest"]}'


def format_text(report: CheckReport, locate: Locator = at_line) -> str:
    """Details only for failures and diagnostics, then one summary line."""
    parts = [format_failure(note.path, error, locate) for note, _, error in failures(report.notes)]
    parts.extend(format_text_diagnostic(d, locate) for d in report.diagnostics)
    parts.extend(hints(report))
    parts.append(summary_line(report))
    return shown_inert(valid_text("\n".join(parts) + "\n"))


def format_github(report: CheckReport, locate: Locator = at_line, folder: str = "") -> str:
    """`folder`: the vault's folder relative to the repository root, which GitHub needs."""
    rows = [*failure_diagnostics(report.notes), *report.diagnostics]
    return valid_text("".join(format_github_diagnostic(d, locate, folder) + "\n" for d in rows))


# ---------------------------------------------------------------- JUnit XML

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Control characters printed by a snippet would make the whole report unparsable."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def format_junit(report: CheckReport, locate: Locator = at_line) -> str:
    """One testsuite per note, one testcase per block named by its location."""
    root = ElementTree.Element("testsuites", _counts(report.notes, report.duration_s))
    root.set("name", "notebook-runner")
    for note in report.notes:
        suite = ElementTree.SubElement(root, "testsuite", _counts([note], note.duration_s))
        suite.set("name", _xml_text(note.path))
        for block in note.blocks:
            _add_testcase(suite, note.path, block, locate)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _counts(notes: Sequence[NoteResult], duration: float) -> dict[str, str]:
    summary = summarize(notes)
    return {
        "tests": str(summary.blocks),
        "failures": str(summary.failed + summary.missing_modules),
        "errors": "0",
        "skipped": str(summary.skipped + summary.not_run),
        "time": f"{duration:.3f}",
    }


def _add_testcase(
    suite: ElementTree.Element, path: str, block: BlockResult, locate: Locator
) -> None:
    """The `line` attribute is left out for a notebook cell: it has no line of the file."""
    attributes = {
        "name": _xml_text(locate(path, block.line)),
        "classname": _xml_text(path),
        "file": _xml_text(path),
    }
    line = file_line(path, block.line, locate)
    if line is not None:
        attributes["line"] = str(line)
    attributes["time"] = f"{block.duration_s:.3f}"
    case = ElementTree.SubElement(suite, "testcase", attributes)
    if block.status == "failed" and block.error is not None:
        failure = ElementTree.SubElement(
            case,
            "failure",
            {
                "message": _xml_text(headline(block.error)),
                "type": _xml_text(block.error.type),
            },
        )
        failure.text = _xml_text(format_failure(path, block.error, locate))
    elif block.status in ("skipped", "not-run"):
        message = f"{block.status}: {block.reason}" if block.reason else block.status
        ElementTree.SubElement(case, "skipped", {"message": _xml_text(message)})
    if block.stdout:
        ElementTree.SubElement(case, "system-out").text = _xml_text(block.stdout)
    if block.stderr:
        ElementTree.SubElement(case, "system-err").text = _xml_text(block.stderr)
