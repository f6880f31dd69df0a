SELECT decided.RAW_ID
FROM {decided_rows} AS decided
WHERE decided.SOURCE = {source} AND decided.STREAM = {stream} AND decided.DECISION IN ({set_aside})
