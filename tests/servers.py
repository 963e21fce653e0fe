"""Real triplestores for the tests, on free loopback ports: Virtuoso (Debian's) and `oxigraph serve`.

``make virtuoso`` installs Virtuoso (``make test`` depends on it); without
it the tests that need it skip, naming the step.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO = "virtuoso-t"
# A fresh database's administrator; its graph store endpoint takes it by HTTP digest.
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up within {seconds} s")


def virtuoso_missing() -> str | None:
    if shutil.which(VIRTUOSO) is None or not PACKAGED_INI.is_file():
        return "Virtuoso is not installed (make virtuoso, or apt-get install virtuoso-opensource)"
    return None


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> Path:
    """The packaged virtuoso.ini with its database, ports and allowed folders moved into ``folder``."""
    db = {"DatabaseFile": "virtuoso.db", "ErrorLogFile": "virtuoso.log", "LockFile": "virtuoso.lck",
          "TransactionFile": "virtuoso.trx", "xa_persistent_file": "virtuoso.pxa"}
    settings = {
        "Database": {key: str(folder / name) for key, name in db.items()},
        "TempDatabase": {"DatabaseFile": str(folder / "virtuoso-temp.db"),
                         "TransactionFile": str(folder / "virtuoso-temp.trx")},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}", "DirsAllowed": f"., {folder}",
                       # an empty folder: a fresh database then skips installing the Conductor (~15 s)
                       "VADInstallDir": str(folder / "vad")},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
    }
    (folder / "vad").mkdir(exist_ok=True)
    lines, section = [], None
    for line in PACKAGED_INI.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\[(.+)\]", line)
        section = header.group(1) if header else section
        setting = re.match(r"(\w+)\s*=", line)
        if setting and setting.group(1) in settings.get(section, {}):
            line = f"{setting.group(1)} = {settings[section][setting.group(1)]}"
        lines.append(line)
    ini = folder / "virtuoso.ini"
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ini


@contextlib.contextmanager
def virtuoso(folder: Path):
    """A fresh Virtuoso in ``folder``; yields its base URL (``/sparql``, ``/sparql-graph-crud-auth``)."""
    http_port = free_port()
    ini = virtuoso_ini(folder, free_port(), http_port)
    process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(ini)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_up(f"{base}/sparql?query=ASK%7B%7D", process, seconds=180)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@contextlib.contextmanager
def oxigraph(*args: str):
    """``oxigraph serve`` (the oxigraph PyPI package of the test extras) in memory; yields its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}", *args]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", process)
        yield base
    finally:
        process.terminate()
        process.wait(10)
