DO $$
BEGIN
    perties (k, v) VALU;
END
$$;
