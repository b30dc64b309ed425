-- Users, unique by email case-insensitively, with the pincode that PincodeUpdateJob and
-- POST /v1/users/pincodes write in set-based batches (dev.shoppulse.sql.PincodeSql).
--
-- pincode_updated_at is the occurredAt of the update that set the pincode: every write is guarded
-- by it (later occurredAt wins, ties broken by the larger pincode), so a replayed or reordered
-- batch never moves a user back to an older pincode.
--
-- fillfactor 90 leaves room on each page so that a pincode update (no indexed column changes) is
-- a HOT update: the row version stays on its page and the email index is not touched, which keeps
-- bulk updates cheap and the index free of bloat.
CREATE TABLE users (
    user_id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email              text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    pincode            text        CHECK (pincode ~ '^[1-9][0-9]{5}$'),
    pincode_updated_at timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((pincode IS NULL) = (pincode_updated_at IS NULL))
) WITH (fillfactor = 90);

-- Case-insensitive uniqueness, and the index the batch join probes with lower(email).
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
