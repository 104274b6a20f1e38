"""Options written after a Python fence's language: `python skip`, `python timeout=30`.

The runner acts on them; the parser only reads and validates them, so that a typo
such as `python tiemout=3` is reported where it was written instead of being ignored.
"""

from __future__ import annotations

import difflib
import re

CODE_FLAGS = frozenset({"skip", "continue", "reset", "run"})
CODE_VALUES = frozenset({"timeout", "raises"})
_EXAMPLES = {"timeout": "30", "raises": "ValueError"}
_EXCEPTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")

OptionProblem = tuple[str, str, str | None]


def read_code_options(words: list[str]) -> tuple[dict[str, str], list[OptionProblem]]:
    """Options as a dict (bare flags map to "true") plus (code, message, hint) problems."""
    options: dict[str, str] = {}
    problems: list[OptionProblem] = []
    for word in words:
        name, equals, value = word.partition("=")
        problem = _option_problem(word, name, equals, value)
        if problem is None:
            options[name] = value if equals else "true"
        else:
            problems.append(problem)
    return options, problems


def _option_problem(word: str, name: str, equals: str, value: str) -> OptionProblem | None:
    """(code, message, hint) for a word after `python`, or None when it is fine."""
    if name in CODE_FLAGS:
        if equals:
            return "bad-code-option", f"option '{name}' takes no value", f"write just '{name}'"
        return None
    if name in CODE_VALUES and not value:
        message = f"option '{name}' needs a value"
        return "bad-code-option", message, f"e.g. {name}={_EXAMPLES[name]}"
    if name == "timeout" and not _positive_number(value):
        message = f"option 'timeout' needs a number of seconds above 0, not '{value}'"
        return "bad-code-option", message, "e.g. timeout=30"
    if name == "raises" and not _EXCEPTION_NAME.fullmatch(value):
        message = f"option 'raises' needs an exception name, not '{value}'"
        return "bad-code-option", message, "e.g. raises=ValueError"
    if name in CODE_VALUES:
        return None
    known = sorted(CODE_FLAGS | CODE_VALUES)
    close = difflib.get_close_matches(name.lower(), known, n=1)
    hint = (
        f"did you mean '{close[0]}'?"
        if close
        else "known options: continue, raises=Error, reset, run, skip, timeout=SECONDS"
    )
    return "unknown-code-option", f"unknown code block option '{word}' is ignored", hint


def _positive_number(value: str) -> bool:
    try:
        return float(value) > 0
    except ValueError:
        return False
