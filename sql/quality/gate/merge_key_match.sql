curated.{column} IS NOT DISTINCT FROM batch.{column}
