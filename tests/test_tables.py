"""Tables wrap long cells to the terminal instead of cutting them; csv and json stay as they are."""

from __future__ import annotations

import csv
import io

import pytest

from kgraph.cli import main
from kgraph.cli.tables import format_table


@pytest.fixture
def figures(runner, built_dir, monkeypatch):
    """``kgraph query --name figures`` with COLUMNS as given (None: unset, as in a pipe)."""
    def run(columns, *more):
        monkeypatch.delenv("COLUMNS", raising=False)
        result = runner.invoke(main, ["query", "--name", "figures", "--graph", str(built_dir), *more],
                               env={"COLUMNS": columns} if columns else {})
        assert result.exit_code == 0, result.output
        return result.output

    return run


def _quotes(figures) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(figures(None, "--format", "csv"))))
    assert len(rows) == 6
    return [row["quote"] for row in rows]


@pytest.mark.parametrize("columns", ["80", "100", "140"])
def test_every_word_of_each_quote_shows_at_any_width(figures, columns):
    shown = figures(columns)
    assert "…" not in shown and "..." not in shown
    assert max(len(line) for line in shown.splitlines()) <= int(columns)
    words = shown.split()
    for quote in _quotes(figures):
        for word in quote.split():
            assert word in words, (word, shown)
    assert figures(columns, "--format", "csv") == figures(None, "--format", "csv")


def test_into_a_pipe_each_row_is_one_whole_line(figures):
    shown = figures(None).splitlines()
    assert len(shown) == 2 + 6 + 1  # header, rule, rows, count
    for quote in _quotes(figures):
        assert sum(line.endswith(quote) for line in shown) >= 1, quote


def test_long_cells_wrap_by_words_in_their_own_column():
    table = format_table(["n", "actor", "quote"],
                         [["10", "Kassym-Jomart Tokayev",
                           "Der Abzug solle nicht länger als 10 Tage dauern, so Toqajev"],
                          ["2000000000", "Nikita Gerassimow", "kurz"]], width=50)
    assert table == "\n".join([
        "n           actor              quote",
        "----------  -----------------  ------------------",
        "10          Kassym-Jomart      Der Abzug solle",
        "            Tokayev            nicht länger als",
        "                               10 Tage dauern, so",
        "                               Toqajev",
        "2000000000  Nikita Gerassimow  kurz",
    ])


def test_columns_that_cannot_hold_their_words_become_one_block_per_row():
    table = format_table(["what", "value", "quote"],
                         [["duration of the withdrawal", "10", "Der Abzug solle nicht länger als 10 Tage dauern"]],
                         width=24)
    assert table == "\n".join([
        "what   duration of the",
        "       withdrawal",
        "value  10",
        "quote  Der Abzug solle",
        "       nicht länger als 10",
        "       Tage dauern",
    ])
