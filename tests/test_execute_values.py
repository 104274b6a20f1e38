"""What a block's stored output shows: a value hidden by `;` as Jupyter hides it, and
no memory address, which would change the site on every run (issue 14, item 18)."""

from __future__ import annotations

from pathlib import Path

from execute_support import run_one


def values(tmp_path: Path, *blocks: str) -> list[str | None]:
    return [block.value for block in run_one(tmp_path, *blocks).blocks]


def test_a_trailing_semicolon_hides_the_value_as_jupyter_does(tmp_path: Path) -> None:
    assert values(
        tmp_path,
        "x = 5\nx\n",
        "x;\n",
        "x ;  # hidden\n",
        "x; y = 1\ny\n",
        '"é";\n',
        '"é"  # shown\n',
        "(x +\n 1);\n",
    ) == ["5", None, None, "1", None, "'é'", None]


def test_a_hidden_value_is_still_computed(tmp_path: Path) -> None:
    result = run_one(tmp_path, "seen = []\n", "seen.append(1);\n", "seen\n")
    assert [block.value for block in result.blocks] == [None, None, "[1]"]


def test_memory_addresses_are_kept_out_of_values_output_and_errors(tmp_path: Path) -> None:
    result = run_one(
        tmp_path,
        "class Line2D:\n    pass\nline = Line2D()\nline\n",
        "print(line, [line])\n",
        "def f():\n    pass\nf\n",
        "raise ValueError(repr(line))\n",
    )
    first, printed, function, failed = result.blocks
    assert first.value == "<__main__.Line2D object at 0x...>"
    assert printed.stdout == (
        "<__main__.Line2D object at 0x...> [<__main__.Line2D object at 0x...>]\n"
    )
    assert function.value == "<function f at 0x...>"
    assert failed.error is not None
    assert failed.error.message == "<__main__.Line2D object at 0x...>"
    assert failed.error.traceback.endswith("ValueError: <__main__.Line2D object at 0x...>\n")


def test_other_hex_numbers_are_left_alone(tmp_path: Path) -> None:
    result = run_one(tmp_path, "print('jump at 0x10', 'x at 0xZZ', 'id', hex(0x7FA8C1D2E3F0))\n")
    assert result.blocks[0].stdout == "jump at 0x10 x at 0xZZ id 0x7fa8c1d2e3f0\n"
