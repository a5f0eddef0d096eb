ALTER TABLE users ADD COLUMN été text;
COMMENT ON TABLE users IS '✓ café';
/* nested /* comment */ still */ SELECT 1;
