-- fuzz_lint found (reduced from a pg_dump-like input): a second OWNED BY
-- of a sequence replaced its owner row with INSERT OR REPLACE, whose
-- deleted row fired the trigger that drops the sequence, leaving the new
-- row pointing at nothing (MIGSAFE_CHECK_CATALOG aborts on that).
CREATE TABLE public.task_execution_logs (
    log_id integer NOT NULL,
    created_time timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.task_execution_logs_log_id_seq
    CACHE 1;
ALTER SEQUENCE public.task_execution_logs_log_id_seq OWNED BY public.task_execution_logs.log_id;
ALTER SEQUENCE public.task_execution_logs_log_id_seq OWNED BY public.task_execution_logs.log_id;
