-- slot knowledge_schema: identifier
-- slot stream: identifier
SYSTEM$STREAM_HAS_DATA('{knowledge_schema}.{stream}')
