-- slot knowledge_schema: identifier
SELECT
    employee.EMPLOYEE_ID,
    employee.FULL_NAME,
    employee.WORK_EMAIL,
    employee.JOB_TITLE,
    employee.DEPARTMENT,
    employee.LOCATION,
    employee.SLACK_ID,
    manager.FULL_NAME AS MANAGER_NAME,
    COUNT(owned.CUSTOMER_ID) AS ACCOUNTS_OWNED
FROM {knowledge_schema}.EMPLOYEES AS employee
LEFT JOIN {knowledge_schema}.EMPLOYEES AS manager
    ON manager.EMPLOYEE_ID = employee.MANAGER_ID
LEFT JOIN {knowledge_schema}.CUSTOMERS AS owned
    ON owned.ACCOUNT_OWNER_ID = employee.EMPLOYEE_ID
GROUP BY
    employee.EMPLOYEE_ID,
    employee.FULL_NAME,
    employee.WORK_EMAIL,
    employee.JOB_TITLE,
    employee.DEPARTMENT,
    employee.LOCATION,
    employee.SLACK_ID,
    manager.FULL_NAME
