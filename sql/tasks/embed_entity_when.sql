SYSTEM$STREAM_HAS_DATA('{knowledge_schema}.{stream}')
