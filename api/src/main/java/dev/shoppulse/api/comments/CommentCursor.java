package dev.shoppulse.api.comments;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque keyset cursor of a thread page: the id of the last top-level comment shown. New
 * top-level comments get larger ids, so they land before page one and never shift later pages.
 */
public final class CommentCursor {
    private static final String PREFIX = "c1:";

    private CommentCursor() {}

    public static String encode(long lastRootId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + lastRootId).getBytes(StandardCharsets.UTF_8));
    }

    /** The id to continue below; {@code Long.MAX_VALUE} for no cursor. */
    public static long decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!s.startsWith(PREFIX)) {
                throw new IllegalArgumentException("not a comment cursor");
            }
            long id = Long.parseLong(s.substring(PREFIX.length()));
            if (id <= 0) {
                throw new IllegalArgumentException("not a comment cursor");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is malformed", e);
        }
    }
}
