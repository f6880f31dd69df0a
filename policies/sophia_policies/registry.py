"""Every rule of the pack, in one list; a test fails when a family module's rules are not listed here."""

from .airbyte import AIRBYTE_RULES
from .cost import COST_RULES
from .durability import DURABILITY_RULES
from .pii import PII_RULES
from .quality import QUALITY_RULES
from .rbac import RBAC_RULES
from .real_account import REAL_ACCOUNT_RULES
from .security import SECURITY_RULES
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
]
