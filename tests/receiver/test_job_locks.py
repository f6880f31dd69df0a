"""Per-job locks: the same job waits, other jobs do not, and no lock outlives its last user."""

import asyncio

from sophia.receiver.job_locks import JobLocks
from tests.receiver.conftest import run_coroutine


def test_the_same_key_is_held_by_one_at_a_time_and_other_keys_run_alongside():
    locks = JobLocks()
    inside: dict[str, int] = {"a": 0, "b": 0}
    peaks = {"a": 0, "b": 0, "both": 0}

    async def hold(key: str) -> None:
        async with locks.hold(key):
            inside[key] += 1
            peaks[key] = max(peaks[key], inside[key])
            peaks["both"] = max(peaks["both"], inside["a"] + inside["b"])
            await asyncio.sleep(0.01)
            inside[key] -= 1

    async def main() -> int:
        await asyncio.gather(*(hold(key) for key in ["a"] * 5 + ["b"] * 5))
        return len(locks)

    assert run_coroutine(main()) == 0
    assert peaks == {"a": 1, "b": 1, "both": 2}


def test_a_lock_is_released_when_its_holder_raises():
    locks = JobLocks()

    async def main() -> int:
        try:
            async with locks.hold("job"):
                raise ValueError("trigger failed")
        except ValueError:
            pass
        async with locks.hold("job"):
            return len(locks)

    assert run_coroutine(main()) == 1
