-- Sample CRM database schema. Loaded by scripts/pg-sandbox load into database "crm".
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE SCHEMA crm AUTHORIZATION crm_owner;
SET search_path = crm, public;

CREATE TABLE accounts (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  industry    text,
  country     text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz
);

CREATE TABLE users (
  id               integer PRIMARY KEY,
  username         text NOT NULL UNIQUE,
  email            text NOT NULL,
  password_hash    text NOT NULL,      -- bcrypt via pgcrypto crypt()
  legacy_password  text,               -- seeded: passwords in plaintext
  created_at       timestamptz NOT NULL,
  is_deleted       boolean NOT NULL DEFAULT false  -- soft delete flag, no modification column
);

CREATE TABLE contacts (
  id               integer PRIMARY KEY,
  account_id       integer REFERENCES accounts(id),
  first_name       text,
  last_name        text,
  email            text,
  phone            text,
  birthday         date,
  national_id_enc  bytea,              -- pgp_sym_encrypt(resident id): must not be flagged
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz,
  last_contact_at  timestamptz,
  deleted_at       timestamptz,        -- soft delete
  is_archived      boolean NOT NULL DEFAULT false  -- soft delete flag, judged by updated_at
);

CREATE TABLE leads (
  id                integer PRIMARY KEY,
  full_name         text,
  email             text,
  phone             text,
  id_card           text,              -- seeded: resident ID numbers in clear
  source            text,
  created_at        timestamptz NOT NULL,
  last_activity_at  timestamptz        -- seeded: many leads untouched for years
);

CREATE TABLE opportunities (
  id          integer PRIMARY KEY,
  account_id  integer REFERENCES accounts(id),
  contact_id  integer REFERENCES contacts(id),
  title       text,
  amount      numeric(12,2),
  stage       text,
  created_at  timestamptz NOT NULL,
  closed_at   timestamptz
);

CREATE TABLE activities (
  id           integer NOT NULL,
  contact_id   integer,
  kind         text,
  notes        text,
  meta         jsonb,
  tags         text[],
  occurred_at  timestamptz NOT NULL
) PARTITION BY RANGE (occurred_at);
CREATE TABLE activities_2024 PARTITION OF activities FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE activities_2025 PARTITION OF activities FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE activities_rest PARTITION OF activities DEFAULT;

CREATE TABLE consents (
  id            integer PRIMARY KEY,
  contact_id    integer REFERENCES contacts(id),
  purpose       text NOT NULL,
  granted_at    timestamptz NOT NULL,
  withdrawn_at  timestamptz,
  ip_address    inet
);

-- Consumer customers of the shop: names, postal addresses and phones written the national way
-- (no country code: the country is in its own column), as CRM users type them.
CREATE TABLE customers (
  id              integer PRIMARY KEY,
  first_name      text NOT NULL,
  last_name       text NOT NULL,
  street          text,
  postal_code     text,
  city            text,
  country         text NOT NULL,      -- ISO 3166 alpha-2
  phone           text,               -- national format, no country code
  email           text,
  customer_since  date,               -- not a birth date
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz
);

-- The sales team, with birth dates (HR data kept in the CRM).
CREATE TABLE staff (
  id          integer PRIMARY KEY,
  first_name  text NOT NULL,
  last_name   text NOT NULL,
  email       text NOT NULL,
  birth_date  date,
  hire_date   date NOT NULL,          -- not a birth date
  department  text
);

CREATE VIEW contact_directory AS
  SELECT first_name, last_name, email, phone FROM contacts WHERE deleted_at IS NULL;

-- Identifiers that need quoting everywhere: spaces, quotes, Chinese, SQL keywords.
CREATE SCHEMA "海外 Sales" AUTHORIZATION crm_owner;
CREATE TABLE "海外 Sales"."Kunden ""VIP"" select" (
  "order"   integer PRIMARY KEY,
  "e-mail"  text,
  "user"    text,
  "备注"    text
);

ALTER TABLE accounts OWNER TO crm_owner;
ALTER TABLE users OWNER TO crm_owner;
ALTER TABLE contacts OWNER TO crm_owner;
ALTER TABLE leads OWNER TO crm_owner;
ALTER TABLE opportunities OWNER TO crm_owner;
ALTER TABLE activities OWNER TO crm_owner;
ALTER TABLE consents OWNER TO crm_owner;
ALTER TABLE customers OWNER TO crm_owner;
ALTER TABLE staff OWNER TO crm_owner;
ALTER VIEW contact_directory OWNER TO crm_owner;
ALTER TABLE "海外 Sales"."Kunden ""VIP"" select" OWNER TO crm_owner;

-- Seeded (AC-06): a SECURITY DEFINER function owned by the superuser that loads this file,
-- without a fixed search_path, executable by PUBLIC (the default for a new function).
CREATE FUNCTION crm.account_contact_count(p_account integer) RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER
  AS $$ SELECT count(*) FROM crm.contacts WHERE account_id = p_account $$;

-- Seeded (EXT-01): file_fdw reads files on the database server (PostgreSQL contrib).
CREATE EXTENSION IF NOT EXISTS file_fdw;
