-- slot decided_rows: identifier
-- slot source: literal
-- slot stream: literal
-- slot set_aside: literal_list
SELECT decided.RAW_ID
FROM {decided_rows} AS decided
WHERE decided.SOURCE = {source} AND decided.STREAM = {stream} AND decided.DECISION IN ({set_aside})
