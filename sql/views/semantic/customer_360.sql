-- slot knowledge_schema: identifier
SELECT
    customer.CUSTOMER_ID,
    customer.COMPANY_NAME,
    customer.INDUSTRY,
    customer.SEGMENT,
    customer.LIFECYCLE_STAGE,
    customer.ANNUAL_CONTRACT_VALUE,
    customer.HUBSPOT_ID,
    customer.SALESFORCE_ID,
    customer.GONG_ID,
    owner.FULL_NAME AS ACCOUNT_OWNER_NAME,
    COALESCE(links.PRODUCT_COUNT, 0) AS PRODUCT_COUNT,
    COALESCE(links.COMPETITOR_COUNT, 0) AS COMPETITOR_COUNT,
    COALESCE(links.RELATIONSHIP_COUNT, 0) AS RELATIONSHIP_COUNT,
    customer.UPDATED_AT
FROM {knowledge_schema}.CUSTOMERS AS customer
LEFT JOIN {knowledge_schema}.EMPLOYEES AS owner
    ON owner.EMPLOYEE_ID = customer.ACCOUNT_OWNER_ID
LEFT JOIN (
    SELECT
        FROM_ENTITY_ID AS CUSTOMER_ID,
        COUNT_IF(TO_ENTITY_TYPE = 'product') AS PRODUCT_COUNT,
        COUNT_IF(TO_ENTITY_TYPE = 'competitor') AS COMPETITOR_COUNT,
        COUNT(*) AS RELATIONSHIP_COUNT
    FROM {knowledge_schema}.RELATIONSHIPS
    WHERE FROM_ENTITY_TYPE = 'customer'
    GROUP BY FROM_ENTITY_ID
) AS links
    ON links.CUSTOMER_ID = customer.CUSTOMER_ID
