package dev.shoppulse.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.serde.DeadLetter;
import org.junit.jupiter.api.Test;

/**
 * Dead letters after the parse step (bad event time, too late) still cite the search's position.
 */
class SearchDeadLettersTest {

    @Test
    void aSearchRejectedAfterParsingCitesItsPosition() {
        SourcedSearchEvent s =
                new SourcedSearchEvent(
                        SearchFixtures.search("p1", SearchFixtures.at(0)), "searches", 1, 7);
        DeadLetter d =
                TopSearchesJob.rejections("searches", SearchFixtures.settings(3))
                        .deadLetter(s, TopSearchesJob.TOO_LATE, "window");
        assertThat(d.position()).isEqualTo("searches/1@7");
        assertThat(d.reason()).startsWith("too late");
    }
}
