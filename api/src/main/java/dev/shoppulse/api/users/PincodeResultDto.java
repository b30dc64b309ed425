package dev.shoppulse.api.users;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The body of a {@code POST /v1/users/pincodes} answer: counts plus one line per item. */
public record PincodeResultDto(
        int received, int updated, int stale, int unknown, int invalid, List<Item> items) {

    /** What happened to the item at {@code index} of the request. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String email, String result, String reason) {}
}
