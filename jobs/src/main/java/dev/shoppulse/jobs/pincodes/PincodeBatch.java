package dev.shoppulse.jobs.pincodes;

import dev.shoppulse.common.events.PincodeUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of pincode updates for one statement, as parallel arrays (one entry per email, sorted by
 * email) so Flink serializes it without Kryo.
 */
public record PincodeBatch(String[] emails, String[] pincodes, String[] occurredAt) {

    public static PincodeBatch of(List<PincodeUpdate> sortedUnique) {
        int n = sortedUnique.size();
        String[] e = new String[n];
        String[] p = new String[n];
        String[] t = new String[n];
        for (int k = 0; k < n; k++) {
            PincodeUpdate u = sortedUnique.get(k);
            e[k] = u.email();
            p[k] = u.pincode();
            t[k] = u.occurredAt().toString();
        }
        return new PincodeBatch(e, p, t);
    }

    public int size() {
        return emails.length;
    }

    public List<PincodeUpdate> updates() {
        List<PincodeUpdate> out = new ArrayList<>(emails.length);
        for (int k = 0; k < emails.length; k++) {
            out.add(new PincodeUpdate(emails[k], pincodes[k], Instant.parse(occurredAt[k])));
        }
        return out;
    }
}
