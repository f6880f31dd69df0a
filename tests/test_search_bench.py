"""The search benchmark runs, at small sizes, so it cannot rot unseen; its figures live in bench/README.md."""

from bench.search_bench import measure


def test_the_search_benchmark_measures_the_shipped_search_and_its_floor() -> None:
    # measure() itself checks the shipped search returns the top rows at each size (5 of 5, 10 of 50).
    results = measure((5, 50))
    assert [rows for rows, _, _ in results] == [5, 50]
    assert all(search > 0 and floor > 0 for _, search, floor in results)
