-- slot role: name_literal
IS_ROLE_IN_SESSION({role})
