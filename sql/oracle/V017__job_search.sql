-- Job search (issue 14): the twin of sql/postgres/V017__job_search.sql. GET /api/v1/jobs?q=<text>
-- finds the jobs whose name, type, params or error contain the text, ignoring case.
-- Oracle Text (CONTEXT index) over search_text: the four fields lower case, joined by chr(31) (the
-- lexer splits there, and no search contains it). The wordlist's substring index serves the
-- '%word%' terms search_jobs asks for; search_jobs then checks the whole text exactly in
-- search_text. SYNC (ON COMMIT): a job is found as soon as it commits, and no scheduler job is needed.
-- Needs Oracle Text (CTXSYS, in every edition; not in "slim" container images) and
-- EXECUTE ON CTXSYS.CTX_DDL for the preferences (docs/oracle-install.md).
alter table jobs add (search_text clob);

update jobs set search_text = lower(to_clob(name) || chr(31) || type || chr(31) || params || chr(31) || error);
commit;

-- name, type and params never change after the insert; error does (a failure, a retry clears it).
create or replace trigger jobs_search_text
before insert or update of name, type, params, error on jobs
for each row
begin
    :new.search_text := lower(to_clob(:new.name) || chr(31) || :new.type || chr(31) || :new.params || chr(31)
                              || :new.error);
end;
/

begin
    ctx_ddl.create_preference('jobflow_search_lexer', 'BASIC_LEXER');
    ctx_ddl.set_attribute('jobflow_search_lexer', 'MIXED_CASE', 'NO');
    ctx_ddl.create_preference('jobflow_search_wordlist', 'BASIC_WORDLIST');
    ctx_ddl.set_attribute('jobflow_search_wordlist', 'SUBSTRING_INDEX', 'TRUE');
end;
/

create index jobs_search_ix on jobs (search_text) indextype is ctxsys.context
    parameters ('lexer jobflow_search_lexer wordlist jobflow_search_wordlist stoplist ctxsys.empty_stoplist sync (on commit)');
