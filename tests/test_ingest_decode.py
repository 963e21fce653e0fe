"""Ingest input: every common way of saving a thread decodes to the same text;
binary and undecodable input is refused with a one-line reason."""

from __future__ import annotations

import codecs

import pytest

from conftest import SEED
from kgraph.cli import main
from kgraph.ingest.decode import InputError, decode_text
from kgraph.ingest.threads import parse_thread

SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),                                 # BOM, native order
    lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"),
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),            # Windows line ends
    lambda t: codecs.BOM_UTF16_LE + t.replace("\n", "\r\n").encode("utf-16-le"),
    lambda t: t.replace("\n", "\r").encode("utf-8"),              # old Mac line ends
], ids=["utf8", "utf8-bom", "utf16", "utf16le-bom", "utf16be-bom", "utf32le-bom", "crlf", "utf16-crlf", "cr"])
def test_every_encoding_gives_the_same_posts(encode):
    text = decode_text(encode(SEED_TEXT))
    assert text == SEED_TEXT
    posts = parse_thread(text).posts
    assert len(posts) == 23 and "\r" not in "".join(p.text for p in posts)


@pytest.mark.parametrize("data, says", [
    (b"", "empty input"),
    (b"  \n\n ", "empty input"),
    (codecs.BOM_UTF8 + b"\n", "empty input"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
    (b"%PDF-1.7\n...", "PDF document"),
    (b"PK\x03\x04\x14\x00", "ZIP archive"),
    (b"ab\x00\x01\x02cd" * 10, "binary data (NUL byte at offset 2"),
    ("Toqajev spricht (1/2)\n".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
    ("Toqajev\nGrüße (1/2)\n".encode("latin-1"), "not valid UTF-8 text (line 2, byte offset 10: fc)"),
    (b"Update\n\x1b[31mred\n", "line 2 holds the control character U+001B"),
])
def test_bad_input_is_refused_clearly(data, says):
    with pytest.raises(InputError) as caught:
        decode_text(data, "saved.txt")
    message = str(caught.value)
    assert message.startswith("saved.txt: ") and says in message and "\n" not in message


def test_the_cli_refuses_binary_input_with_exit_1_and_no_traceback(runner, tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = runner.invoke(main, ["ingest", str(tmp_path / "photo.png"), "--data", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == "kgraph: error: photo.png: this is a PNG image, not a text file"
    assert not list(tmp_path.glob("*/thread.yaml"))
