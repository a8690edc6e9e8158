"""The deterministic demo province: a tree with the 1 July 2025 reform, members with their 2019–2025 history,
status periods, theory levels, disciplines, committee seats, government posts, attendance at cell meetings
and demo logins.

Everything is generated in Python from random.Random streams derived from the seed, then bulk-inserted in one
transaction (see writer.py): the per-row services would take hours at the large size.
"""

import random
import time
from dataclasses import dataclass, field

from django.db import transaction

from .extras import build_extras
from .people import simulate
from .posts import build_posts
from .tree import DATA_END, SIZES, build_tree
from .users import DEMO_PASSWORD, DEMO_USERS, create_demo_users, demo_logins
from .writer import Writer

__all__ = ["DATA_END", "DEMO_PASSWORD", "DEMO_USERS", "SIZES", "DemoSummary", "build_demo", "demo_logins"]


@dataclass
class DemoSummary:
    size: str
    seed: int
    generate_seconds: float
    write_seconds: float
    counts: dict = field(default_factory=dict)


def build_demo(*, size, seed):
    """Generate the province of `size` for `seed` (same seed, same rows) and write it into the database."""
    spec = SIZES[size]
    started = time.perf_counter()
    # One stream per phase, so that a change to how seats are drawn does not reshuffle the whole tree.
    tree = build_tree(random.Random(f"{seed}:tree"), spec)
    people = simulate(random.Random(f"{seed}:people"), tree, spec)
    extras = build_extras(random.Random(f"{seed}:extras"), tree, people)
    posts = build_posts(random.Random(f"{seed}:posts"), tree, extras)
    generated = time.perf_counter()
    with transaction.atomic():
        # The coded records draw from a stream of their own: adding them reshuffles nothing else.
        writer = Writer(tree, people, extras, random.Random(f"{seed}:records"), posts)
        counts = writer.write()
        create_demo_users(tree, writer.org_ids)
    return DemoSummary(size, seed, generated - started, time.perf_counter() - generated, counts)
