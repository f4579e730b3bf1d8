-- Job search (issue 14): GET /api/v1/jobs?q=<text> finds the jobs whose name, type, params (JSON
-- text) or error contain the text, ignoring case, fast at a million rows. A trigram GIN index
-- (pg_trgm, a trusted contrib extension since PostgreSQL 13: the database owner may create it)
-- serves ILIKE '%text%' on the four fields joined by the unit separator, exactly the expression of
-- search_jobs in queries/jobs.sql. Why trigrams and not tsvector: docs/search.md. The Oracle twin
-- is sql/oracle/V017__job_search.sql (Oracle Text).
-- Where pg_trgm is not installed the search still answers, by scanning; the notice says so.
do $$
begin
    create extension if not exists pg_trgm;
exception when others then
    raise notice 'pg_trgm is not available (%); job search scans the jobs until it is installed and '
        'jobs_search_ix created (docs/search.md)', sqlerrm;
end
$$;

do $$
begin
    if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        create index jobs_search_ix on jobs using gin (
            (name || E'\x1f' || type || E'\x1f' || params::text || E'\x1f' || coalesce(error, '')) gin_trgm_ops);
    end if;
end
$$;
