"""Node positions computed once in Python, so the page opens without physics.

Each connected component is laid out on its own: up to a few hundred actors
by stress majorisation (screen distances follow hop counts, the most readable
picture), beyond that by Fruchterman-Reingold with grid-limited repulsion
(seconds for 5,000 actors). The components are packed in rows, largest first,
and on small graphs the boxes of node and label are then pushed apart so
names do not overlap.

Plain Python, seeded: the same graph always gets the same picture, and no
numpy, whose vectorised sums may round differently across machines (the HTML
must be the same bytes everywhere).

>>> pos = positions(["a", "b", "c"], [("a", "b"), ("b", "c")])
>>> sorted(pos) == ["a", "b", "c"] and pos == positions(["a", "b", "c"], [("a", "b"), ("b", "c")])
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable

__all__ = ["positions", "SPACING"]

# Pixels between neighbours: room for a label of ~18 characters at 15 px.
SPACING = 170
# Up to this many nodes in a component, stress majorisation (distances on screen follow
# distances in the graph, the most readable layout); above, force-directed.
STRESS_LIMIT = 300
STRESS_PASSES = 120
# Above this many nodes, repulsion is computed only between nearby nodes.
EXACT_LIMIT = 600


def positions(nodes: Iterable[str], edges: Iterable[tuple[str, str]], *, seed: int = 7,
              label_box: Callable[[str], tuple[float, float]] | None = None) -> dict[str, tuple[int, int]]:
    """``{node: (x, y)}`` in pixels, integers, deterministic for the same input order.

    ``label_box(node)`` gives the (width, height) in pixels a node takes with
    its label below it; with it, small graphs push overlapping labels apart.
    """
    nodes = list(dict.fromkeys(nodes))
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b in edges:
        if a != b and a in neighbours and b in neighbours:
            neighbours[a].add(b)
            neighbours[b].add(a)
    laid = [(_stress if len(component) <= STRESS_LIMIT else _spring)(component, neighbours, seed)
            for component in _components(nodes, neighbours)]
    placed = _pack(laid)
    if label_box is not None and len(placed) <= EXACT_LIMIT:
        _separate_labels(placed, label_box)
    return {n: (round(x), round(y)) for n, (x, y) in placed.items()}


def _components(nodes: list[str], neighbours: dict[str, set[str]]) -> list[list[str]]:
    order = {n: i for i, n in enumerate(nodes)}
    seen: set[str] = set()
    found = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        stack, members = [start], []
        while stack:
            node = stack.pop()
            members.append(node)
            for other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        found.append(sorted(members, key=order.__getitem__))
    return sorted(found, key=lambda c: (-len(c), order[c[0]]))


def _stress(members: list[str], neighbours: dict[str, set[str]], seed: int) -> dict[str, list[float]]:
    """Stress majorisation (Gansner, Koren and North 2004): node distances approach hop counts.

    Each pass moves every node to the weighted mean of where its distances to
    all others say it should be (weights 1/d^2), which never increases stress.
    """
    n = len(members)
    if n == 1:
        return {members[0]: [0.0, 0.0]}
    index = {m: i for i, m in enumerate(members)}
    dist = [_hops(m, members, neighbours, index) for m in members]
    rng = random.Random(seed)
    side = math.sqrt(n)
    xs = [rng.uniform(0, side) for _ in range(n)]
    ys = [rng.uniform(0, side) for _ in range(n)]
    for _ in range(STRESS_PASSES):
        for i in range(n):
            row, xi, yi = dist[i], xs[i], ys[i]
            sx = sy = total = 0.0
            for j in range(n):
                if j == i:
                    continue
                d = row[j]
                w = 1.0 / (d * d)
                dx, dy = xi - xs[j], yi - ys[j]
                norm = math.sqrt(dx * dx + dy * dy) or 1e-9
                sx += w * (xs[j] + d * dx / norm)
                sy += w * (ys[j] + d * dy / norm)
                total += w
            xs[i], ys[i] = sx / total, sy / total
    cx, cy = sum(xs) / n, sum(ys) / n
    return {m: [(xs[i] - cx) * SPACING, (ys[i] - cy) * SPACING] for i, m in enumerate(members)}


def _hops(start: str, members: list[str], neighbours: dict[str, set[str]], index: dict[str, int]) -> list[int]:
    """Breadth-first hop counts from ``start`` to every member (all reachable: one component)."""
    dist = [0] * len(members)
    seen = {start}
    frontier, depth = [start], 0
    while frontier:
        depth += 1
        nxt = []
        for node in frontier:
            for other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    dist[index[other]] = depth
                    nxt.append(other)
        frontier = nxt
    return dist


def _spring(members: list[str], neighbours: dict[str, set[str]], seed: int) -> dict[str, list[float]]:
    """Fruchterman-Reingold with ideal edge length 1, scaled to :data:`SPACING` pixels at the end."""
    n = len(members)
    if n == 1:
        return {members[0]: [0.0, 0.0]}
    rng = random.Random(seed)
    side = math.sqrt(n)
    xs = [rng.uniform(0, side) for _ in range(n)]
    ys = [rng.uniform(0, side) for _ in range(n)]
    index = {m: i for i, m in enumerate(members)}
    pairs = sorted((index[a], index[b]) for a in members for b in neighbours[a] if index[a] < index[b])
    exact = n <= EXACT_LIMIT
    iterations = 300 if n <= 200 else 120 if exact else 30
    temperature = side / 4
    for step in range(iterations):
        fx, fy = (_repel_exact if exact else _repel_near)(xs, ys)
        for a, b in pairs:
            dx, dy = xs[a] - xs[b], ys[a] - ys[b]
            d = math.sqrt(dx * dx + dy * dy)  # attraction d^2/k along the unit vector
            fx[a] -= dx * d
            fy[a] -= dy * d
            fx[b] += dx * d
            fy[b] += dy * d
        t = temperature * (1 - step / iterations) + 0.01
        for i in range(n):
            d = math.sqrt(fx[i] * fx[i] + fy[i] * fy[i])
            if d > 0:
                move = min(d, t) / d
                xs[i] += fx[i] * move
                ys[i] += fy[i] * move
    cx, cy = sum(xs) / n, sum(ys) / n
    return {m: [(xs[i] - cx) * SPACING, (ys[i] - cy) * SPACING] for i, m in enumerate(members)}


def _repel_exact(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """Repulsion k^2/d between every pair."""
    n = len(xs)
    fx, fy = [0.0] * n, [0.0] * n
    for i in range(n):
        xi, yi = xs[i], ys[i]
        for j in range(i + 1, n):
            dx, dy = xi - xs[j], yi - ys[j]
            d2 = dx * dx + dy * dy or 1e-9
            fx[i] += dx / d2
            fy[i] += dy / d2
            fx[j] -= dx / d2
            fy[j] -= dy / d2
    return fx, fy


def _repel_near(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """Repulsion only between nodes less than one edge length apart (a grid of unit cells).

    Each pair of neighbouring cells is visited once and both ends are pushed.
    """
    n = len(xs)
    fx, fy = [0.0] * n, [0.0] * n
    cells: dict[tuple[int, int], list[int]] = {}
    for i in range(n):
        cells.setdefault((int(xs[i] // 1), int(ys[i] // 1)), []).append(i)
    for (cx, cy), here in cells.items():
        for offset, (gx, gy) in enumerate(((cx, cy), (cx + 1, cy), (cx - 1, cy + 1), (cx, cy + 1), (cx + 1, cy + 1))):
            there = here if offset == 0 else cells.get((gx, gy))
            if not there:
                continue
            for a, i in enumerate(here):
                xi, yi = xs[i], ys[i]
                for j in (there[a + 1:] if offset == 0 else there):
                    dx, dy = xi - xs[j], yi - ys[j]
                    d2 = dx * dx + dy * dy
                    if d2 < 1:
                        d2 = d2 or 1e-9
                        px, py = dx / d2, dy / d2
                        fx[i] += px
                        fy[i] += py
                        fx[j] -= px
                        fy[j] -= py
    return fx, fy


def _pack(laid: list[dict[str, list[float]]]) -> dict[str, list[float]]:
    """Place components in rows, largest first, in a roughly 16:10 block."""
    boxes = []
    for comp in laid:
        xs = [p[0] for p in comp.values()]
        ys = [p[1] for p in comp.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + SPACING, max(ys) - min(ys) + SPACING))
    total = sum(w * h for _, _, w, h in boxes)
    row_width = max(max(w for _, _, w, _ in boxes), math.sqrt(total * 1.6))
    placed: dict[str, list[float]] = {}
    x = y = row_height = 0.0
    for comp, (x0, y0, w, h) in zip(laid, boxes):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for m, p in comp.items():
            placed[m] = [p[0] - x0 + x, p[1] - y0 + y]
        x += w
        row_height = max(row_height, h)
    return placed


def _separate_labels(pos: dict[str, list[float]], label_box: Callable[[str], tuple[float, float]],
                     rounds: int = 80, margin: float = 8.0) -> None:
    """Push apart nodes whose boxes overlap, along the axis that needs the smaller move.

    A box spans the node and the label under it: ``width`` centred on x,
    ``height`` measured down from the node's centre.
    """
    nodes = list(pos)
    boxes = {n: label_box(n) for n in nodes}
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(nodes):
            (wa, ha), pa = boxes[a], pos[a]
            for b in nodes[i + 1:]:
                (wb, hb), pb = boxes[b], pos[b]
                need_x = (wa + wb) / 2 + margin - abs(pa[0] - pb[0])
                if need_x <= 0:
                    continue
                upper, lower = (pa, pb) if (pa[1], a) < (pb[1], b) else (pb, pa)
                need_y = (ha if upper is pa else hb) + margin - (lower[1] - upper[1])
                if need_y <= 0:
                    continue
                moved = True
                if need_x < need_y:
                    shift = need_x / 2 + 0.5
                    left, right = (pa, pb) if (pa[0], a) < (pb[0], b) else (pb, pa)
                    left[0] -= shift
                    right[0] += shift
                else:
                    shift = need_y / 2 + 0.5
                    upper[1] -= shift
                    lower[1] += shift
        if not moved:
            return
