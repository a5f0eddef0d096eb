-- DROP TYPE/DOMAIN ... CASCADE drops the columns of that type.
DROP TYPE inventory.grade CASCADE;
DROP DOMAIN positive_amount CASCADE;
DROP TYPE dimensions CASCADE;
CREATE TYPE inventory.grade AS ENUM ('x', 'y', 'z');
ALTER TABLE inventory.stock ADD COLUMN g inventory.grade NOT NULL DEFAULT 'x';
