"""What the hardening tests share: example counts, hostile text, the CLI as users run it.

CI runs a few hundred examples per property; ``KGRAPH_STRESS=1`` (``make
stress``) raises the counts and, with ``-m "stress or not stress"``, runs the
long tests marked ``@pytest.mark.stress``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

STRESS = os.environ.get("KGRAPH_STRESS") == "1"
# A hang is anything slower than this; every example and subprocess is bounded by it.
HANG_SECONDS = 10


def fuzz_settings(ci: int, stress: int | None = None, **kwargs):
    """Hypothesis settings: ``ci`` examples normally, ``stress`` (10x by default) under KGRAPH_STRESS.

    Each example must finish within HANG_SECONDS unless ``deadline=None`` is
    given, for tests that bound time by the input size (see :func:`assert_linear_time`).
    """
    count = (stress or ci * 10) if STRESS else ci
    options = {"deadline": HANG_SECONDS * 1000, "derandomize": not STRESS, **kwargs}
    return settings(max_examples=count,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example],
                    **options)


def assert_linear_time(started: float, input_bytes: int, seconds_per_mb: float = 5.0) -> None:
    """No hang: at most HANG_SECONDS, plus ``seconds_per_mb`` for each MB of input (YAML reads ~1 MB/s)."""
    elapsed = time.perf_counter() - started
    allowed = HANG_SECONDS + seconds_per_mb * input_bytes / 1e6
    assert elapsed < allowed, f"{elapsed:.1f} s for {input_bytes} bytes (allowed {allowed:.1f} s)"


# Text that tries to act where it is shown: markup and script, SPARQL, terminal
# escapes (CSI, OSC 8 hyperlink, C1 CSI, carriage return), bidi overrides.
HOSTILE = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '"} ; DROP ALL #',
    "'> ] } INSERT DATA { <a:a> <a:b> <a:c> } #",
    "\x1b[31mred\x1b[0m \x1b[2J\x1b[H",
    "\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m C1 CSI \x9d8;;https://evil.example/\x9c",
    "shown\roverwritten",
    "\u202eevil.exe\u202c txt \u2066isolate\u2069 \u200f",
    "\u0000 nul \x7f del",
]

# One character from anywhere in Unicode, surrogates and controls included.
any_char = st.one_of(
    st.characters(codec=None, categories=None),
    st.integers(0, 0x10FFFF).map(chr),
    st.sampled_from(["\x00", "\x1b", "\x85", "\x9b", "\r", "\u2028", "\u202e", "\ufeff", "\ud800", "\udfff",
                     "\U0001f600", "\U000e0001", "\U0010ffff", "#", ":", "'", '"', "\\", "{", "}", "&", "*", "!"]),
)
any_text = st.one_of(st.text(any_char, max_size=40), st.sampled_from(HOSTILE))


def kgraph(*args: str | bytes, cwd: Path | None = None, timeout: float = HANG_SECONDS,
           env: dict | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run the real ``kgraph`` console entry point (as bytes), bounded by ``timeout``."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "kgraph", *args], cwd=cwd, capture_output=True,
                          timeout=timeout, env=full_env, input=stdin)


def assert_clean_exit(result, allowed=(0, 1, 2)) -> None:
    """Exit 0; or 1 with exactly one ``kgraph: error:`` line; or 2, click's usage message.

    ``result`` is a CompletedProcess or a click ``Result``; never a traceback.
    """
    code = getattr(result, "returncode", getattr(result, "exit_code", None))
    err = result.stderr.decode("utf-8", "replace") if isinstance(result.stderr, bytes) else result.stderr
    assert not getattr(result, "exception", None) or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in err, err
    assert code in allowed, (code, err)
    if code == 1:
        # Before the error, only the notes on how a name was taken ("taking 'X' as ...").
        lines = [line for line in err.strip().splitlines() if not line.startswith("taking ")]
        assert len(lines) == 1 and lines[0].startswith("kgraph: error: "), err
    if code == 2:
        assert err.strip().splitlines()[-1].startswith("Error: "), err


# --- writing YAML ourselves, so every odd value reaches the parser as intended ------

class Raw(str):
    """A scalar written into the YAML as is (huge numbers, tags, anchors)."""


def _printable(c: str) -> bool:
    # YAML 1.2 printable characters, minus the ones that change meaning inside a line.
    o = ord(c)
    return (0x20 <= o <= 0x7E or o == 0x85 or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD
            or 0x10000 <= o <= 0x10FFFF) and o != 0xFEFF


def _quoted(text: str) -> str:
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif _printable(c):
            out.append(c)
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    return '"' + "".join(out) + '"'


def flow(value) -> str:
    """``value`` as one line of flow-style YAML."""
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(k)}: {flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def to_yaml(doc) -> str:
    """Block style at the top (one line per field and per list entry), flow style below."""
    if not isinstance(doc, dict):
        return flow(doc) + "\n"
    lines = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            lines.append(f"{flow(key)}:")
            lines += [f"- {flow(item)}" for item in value]
        else:
            lines.append(f"{flow(key)}: {flow(value)}")
    return "\n".join(lines) + "\n"
