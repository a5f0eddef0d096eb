CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.deleted_at := NULL;
    RETURN NEW;
END
$$;
CREATE FUNCTION price_with_tax(p numeric, rate numeric DEFAULT 0.2) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS 'SELECT p * (1 + rate)';
CREATE TRIGGER product_touch BEFORE UPDATE ON product FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE product ENABLE ROW LEVEL SECURITY;
CREATE POLICY product_visible ON product FOR SELECT USING (deleted_at IS NULL);
ALTER TABLE product RENAME COLUMN deleted_at TO removed_at;
ALTER TABLE product DROP COLUMN tags;
