"""The real embedding task statement, run on fakesnow: it embeds exactly what changed, and nothing twice."""

import hashlib

from catalog.embedding import EmbeddingModel

CUSTOMERS = [
    {"CUSTOMER_ID": "C1", "COMPANY_NAME": "Acme", "INDUSTRY": "aerospace", "DESCRIPTION": "Rockets"},
    {"CUSTOMER_ID": "C2", "COMPANY_NAME": "Globex", "SEGMENT": "enterprise", "DESCRIPTION": "Power plants"},
    {"CUSTOMER_ID": "C3", "COMPANY_NAME": "Initech", "INDUSTRY": "software"},
]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _loaded(knowledge):
    knowledge.insert("CUSTOMERS", *CUSTOMERS)
    assert knowledge.scheduled_run("CUSTOMERS") == len(CUSTOMERS)
    return knowledge.embeddings("CUSTOMERS")


def test_new_rows_get_one_embedding_each_of_their_text(knowledge):
    embeddings = _loaded(knowledge)
    assert set(embeddings) == {"C1", "C2", "C3"}
    # The embedded text joins COMPANY_NAME, INDUSTRY, SEGMENT and DESCRIPTION, skipping NULLs.
    assert embeddings["C1"]["TEXT_HASH"] == _sha256("Acme aerospace Rockets")
    assert embeddings["C2"]["TEXT_HASH"] == _sha256("Globex enterprise Power plants")
    assert embeddings["C3"]["TEXT_HASH"] == _sha256("Initech software")
    assert all(len(row["EMBEDDING"]) == 768 and row["MODEL"] == "e5-base-v2" for row in embeddings.values())


def test_only_changed_text_is_embedded_again(knowledge):
    before = _loaded(knowledge)
    knowledge.update("CUSTOMERS", "C1", DESCRIPTION="Rockets and satellites")
    knowledge.update("CUSTOMERS", "C2", ANNUAL_CONTRACT_VALUE=250000)
    knowledge.update(
        "CUSTOMERS", "C3", LIFECYCLE_STAGE="customer", PRIMARY_CONTACT_EMAIL="ceo@initech.example"
    )
    assert knowledge.streams["CUSTOMERS"].capture() == 6  # three DELETE + INSERT update pairs

    assert knowledge.run_task_body("CUSTOMERS") == 1
    after = knowledge.embeddings("CUSTOMERS")
    assert after["C1"]["TEXT_HASH"] == _sha256("Acme aerospace Rockets and satellites")
    assert after["C1"]["EMBEDDING"] != before["C1"]["EMBEDDING"]
    assert after["C1"]["EMBEDDED_AT"] > before["C1"]["EMBEDDED_AT"]
    assert after["C2"] == before["C2"]
    assert after["C3"] == before["C3"]


def test_deleted_rows_leave_no_orphan_embeddings(knowledge):
    _loaded(knowledge)
    knowledge.delete("CUSTOMERS", "C2")
    knowledge.insert("CUSTOMERS", {"CUSTOMER_ID": "C4", "COMPANY_NAME": "Umbrella"})
    knowledge.delete("CUSTOMERS", "C3")
    knowledge.insert("CUSTOMERS", {"CUSTOMER_ID": "C5", "COMPANY_NAME": "Hooli"})
    knowledge.delete("CUSTOMERS", "C5")  # inserted and deleted between two runs: never seen, never embedded

    assert knowledge.scheduled_run("CUSTOMERS") == 1
    assert set(knowledge.embeddings("CUSTOMERS")) == {"C1", "C4"}


def test_running_again_changes_nothing(knowledge):
    knowledge.insert("CUSTOMERS", *CUSTOMERS)
    knowledge.streams["CUSTOMERS"].capture()
    assert knowledge.run_task_body("CUSTOMERS") == 3
    first = knowledge.embeddings("CUSTOMERS")

    # A retry that sees the same stream again (its first run did not commit the offset) is a no-op...
    assert knowledge.run_task_body("CUSTOMERS") == 0
    assert knowledge.embeddings("CUSTOMERS") == first
    # ...and so is a run after the stream was consumed.
    knowledge.streams["CUSTOMERS"].consume()
    assert knowledge.run_task_body("CUSTOMERS") == 0
    assert knowledge.embeddings("CUSTOMERS") == first


def test_writing_embeddings_does_not_feed_the_stream_back(knowledge):
    _loaded(knowledge)
    assert knowledge.streams["CUSTOMERS"].capture() == 0


def test_a_new_model_re_embeds_the_rows_it_sees(knowledge):
    _loaded(knowledge)
    knowledge.update("CUSTOMERS", "C2", ANNUAL_CONTRACT_VALUE=1)
    assert knowledge.scheduled_run("CUSTOMERS", EmbeddingModel.SNOWFLAKE_ARCTIC_EMBED_M) == 1
    models = {entity: row["MODEL"] for entity, row in knowledge.embeddings("CUSTOMERS").items()}
    assert models == {"C1": "e5-base-v2", "C2": "snowflake-arctic-embed-m", "C3": "e5-base-v2"}


def test_cost_grows_with_changes_not_with_table_size(knowledge):
    knowledge.insert(
        "PRODUCTS", *({"PRODUCT_ID": f"P{i}", "PRODUCT_NAME": f"Product {i}"} for i in range(40))
    )
    assert knowledge.scheduled_run("PRODUCTS") == 40
    knowledge.update("PRODUCTS", "P7", DESCRIPTION="Now with forecasting")
    knowledge.update("PRODUCTS", "P8", LIFECYCLE_STATUS="retired")
    assert knowledge.scheduled_run("PRODUCTS") == 1
