-- Nested comments on posts (dev.shoppulse.sql.CommentSql; API /v1/posts/{postId}/comments).
--
-- ltree is installed into public, not into ShopPulse's schema: an extension exists once per
-- database, so installing it into one schema would tie every other schema's comments to it (and
-- dropping that schema would drop their column type). Everything below names it public.ltree, and
-- the queries only use ltree through its default btree ordering, which needs no search_path.
CREATE EXTENSION IF NOT EXISTS ltree SCHEMA public;

CREATE SEQUENCE comment_ids;

-- path: the ids from the top-level comment down to this one, each label the id zero-padded to 12
-- digits so that ltree's label-by-label text ordering is numeric order: sorting a thread by path is
-- a depth-first walk with siblings oldest first.
-- root_id: the top-level comment of the thread (itself for a top-level comment).
-- reply_count: direct replies, kept by the insert (the parent row is locked and counted in the
-- same transaction), so "more replies" stubs need no counting query.
-- Soft delete: body NULL and deleted_at set; the row stays so replies keep their place.
CREATE TABLE comments (
    comment_id  bigint      PRIMARY KEY DEFAULT nextval('comment_ids'),
    post_id     text        NOT NULL,
    parent_id   bigint      REFERENCES comments (comment_id),
    root_id     bigint      NOT NULL,
    path        public.ltree NOT NULL,
    depth       int         NOT NULL CHECK (depth >= 0),
    author      text        NOT NULL,
    body        text,
    reply_count int         NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    CHECK ((parent_id IS NULL) = (depth = 0)),
    CHECK ((body IS NULL) = (deleted_at IS NOT NULL))
);
ALTER SEQUENCE comment_ids OWNED BY comments.comment_id;

-- A thread page: the page's top-level comments newest first, each thread depth-first. One index
-- range scan over (post_id, root_id range) returns the rows already in page order.
CREATE INDEX comments_thread ON comments (post_id, root_id DESC, path);

-- Keyset pagination over top-level comments.
CREATE INDEX comments_roots ON comments (post_id, comment_id DESC) WHERE parent_id IS NULL;

-- The recursive-CTE baseline of the benchmark (and FK checks on delete) walk parent_id.
CREATE INDEX comments_parent ON comments (parent_id);
