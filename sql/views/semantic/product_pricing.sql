-- slot knowledge_schema: identifier
-- One row per product and active plan; a product without an active plan still appears, unpriced.
SELECT
    product.PRODUCT_ID,
    product.PRODUCT_NAME,
    product.CATEGORY,
    product.LIFECYCLE_STATUS,
    pricing.PRICING_MODEL_ID,
    pricing.PLAN_NAME,
    pricing.BILLING_PERIOD,
    pricing.LIST_PRICE,
    pricing.CURRENCY
FROM {knowledge_schema}.PRODUCTS AS product
LEFT JOIN {knowledge_schema}.PRICING_MODELS AS pricing
    ON pricing.PRODUCT_ID = product.PRODUCT_ID
    AND pricing.IS_ACTIVE
