-- A small SQLite CRM database in the layout of SuiteCRM's core tables (accounts, contacts,
-- leads, email_addresses and the email_addr_bean_rel link), for scripts/demo: built into
-- build/demo/crm.db with `sqlite3 build/demo/crm.db < examples/crm-sqlite/crm.sql` and scanned
-- read-only where it lies. Synthetic data as in the other examples (example.* domains, 555-01xx
-- and 020 7946 0xxx numbers). Seeded: birth dates and home addresses of contacts, two e-mail
-- addresses in one lead cell, a card number in a lead's description, NULLs and empty cells, a
-- binary photo BLOB; decoys: company names and addresses, products, created dates.
CREATE TABLE accounts (
  id TEXT PRIMARY KEY, name TEXT, account_type TEXT, industry TEXT,
  billing_address_street TEXT, billing_address_city TEXT, billing_address_country TEXT,
  phone_office TEXT, date_entered TEXT, deleted INTEGER NOT NULL DEFAULT 0);
INSERT INTO accounts VALUES
  ('a-001', 'Example Logistics Ltd', 'Customer', 'Transportation', '1 Harbour Road', 'Leeds',
   'United Kingdom', '+44 113 496 0000', '2024-02-01 09:00:00', 0),
  ('a-002', 'Sample Foods GmbH', 'Prospect', 'Food', 'Industriestraße 12', 'München', 'Germany',
   NULL, '2024-02-03 10:30:00', 0),
  ('a-003', 'Demo Retail Inc.', 'Customer', 'Retail', '100 Market Street', 'San Francisco',
   'USA', '+1 415 555 0100', '2024-02-05 11:15:00', 0);
CREATE TABLE contacts (
  id TEXT PRIMARY KEY, salutation TEXT, first_name TEXT, last_name TEXT, title TEXT,
  birthdate TEXT, phone_mobile TEXT, phone_work TEXT, primary_address_street TEXT,
  primary_address_city TEXT, primary_address_postalcode TEXT, primary_address_country TEXT,
  account_id TEXT, photo BLOB, date_entered TEXT, deleted INTEGER NOT NULL DEFAULT 0);
INSERT INTO contacts VALUES
  ('c-001', 'Ms.', 'Alice', 'Example', 'Buyer', '1984-06-12', '+44 7700 900123',
   '020 7946 0012', '14 Rosebery Avenue', 'London', 'EC1R 4TD', 'United Kingdom', 'a-001',
   X'89504E470D0A1A0A0000000D4948445200000001', '2024-03-01 08:00:00', 0),
  ('c-002', 'Mr.', 'James', 'Smith', 'Head of IT', '1979-11-30', '+1 415 555 0123', NULL,
   '742 Evergreen Terrace', 'Springfield', '97403', 'USA', 'a-003', NULL,
   '2024-03-02 08:00:00', 0),
  ('c-003', 'Mr.', 'Jürgen', 'Müller', 'Einkauf', NULL, '+49 1512 3456789', '+49 89 123456',
   'Hauptstraße 5', 'München', '80331', 'Germany', 'a-002', NULL, '2024-03-03 08:00:00', 0),
  ('c-004', 'Ms.', 'Mary', 'Johnson', '', '1990-02-17', '(415) 555-0187', '', '', '', '', 'USA',
   'a-003', NULL, '2024-03-04 08:00:00', 1),
  ('c-005', 'Ms.', 'Patricia', 'Brown', 'CFO', '1968-09-03', '+1 646 555 0142',
   '+1 646 555 0100', '350 Fifth Avenue', 'New York', '10118', 'USA', 'a-003', NULL,
   '2024-03-05 08:00:00', 0);
CREATE TABLE email_addresses (
  id TEXT PRIMARY KEY, email_address TEXT, email_address_caps TEXT, invalid_email INTEGER,
  opt_out INTEGER, date_created TEXT);
INSERT INTO email_addresses VALUES
  ('e-001', 'alice.example@example.co.uk', 'ALICE.EXAMPLE@EXAMPLE.CO.UK', 0, 0, '2024-03-01'),
  ('e-002', 'james.smith@example.com', 'JAMES.SMITH@EXAMPLE.COM', 0, 0, '2024-03-02'),
  ('e-003', 'j.mueller@example.de', 'J.MUELLER@EXAMPLE.DE', 0, 1, '2024-03-03'),
  ('e-004', 'mary.johnson@example.org', 'MARY.JOHNSON@EXAMPLE.ORG', 1, 0, '2024-03-04'),
  ('e-005', 'patricia.brown@example.net', 'PATRICIA.BROWN@EXAMPLE.NET', 0, NULL, '2024-03-05');
CREATE TABLE email_addr_bean_rel (
  id TEXT PRIMARY KEY, email_address_id TEXT, bean_id TEXT, bean_module TEXT,
  primary_address INTEGER);
INSERT INTO email_addr_bean_rel VALUES
  ('r-001', 'e-001', 'c-001', 'Contacts', 1), ('r-002', 'e-002', 'c-002', 'Contacts', 1),
  ('r-003', 'e-003', 'c-003', 'Contacts', 1), ('r-004', 'e-004', 'c-004', 'Contacts', 1),
  ('r-005', 'e-005', 'c-005', 'Contacts', 1);
CREATE TABLE leads (
  id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, phone_mobile TEXT,
  status TEXT, lead_source TEXT, description TEXT, date_entered TEXT);
INSERT INTO leads VALUES
  ('l-001', 'Linda', 'Garcia', 'linda.garcia@example.com; l.garcia@example.net',
   '+1 512 555 0199', 'New', 'Web Site', 'Wants a quote for 40 seats', '2024-04-01 10:00:00'),
  ('l-002', 'Robert', 'Miller', 'robert.miller@example.org', '', 'Assigned', 'Cold Call',
   'Paid the deposit by card 4111 1111 1111 1111, call back', '2024-04-02 10:00:00'),
  ('l-003', 'Susan', 'Taylor', '', '020 7946 0958', 'In Process', 'Partner', NULL,
   '2024-04-03 10:00:00'),
  ('l-004', 'David', 'Martinez', 'david.martinez@example.com', '+44 161 496 0321', 'Converted',
   'Email', '', '2024-04-04 10:00:00');
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, sku TEXT, list_price REAL,
  date_entered TEXT);
INSERT INTO products VALUES (1, 'CRM Seat (annual)', 'CRM-ANN', 480.0, '2023-12-01'),
  (2, 'Support Plan Gold', 'SUP-GLD', 1200.0, '2023-12-01'),
  (3, 'Onboarding Workshop', 'ONB-WS', 950.0, NULL);
CREATE VIEW active_contacts AS
  SELECT first_name, last_name, birthdate, primary_address_city FROM contacts WHERE deleted = 0;
