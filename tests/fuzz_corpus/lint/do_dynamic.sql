DO $do$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN x int', r.tablename);
  END LOOP;
  IF EXISTS (SELECT 1) THEN
    ALTER TABLE users ALTER COLUMN email TYPE varchar(100);
  ELSE
    DROP TABLE orders;
  END IF;
END
$do$;
