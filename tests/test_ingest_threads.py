"""Splitting a saved thread into header and posts, for every numbering style."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, DATASET, SEED
from kgraph.ingest.threads import parse_date, parse_thread
from kgraph.source.reading import read_dataset

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def fixture(name: str):
    return parse_thread((FIXTURES / name).read_text(encoding="utf-8"))


def test_the_seed_gives_exactly_the_bundled_posts():
    bundled, problems = read_dataset(DATA / DATASET)
    assert not problems
    thread = parse_thread(SEED.read_text(encoding="utf-8"))
    assert [(p.number, p.text) for p in thread.posts] == [(p.number, p.text) for p in bundled.posts]
    assert len(thread.posts) == 23
    assert thread.posts[18].text.endswith("Quer durchs Land Flaggen auf Halbmast\n(19/)")
    assert thread.header.author == "Nikita Gerassimow"
    assert (thread.header.date, thread.header.declared, thread.declared) == ("2022-01-11", 23, 23)
    assert thread.warnings == []
    assert thread.ignored[0] == "Share this Scrolly Tale with your friends." and thread.ignored[-1] == "Keep scrolling"


def test_post_lines_point_into_the_input():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for post in parse_thread("\n".join(lines)).posts:
        assert lines[post.line - 1] == post.text.split("\n")[0]


@pytest.mark.parametrize("name, style, numbers, first, last", [
    ("slash_end_inline.txt", "N/M markers at the end of posts", [1, 2, 3, 4],
     "Tokayev has thanked the CSTO for its help, according to the Kazakh government. 1/4",
     "More on the OSCE statement tomorrow. #KazakhstanUnrest 4/4"),
    ("slash_start.txt", "N/M markers at the start of posts", [1, 2, 3],
     "1/ Toqajev hat die OVKS-Mission für beendet erklärt. Der Abzug beginnt morgen.",
     "3/ Nasarbajevs Familie schweigt."),
    ("dot_start.txt", "N. markers at the start of posts", [1, 2, 3],
     "1. Three things to know about the CSTO withdrawal:",
     "3. Belarus and Kyrgyzstan sent small contingents."),
    ("paren_end.txt", "(N) markers at the end of posts", [1, 2, 3],
     "Tokayev spoke again today. (1)", "No evidence was given. (3)"),
    ("thread_emoji.txt", "🧵N markers at the start of posts", [1, 2, 3],
     "🧵1 Was wissen wir über Masimov?", "🧵3 Seit dem 6. Januar ist er in Haft."),
    ("paragraphs.txt", "no numbering: one post per paragraph", [1, 2, 3],
     "The CSTO mission in Kazakhstan is over.", "Observers in Almaty expect more arrests."),
])
def test_numbering_styles(name, style, numbers, first, last):
    thread = fixture(name)
    assert thread.style == style
    assert [p.number for p in thread.posts] == numbers
    assert (thread.posts[0].text, thread.posts[-1].text) == (first, last)
    assert thread.warnings == []


def test_a_list_inside_a_post_is_not_taken_for_posts():
    post = fixture("dot_start.txt").posts[1]
    assert post.text == "2. Tokayev set a deadline of ten days.\nThe list of units:\n1. Russia\n2. Armenia"


def test_multi_line_posts_keep_their_lines():
    assert fixture("slash_start.txt").posts[1].text == \
        "2/ In Almaty ist die Lage ruhig.\nDie Polizei patrouilliert weiter."
    assert fixture("paragraphs.txt").posts[1].text == \
        "Tokayev thanked Putin for the swift help.\nRussian units leave first."


def test_thread_reader_header():
    header = fixture("slash_end_inline.txt").header
    assert (header.author, header.handle, header.date, header.declared) == \
        ("Jane Doe", "janedoe_osint", "2022-01-12", 4)


def test_no_header_means_no_author_or_date():
    header = fixture("slash_start.txt").header
    assert (header.author, header.date, header.lines) == (None, None, 0)


def test_skipped_and_repeated_numbers_and_a_wrong_count_are_named():
    thread = fixture("skips.txt")
    warnings = "\n".join(thread.warnings)
    assert "post number(s) repeated: 4" in warnings
    assert "post number(s) skipped: 3, 6" in warnings
    assert "6 posts declared, 5 found" in warnings
    # A repeated number cannot be a post number twice: posts are numbered by position.
    assert [p.number for p in thread.posts] == [1, 2, 3, 4, 5]
    assert [p.marker for p in thread.posts] == [1, 2, 4, 4, 5]


def test_a_missing_post_of_the_seed_is_reported():
    text = SEED.read_text(encoding="utf-8")
    post12 = parse_thread(text).posts[11].text
    thread = parse_thread(text.replace(post12 + "\n\n", ""))
    assert [p.number for p in thread.posts] == [n for n in range(1, 24) if n != 12]
    assert thread.warnings == ["post number(s) skipped: 12", "23 posts declared, 22 found"]


def test_header_count_and_markers_that_disagree():
    thread = parse_thread("Mar 1, 2022, 3 tweets\n\nOne (1/2)\n\nTwo (2/2)\n")
    assert "the header declares 3 posts but the markers count to 2" in thread.warnings
    assert "3 posts declared, 2 found" in thread.warnings


def test_numbers_in_the_text_are_not_markers():
    thread = parse_thread("Shops open 24/7\nagain (1/2)\n\nPrices rose by 3/4\nsince May (2/2)\n")
    assert [p.text for p in thread.posts] == ["Shops open 24/7\nagain (1/2)", "Prices rose by 3/4\nsince May (2/2)"]


def test_unknown_text_after_the_last_post_is_reported_not_lost_silently():
    thread = parse_thread("One (1/2)\n\nTwo (2/2)\n\nFollow me for more!\n")
    assert [p.text for p in thread.posts] == ["One (1/2)", "Two (2/2)"]
    assert thread.warnings == ["ignored 1 line(s) after the last numbered post, from line 5: 'Follow me for more!'"]


def test_posts_without_blank_lines_between_them():
    thread = parse_thread("First line\n(1/3)\nSecond\n(2/3)\nThird\n(3/3)")
    assert [p.text for p in thread.posts] == ["First line\n(1/3)", "Second\n(2/3)", "Third\n(3/3)"]


@pytest.mark.parametrize("text, date", [
    ("Jan 11, 2022, 23 tweets", "2022-01-11"),
    ("January 11th, 2022", "2022-01-11"),
    ("11 Jan 2022 • 23 tweets • 5 min read", "2022-01-11"),
    ("11. Januar 2022", "2022-01-11"),
    ("2022-01-11", "2022-01-11"),
    ("11.01.2022", "2022-01-11"),
    ("Feb 30, 2022", None),
    ("no date here", None),
])
def test_parse_date(text, date):
    assert parse_date(text) == date


def test_a_date_inside_a_post_is_not_a_header():
    thread = parse_thread("On Jan 5, 2022 the protests began in Zhanaozen. (1/2)\n\nThen Almaty. (2/2)\n")
    assert thread.header.date is None
    assert thread.posts[0].text.startswith("On Jan 5, 2022")


LINE_POSTS = ["Tokayev asked the CSTO for help.", "Russia will send troops to Kazakhstan.",
              "Masimov was detained.", "Nazarbayev left the country."]


@pytest.mark.parametrize("name, marker", [
    ("lines_dot.txt", "{}. "), ("lines_dot_blank.txt", "{}. "), ("lines_paren.txt", "{}) "),
    ("lines_paren_blank.txt", "{}) "), ("lines_slash.txt", "{}/ "), ("lines_slash_total.txt", "{}/4 "),
])
def test_one_numbered_line_per_post_with_or_without_blank_lines(name, marker):
    thread = fixture(name)
    assert [p.text for p in thread.posts] == [marker.format(n) + text for n, text in enumerate(LINE_POSTS, 1)]
    assert [p.number for p in thread.posts] == [1, 2, 3, 4]
    assert thread.warnings == []


def test_a_numbered_list_inside_a_post_is_not_split_into_posts():
    thread = fixture("dot_start.txt")
    assert thread.posts[1].text.endswith("1. Russia\n2. Armenia")


def test_an_unroll_header_is_the_header_and_never_a_post():
    thread = fixture("threadreader_en.txt")
    header = thread.header
    assert (header.author, header.handle, header.date, header.declared) == ("Steppe Watch", "steppewatch",
                                                                           "2022-01-07", 3)
    assert thread.posts[0].text.startswith("Tokayev has asked the CSTO for help.")
    assert not any("Read on Twitter" in p.text for p in thread.posts)
