-- A column Name: poll_data_update_check(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.poll_data_update_check() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF(NEW.json_data::json ->> 'lastPollTime')::BIGINT < (OLD.json_data::json ->> 'lastPollTime')::BIGINT THEN
        RAISE EXCEPTION 'lastPollTime cannot be set to a lower value';
    END IF;
    RETURN NEW;
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: event_execution; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_execution (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    event_handler_name character varying(255) NOT NULL,
    event_name character varying(255) NOT NULL,
    message_id character varying(255) NOT NULL,
    execution_id character varying(255) NOT NULL,
    json_data text NOT NULL
);


--
-- Name: file_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.file_metadata (
    file_id character varying(255) NOT NULL,
    file_name character varying(1024) NOT NULL,
    content_type character varying(255) NOT NULL,
    storage_content_hash character varying(255),
    storage_content_size bigint,
    storage_type character varying(50) NOT NULL,
    storage_path character varying(2048) NOT NULL,
    upload_status character varying(50) DEFAULT 'UPLOADING'::character varying NOT NULL,
    workflow_id character varying(255) NOT NULL,
    task_id character varying(255),
    created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: locks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.locks (
    lock_id character varying NOT NULL,
    lease_expiration timestamp with time zone NOT NULL
);


--
-- Name: meta_event_handler; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meta_event_handler (
    id integer NOT NULL,
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    name character varying(255) NOT NULL,
    event character varying(255) NOT NULL,
    active boolean NOT NULL,
    json_data text NOT NULL
);


--
-- Name: meta_event_handler_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meta_event_handler_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meta_event_handler_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meta_event_handler_id_seq OWNED BY public.meta_event_handler.id;


--
-- Name: meta_task_def; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meta_task_def (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    name character varying(255) NOT NULL,
    json_data text NOT NULL
);


--
-- Name: meta_workflow_def; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meta_workflow_def (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    name character varying(255) NOT NULL,
    version integer NOT NULL,
    latest_version integer DEFAULT 0 NOT NULL,
    json_data text NOT NULL
);


--
-- Name: poll_data; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.poll_data (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    queue_name character varying(255) NOT NULL,
    domain character varying(255) NOT NULL,
    json_data text NOT NULL
);


--
-- Name: queue; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.queue (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    queue_name character varying(255) NOT NULL
);


--
-- Name: queue_message; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.queue_message (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    deliver_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    queue_name character varying(255) NOT NULL,
    message_id character varying(255) NOT NULL,
    priority integer DEFAULT 0,
    popped boolean DEFAULT false,
    offset_time_seconds bigint,
    payload text
);


--
-- Name: skill_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.skill_metadata (
    name character varying(255) NOT NULL,
    version character varying(255) NOT NULL,
    is_latest boolean DEFAULT false NOT NULL,
    detail_json text NOT NULL,
    created_at bigint,
    updated_at bigint
);


--
-- Name: skill_package; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.skill_package (
    handle character varying(255) NOT NULL,
    data text NOT NULL,
    size_bytes bigint,
    created_at bigint
);


--
-- Name: task; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    task_id character varying(255) NOT NULL,
    json_data text NOT NULL
);


--
-- Name: task_execution_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_execution_logs (
    log_id integer NOT NULL,
    task_id character varying(255) NOT NULL,
    log text NOT NULL,
    created_time timestamp with time zone NOT NULL
);


--
-- Name: task_execution_logs_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.task_execution_logs_log_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: task_execution_logs_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.task_execution_logs_log_id_seq OWNED BY public.task_execution_logs.log_id;


--
-- Name: task_in_progress; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_in_progress (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    task_def_name character varying(255) NOT NULL,
    task_id character varying(255) NOT NULL,
    workflow_id character varying(255) NOT NULL,
    in_progress_status boolean DEFAULT false NOT NULL
);


--
-- Name: task_index; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_index (
    task_id character varying(255) NOT NULL,
    task_type text NOT NULL,
    task_def_name text NOT NULL,
    status character varying(32) NOT NULL,
    start_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    workflow_type character varying(128) NOT NULL,
    json_data jsonb NOT NULL,
    end_time timestamp with time zone DEFAULT '1970-01-01 00:00:00+00'::timestamp with time zone NOT NULL
);


--
-- Name: task_scheduled; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_scheduled (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_id character varying(255) NOT NULL,
    task_key character varying(255) NOT NULL,
    task_id character varying(255) NOT NULL
);


--
-- Name: workflow; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_id character varying(255) NOT NULL,
    correlation_id character varying(255),
    json_data text NOT NULL
);


--
-- Name: workflow_def_to_workflow; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_def_to_workflow (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_def character varying(255) NOT NULL,
    date_str character varying(60) NOT NULL,
    workflow_id character varying(255) NOT NULL
);


--
-- Name: workflow_index; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_index (
    workflow_id character varying(255) NOT NULL,
    correlation_id character varying(128),
    workflow_type character varying(128) NOT NULL,
    start_time timestamp with time zone NOT NULL,
    status character varying(32) NOT NULL,
    json_data jsonb NOT NULL,
    update_time timestamp with time zone DEFAULT '1970-01-01 00:00:00+00'::timestamp with time zone NOT NULL,
    parent_workflow_id character varying(255) DEFAULT ''::character varying NOT NULL,
    classifier character varying(255),
    end_time timestamp with time zone DEFAULT '1970-01-01 00:00:00+00'::timestamp with time zone NOT NULL
);


--
-- Name: workflow_pending; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_pending (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_type character varying(255) NOT NULL,
    workflow_id character varying(255) NOT NULL
);


--
-- Name: workflow_to_task; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_to_task (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_id character varying(255) NOT NULL,
    task_id character varying(255) NOT NULL
);


--
-- Name: meta_event_handler id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tamp without time zone DEFAULT CURRENT_TIMESTAMP,
    name character varying(255) NOT NULL,
    version integer NOT NULL,
    latest_version integer DEFAULT 0 NOT NULL,
    json_data text NOT NULL
);


--
-- Name: poll_data; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.poll_data (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    queue_name character varying(255) NOT NULL,
    domain character varying(255) NOT NULL,
    json_data text NOT NULL
);


--
-- Name: queue; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.queue (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    queue_name character varying(255) NOT NULL
);


--
-- Name: queue_message; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.queue_message (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    deliver_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    queue_name character varying(255) NOT NULL,
    message_id character varying(255) NOT NULL,
    priority integer DEFAULT 0,
    popped boolean DEFAULT false,
    offset_time_seconds bigint,
    payload text
);


--
-- Name: skill_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.skill_metadata (
    name character varying(255) NOT NULL,
    version character varying(255) NOT NULL,
    is_latest boolean DEFAULT false NOT NULL,
    detail_json text NOT NULL,
    created_at bigint,
    updated_at bigint
);


--
-- Name: skill_package; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.skill_package (
    handle character varying(255) NOT NULL,
    data text NOT NULL,
    size_bytes bigint,
    created_at bigint
);


--
-- Name: task; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    task_id character varying(255) NOT NULL,
    json_data text NOT NULL
);


--
-- Name: task_execution_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_execution_logs (
    log_id integer NOT NULL,
    task_id character varying(255) NOT NULL,
    log text NOT NULL,
    created_time timestamp with time zone NOT NULL
);


--
-- Name: task_execution_logs_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.task_execution_logs_log_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: task_execution_logs_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.task_execution_logs_log_id_seq OWNED BY public.task_execution_logs.log_id;


--
-- Name: task_in_progress; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_in_progress (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    task_def_name character varying(255) NOT NULL,
    task_id character varying(255) NOT NULL,
    workflow_id character varying(255) NOT NULL,
    in_progress_status boolean DEFAULT false NOT NULL
);


--
-- Name: task_index; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_index (
    task_id character varying(255) NOT NULL,
    task_type text NOT NULL,
    task_def_name text NOT NULL,
    status character varying(32) NOT NULL,
    start_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    workflow_type character varying(128) NOT NULL,
    json_data jsonb NOT NULL,
    end_time timestamp with time zone DEFAULT '1970-01-01 00:00:00+00'::timestamp with time zone NOT NULL
);


--
-- Name: task_scheduled; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_scheduled (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_id character varying(255) NOT NULL,
    task_key character varying(255) NOT NULL,
    task_id character varying(255) NOT NULL
);


--
-- Name: workflow; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_id character varying(255) NOT NULL,
    correlation_id character varying(255),
    json_data text NOT NULL
);


--
-- Name: workflow_def_to_workflow; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_def_to_workflow (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_def character varying(255) NOT NULL,
    date_str character varying(60) NOT NULL,
    workflow_id character varying(255) NOT NULL
);


--
-- Name: workflow_index; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_index (
    workflow_id character varying(255) NOT NULL,
    correlation_id character varying(128),
    workflow_type character varying(128) NOT NULL,
    start_time timestamp with time zone NOT NULL,
    status character varying(32) NOT NULL,
    json_data jsonb NOT NULL,
    update_time timestamp with time zone DEFAULT '1970-01-01 00:00:00+00'::timestamp with time zone NOT NULL,
    parent_workflow_id character varying(255) DEFAULT ''::character varying NOT NULL,
    classifier character varying(255),
    end_time timestamp with time zone DEFAULT '1970-01-01 00:00:00+00'::timestamp with time zone NOT NULL
);


--
-- Name: workflow_pending; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_pending (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_type character varying(255) NOT NULL,
    workflow_id character varying(255) NOT NULL
);


--
-- Name: workflow_to_task; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_to_task (
    created_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    modified_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    workflow_id character varying(255) NOT NULL,
    task_id character varying(255) NOT NULL
);


--
-- Name: meta_event_handler id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta_event_handler ALTER COLUMN id SET DEFAULT nextval('public.meta_event_handler_id_seq'::regclass);


--
-- Name: task_execution_logs log_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_execution_logs ALTER COLUMN log_id SET DEFAULT nextval('public.task_execution_logs_log_id_seq'::regclass);


--
-- Name: event_execution event_execution_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_execution
    ADD CONSTRAINT event_execution_pkey PRIMARY KEY (event_handler_name, event_name, execution_id);


--
-- Name: file_metadata file_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file_metadata
    ADD CONSTRAINT file_metadata_pkey PRIMARY KEY (file_id);


--
-- Name: locks locks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.locks
    ADD CONSTRAINT locks_pkey PRIMARY KEY (lock_id);


--
-- Name: meta_event_handler meta_event_handler_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta_event_handler
    ADD CONSTRAINT meta_event_handler_pkey PRIMARY KEY (id);


--
-- Name: meta_task_def meta_task_def_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta_task_def
    ADD CONSTRAINT meta_task_def_pkey PRIMARY KEY (name);


--
-- Name: meta_workflow_def meta_workflow_def_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta_workflow_def
    ADD CONSTRAINT meta_workflow_def_pkey PRIMARY KEY (name, version);


--
-- Name: poll_data poll_data_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.poll_data
    ADD CONSTRAINT poll_data_pkey PRIMARY KEY (queue_name, domain);


--
-- Name: queue_message queue_message_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.queue_message
    ADD CONSTRAINT queue_message_pkey PRIMARY KEY (queue_name, message_id);


--
-- Name: queue queue_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.queue
    ADD CONSTRAINT queue_pkey PRIMARY KEY (queue_name);


--
-- Name: skill_metadata skill_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.skill_metadata
    ADD CONSTRAINT skill_metadata_pkey PRIMARY KEY (name, version);


--
-- Name: skill_package skill_package_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.skill_package
    ADD CONSTRAINT skill_package_pkey PRIMARY KEY (handle);


--
-- Name: task_execution_logs task_execution_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_execution_logs
    ADD CONSTRAINT task_execution_logs_pkey PRIMARY KEY (log_id);


--
-- Name: task_in_progress task_in_progress_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_in_progress
    ADD CONSTRAINT task_in_progress_pkey PRIMARY KEY (task_def_name, task_id);


--
-- Name: task_index task_index_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_index
    ADD CONSTRAINT task_index_pkey PRIMARY KEY (task_id);


--
-- Name: task task_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLwith the old name a-- AlterTable
ALTER TABLE "Template" ADDdded to another table does not help.
CREATE TABLE users (if bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE contact     "visibility" "Documents (id bigint PRIMARY KEY, phone tezt);
--FULL fixture: lint
SET lock_timeBETWEEN0s';
ALTER TABLmeta_event_handler ALTER COLUMN id SET DEFAULT nextval('public.meta_event_handler_id_seq'::regclass);


--
-- Name: task_execution_logs log_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_execution_logs ALTER COLUMN log_id SET DEFAULT nextval('public.task_execution_logs_log_id_seq'::regclass);


--
-- Name: event_execution event_execution_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_execution
    ADD CONSTRAINT event_execution_pkey PRIMARY KEY (event_handler_name, event_name, execution_id);


--
-- Name: file_metadata file_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file_metadata
    ADD CONSTRAINT file_metadata_pkey PRIMARY KEY (file_id);


--
-- Name: locks locks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.locks
    ADD CONSTRAINT locks_pkey PRIMARY KEY (lock_id);


--
-- Name: meta_event_handler meta_event_handler_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta_event_handler
    ADD CONSTRAINT meta_event_handler_pkey PRIMARY KEY (id);


--
-- Name: meta_task_def meta_task_def_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta_task_def
    ADD CONSTRAINT meta_task_def_pkey PRIMARY KEY (name);


--
-- Name: meta_workflow_def meta_workflow_def_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta_workflow_def
    ADD CONSTRAINT meta_workflow_def_pkey PRIMARY KEY (name, version);


--
-- Name: poll_data poll_data_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.poll_data
    ADD CONSTRAINT poll_data_pkey PRIMARY KEY (queue_name, domain);


--
-- Name: queue_message queue_message_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.queue_message
    ADD CONSTRAINT queue_message_pkey PRIMARY KEY (queue_name, message_id);


--
-- Name: queue queue_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.queue
    ADD CONSTRAINT queue_pkey PRIMARY KEY (queue_name);


--
-- Name: skill_metadata skill_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.skill_metadata
    ADD CONSTRAINT skill_metadata_pkey PRIMARY KEY (name, version);


--
-- Name: skill_package skill_package_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.skill_package
    ADD CONSTRAINT skill_package_pkey PRIMARY KEY (handle);


--
-- Name: task_execution_logs task_execution_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_execution_logs
    ADD CONSTRAINT task_execution_logs_pkey PRIMARY KEY (log_id);


--
-- Name: task_in_progress task_in_progress_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_in_progress
    ADD CONSTRAINT task_in_progress_pkey PRIMARY KEY (task_def_name, task_id);


--
-- Name: task_index task_index_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_index
    ADD CONSTRAINT task_index_pkey PRIMARY KEY (task_id);


--
-- Name: task task_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLwith the old name a-- AlterTable
ALTER TABLE "Template" ADDdded to another table does not help.
CREATE TABLE users (if bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE contact     "visibility" "Documents (id bigint PRIMARY KEY, phone tezt);
--FULL fixture: lint
SET lock_timeBETWEEN0s';
ALTER TABLE users RENAME COLUMN email TO email_address;
ALTER TABLE contacts ADD COLUMN email text;
*
 * expect:
 * 2:1: warning[rename-column]: "users"."emVisibiliCOLUMN     "visibility" "Documents (id bigint PRIMARY KEY, phone tezt);
--FULL fixture: lint
SET lock_timeBETWEEN0s';
ALTER TABLE users RENAME COLUMN email TO email_address;
ALTER TABLE contacts ADD COLUMN email text;
*
 * expect:
 * 2:1: warning[rename-column]: "users"."emVisibility" NOT NULL Dail"
 EFAULT 'EVERYONE"."*/';

