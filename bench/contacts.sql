-- The synthetic CRM contacts table of the PostgreSQL benchmarks (bench/pg_run, bench/pg_impact):
-- psql -v rows=N -f bench/contacts.sql. Seven columns of the shapes a CRM holds (names, e-mail,
-- phone, free-text notes, a timestamp), N rows, analysed.
CREATE TABLE contacts AS
SELECT g AS id,
       'First' || (g % 997) AS first_name,
       'Last' || (g % 1009) AS last_name,
       'user' || g || '@example.com' AS email,
       '+44 20 7946 ' || lpad((g % 1000)::text, 4, '0') AS phone,
       'Customer since ' || (2000 + g % 25) || ', prefers email' AS notes,
       now() - (g % 3650) * interval '1 day' AS created_at
FROM generate_series(1, :rows) AS g;
ANALYZE contacts;
