package dev.shoppulse.jobs.pincodes;

import dev.shoppulse.common.events.PincodeUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of pincode updates for one statement, as parallel arrays (one entry per email, sorted by
 * email) so Flink serializes it without Kryo; each update keeps the Kafka position it was read from
 * ({@code -1} when unknown) so a rejected one can cite it.
 */
public record PincodeBatch(
        String[] emails, String[] pincodes, String[] occurredAt, int[] partitions, long[] offsets) {

    public static PincodeBatch of(List<SourcedPincodeUpdate> sortedUnique) {
        int n = sortedUnique.size();
        String[] e = new String[n];
        String[] p = new String[n];
        String[] t = new String[n];
        int[] partitions = new int[n];
        long[] offsets = new long[n];
        for (int k = 0; k < n; k++) {
            SourcedPincodeUpdate s = sortedUnique.get(k);
            PincodeUpdate u = s.update();
            e[k] = u.email();
            p[k] = u.pincode();
            t[k] = u.occurredAt().toString();
            partitions[k] = s.partition();
            offsets[k] = s.offset();
        }
        return new PincodeBatch(e, p, t, partitions, offsets);
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

    /** The updates with their Kafka positions. */
    public List<SourcedPincodeUpdate> sourced() {
        List<PincodeUpdate> updates = updates();
        List<SourcedPincodeUpdate> out = new ArrayList<>(updates.size());
        for (int k = 0; k < updates.size(); k++) {
            out.add(new SourcedPincodeUpdate(updates.get(k), partitions[k], offsets[k]));
        }
        return out;
    }
}
