"""How fast `kgraph ingest` reads a big thread dump (target: 10 MB well under 10 s).

Builds a ~10 MB dump in the seed's format (the seed's 23 posts over and over,
renumbered "(n/N)"), then times each step of the ingest on it, and compares
the post writer with dumping the same posts through ruamel::

    .venv/bin/python bench/bench_ingest.py [--mb 10]
    .venv/bin/python bench/bench_ingest.py --smoke   # 0.2 MB (tests)
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kgraph.ingest import ingest, write  # noqa: E402
from kgraph.ingest.decode import decode_text  # noqa: E402
from kgraph.ingest.threads import parse_thread  # noqa: E402
from kgraph.ingest.writer import post_yaml  # noqa: E402

SEED = ROOT / "data" / "kazakhstan-2022" / "thread.txt"
TARGET_S = 10.0
_MARKER = re.compile(r"\n\(\d+/\d*\)$")


def make_dump(megabytes: float) -> bytes:
    seed = SEED.read_text(encoding="utf-8")
    thread = parse_thread(seed)
    bodies = [_MARKER.sub("", p.text) for p in thread.posts]
    size, texts = 0, []
    while size < megabytes * 1_000_000:
        body = bodies[len(texts) % len(bodies)]
        texts.append(body)
        size += len(body.encode("utf-8")) + 12
    total = len(texts)
    header = f"Nikita Gerassimow Profile picture\nKonfliktbeobachter.\n\nJan 11, 2022, {total} tweets\n\n"
    posts = "\n\n".join(f"{body}\n({n}/{total})" for n, body in enumerate(texts, 1))
    return (header + posts + "\n").encode("utf-8")


def timed(label: str, func, *args, **kwargs):
    """Run ``func``; print wall-clock and CPU seconds, return (value, CPU seconds).

    CPU time is what counts on a shared machine: the wall clock also counts
    the time other processes had the cores.
    """
    started, started_cpu = time.perf_counter(), time.process_time()
    value = func(*args, **kwargs)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(f"  {label:<44} {cpu:6.2f} s CPU {seconds:6.2f} s wall")
    return value, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the dump in MB (default 10)")
    parser.add_argument("--smoke", action="store_true", help="a 0.2 MB dump: does it still run?")
    args = parser.parse_args()
    if args.smoke:
        args.mb = 0.2
    dump = make_dump(args.mb)
    megabytes = len(dump) / 1_000_000
    print(f"dump: {megabytes:.1f} MB")
    text, t_decode = timed("decode (UTF-8, line ends)", decode_text, dump)
    thread, t_parse = timed("split into header and posts", parse_thread, text)
    print(f"  -> {len(thread.posts)} posts, {len(thread.warnings)} warnings")
    with tempfile.TemporaryDirectory() as tmp:
        result, t_ingest = timed("whole ingest (+ mentions, candidates, YAML)", ingest, dump,
                                 source_name="dump.txt", data_dir=ROOT / "data", out_dir=tmp, name="bench")
        _, t_write = timed("write the files atomically", write, result)
    mentions = sum(len(p.mentions) for p in result.posts)
    print(f"  -> {mentions} mentions, {len(result.candidates)} candidate names")
    parse_total = t_decode + t_parse
    print(f"parse: {parse_total:.2f} s CPU for {megabytes:.1f} MB ({megabytes / parse_total:.1f} MB/s); "
          f"{TARGET_S / parse_total:.0f}x under the {TARGET_S:.0f} s target")
    total = t_ingest + t_write
    print(f"ingest end to end: {total:.2f} s CPU ({TARGET_S / total:.1f}x under the target)")
    compare_writer(result.posts[:2000])


def compare_writer(posts) -> None:
    """The hand-laid post list against ruamel's emitter, on the same posts."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    started = time.process_time()
    "".join(post_yaml(p.number, p.text, p.mentions) for p in posts)
    ours = time.process_time() - started
    items = CommentedSeq()
    for p in posts:
        item = CommentedMap(number=p.number, text=LiteralScalarString(p.text))
        mentions = CommentedSeq(p.mentions)
        mentions.fa.set_flow_style()
        item["mentions"] = mentions
        items.append(item)
    yaml = YAML()
    yaml.width = 4096
    started = time.process_time()
    yaml.dump({"posts": items}, io.StringIO())
    plain = time.process_time() - started
    print(f"writer, {len(posts)} posts: {ours * 1000:.0f} ms CPU vs ruamel {plain * 1000:.0f} ms "
          f"({plain / ours:.0f}x faster)")


if __name__ == "__main__":
    main()
