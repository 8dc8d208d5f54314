-- Privileges of the sample CRM database, with seeded problems (see README.md).
-- The application role reads and writes everything in crm.
GRANT USAGE ON SCHEMA crm, "海外 Sales" TO crm_sales;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA crm TO crm_sales;
-- Seeded: PUBLIC may read contacts.
GRANT USAGE ON SCHEMA crm TO PUBLIC;
GRANT SELECT ON crm.contacts TO PUBLIC;
-- Seeded: PUBLIC may create objects in schema crm.
GRANT CREATE ON SCHEMA crm TO PUBLIC;
-- The auditor (docs/auditor-role.md): read-only on the CRM schemas.
GRANT USAGE ON SCHEMA crm, "海外 Sales" TO auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA crm, "海外 Sales" TO auditor;
