-- Created through the search path: the sequence is in billing all the same.
SET search_path TO billing, public;
CREATE TABLE payment (id serial PRIMARY KEY, invoice_id bigint REFERENCES invoice);
RESET search_path;

-- The sequence name is cut to 63 bytes (the table name loses bytes, the
-- column name and "_seq" are kept), and a taken name gets a digit.
CREATE TABLE billing."A_Table_Name_That_Is_Deliberately_Longer_Than_Sixty_Three_Bytes" (
    id serial PRIMARY KEY
);
CREATE TABLE billing.refund_id_seq (x int PRIMARY KEY);
CREATE TABLE billing.refund (id serial PRIMARY KEY);
