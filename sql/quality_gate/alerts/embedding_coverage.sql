-- slot min_coverage_pct: integer
-- slot freshness: identifier
-- Entity types whose embedding coverage is below {min_coverage_pct} %; an empty table has no coverage to miss.
SELECT freshness.ENTITY_TYPE, freshness.COVERAGE_PCT, freshness.ROW_COUNT, freshness.MISSING_EMBEDDINGS
FROM {freshness} AS freshness
WHERE freshness.COVERAGE_PCT < {min_coverage_pct}
