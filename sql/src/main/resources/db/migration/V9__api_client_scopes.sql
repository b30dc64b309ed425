-- API clients carry scopes: what a client may do (the API's route table names the scope each route
-- needs). Existing clients get none, so a key never gains rights by a migration; grant them with
-- UPDATE api_clients SET scopes = '{quotes,reports}' WHERE client_id = '...'.
ALTER TABLE api_clients
    ADD COLUMN scopes text[] NOT NULL DEFAULT '{}'
        CHECK (array_position(scopes, NULL) IS NULL
               AND array_to_string(scopes, ' ') ~ '^([a-z][a-z0-9:_-]{0,31}( |$))*$');
