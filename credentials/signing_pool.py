"""Signing batch chunks off the event loop: in a worker thread by default, or on a long-lived process
pool when ``SKILLPASS_SIGNING_PROCESSES`` asks for more than one process.

A batch job signs a chunk's credentials here while its event loop stays free for requests and the
database (a chunk of 250 takes a noticeable fraction of a second to sign: signing it on the loop would
stall every request of the process meanwhile). Each pool task loads the key once and signs its share
of the chunk. The pool forks (Linux's default): ``spawn`` and ``forkserver`` would re-run ``python -m
skillpass``'s main module in every pool process. Forking a process that already runs threads can
deadlock a child on a lock held at fork time, which is why the pool is opt-in (docs/credentials.md).
The children only sign: they never touch the parent's connections, and exit without running its
finalizers.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from credentials.vc.keys import KeyPair, load_key
from credentials.vc.signing import sign_credential

MIN_POOL_CHUNK = 64  # below this, starting pool tasks costs more than it saves
_pool: ProcessPoolExecutor | None = None


def pool_size(dialect: str = "postgresql") -> int:
    """Signing processes per job process: ``SKILLPASS_SIGNING_PROCESSES``, else 1 (a worker thread of
    the job's process) on either database; on PostgreSQL more worker processes use more cores."""
    chosen = os.environ.get("SKILLPASS_SIGNING_PROCESSES")
    return max(1, int(chosen)) if chosen else 1


def _sign_part(key_doc: dict, method: str, suites: list[str], documents: list[dict]) -> list[dict | str]:
    key = load_key(key_doc)
    return [sign_credential(d, key, verification_method=method, suite=s) for d, s in zip(documents, suites)]


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork"))
    return _pool


async def sign_many(documents: list[dict], suites: list[str], key: KeyPair, method: str, *,
                    processes: int = 1) -> list[dict | str]:
    """Sign ``documents`` (``suites[i]``: "eddsa-rdfc-2022" or "vc-jwt") on up to ``processes``
    processes, results in input order."""
    global _pool
    workers = processes
    if len(documents) < MIN_POOL_CHUNK or workers < 2:
        return await asyncio.to_thread(_sign_here, documents, suites, key, method)
    loop, key_doc, size = asyncio.get_running_loop(), key.to_multikey(), -(-len(documents) // workers)
    try:
        parts = await asyncio.gather(*[
            loop.run_in_executor(_executor(), _sign_part, key_doc, method, suites[i:i + size], documents[i:i + size])
            for i in range(0, len(documents), size)])
    except BrokenProcessPool:  # a pool process died: start a new pool next time, sign this chunk here
        _pool = None
        return await asyncio.to_thread(_sign_here, documents, suites, key, method)
    return [signed for part in parts for signed in part]


def _sign_here(documents: list[dict], suites: list[str], key: KeyPair, method: str) -> list[dict | str]:
    return [sign_credential(d, key, verification_method=method, suite=s) for d, s in zip(documents, suites)]
