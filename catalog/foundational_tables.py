"""The foundational knowledge tables: the data of the catalog, validated by its models on import."""

from catalog.declared import declared_catalog
from catalog.tables import CREATED_AT, UPDATED_AT


def _column(name: str, type_: str, comment: str, **options: object) -> dict[str, object]:
    return {"name": name, "type": type_, "comment": comment, **options}


def _stable_id(name: str, entity: str) -> dict[str, object]:
    return _column(
        name, "VARCHAR", f"Stable Sophia id of the {entity}", nullable=False, is_primary_identifier=True
    )


_TIMESTAMPS = [
    _column(CREATED_AT, "TIMESTAMP_NTZ", "When the row was first written, UTC", nullable=False),
    _column(UPDATED_AT, "TIMESTAMP_NTZ", "When the row last changed, UTC", nullable=False),
]

FOUNDATIONAL_CATALOG = declared_catalog(
    {
        "tables": [
            {
                "name": "EMPLOYEES",
                "comment": "People at the company: who they are, what they do, whom they report to",
                "entity_type": "employee",
                "data_source": "hris",
                "update_frequency": "daily",
                "columns": [
                    _stable_id("EMPLOYEE_ID", "employee"),
                    _column("HUBSPOT_ID", "VARCHAR", "HubSpot owner id"),
                    _column("GONG_ID", "VARCHAR", "Gong user id"),
                    _column("SLACK_ID", "VARCHAR", "Slack member id"),
                    _column("FULL_NAME", "VARCHAR", "Full name", nullable=False, pii_level="low"),
                    _column("WORK_EMAIL", "VARCHAR", "Work e-mail address", pii_level="high"),
                    _column("JOB_TITLE", "VARCHAR", "Current job title"),
                    _column("DEPARTMENT", "VARCHAR", "Department or team"),
                    _column("MANAGER_ID", "VARCHAR", "EMPLOYEE_ID of the manager"),
                    _column("LOCATION", "VARCHAR", "Office or city of work", pii_level="low"),
                    _column("BIO", "VARCHAR", "Short professional profile"),
                    _column("SKILLS", "ARRAY", "Skills and areas of expertise"),
                    _column("HIRE_DATE", "DATE", "First day at the company", pii_level="low"),
                    *_TIMESTAMPS,
                ],
                "primary_key": ["EMPLOYEE_ID"],
                "search_name_column": "FULL_NAME",
                "search_description_column": "BIO",
                "embed_columns": ["FULL_NAME", "JOB_TITLE", "DEPARTMENT", "BIO"],
            },
            {
                "name": "CUSTOMERS",
                "comment": "Customer accounts with their CRM ids, segment and owner",
                "entity_type": "customer",
                "data_source": "hubspot",
                "update_frequency": "hourly",
                "columns": [
                    _stable_id("CUSTOMER_ID", "customer"),
                    _column("HUBSPOT_ID", "VARCHAR", "HubSpot company id"),
                    _column("SALESFORCE_ID", "VARCHAR", "Salesforce account id"),
                    _column("GONG_ID", "VARCHAR", "Gong account id"),
                    _column("COMPANY_NAME", "VARCHAR", "Legal or trading name", nullable=False),
                    _column("DOMAIN", "VARCHAR", "Primary web domain"),
                    _column("INDUSTRY", "VARCHAR", "Industry"),
                    _column("SEGMENT", "VARCHAR", "Market segment, e.g. SMB, mid-market, enterprise"),
                    _column("LIFECYCLE_STAGE", "VARCHAR", "CRM lifecycle stage"),
                    _column("ANNUAL_CONTRACT_VALUE", "NUMBER(18,2)", "Annual contract value in USD"),
                    _column("ACCOUNT_OWNER_ID", "VARCHAR", "EMPLOYEE_ID of the account owner"),
                    _column(
                        "PRIMARY_CONTACT_NAME", "VARCHAR", "Main contact at the customer", pii_level="low"
                    ),
                    _column(
                        "PRIMARY_CONTACT_EMAIL", "VARCHAR", "E-mail of the main contact", pii_level="high"
                    ),
                    _column(
                        "BILLING_DETAILS",
                        "VARIANT",
                        "Billing address and payment terms",
                        pii_level="sensitive",
                    ),
                    _column("DESCRIPTION", "VARCHAR", "What the customer does and buys"),
                    *_TIMESTAMPS,
                ],
                "primary_key": ["CUSTOMER_ID"],
                "search_name_column": "COMPANY_NAME",
                "search_description_column": "DESCRIPTION",
                "embed_columns": ["COMPANY_NAME", "INDUSTRY", "SEGMENT", "DESCRIPTION"],
            },
            {
                "name": "COMPETITORS",
                "comment": "Competitors, how they position themselves and how they compare",
                "entity_type": "competitor",
                "data_source": "market_intelligence",
                "update_frequency": "weekly",
                "columns": [
                    _stable_id("COMPETITOR_ID", "competitor"),
                    _column("HUBSPOT_ID", "VARCHAR", "HubSpot company id of the competitor"),
                    _column("GONG_TRACKER_ID", "VARCHAR", "Gong tracker that spots mentions in calls"),
                    _column("COMPETITOR_NAME", "VARCHAR", "Name of the competitor", nullable=False),
                    _column("WEBSITE", "VARCHAR", "Web site"),
                    _column("MARKET_SEGMENT", "VARCHAR", "Segment they mostly sell to"),
                    _column("POSITIONING", "VARCHAR", "How they describe themselves"),
                    _column("STRENGTHS", "VARCHAR", "Where they win"),
                    _column("WEAKNESSES", "VARCHAR", "Where they lose"),
                    _column("THREAT_LEVEL", "VARCHAR", "low, medium or high"),
                    *_TIMESTAMPS,
                ],
                "primary_key": ["COMPETITOR_ID"],
                "search_name_column": "COMPETITOR_NAME",
                "search_description_column": "POSITIONING",
                "embed_columns": ["COMPETITOR_NAME", "POSITIONING", "STRENGTHS", "WEAKNESSES"],
            },
            {
                "name": "PRODUCTS",
                "comment": "Products the company sells",
                "entity_type": "product",
                "data_source": "salesforce",
                "update_frequency": "weekly",
                "columns": [
                    _stable_id("PRODUCT_ID", "product"),
                    _column("SALESFORCE_ID", "VARCHAR", "Salesforce product id"),
                    _column("HUBSPOT_ID", "VARCHAR", "HubSpot product id"),
                    _column("PRODUCT_NAME", "VARCHAR", "Product name", nullable=False),
                    _column("CATEGORY", "VARCHAR", "Product line or category"),
                    _column("DESCRIPTION", "VARCHAR", "What the product does"),
                    _column("LIFECYCLE_STATUS", "VARCHAR", "beta, ga or retired"),
                    _column("LAUNCH_DATE", "DATE", "General availability date"),
                    *_TIMESTAMPS,
                ],
                "primary_key": ["PRODUCT_ID"],
                "search_name_column": "PRODUCT_NAME",
                "search_description_column": "DESCRIPTION",
                "embed_columns": ["PRODUCT_NAME", "CATEGORY", "DESCRIPTION"],
            },
            {
                "name": "COMPANY_DOCUMENTS",
                "comment": "Internal documents: policies, playbooks, plans and notes",
                "entity_type": "company_document",
                "data_source": "notion",
                "update_frequency": "daily",
                "columns": [
                    _stable_id("DOCUMENT_ID", "document"),
                    _column("NOTION_ID", "VARCHAR", "Notion page id"),
                    _column("TITLE", "VARCHAR", "Document title", nullable=False),
                    _column("DOCUMENT_TYPE", "VARCHAR", "policy, playbook, plan or note"),
                    _column("SUMMARY", "VARCHAR", "Short summary"),
                    _column("BODY", "VARCHAR", "Full text"),
                    _column("SOURCE_URL", "VARCHAR", "Where the document lives"),
                    _column("OWNER_ID", "VARCHAR", "EMPLOYEE_ID of the owner"),
                    *_TIMESTAMPS,
                ],
                "primary_key": ["DOCUMENT_ID"],
                "search_name_column": "TITLE",
                "search_description_column": "SUMMARY",
                "embed_columns": ["TITLE", "SUMMARY", "BODY"],
            },
            {
                "name": "SALES_MATERIALS",
                "comment": "Decks, one-pagers, case studies and battle cards",
                "entity_type": "sales_material",
                "data_source": "hubspot",
                "update_frequency": "weekly",
                "columns": [
                    _stable_id("MATERIAL_ID", "sales material"),
                    _column("HUBSPOT_ID", "VARCHAR", "HubSpot file id"),
                    _column("SALESFORCE_ID", "VARCHAR", "Salesforce content id"),
                    _column("TITLE", "VARCHAR", "Title", nullable=False),
                    _column("MATERIAL_TYPE", "VARCHAR", "deck, one-pager, case study or battle card"),
                    _column("SUMMARY", "VARCHAR", "What it says and when to use it"),
                    _column("PRODUCT_ID", "VARCHAR", "PRODUCT_ID it is about, if any"),
                    _column("TARGET_SEGMENT", "VARCHAR", "Segment it is written for"),
                    _column("URL", "VARCHAR", "Where to find it"),
                    *_TIMESTAMPS,
                ],
                "primary_key": ["MATERIAL_ID"],
                "search_name_column": "TITLE",
                "search_description_column": "SUMMARY",
                "embed_columns": ["TITLE", "MATERIAL_TYPE", "SUMMARY"],
            },
            {
                "name": "PRICING_MODELS",
                "comment": "Price plans per product",
                "entity_type": "pricing_model",
                "data_source": "salesforce",
                "update_frequency": "weekly",
                "columns": [
                    _stable_id("PRICING_MODEL_ID", "pricing model"),
                    _column("SALESFORCE_ID", "VARCHAR", "Salesforce price book entry id"),
                    _column("PRODUCT_ID", "VARCHAR", "PRODUCT_ID the plan prices", nullable=False),
                    _column("PLAN_NAME", "VARCHAR", "Plan name", nullable=False),
                    _column("DESCRIPTION", "VARCHAR", "What the plan includes"),
                    _column("BILLING_PERIOD", "VARCHAR", "monthly or annual"),
                    _column("LIST_PRICE", "NUMBER(18,2)", "List price per billing period"),
                    _column("CURRENCY", "VARCHAR", "ISO 4217 currency code"),
                    _column("IS_ACTIVE", "BOOLEAN", "Whether the plan can be sold today", nullable=False),
                    *_TIMESTAMPS,
                ],
                "primary_key": ["PRICING_MODEL_ID"],
                "search_name_column": "PLAN_NAME",
                "search_description_column": "DESCRIPTION",
                "embed_columns": ["PLAN_NAME", "BILLING_PERIOD", "DESCRIPTION"],
            },
            {
                "name": "RELATIONSHIPS",
                "comment": "Typed links between entities, e.g. a customer uses a product",
                "entity_type": "relationship",
                "data_source": "hubspot",
                "update_frequency": "daily",
                "columns": [
                    _stable_id("RELATIONSHIP_ID", "relationship"),
                    _column("HUBSPOT_ID", "VARCHAR", "HubSpot association id"),
                    _column(
                        "FROM_ENTITY_TYPE", "VARCHAR", "Entity type the link starts from", nullable=False
                    ),
                    _column("FROM_ENTITY_ID", "VARCHAR", "Stable id the link starts from", nullable=False),
                    _column("TO_ENTITY_TYPE", "VARCHAR", "Entity type the link points to", nullable=False),
                    _column("TO_ENTITY_ID", "VARCHAR", "Stable id the link points to", nullable=False),
                    _column("RELATIONSHIP_TYPE", "VARCHAR", "e.g. uses, evaluates, owns", nullable=False),
                    _column("DESCRIPTION", "VARCHAR", "What the link means"),
                    _column("STRENGTH", "FLOAT", "Confidence or weight from 0 to 1"),
                    _column("ATTRIBUTES", "VARIANT", "Source-specific details"),
                    *_TIMESTAMPS,
                ],
                "primary_key": ["RELATIONSHIP_ID"],
                "search_name_column": "RELATIONSHIP_TYPE",
                "search_description_column": "DESCRIPTION",
                "embed_columns": ["RELATIONSHIP_TYPE", "DESCRIPTION"],
            },
        ]
    },
    "catalog/foundational_tables.py",
)
