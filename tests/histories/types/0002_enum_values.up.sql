-- Enum values in sort order after ADD VALUE BEFORE/AFTER and RENAME VALUE.
ALTER TYPE status ADD VALUE 'shipped' AFTER 'paid';
ALTER TYPE status ADD VALUE 'pending' BEFORE 'paid';
ALTER TYPE status ADD VALUE IF NOT EXISTS 'new';
ALTER TYPE status ADD VALUE 'void';
ALTER TYPE status ADD VALUE 'draft' BEFORE 'new';
ALTER TYPE status RENAME VALUE 'new' TO 'created';
