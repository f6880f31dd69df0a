"""The analytical views in SOPHIA_SEMANTIC, run on fakesnow over a small connected data set."""

import pytest

from tests.sql.harness import SCHEMAS

PLANS = [("M1", "Team", 49, True), ("M2", "Legacy", 29, False), ("M3", "Enterprise", 99, True)]
LINKS = [("C1", "product", "P1", "uses"), ("C1", "competitor", "K1", "evaluates")]
LINKS += [("C2", "competitor", "K1", "evaluates"), ("C2", "competitor", "K2", "evaluates")]
COMPANY = {
    "EMPLOYEES": [
        {"EMPLOYEE_ID": "E1", "FULL_NAME": "Alice Ng", "JOB_TITLE": "VP Sales"},
        {"EMPLOYEE_ID": "E2", "FULL_NAME": "Bob Roy", "JOB_TITLE": "Account Executive", "MANAGER_ID": "E1"},
    ],
    "CUSTOMERS": [
        {"CUSTOMER_ID": "C1", "COMPANY_NAME": "Acme", "ACCOUNT_OWNER_ID": "E2"},
        {"CUSTOMER_ID": "C2", "COMPANY_NAME": "Globex", "ACCOUNT_OWNER_ID": "E2"},
        {"CUSTOMER_ID": "C3", "COMPANY_NAME": "Initech"},
    ],
    "COMPETITORS": [
        {"COMPETITOR_ID": f"K{i}", "COMPETITOR_NAME": name}
        for i, name in enumerate(["Gong", "Clari", "Chorus"], 1)
    ],
    "PRODUCTS": [
        {"PRODUCT_ID": "P1", "PRODUCT_NAME": "Forecast"},
        {"PRODUCT_ID": "P2", "PRODUCT_NAME": "Coach"},
    ],
    "PRICING_MODELS": [
        {
            "PRICING_MODEL_ID": model,
            "PRODUCT_ID": "P1",
            "PLAN_NAME": plan,
            "LIST_PRICE": price,
            "IS_ACTIVE": active,
        }
        for model, plan, price, active in PLANS
    ],
    "RELATIONSHIPS": [
        {
            "RELATIONSHIP_ID": f"R{i}",
            "FROM_ENTITY_TYPE": "customer",
            "FROM_ENTITY_ID": source,
            "TO_ENTITY_TYPE": target_type,
            "TO_ENTITY_ID": target,
            "RELATIONSHIP_TYPE": kind,
        }
        for i, (source, target_type, target, kind) in enumerate(LINKS, 1)
    ],
}


@pytest.fixture(scope="module")
def company(shared_warehouse):
    """Loaded once for the module: the tests here only read."""
    knowledge = shared_warehouse
    knowledge.reset()
    for table, rows in COMPANY.items():
        knowledge.insert(table, *rows)
    return knowledge


def _rows(knowledge, view: str, columns: list[str], order_by: str) -> list[tuple]:
    rows = knowledge.query(f"SELECT {', '.join(columns)} FROM {SCHEMAS.semantic}.{view} ORDER BY {order_by}")
    return [tuple(row[column] for column in columns) for row in rows]


def test_customer_360(company):
    columns = ["CUSTOMER_ID", "ACCOUNT_OWNER_NAME", "PRODUCT_COUNT", "COMPETITOR_COUNT", "RELATIONSHIP_COUNT"]
    assert _rows(company, "CUSTOMER_360", columns, "CUSTOMER_ID") == [
        ("C1", "Bob Roy", 1, 1, 2),
        ("C2", "Bob Roy", 0, 2, 2),
        ("C3", None, 0, 0, 0),
    ]


def test_competitor_landscape(company):
    assert _rows(
        company, "COMPETITOR_LANDSCAPE", ["COMPETITOR_NAME", "CUSTOMERS_EVALUATING"], "COMPETITOR_ID"
    ) == [
        ("Gong", 2),
        ("Clari", 1),
        ("Chorus", 0),
    ]


def test_product_pricing_lists_active_plans_and_unpriced_products(company):
    columns = ["PRODUCT_ID", "PLAN_NAME", "LIST_PRICE"]
    assert _rows(company, "PRODUCT_PRICING", columns, "PRODUCT_ID, LIST_PRICE") == [
        ("P1", "Team", 49),
        ("P1", "Enterprise", 99),
        ("P2", None, None),
    ]


def test_employee_directory(company):
    columns = ["EMPLOYEE_ID", "MANAGER_NAME", "ACCOUNTS_OWNED"]
    assert _rows(company, "EMPLOYEE_DIRECTORY", columns, "EMPLOYEE_ID") == [
        ("E1", None, 0),
        ("E2", "Alice Ng", 2),
    ]
