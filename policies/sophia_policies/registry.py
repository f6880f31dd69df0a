"""Every rule of the pack, in one list; a test fails when a family module's rules are not listed here."""

from .airbyte import AIRBYTE_RULES
from .audit import AUDIT_RULES
from .cost import COST_RULES
from .credentials import CREDENTIAL_RULES
from .durability import DURABILITY_RULES
from .flags import FLAG_RULES
from .implied_grants import IMPLIED_GRANT_RULES
from .lifecycle import LIFECYCLE_RULES
from .network_policies import NETWORK_POLICY_RULES
from .owner_rights import OWNER_RIGHTS_RULES
from .pii import PII_RULES
from .quality_gate import QUALITY_RULES
from .rbac import RBAC_RULES
from .real_account import REAL_ACCOUNT_RULES
from .row_access import ROW_ACCESS_RULES
from .secret_fields import SECRET_FIELD_RULES
from .security import SECURITY_RULES
from .semantic import SEMANTIC_RULES
from .tagging import TAGGING_RULES
from .users import USER_RULES

PACK_NAME = "sophia-snowflake-policies"

ALL_RULES = [
    *RBAC_RULES,
    *USER_RULES,
    *TAGGING_RULES,
    *PII_RULES,
    *DURABILITY_RULES,
    *COST_RULES,
    *SECURITY_RULES,
    *AIRBYTE_RULES,
    *QUALITY_RULES,
    *REAL_ACCOUNT_RULES,
    *SEMANTIC_RULES,
    *CREDENTIAL_RULES,
    *ROW_ACCESS_RULES,
    *AUDIT_RULES,
    *IMPLIED_GRANT_RULES,
    *OWNER_RIGHTS_RULES,
    *SECRET_FIELD_RULES,
    *NETWORK_POLICY_RULES,
    *LIFECYCLE_RULES,
    *FLAG_RULES,
]
