-- slot pii_columns: literal_list
-- Who read which PII column of the stack's database, query by query. ACCESS_HISTORY (Account Usage docs):
-- QUERY_ID, QUERY_START_TIME, USER_NAME, BASE_OBJECTS_ACCESSED (an array of objects with objectName, objectDomain and
-- columns, each with columnName); base objects, so a read through a view counts against the table it reads. Latency: up
-- to 3 hours.
SELECT
    h.QUERY_ID,
    h.QUERY_START_TIME,
    h.USER_NAME,
    obj.value:"objectName"::VARCHAR AS OBJECT_NAME,
    col.value:"columnName"::VARCHAR AS COLUMN_NAME
FROM SNOWFLAKE.ACCOUNT_USAGE.ACCESS_HISTORY AS h,
    LATERAL FLATTEN(input => h.BASE_OBJECTS_ACCESSED) AS obj,
    LATERAL FLATTEN(input => obj.value:"columns") AS col
WHERE obj.value:"objectName"::VARCHAR || '.' || col.value:"columnName"::VARCHAR IN ({pii_columns})
