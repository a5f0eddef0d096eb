-- Later migrations refer to the generated names.
ALTER TABLE account DROP CONSTRAINT account_score_check1;
ALTER TABLE account DROP CONSTRAINT account_email_key;
ALTER TABLE account RENAME CONSTRAINT account_check TO account_age_or_score_check;
ALTER INDEX member_account_id_idx1 RENAME TO member_account_id_dup_idx;
DROP INDEX account_expr_idx;
DROP INDEX account_lower_upper_idx;
ALTER SEQUENCE account_big_id_seq RESTART WITH 100;
ALTER TABLE member DROP CONSTRAINT member_account_code_account_email_fkey;
ALTER TABLE member DROP CONSTRAINT member_handle_check;
ALTER TABLE ticket VALIDATE CONSTRAINT ticket_id_fkey;
ALTER TABLE a_table_name_that_is_deliberately_much_longer_than_sixty_three_b
    DROP CONSTRAINT a_table_name_that_is_deliberately_much_longer_th_short_col_fkey;
ALTER TABLE account ALTER COLUMN small DROP DEFAULT;
DROP SEQUENCE account_small_seq;
-- CASCADE: the foreign keys that reference the key go with it.
ALTER TABLE team DROP CONSTRAINT team_pkey1 CASCADE;
ALTER TABLE team ADD PRIMARY KEY (id, n);
ALTER TABLE tag RENAME CONSTRAINT tag_name_uidx TO tag_pkey;
ALTER TABLE "ééééééééééééééééééééééééééééééééé" ADD COLUMN n int;
