-- slot knowledge_schema: identifier
SELECT
    competitor.COMPETITOR_ID,
    competitor.COMPETITOR_NAME,
    competitor.MARKET_SEGMENT,
    competitor.THREAT_LEVEL,
    competitor.POSITIONING,
    COUNT(DISTINCT evaluation.FROM_ENTITY_ID) AS CUSTOMERS_EVALUATING,
    competitor.UPDATED_AT
FROM {knowledge_schema}.COMPETITORS AS competitor
LEFT JOIN {knowledge_schema}.RELATIONSHIPS AS evaluation
    ON evaluation.TO_ENTITY_TYPE = 'competitor'
    AND evaluation.TO_ENTITY_ID = competitor.COMPETITOR_ID
    AND evaluation.FROM_ENTITY_TYPE = 'customer'
GROUP BY
    competitor.COMPETITOR_ID,
    competitor.COMPETITOR_NAME,
    competitor.MARKET_SEGMENT,
    competitor.THREAT_LEVEL,
    competitor.POSITIONING,
    competitor.UPDATED_AT
